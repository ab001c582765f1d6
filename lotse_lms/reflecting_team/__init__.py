"""Reflecting team: sessions around a Lotse's case, reflections, self-reflections, method library."""

import click
from flask_babel import lazy_gettext as _l

from ..accounts.operations import find_user
from ..accounts.picker import register_pool
from ..accounts.roles import Role, firm_contact_only, refuse_firm_contacts
from ..agenda.registry import register_agenda
from ..core.dashboard import register_nav, register_panel
from ..core.seed import register_seeder
from ..qualification.state import register_requirement
from . import agenda, privacy
from .blueprint import bp
from .methods import MethodFormatError
from .operations import library, methods_dir
from .qualification import REQUIREMENT
from .queries import participation, sessions_of_trainer, todo
from .seed import seed_reflecting_team

DEFAULTS = {
    "RT_METHODS_DIR": "",  # empty: content/reflecting_team next to the package
    "RT_MIN_MEMBERS": 3,
    "RT_MAX_MEMBERS": 5,
    "RT_MEMBER_ROLES": ["participant", "mentor", "trainer", "reflecting_team"],
    "RT_MIN_AS_CASE_OWNER": 1,
    "RT_MIN_AS_MEMBER": 2,
}

#: Roles that can sit in a team or bring a case, and so see the to-do panel.
TAKING_PART = [Role.PARTICIPANT, Role.MENTOR, Role.TRAINER, Role.REFLECTING_TEAM]


def _todo_context(user):
    """Dashboard data: what the person still has to write."""
    return {"todo": todo(user)}


def _trainer_context(user):
    """Dashboard data of trainers: their open sessions."""
    return {"sessions": sessions_of_trainer(user, open_only=True)}


def init_app(app):
    """Register routes, dashboard parts, demo data and commands of the reflecting team."""
    privacy.register(app)

    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(bp.name, []).append(refuse_firm_contacts)
    register_agenda(app, agenda.entries)
    register_nav(
        app, _l("Reflecting Team"), "reflecting_team.index", order=50, hidden_for=firm_contact_only
    )
    register_requirement(app, REQUIREMENT)
    register_pool(app, "rt_case_owner", [Role.PARTICIPANT], [Role.TRAINER])
    register_pool(app, "rt_member", app.config["RT_MEMBER_ROLES"], [Role.TRAINER])
    register_panel(
        app, "rt_todo", TAKING_PART, "reflecting_team/panel_todo.html", _todo_context, order=40
    )
    register_panel(
        app,
        "rt_trainer",
        [Role.TRAINER],
        "reflecting_team/panel_trainer.html",
        _trainer_context,
        order=41,
    )
    register_seeder(app, seed_reflecting_team, order=60)

    @app.cli.command("rt-methods")
    def rt_methods_command():
        """Check the reflecting-team method library and list its methods."""
        try:
            found = library()
        except MethodFormatError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{len(found)} method(s) in {methods_dir()}:")
        for method in found:
            click.echo(f"  {method.slug:<32} {method.duration_minutes:>4} min  {method.title}")

    @app.cli.command("rt-participation")
    @click.argument("email")
    def rt_participation_command(email):
        """Show a person's reflecting-team participation as certification counts it."""
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"no account for {email}")
        counts = participation(user)
        click.echo(
            f"as case owner: {counts['as_case_owner']}/{counts['required_as_case_owner']}, "
            f"as member: {counts['as_member']}/{counts['required_as_member']}, "
            f"met: {'yes' if counts['met'] else 'no'}"
        )
