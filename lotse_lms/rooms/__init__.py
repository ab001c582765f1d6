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
from ..core.dashboard import register_nav
from . import meeting_parts, work_setup
from .models import BUNDESLAENDER, FORMATS, MEMBER_ROLES, PHASES, SECTORS, TOPICS
from .sections import register_section  # noqa: F401  (the API of the other parts)

DEFAULTS = {}


def _label(table):
    return lambda key: table.get(key, key)


def init_app(app):
    """Register routes, menu entry, person pools and the template helpers."""
    from .blueprint import bp  # the blueprint imports the controllers, which need the app's areas

    app.register_blueprint(bp)
    meeting_parts.register(app)
    register_nav(app, _l("Experimentierräume"), "rooms.index", order=65)
    register_pool(app, "rooms_lead", [Role.PARTICIPANT, Role.MENTOR], [Role.FOUNDATION, Role.ADMIN])
    register_pool(
        app, "rooms_mentor", [Role.MENTOR], [Role.FOUNDATION, Role.ADMIN, Role.PARTICIPANT]
    )
    for name, table in (
        ("room_phase_label", PHASES),
        ("room_topic_label", TOPICS),
        ("room_bundesland_label", BUNDESLAENDER),
        ("room_sector_label", SECTORS),
        ("room_format_label", FORMATS),
        ("room_member_role_label", MEMBER_ROLES),
    ):
        app.add_template_global(_label(table), name)
    work_setup.register(app)
