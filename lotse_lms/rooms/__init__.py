"""Experimentierräume: rooms where small firms of a region or sector meet, led by a Lotse.

``models.py`` holds organisations, rooms, members and join requests; ``policy.py`` says who
sees and manages which room; ``operations.py`` the verbs; ``sections.py`` lets each part of
the area (meetings, work, reports) add a section to a room's page with ``register_section``.
The public directory (no account) and the "Interesse melden" double opt-in are in
``directory.py``.
"""

from flask_babel import lazy_gettext as _l

from ..accounts.picker import register_pool
from ..accounts.roles import Role
from ..core.dashboard import ADMIN, register_nav, register_panel
from ..extensions import db
from . import (
    meeting_parts,
    member_controllers,
    operations,
    policy,
    privacy,
    report_setup,
    work_setup,
)
from .models import (
    BUNDESLAENDER,
    CLOSED,
    FORMATS,
    MEMBER_ROLES,
    PHASE_ACTIONS,
    PHASES,
    SECTORS,
    TOPICS,
    Room,
)
from .sections import register_section

DEFAULTS = {
    #: Seconds a person needs at least to fill in the interest form (faster: a bot).
    "ROOMS_INTEREST_MIN_SECONDS": 3,
    #: Interest requests per client address (Flask-Limiter syntax).
    "ROOMS_INTEREST_LIMIT": "5 per hour;20 per day",
    #: Hours the confirmation link of an interest request works.
    "ROOMS_INTEREST_CONFIRM_HOURS": 72,
    #: Days decided interest requests are kept (then the retention job deletes them).
    "ROOMS_REQUEST_KEEP_DAYS": 180,
    #: Meetings a room must have held to count as evidence in its Lotse's qualification path.
    "ROOMS_EVIDENCE_MEETINGS": 4,
}


def _label(table):
    return lambda key: table.get(key, key)


#: How many rooms the firm contact's dashboard panel lists (the rest is one link away).
PANEL_ROOMS = 5


def _rooms_panel(user):
    """Dashboard data of a firm contact: their rooms, running and open ones first."""
    rows = db.session.scalars(
        operations.rooms_of(user)
        .order_by((Room.phase == CLOSED).asc(), Room.updated_at.desc(), Room.id.desc())
        .limit(PANEL_ROOMS + 1)
    ).all()
    return {"rooms": rows[:PANEL_ROOMS], "more": len(rows) > PANEL_ROOMS}


def init_app(app):
    """Register routes, menu entry, sections, privacy provider, person pools, template helpers."""
    from .blueprint import bp  # the blueprint imports the controllers, which need the app's areas

    app.register_blueprint(bp)
    # Staff find the rooms under "Verwaltung" (their main menu is full at 1280 px).
    members = [r for r in Role if r not in policy.STAFF]
    register_nav(app, _l("Experimentierräume"), "rooms.index", members, order=65)
    register_nav(app, _l("Experimentierräume"), "rooms.index", policy.STAFF, order=86, group=ADMIN)
    register_section(
        app,
        "firm",
        _l("Ihr Unternehmen"),
        "rooms/_firm_section.html",
        loader=member_controllers.firm_section,
        order=90,
    )
    privacy.register(app)
    meeting_parts.register(app)
    register_pool(app, "rooms_lead", [Role.PARTICIPANT, Role.MENTOR], [Role.FOUNDATION, Role.ADMIN])
    register_pool(
        app, "rooms_mentor", [Role.MENTOR], [Role.FOUNDATION, Role.ADMIN, Role.PARTICIPANT]
    )
    for name, table in (
        ("room_phase_label", PHASES),
        ("room_phase_action", PHASE_ACTIONS),
        ("room_topic_label", TOPICS),
        ("room_bundesland_label", BUNDESLAENDER),
        ("room_sector_label", SECTORS),
        ("room_format_label", FORMATS),
        ("room_member_role_label", MEMBER_ROLES),
    ):
        app.add_template_global(_label(table), name)
    work_setup.register(app)
    report_setup.register(app)
    register_panel(
        app, "my_rooms", [Role.FIRM_CONTACT], "rooms/rooms_panel.html", _rooms_panel, order=4
    )
