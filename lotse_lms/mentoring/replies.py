"""Replies after the fact: a participant corrects their reply within a short window (the
earlier text is kept as a ``ReplyRevision``), and a mentor sees which mentees replied
since the mentor last opened their page (``MentorVisit``)."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from ..core import audit
from ..core.timeutil import utcnow
from ..extensions import db
from .models import FeedbackEntry, FeedbackReply, MentorVisit, ReplyRevision
from .validation import REPLY_MAX, MentoringError, clean_text


def correction_window():
    """How long after writing a participant may still correct a reply."""
    return timedelta(minutes=current_app.config["MENTORING_REPLY_CORRECTION_MINUTES"])


def can_correct(user, reply, now=None):
    """True if ``user`` is the mentee who wrote the reply and the window is still open."""
    if not user.is_authenticated or reply.author_id != user.id:
        return False
    if reply.author_id != reply.entry.mentee_id:
        return False
    return (now or utcnow()) - reply.created_at <= correction_window()


def correct_reply(reply, author, body):
    """Replace a reply's text, keeping the earlier text (flushed, not committed)."""
    if not can_correct(author, reply):
        minutes = current_app.config["MENTORING_REPLY_CORRECTION_MINUTES"]
        raise MentoringError(
            _(
                "Antworten können nur in den ersten %(n)s Minuten korrigiert werden.",
                n=minutes,
            )
        )
    body = clean_text(body, "body", REPLY_MAX, _("Bitte schreiben Sie eine Antwort."))
    if body == reply.body:
        return reply
    now = utcnow()
    db.session.add(
        ReplyRevision(
            reply=reply,
            body=reply.body,
            saved_at=reply.corrected_at or reply.created_at,
            replaced_at=now,
        )
    )
    reply.body = body
    reply.corrected_at = now
    audit.record(
        "mentoring.reply_corrected",
        reply,
        actor=author,
        subject=reply.entry.mentee,
        entry_id=reply.entry_id,
    )
    db.session.flush()
    return reply


def last_visit(mentor, mentee):
    """When the mentor last opened the mentee's page, or None."""
    return db.session.scalar(
        db.select(MentorVisit.seen_at).where(
            MentorVisit.mentor_id == mentor.id, MentorVisit.mentee_id == mentee.id
        )
    )


def record_visit(mentor, mentee):
    """Remember that the mentor opened the mentee's page now (flushed, not committed)."""
    visit = db.session.scalar(
        db.select(MentorVisit).where(
            MentorVisit.mentor_id == mentor.id, MentorVisit.mentee_id == mentee.id
        )
    )
    if visit is None:
        visit = MentorVisit(mentor_id=mentor.id, mentee_id=mentee.id)
        db.session.add(visit)
    visit.seen_at = utcnow()
    db.session.flush()


def new_replies(mentor, mentee_ids):
    """{mentee id: how many replies the mentee wrote since the mentor's last visit} for
    mentees with at least one; one query."""
    if not mentee_ids:
        return {}
    visit = db.aliased(MentorVisit)
    written = db.func.coalesce(FeedbackReply.corrected_at, FeedbackReply.created_at)
    rows = db.session.execute(
        db.select(FeedbackEntry.mentee_id, db.func.count(FeedbackReply.id))
        .join(FeedbackReply, FeedbackReply.entry_id == FeedbackEntry.id)
        .outerjoin(
            visit,
            (visit.mentor_id == mentor.id) & (visit.mentee_id == FeedbackEntry.mentee_id),
        )
        .where(
            FeedbackEntry.mentee_id.in_(mentee_ids),
            FeedbackReply.author_id == FeedbackEntry.mentee_id,
            (visit.seen_at.is_(None)) | (written > visit.seen_at),
        )
        .group_by(FeedbackEntry.mentee_id)
    ).all()
    return {mentee_id: count for mentee_id, count in rows}


def fresh_per_entry(entries, mentee, since):
    """{entry id: replies the mentee wrote or corrected after ``since``} (None: all new)."""
    counts = {}
    for entry in entries:
        fresh = [
            r
            for r in entry.replies
            if r.author_id == mentee.id
            and (since is None or (r.corrected_at or r.created_at) > since)
        ]
        if fresh:
            counts[entry.id] = len(fresh)
    return counts
