"""Community: the Klassenzimmer of each cohort, the Lotsen-Community, the announcements.

A Klassenzimmer is derived from its cohort: it is created the first time one of the cohort's
members (or staff) opens the community, so the cohorts area knows nothing of it. Who reads,
posts and moderates where is decided in ``policy.py``; verbs live in ``operations.py`` and
``moderation.py``; the pages' queries in ``queries.py`` do not grow with rows.
"""

from flask_babel import lazy_gettext as _l

from ..accounts.roles import NETWORK_ROLES, firm_contact_only
from ..core import jobs
from ..core.dashboard import ACCOUNT, register_badge, register_nav, register_panel
from ..core.seed import register_seeder
from ..extensions import db
from . import mentions, notify, operations, privacy, queries, search  # noqa: F401 (search: its table and hooks)
from .seed import seed_community

DEFAULTS = {
    #: Minutes in which authors may still change their own posts (earlier wordings are kept).
    "COMMUNITY_EDIT_MINUTES": 30,
    #: The first this many posts of a person wait for a moderator before others see them
    #: (pre-moderation of new members; 0: off). Moderators of a space are never held.
    "COMMUNITY_PREMODERATE_POSTS": 2,
    #: Read in-app notifications older than this many days are deleted by a daily job
    #: (0: kept).
    "COMMUNITY_NOTIFICATION_KEEP_DAYS": 90,
}


def _announcements_panel(user):
    """Dashboard data: the announcements the person has not opened yet."""
    return {"announcements": queries.unread_announcements(user)}


def init_app(app):
    """Register routes, menu entry, announcements panel, privacy provider and demo data."""
    from .blueprint import bp  # the blueprint imports the controllers, which need the app's areas

    app.register_blueprint(bp)
    with app.app_context():
        mentions.register_sqlite_lower(db.engine)
    register_nav(app, _l("Community"), "community.index", order=60, hidden_for=firm_contact_only)
    register_panel(
        app, "announcements", NETWORK_ROLES, "community/panel.html", _announcements_panel, order=1
    )
    register_nav(app, _l("Benachrichtigungen"), "community.notifications", order=10, group=ACCOUNT)
    register_badge(app, "community.notifications", notify.unread_count)
    jobs.register_periodic(app, "community.daily_digest", notify.send_daily, hour="6", minute="5")
    jobs.register_periodic(
        app, "community.weekly_digest", notify.send_weekly, day_of_week="1", hour="6", minute="10"
    )
    jobs.register_periodic(
        app, "community.notification_cleanup", notify.delete_old_read, hour="4", minute="25"
    )
    # Retried: a claim that met a second worker's at the same moment simply runs again.
    jobs.register(app, operations.FAN_OUT, operations.fan_out, retries=3, retry_delay=5)
    jobs.register_periodic(app, "community.fan_out_catch_up", operations.catch_up, minute="*/10")
    privacy.register(app)
    register_seeder(app, seed_community, order=75)  # after the demo cohort
