"""Commands: ``issue-certificates``, ``revoke-certificate`` and ``keys init|rotate|show``."""

import getpass
import json

import click

from ..extensions import db


def _actor(email):
    """The foundation member named by --actor, or None (the command line itself)."""
    if not email:
        return None
    from ..accounts.operations import find_user

    user = find_user(email)
    if user is None or not user.has_role("foundation"):
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
    def issue_certificates(all_eligible, emails, actor, chunk):
        """Issue certificates in bulk, printing progress; refused people are listed with the reason."""
        from ..accounts.operations import find_user
        from .operations import CertificationError, issue_bulk

        if all_eligible == bool(emails):
            raise click.UsageError("give either --all-eligible or at least one --email")
        ids = None
        if emails:
            ids = []
            for email in emails:
                user = find_user(email)
                if user is None:
                    raise click.ClickException(f"no account {email}")
                ids.append(user.id)

        def progress(job):
            """Print one progress line per chunk."""
            click.echo(
                f"{job.processed}/{job.total} bearbeitet ({job.percent} %): "
                f"{job.issued} ausgestellt, {job.refused} abgelehnt"
            )

        try:
            job = issue_bulk(
                _actor(actor), ids, chunk=chunk, progress=progress, via=f"cli:{getpass.getuser()}"
            )
        except CertificationError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from None
        for line in job.messages:
            click.echo(f"  abgelehnt: {line['name']}: {line['message']}")
        click.echo(f"Fertig: {job.issued} Zertifikat(e) ausgestellt, {job.refused} abgelehnt.")

    @app.cli.command("revoke-certificate")
    @click.argument("number")
    @click.option("--reason", required=True, help="Why (shown on the verification page).")
    @click.option("--actor", help="E-mail of the foundation member responsible.")
    def revoke_certificate(number, reason, actor):
        """Revoke a certificate by number."""
        from .operations import CertificationError, find, revoke

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
        from .signing import init_keys, key_dir

        click.echo(f"Aktiver Schlüssel: {init_keys(app)} in {key_dir(app)}")

    @keys.command("rotate")
    def keys_rotate():
        """Create a new active key; old keys stay published so old credentials still verify."""
        from .signing import init_keys

        click.echo(f"Neuer aktiver Schlüssel: {init_keys(app, rotate=True)}")

    @keys.command("show")
    def keys_show():
        """Print the public keys (JWKS)."""
        from .signing import jwks

        click.echo(json.dumps(jwks(app), indent=2))
