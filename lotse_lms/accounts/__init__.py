"""Accounts: people, roles, sign-in, profiles and the records the foundation verifies."""

import sys

import click
from flask_babel import lazy_gettext as _l

from ..core.dashboard import ADMIN, register_nav, register_panel
from ..core.limits import FORM_OVERHEAD, register_body_limit
from ..core.seed import register_seeder
from ..extensions import db, login_manager
from ..qualification.state import register_requirement
from . import devices, privacy
from .blueprint import bp
from .errors import AccountError
from .models import User, UserRole
from .operations import create_user, find_user
from .qualification import REQUIREMENTS
from .roles import Role
from .verification import queue_page

DEMO_PASSWORD = "demo-passwort"  # noqa: S105 - printed on purpose for the demo
DEMO_ACCOUNTS = [
    ("teilnehmerin@lotse.example", "Lena Lotsin", [Role.PARTICIPANT]),
    ("trainer@lotse.example", "Tobias Trainer", [Role.TRAINER]),
    ("mentorin@lotse.example", "Miriam Mentorin", [Role.MENTOR]),
    ("reflecting@lotse.example", "Rafael Reflektor", [Role.REFLECTING_TEAM]),
    ("stiftung@lotse.example", "Sabine Stiftung", [Role.FOUNDATION]),
    ("admin@lotse.example", "Anton Admin", [Role.ADMIN]),
]


@login_manager.user_loader
def load_user(session_id):
    """Find the signed-in user: only while the device session lasts and the account key (password,
    "Überall abmelden") is the one the cookie was issued with."""
    user_id, fragment, epoch, device_id = [*session_id.split(":"), "", "", ""][:4]
    if not user_id.isdigit() or not epoch.isdigit() or not device_id:
        return None
    user = devices.load(int(user_id), device_id)
    if user is None or user.account_key() != f"{user_id}:{fragment}:{epoch}":
        return None
    return user


def _queue_context(user):
    """Dashboard data of the foundation: how many records wait, the oldest eight."""
    total, records = queue_page(1, 8)
    return {"total": total, "records": records}


def _admin_context(user):
    """Dashboard data of admins: account numbers per role."""
    counts = dict(
        db.session.execute(db.select(UserRole.role, db.func.count()).group_by(UserRole.role)).all()
    )
    return {"counts": counts, "total": db.session.scalar(db.select(db.func.count(User.id)))}


def seed_accounts(app, echo):
    """One demo account per role (created once; printed every time)."""
    echo(f"Demo-Konten (Passwort für alle: {DEMO_PASSWORD}):")
    for email, name, roles in DEMO_ACCOUNTS:
        if find_user(email) is None:
            create_user(
                email,
                name,
                roles=roles,
                password=DEMO_PASSWORD,
                organisation="Demo-Beratung GmbH",
                region=app.config["REGIONS"][0],
            )
        echo(f"  {roles[0]:<16} {email}")
    db.session.flush()


def init_app(app):
    """Register routes, the user loader, dashboard parts, demo data and commands."""
    app.register_blueprint(bp)
    privacy.register(app)
    register_body_limit(app, "accounts.edit_authorisation", "PROOF_MAX_BYTES", FORM_OVERHEAD)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.after_request(devices.note_seen)
    for requirement in REQUIREMENTS:
        register_requirement(app, requirement)
    register_nav(app, _l("Nachweise"), "accounts.verification_queue", [Role.FOUNDATION], order=80)
    register_nav(
        app, _l("Konten"), "accounts.users", [Role.ADMIN, Role.FOUNDATION], order=85, group=ADMIN
    )
    register_panel(
        app,
        "verification_queue",
        [Role.FOUNDATION],
        "accounts/panel_queue.html",
        _queue_context,
        order=10,
    )
    register_panel(
        app, "admin_overview", [Role.ADMIN], "accounts/panel_admin.html", _admin_context, order=90
    )
    register_seeder(app, seed_accounts, order=10)

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True, help="Full name")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        required=True,
        type=click.Choice([str(r) for r in Role]),
        help="Role (repeatable)",
    )
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input")
    def create_user_command(email, name, roles, password_stdin):
        """Create an account; the password comes from a prompt or standard input."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt("Passwort", hide_input=True, confirmation_prompt=True)
        try:
            user = create_user(email, name, roles=roles, password=password)
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from None
        click.echo(f"Konto {user.email} (id {user.id}) angelegt: {', '.join(roles)}")
