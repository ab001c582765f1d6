"""A person's calendar inside the LMS: month, week and list of what each area registers.

Areas add their dates with ``registry.register_agenda`` in their ``init_app``: Q2 sessions and
deadlines, reflecting-team sessions, mentoring conversations. This area imports none of them.
"""

from flask_babel import lazy_gettext as _l

from ..core.dashboard import register_nav
from .blueprint import bp


def init_app(app):
    """Register the calendar page and its menu entry."""
    app.register_blueprint(bp)
    register_nav(app, _l("Kalender"), "agenda.calendar", order=15)
