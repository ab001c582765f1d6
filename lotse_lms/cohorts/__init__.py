"""Cohorts (Durchgänge): runs of the qualification with their participants, trainers, mentors.

Foundation staff and admins create cohorts, add and remove members and import participants
from a CSV file (``importer.py``, run as a job). Every overview of the other areas narrows
to one cohort through ``filters.only_cohort`` and shows the select of ``_filter.html``; a
member's dashboard shows their current cohort.
"""

from flask_babel import lazy_gettext as _l

from ..accounts.roles import Role
from ..core.dashboard import ADMIN, register_nav, register_panel
from ..core.seed import register_seeder
from . import importer, privacy
from .filters import selected_cohort_id
from .operations import all_cohorts, cohorts_of, members_by_role
from .seed import seed_cohorts

DEFAULTS = {
    #: Rows one CSV import may hold.
    "COHORT_IMPORT_MAX_ROWS": 2000,
}
#: Roles that manage cohorts.
MANAGERS = (Role.FOUNDATION, Role.ADMIN)


def _panel_context(user):
    """Dashboard data: the person's current cohorts with their trainers and mentors."""
    return {
        "cohort_rows": [
            (cohort, role, members_by_role(cohort)) for cohort, role in cohorts_of(user)
        ]
    }


def init_app(app):
    """Register routes, menu entry, dashboard panel, the import job and the filter's template helpers."""
    from .blueprint import bp  # the blueprint imports the controllers, which need the app's areas

    app.register_blueprint(bp)
    register_nav(app, _l("Durchgänge"), "cohorts.index", list(MANAGERS), order=84, group=ADMIN)
    register_panel(
        app,
        "cohort",
        [Role.PARTICIPANT, Role.TRAINER, Role.MENTOR],
        "cohorts/panel.html",
        _panel_context,
        order=5,
    )
    importer.register(app)
    privacy.register(app)
    register_seeder(app, seed_cohorts, order=70)  # after the demo people of the areas
    app.add_template_global(all_cohorts, "cohort_filter_choices")
    app.add_template_global(selected_cohort_id, "cohort_filter_selected")
