"""The personal data of the room's work: topics, votes, actions, comments, experiments, cards.

Erasure keeps what the room agreed and learnt (topics, actions, experiments, cards stay for
the other members) but drops the person from it: votes are deleted, comments emptied, and
their name is removed as proposer, owner, author or approver.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, jsonable, register_privacy
from ..extensions import db
from .work_models import (
    BacklogTopic,
    BacklogVote,
    LearningCard,
    LearningCardFirm,
    RoomAction,
    RoomActionComment,
    RoomExperiment,
)


def _rows(select, *columns):
    """The rows of ``select`` as dicts of ``columns``."""
    return [
        {name: jsonable(value) for name, value in zip(columns, row, strict=True)}
        for row in db.session.execute(select).all()
    ]


def export_work(user):
    """The topics the person proposed and voted for, their actions, comments, entries, cards."""
    uid = user.id
    return Part(
        {
            "topics_proposed": _rows(
                sa.select(
                    BacklogTopic.room_id,
                    BacklogTopic.title,
                    BacklogTopic.description,
                    BacklogTopic.created_at,
                )
                .where(BacklogTopic.proposed_by_id == uid)
                .order_by(BacklogTopic.id),
                "room",
                "title",
                "description",
                "created_at",
            ),
            "topic_votes": _rows(
                sa.select(BacklogTopic.title, BacklogVote.created_at)
                .join(BacklogTopic, BacklogTopic.id == BacklogVote.topic_id)
                .where(BacklogVote.user_id == uid)
                .order_by(BacklogTopic.id),
                "topic",
                "created_at",
            ),
            "actions_owned": _rows(
                sa.select(
                    RoomAction.room_id, RoomAction.title, RoomAction.due_on, RoomAction.status
                )
                .where(RoomAction.owner_id == uid)
                .order_by(RoomAction.id),
                "room",
                "title",
                "due_on",
                "status",
            ),
            "action_comments": _rows(
                sa.select(RoomAction.title, RoomActionComment.body, RoomActionComment.created_at)
                .join(RoomAction, RoomAction.id == RoomActionComment.action_id)
                .where(RoomActionComment.author_id == uid)
                .order_by(RoomActionComment.id),
                "action",
                "body",
                "created_at",
            ),
            "experiments_recorded": _rows(
                sa.select(
                    RoomExperiment.room_id, RoomExperiment.question, RoomExperiment.created_at
                )
                .where(RoomExperiment.created_by_id == uid)
                .order_by(RoomExperiment.id),
                "room",
                "question",
                "created_at",
            ),
            "learning_cards_written": _rows(
                sa.select(LearningCard.room_id, LearningCard.title, LearningCard.created_at)
                .where(LearningCard.author_id == uid)
                .order_by(LearningCard.id),
                "room",
                "title",
                "created_at",
            ),
            "learning_card_answers": _rows(
                sa.select(
                    LearningCard.title, LearningCardFirm.decision, LearningCardFirm.decided_at
                )
                .join(LearningCard, LearningCard.id == LearningCardFirm.card_id)
                .where(LearningCardFirm.decided_by_id == uid)
                .order_by(LearningCardFirm.id),
                "card",
                "decision",
                "decided_at",
            ),
        }
    )


def erase_work(user):
    """Delete the person's votes, empty their comments, and remove their name elsewhere."""
    uid = user.id
    topics = sa.select(BacklogVote.topic_id).where(BacklogVote.user_id == uid)
    db.session.execute(
        sa.update(BacklogTopic)
        .where(BacklogTopic.id.in_(topics))
        .values(vote_count=BacklogTopic.vote_count - 1)
    )
    db.session.execute(sa.delete(BacklogVote).where(BacklogVote.user_id == uid))
    db.session.execute(
        sa.update(RoomActionComment)
        .where(RoomActionComment.author_id == uid)
        .values(body="", author_id=None)
    )
    for column in (BacklogTopic.proposed_by_id,):
        db.session.execute(sa.update(BacklogTopic).where(column == uid).values({column: None}))
    for column in (RoomAction.owner_id, RoomAction.created_by_id):
        db.session.execute(sa.update(RoomAction).where(column == uid).values({column: None}))
    db.session.execute(
        sa.update(RoomExperiment)
        .where(RoomExperiment.created_by_id == uid)
        .values(created_by_id=None)
    )
    db.session.execute(
        sa.update(LearningCard).where(LearningCard.author_id == uid).values(author_id=None)
    )
    db.session.execute(
        sa.update(LearningCardFirm)
        .where(LearningCardFirm.decided_by_id == uid)
        .values(decided_by_id=None)
    )
    return []


def register(app):
    """Declare the room work's personal data in the privacy registry."""
    register_privacy(
        app,
        "rooms_work",
        _l("Experimentierräume: Themen, Aufgaben, Experimente, Lernkarten"),
        export=export_work,
        erase=erase_work,
        kept=_l(
            "Themen, Aufgaben, Experimente und Lernkarten bleiben für die anderen Mitglieder "
            "des Raums erhalten, ohne Ihren Namen; Ihre Kommentare werden geleert, Ihre "
            "Stimmen gelöscht."
        ),
        order=66,
    )
