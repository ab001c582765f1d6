"""Mentoring's personal data: entries about a person, their replies, assignments."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, register_privacy, rows
from ..extensions import db
from .models import (
    FeedbackEntry,
    FeedbackReply,
    FeedbackRevision,
    MentorAssignment,
    MentorVisit,
    Recommendation,
    ReplyRevision,
    Visibility,
)


def export_mentoring(user):
    """Assignments, the entries shared with the person (with replies) and their own replies."""
    assignments = db.session.scalars(
        db.select(MentorAssignment).where(
            sa.or_(MentorAssignment.mentee_id == user.id, MentorAssignment.mentor_id == user.id)
        )
    )
    entries = db.session.scalars(
        db.select(FeedbackEntry)
        .where(FeedbackEntry.mentee_id == user.id, FeedbackEntry.visibility == Visibility.SHARED)
        .order_by(FeedbackEntry.id)
    ).all()
    written = db.session.scalars(
        db.select(FeedbackEntry).where(FeedbackEntry.mentor_id == user.id)
    ).all()
    replies = db.session.scalars(db.select(FeedbackReply).where(FeedbackReply.author_id == user.id))
    return Part(
        {
            "assignments": rows(assignments),
            "feedback_about_me": [
                {**rows([entry])[0], "replies": rows(entry.replies)} for entry in entries
            ],
            "feedback_written_as_mentor": rows(written),
            "my_replies": rows(replies),
        }
    )


def erase_mentoring(user):
    """Delete everything about the person as mentee; blank what they wrote for others.

    Entries a mentor wrote about other people stay (they are the mentees' records), under
    the placeholder name of the erased account.
    """
    about = db.select(FeedbackEntry.id).where(FeedbackEntry.mentee_id == user.id)
    replies = db.select(FeedbackReply.id).where(FeedbackReply.entry_id.in_(about))
    db.session.execute(sa.delete(ReplyRevision).where(ReplyRevision.reply_id.in_(replies)))
    db.session.execute(sa.delete(FeedbackReply).where(FeedbackReply.entry_id.in_(about)))
    db.session.execute(sa.delete(FeedbackRevision).where(FeedbackRevision.entry_id.in_(about)))
    db.session.execute(sa.delete(FeedbackEntry).where(FeedbackEntry.mentee_id == user.id))
    own = db.select(FeedbackReply.id).where(FeedbackReply.author_id == user.id)
    db.session.execute(sa.delete(ReplyRevision).where(ReplyRevision.reply_id.in_(own)))
    db.session.execute(
        sa.update(FeedbackReply).where(FeedbackReply.author_id == user.id).values(body="")
    )
    for model in (MentorVisit, Recommendation):
        db.session.execute(sa.delete(model).where(model.mentee_id == user.id))
    db.session.execute(sa.delete(MentorAssignment).where(MentorAssignment.mentee_id == user.id))
    db.session.execute(
        sa.update(MentorAssignment)
        .where(MentorAssignment.mentor_id == user.id)
        .values(reason="", end_reason="")
    )
    return []


def register(app):
    """Declare mentoring's personal data in the privacy registry."""
    register_privacy(
        app,
        "mentoring",
        _l("Mentoring"),
        export=export_mentoring,
        erase=erase_mentoring,
        kept=_l(
            "Rückmeldungen, die die Person als Mentorin / Mentor über andere geschrieben hat, "
            "bleiben als Teil von deren Unterlagen bestehen und nennen „Gelöschte Person“."
        ),
        order=40,
    )
