"""What the room's work registers: its sections on the room page, the reminder job, the
dashboard panel of open actions and its personal data."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..accounts.roles import Role
from ..core import jobs
from ..core.dashboard import register_panel
from ..extensions import db
from . import policy, work, work_cards, work_experiments, work_privacy, work_reminders
from .models import Organisation
from .sections import register_section
from .work_models import ACTION_STATES, DECISIONS, TOPIC_STATES, LearningCard, RoomAction

#: How many items a section of the room page shows (the full list is one link away).
SECTION_SIZE = 5


def _organisation_names(room):
    """``{id: name}`` of the room's firms."""
    ids = work.firm_ids(room)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )


def _first(select):
    """The first SECTION_SIZE rows of ``select`` and whether there are more."""
    rows = db.session.scalars(select.limit(SECTION_SIZE + 1)).all()
    return rows[:SECTION_SIZE], len(rows) > SECTION_SIZE


def topics_section(room, user):
    """The room page's backlog: the top topics by votes."""
    topics, more = _first(work.topics_select(room))
    return {
        "topics": topics,
        "more": more,
        "states": TOPIC_STATES,
        "voted": work.voted_topic_ids(user, [t.id for t in topics]),
        "member": work.takes_part(user, room) and not room.is_closed,
    }


def actions_section(room, user):
    """The room page's actions: the next ones due."""
    actions, more = _first(work.actions_select(room).options(selectinload(RoomAction.owner)))
    return {
        "actions": actions,
        "more": more,
        "states": ACTION_STATES,
        "today": work.today(),
        "manager": policy.can_manage(user, room) and not room.is_closed,
    }


def experiments_section(room, user):
    """The room page's experiment log: the newest entries."""
    entries, more = _first(work_experiments.experiments_select(room))
    return {
        "entries": entries,
        "more": more,
        "decisions": DECISIONS,
        "firms": _organisation_names(room),
        "manager": policy.can_manage(user, room) and not room.is_closed,
    }


def cards_section(room, user):
    """The room page's learning cards: the newest."""
    cards, more = _first(work_cards.cards_select(room).options(selectinload(LearningCard.firms)))
    return {
        "cards": cards,
        "more": more,
        "manager": policy.can_manage(user, room),
        "APPROVED": work_cards.APPROVED,
    }


def register(app):
    """Register the sections, the reminder job, the dashboard panel and the privacy provider."""
    register_section(
        app,
        "topics",
        _l("Themenspeicher"),
        "rooms/work_section_topics.html",
        topics_section,
        order=40,
    )
    register_section(
        app, "actions", _l("Aufgaben"), "rooms/work_section_actions.html", actions_section, order=50
    )
    register_section(
        app,
        "experiments",
        _l("Experimentierprotokoll"),
        "rooms/work_section_experiments.html",
        experiments_section,
        order=60,
    )
    register_section(
        app, "cards", _l("Lernkarten"), "rooms/work_section_cards.html", cards_section, order=70
    )
    jobs.register_periodic(
        app, "rooms.action_reminders", work_reminders.send_reminders, hour="7", minute="15"
    )
    register_panel(
        app,
        "room_actions",
        list(Role),
        "rooms/work_panel.html",
        work_reminders.open_actions_panel,
        order=30,
    )
    work_privacy.register(app)
