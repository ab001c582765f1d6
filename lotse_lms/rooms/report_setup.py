"""What the report part registers: the report's menu entry, the rooms' step in the
qualification path, the room as a reflecting-team case, and the demo rooms."""

from flask_babel import lazy_gettext as _l

from ..core.dashboard import ADMIN, register_nav
from ..core.seed import register_seeder
from ..qualification.state import register_requirement
from ..reflecting_team.case_sources import register_case_source
from . import case_source, policy
from .qualification_links import REQUIREMENT


def register(app):
    """Register the report's menu entry, the qualification step, the case source, the seeder."""
    register_nav(
        app,
        _l("Bericht Experimentierräume"),
        "rooms.report_page",
        policy.STAFF,
        order=87,
        group=ADMIN,
    )
    register_requirement(app, REQUIREMENT)
    register_case_source(app, case_source)
    from .seed import seed_rooms  # the seed imports the other parts' operations

    register_seeder(app, seed_rooms, order=80)  # after the demo people and the cohort
