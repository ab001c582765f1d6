"""Commands: ``issue-certificates``, ``revoke-certificate`` and ``keys init|rotate|show``."""

import getpass
import json
import time

import click
import sqlalchemy as sa

from ..accounts.models import User
from ..accounts.operations import find_user
from ..accounts.roles import Role
from ..extensions import db
from .bulk import RUNNING, confirm_bulk, prepare_bulk, run_bulk_step
from .errors import CertificationError
from .numbers import find
from .operations import revoke
from .signing import init_keys, jwks, key_dir


def _actor(email):
    """The foundation member named by --actor, or None (the command line itself)."""
    if not email:
        return None
    user = find_user(email)
    if user is None or not user.has_role(Role.FOUNDATION):
        raise click.ClickException(f"{email} is not a foundation account")
    return user


def register_commands(app):
    """Add the certification commands to ``lotse-lms``."""

    @app.cli.command("issue-certificates")
    @click.option("--all-eligible", is_flag=True, help="Issue for every eligible participant.")
    @click.option(
        "--email", "emails", multiple=True, help="Issue for this participant (repeatable)."
    )
    @click.option(
        "--actor", help="E-mail of the foundation member responsible (for the audit log)."
    )
    @click.option(
        "--chunk", type=int, default=None, help="People per step (default CERT_BULK_CHUNK)."
    )
    @click.option("--yes", is_flag=True, help="Issue without asking to confirm the list.")
    def issue_certificates(all_eligible, emails, actor, chunk, yes):
        """Issue certificates in bulk: list who would get one, confirm, then print progress."""
        if all_eligible == bool(emails):
            raise click.UsageError("give either --all-eligible or at least one --email")
        responsible = _actor(actor)
        ids = None
        if emails:
            ids = []
            for email in emails:
                user = find_user(email)
                if user is None:
                    raise click.ClickException(f"no account {email}")
                ids.append(user.id)
        else:
            click.echo("Ermittle alle Berechtigten …")
        started = time.monotonic()
        try:
            job = prepare_bulk(responsible, ids)
        except CertificationError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from None
        click.echo(
            f"{job.total} Person(en) in der Liste (ermittelt in {time.monotonic() - started:.1f} s)."
        )
        if not yes:
            for user in db.session.scalars(
                sa.select(User).where(User.id.in_(job.user_ids[:50])).order_by(User.name)
            ):
                click.echo(f"  {user.name} <{user.email}>")
            if job.total > 50:
                click.echo(f"  … und {job.total - 50} weitere")
            if not click.confirm("Für genau diese Liste Zertifikate ausstellen?"):
                db.session.rollback()
                click.echo("Abgebrochen; nichts ausgestellt.")
                return
        job = confirm_bulk(job, responsible, job.user_ids)
        db.session.commit()
        via = f"cli:{getpass.getuser()}"
        while job.status == RUNNING:
            job = run_bulk_step(job, responsible, chunk=chunk, via=via)
            db.session.commit()
            click.echo(
                f"{job.processed}/{job.total} bearbeitet ({job.percent} %): "
                f"{job.issued} ausgestellt, {job.refused} übersprungen"
            )
        for line in job.messages:
            click.echo(f"  übersprungen: {line['name']}: {line['message']}")
        click.echo(f"Fertig: {job.issued} Zertifikat(e) ausgestellt, {job.refused} übersprungen.")
        if job.issued:
            click.echo(
                "Die PDF-Dateien erstellt der Worker (lotse-lms worker oder lotse-lms run-jobs)."
            )

    @app.cli.command("revoke-certificate")
    @click.argument("number")
    @click.option("--reason", required=True, help="Why (shown on the verification page).")
    @click.option("--actor", help="E-mail of the foundation member responsible.")
    def revoke_certificate(number, reason, actor):
        """Revoke a certificate by number."""
        cert = find(number)
        if cert is None:
            raise click.ClickException(f"no certificate {number}")
        try:
            revoke(cert, _actor(actor), reason, via=f"cli:{getpass.getuser()}")
            db.session.commit()
        except CertificationError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from None
        click.echo(f"Zertifikat {cert.number} widerrufen.")

    @app.cli.group("keys")
    def keys():
        """The foundation's signing keys."""

    @keys.command("init")
    def keys_init():
        """Create the Ed25519 signing key if there is none."""
        click.echo(f"Aktiver Schlüssel: {init_keys(app)} in {key_dir(app)}")

    @keys.command("rotate")
    def keys_rotate():
        """Create a new active key; old keys stay published so old credentials still verify."""
        click.echo(f"Neuer aktiver Schlüssel: {init_keys(app, rotate=True)}")

    @keys.command("show")
    def keys_show():
        """Print the public keys (JWKS)."""
        click.echo(json.dumps(jwks(app), indent=2))
