"""Verbs on feedback entries: record, revise (earlier versions are kept), reply.

Edits are allowed at any time to the entry's mentor while they accompany the mentee; each
edit stores the replaced version as a ``FeedbackRevision``, so nothing is lost and nothing
is deleted. Replies are corrected only briefly, by their author (replies.py). Mails never
carry feedback text, only a link.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..core import audit, mail
from ..core.errors import collect
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import policy
from .models import OTHER, FeedbackEntry, FeedbackReply, FeedbackRevision, Visibility
from .validation import (
    NEXT_STEPS_MAX,
    OBSERVATIONS_MAX,
    OCCASION_OTHER_MAX,
    REPLY_MAX,
    MentoringError,
    check_past_date,
    clean_text,
)

#: The columns a revision copies from the entry.
VERSIONED = (
    "occurred_on",
    "occasion",
    "occasion_other",
    "observations",
    "next_steps",
    "visibility",
)


def occasion_keys():
    """The occasions mentors may choose: the configured ones, then "other"."""
    keys = [k for k in current_app.config["MENTORING_OCCASIONS"] if k != OTHER]
    return [*keys, OTHER]


def checked_fields(occurred_on, occasion, occasion_other, observations, next_steps, visibility):
    """Validate an entry's fields; return them cleaned, in VERSIONED order.

    Every field is checked before refusing, so the form shows all its errors at once.
    """
    with collect(MentoringError) as refuse:
        refuse.check(check_past_date, occurred_on, "occurred_on")
        if occasion not in occasion_keys():
            refuse(_("Bitte wählen Sie einen Anlass aus der Liste."), "occasion")
        if occasion == OTHER:
            occasion_other = refuse.check(
                clean_text,
                occasion_other,
                "occasion_other",
                OCCASION_OTHER_MAX,
                _("Bitte beschreiben Sie den Anlass."),
            )
        else:
            occasion_other = ""
        observations = refuse.check(
            clean_text,
            observations,
            "observations",
            OBSERVATIONS_MAX,
            _("Bitte halten Sie Ihre Beobachtungen fest."),
        )
        next_steps = refuse.check(clean_text, next_steps, "next_steps", NEXT_STEPS_MAX)
        if visibility not in {str(v) for v in Visibility}:
            refuse(
                _(
                    "Bitte wählen Sie, ob der Eintrag geteilt wird oder nur für Mentorin / Mentor und Stiftung ist."
                ),
                "visibility",
            )
    return dict(
        zip(
            VERSIONED,
            (occurred_on, occasion, occasion_other, observations, next_steps, visibility),
            strict=True,
        )
    )


def _tell_mentee(entry, subject):
    """Let the mentee know about feedback shared with them (no text in the mail)."""
    mail.queue(
        entry.mentee.email,
        subject,
        _(
            "Guten Tag %(name)s,\n\n%(mentor)s hat eine Rückmeldung mit Ihnen geteilt:\n\n%(link)s",
            name=entry.mentee.name,
            mentor=entry.mentor.name,
            link=external_url("mentoring.entry", entry_id=entry.id),
        ),
    )


def create_entry(
    mentee,
    mentor,
    *,
    occurred_on,
    occasion,
    observations,
    visibility,
    next_steps="",
    occasion_other="",
):
    """The current mentor records feedback; shared or private must be chosen explicitly."""
    if not policy.can_write_feedback(mentor, mentee):
        raise MentoringError(
            _("Nur die aktuelle Mentorin / der aktuelle Mentor kann Rückmeldungen eintragen.")
        )
    fields = checked_fields(
        occurred_on, occasion, occasion_other, observations, next_steps, visibility
    )
    now = utcnow()
    entry = FeedbackEntry(
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        created_at=now,
        updated_at=now,
        version=1,
        **fields,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        "mentoring.entry_created",
        entry,
        actor=mentor,
        subject=mentee,
        visibility=entry.visibility,
        occasion=entry.occasion,
        occurred_on=entry.occurred_on,
    )
    if entry.is_shared:
        _tell_mentee(entry, _("Neue Rückmeldung Ihrer Mentorin / Ihres Mentors"))
    return entry


def revise_entry(
    entry,
    actor,
    *,
    occurred_on,
    occasion,
    observations,
    visibility,
    next_steps="",
    occasion_other="",
):
    """Change an entry; the replaced version is kept. Returns False if nothing changed."""
    if not policy.can_revise_entry(actor, entry):
        raise MentoringError(
            _(
                "Nur die Mentorin / der Mentor, die den Eintrag geschrieben hat, "
                "kann ihn ändern – und nur, solange sie die Person begleitet."
            )
        )
    fields = checked_fields(
        occurred_on, occasion, occasion_other, observations, next_steps, visibility
    )
    changed = sorted(name for name, value in fields.items() if getattr(entry, name) != value)
    if not changed:
        return False
    if entry.is_shared and fields["visibility"] == Visibility.PRIVATE and entry.replies:
        raise MentoringError(
            _("Auf diesen Eintrag wurde schon geantwortet; er bleibt geteilt."), "visibility"
        )
    was_shared = entry.is_shared
    now = utcnow()
    db.session.add(
        FeedbackRevision(
            entry_id=entry.id,
            version=entry.version,
            saved_at=entry.updated_at,
            replaced_at=now,
            replaced_by_id=actor.id,
            **{name: getattr(entry, name) for name in VERSIONED},
        )
    )
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.version += 1
    entry.updated_at = now
    db.session.flush()
    audit.record(
        "mentoring.entry_revised",
        entry,
        actor=actor,
        subject=entry.mentee,
        version=entry.version,
        changed=changed,
        visibility=entry.visibility,
    )
    if entry.is_shared:
        _tell_mentee(
            entry,
            _("Rückmeldung geteilt")
            if not was_shared
            else _("Eine geteilte Rückmeldung wurde überarbeitet"),
        )
    return True


def add_reply(entry, author, body):
    """The mentee (or the entry's current mentor) answers a shared entry."""
    if not entry.is_shared:
        raise MentoringError(_("Auf private Einträge kann nicht geantwortet werden."))
    if not policy.can_reply(author, entry):
        raise MentoringError(_("Sie können auf diesen Eintrag nicht antworten."))
    body = clean_text(body, "body", REPLY_MAX, _("Bitte schreiben Sie eine Antwort."))
    reply = FeedbackReply(entry=entry, author=author, body=body, created_at=utcnow())
    db.session.add(reply)
    db.session.flush()
    audit.record(
        "mentoring.reply_added", reply, actor=author, subject=entry.mentee, entry_id=entry.id
    )
    recipient = entry.mentor if author.id == entry.mentee_id else entry.mentee
    mail.queue(
        recipient.email,
        _("Neue Antwort auf eine Rückmeldung"),
        _(
            "Guten Tag %(name)s,\n\n%(author)s hat auf eine Rückmeldung geantwortet:\n\n%(link)s",
            name=recipient.name,
            author=author.name,
            link=external_url("mentoring.entry", entry_id=entry.id),
        ),
    )
    return reply


def entries_shared_with(mentee):
    """Entries shared with the mentee, from all their mentors, oldest first (for portfolios)."""
    return db.session.scalars(
        db.select(FeedbackEntry)
        .where(FeedbackEntry.mentee_id == mentee.id, FeedbackEntry.visibility == Visibility.SHARED)
        .order_by(FeedbackEntry.occurred_on, FeedbackEntry.created_at, FeedbackEntry.id)
    ).all()


def entries_visible_to(viewer, mentee):
    """The mentee's entries ``viewer`` may read, newest first."""
    entries = db.session.scalars(
        db.select(FeedbackEntry)
        .where(FeedbackEntry.mentee_id == mentee.id)
        .order_by(
            FeedbackEntry.occurred_on.desc(),
            FeedbackEntry.created_at.desc(),
            FeedbackEntry.id.desc(),
        )
    ).all()
    return [entry for entry in entries if policy.can_read_entry(viewer, entry)]


def entry_counts(viewer, mentee_ids):
    """{mentee id: (entries ``viewer`` may read, day of the newest)} in one query (the rule
    of policy.can_read_entry, in SQL)."""
    if not mentee_ids:
        return {}
    readable = sa.or_(
        sa.and_(
            FeedbackEntry.mentee_id == viewer.id,
            FeedbackEntry.visibility == Visibility.SHARED.value,
        ),
        sa.and_(
            FeedbackEntry.mentee_id != viewer.id,
            sa.true() if policy.is_staff(viewer) else FeedbackEntry.mentor_id == viewer.id,
        ),
    )
    rows = db.session.execute(
        sa.select(
            FeedbackEntry.mentee_id,
            sa.func.count(FeedbackEntry.id),
            sa.func.max(FeedbackEntry.occurred_on),
        )
        .where(FeedbackEntry.mentee_id.in_(mentee_ids), readable)
        .group_by(FeedbackEntry.mentee_id)
    )
    return {mentee_id: (count, last) for mentee_id, count, last in rows}


def get_entry(entry_id):
    """The entry with this id, or None."""
    return db.session.get(FeedbackEntry, entry_id)
