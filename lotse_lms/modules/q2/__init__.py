"""Q2 live sessions: trainers schedule them; Lotsen enrol, wait, attend; calendars and mails."""

import click
from flask_babel import lazy_gettext as _l

from ...accounts.picker import register_pool
from ...accounts.roles import Role, refuse_firm_contacts
from ...agenda.registry import register_agenda
from ...core import jobs, mail
from ...core.dashboard import register_nav, register_panel
from ...core.seed import register_seeder
from ...qualification.state import register_requirement
from ...reflecting_team.q2link import register_live_sessions
from . import agenda, privacy
from .blueprint import bp
from .common import now_utc
from .models import LiveSession
from .prerequisites import register_builtin
from .qualification import REQUIREMENT
from .queries import counts, managed_sessions, recent_choices, upcoming
from .reminders import send_reminders
from .seed import seed_q2

DEFAULTS = {
    #: Q2 topics as [key, label]; sessions store the key.
    "Q2_TOPICS": [
        ["initiating", "Experimentierräume initiieren"],
        ["moderating", "Experimentierräume moderieren"],
        ["supporting", "Unternehmen in Experimentierräumen begleiten"],
        ["network", "Netzwerkaufbau für Lotsen"],
        ["community", "Community-Aufbau für Lotsen und Unternehmen"],
    ],
    #: Hours before a date at which the reminder goes out (worker, or `lotse-lms send-reminders`).
    "Q2_REMINDER_HOURS": 24,
    #: Estimated time of the Q1 self-study, in minutes (shown beside the Q2 hours).
    "Q1_ESTIMATED_MINUTES": 840,
    #: The whole qualification takes at most this many hours (five days).
    "QUALIFICATION_BUDGET_HOURS": 40,
}


def _trainer_context(user):
    """Dashboard data of trainers: their upcoming sessions with numbers."""
    sessions = [s for s in managed_sessions(user) if s.ends_at and s.ends_at > now_utc()][::-1][:6]
    return {"sessions": sessions, "counts": counts([s.id for s in sessions])}


def _staff_context(user):
    """Dashboard data of foundation staff: the upcoming programme in numbers."""
    sessions = upcoming()
    numbers = counts([s.id for s in sessions])
    return {
        "sessions": len(sessions),
        "places": sum(s.capacity for s in sessions),
        "enrolled": sum(n["enrolled"] for n in numbers.values()),
        "waiting": sum(n["waiting"] for n in numbers.values()),
        "full": sum(1 for s in sessions if numbers[s.id]["enrolled"] >= s.capacity),
    }


def init_app(app):
    """Register routes, prerequisites, dashboard parts, demo data and the reminder command."""
    privacy.register(app)

    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(bp.name, []).append(refuse_firm_contacts)
    register_agenda(app, agenda.entries)
    register_builtin(app)
    register_live_sessions(app, LiveSession, recent_choices)
    register_requirement(app, REQUIREMENT)
    register_pool(app, "q2_trainer", [Role.TRAINER], [Role.TRAINER])
    register_nav(app, _l("Live-Termine"), "q2.catalogue", [Role.PARTICIPANT], order=30)
    register_nav(
        app, _l("Q2-Termine"), "q2.manage", [Role.TRAINER, Role.FOUNDATION, Role.ADMIN], order=32
    )
    register_panel(
        app, "q2_trainer", [Role.TRAINER], "q2/panel_trainer.html", _trainer_context, order=20
    )
    register_panel(
        app, "q2_staff", [Role.FOUNDATION], "q2/panel_staff.html", _staff_context, order=30
    )
    register_seeder(app, seed_q2, order=40)
    # The worker sends due reminders every quarter hour; no cron needed (each goes out once).
    jobs.register_periodic(app, "q2.send_reminders", send_reminders, minute="*/15")

    @app.cli.command("send-reminders")
    def send_reminders_command():
        """Send the reminders for Q2 dates in the next 24 hours (each only once)."""
        count = send_reminders()
        mail.send_pending(limit=10_000)
        click.echo(f"{count} Erinnerung(en) verschickt.")
