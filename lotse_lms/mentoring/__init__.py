"""Mentoring: mentors accompany participants, record feedback and give the recommendation.

Decisions, so others can rely on them:

- Assignments have a start and an end; changing the mentor ends the old assignment (who,
  when, why) and opens a new one. At most one is open per mentee (a partial unique index).
- Feedback entries are "shared" (also the mentee reads and answers them) or "private"
  (mentor and foundation staff only); the mentor must choose, there is no default.
- Edits keep revisions: the entry's mentor may change it while still the mentor; every
  replaced version is stored in ``feedback_revisions`` and shown in the entry's history
  (to the mentee only the versions that were shared). Replies are never edited.
- The newest recommendation is in effect, also after a change of mentor, until the current
  mentor gives a new one; older ones stay in the history.
- Nothing is deleted; there are no delete routes. Audit details never contain feedback text,
  because admins read the audit log.

Other areas use ``lotse_lms.mentoring.operations`` (``current_mentor``,
``current_recommendation``, ``is_recommended``); the portfolio gets
``feedback.entries_shared_with`` registered. The mentors'
progress view shows the qualification path (``lotse_lms.qualification``); mentoring feeds
its own step, the recommendation, through ``qualification.py``.
"""

from flask_babel import lazy_gettext as _l

from ..accounts.picker import register_pool
from ..accounts.roles import Role
from ..agenda.registry import register_agenda
from ..core.dashboard import register_nav, register_panel
from ..core.seed import register_seeder
from ..qualification.state import register_requirement
from ..reflecting_team.portfolio import register_shared_feedback
from . import agenda, privacy
from .blueprint import bp
from .cli import mentoring_cli
from .dashboard import mentor_panel_context, unassigned_panel_context
from .feedback import entries_shared_with
from .qualification import REQUIREMENT
from .seed import seed_mentoring

DEFAULTS = {
    # Occasions a mentor chooses from; "other" (with free text) is always offered too.
    # Known keys are translated; any other key is shown as written.
    "MENTORING_OCCASIONS": [
        "q2_session",
        "own_experimentierraum",
        "reflecting_team",
        "mentoring_talk",
    ],
    #: Minutes in which a participant may still correct a reply (the earlier text is kept).
    "MENTORING_REPLY_CORRECTION_MINUTES": 15,
}


def init_app(app):
    """Register routes, menu entries, dashboard parts, progress, demo data and commands."""
    privacy.register(app)

    app.register_blueprint(bp)
    register_agenda(app, agenda.entries)
    register_shared_feedback(app, entries_shared_with)
    register_pool(app, "mentor", [Role.MENTOR], [Role.FOUNDATION, Role.TRAINER])
    register_nav(app, _l("Mein Mentoring"), "mentoring.my_mentoring", [Role.PARTICIPANT], order=60)
    register_nav(app, _l("Meine Mentees"), "mentoring.my_mentees", [Role.MENTOR], order=61)
    register_nav(
        app, _l("Mentoring"), "mentoring.assignments", [Role.FOUNDATION, Role.TRAINER], order=62
    )
    register_requirement(app, REQUIREMENT)
    register_panel(
        app,
        "mentoring_mentees",
        [Role.MENTOR],
        "mentoring/panel_mentor.html",
        mentor_panel_context,
        order=20,
    )
    register_panel(
        app,
        "mentoring_unassigned",
        [Role.FOUNDATION, Role.TRAINER],
        "mentoring/panel_unassigned.html",
        unassigned_panel_context,
        order=30,
    )
    register_seeder(app, seed_mentoring, order=60)
    app.cli.add_command(mentoring_cli)


__all__ = ["DEFAULTS", "init_app"]
