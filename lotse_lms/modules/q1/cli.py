"""Command line: ``lotse-lms import-scorm FILE.zip [--title T] [--module KEY] [--update ID]``."""

import click

from ...extensions import db
from .errors import Q1Error
from .models import DRAFT, PUBLISHED
from .packages import STALE_STAGING_SECONDS, clean_staging, find_package, import_package


def register_commands(app):
    """Add the Q1 commands to the app's CLI."""

    @app.cli.command("import-scorm")
    @click.argument("zip_file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--title", default=None, help="Title in the catalogue (default: the manifest's)")
    @click.option(
        "--module",
        "module_key",
        default=None,
        help="Mark the package as this Q1 module (see config Q1_MODULES)",
    )
    @click.option(
        "--update",
        "update_id",
        type=int,
        default=None,
        help="Import as a new version of the package with this id",
    )
    @click.option(
        "--draft", is_flag=True, help="Import a new package as a draft (staff only, preview)"
    )
    def import_scorm_command(zip_file, title, module_key, update_id, draft):
        """Import a SCORM 1.2 or 2004 package and print the package's id."""
        package = None
        if update_id is not None:
            package = find_package(update_id)
            if package is None:
                raise click.ClickException(f"Es gibt kein Paket mit der Nummer {update_id}.")
        try:
            version = import_package(
                zip_file,
                title=title,
                module_key=module_key,
                package=package,
                status=DRAFT if draft else PUBLISHED,
            )
        except Q1Error as exc:
            db.session.rollback()
            raise click.ClickException(f"Das Paket wurde nicht importiert: {exc.message}") from None
        package = version.package
        click.echo(
            f"Paket „{package.title}“ (SCORM {version.edition or version.standard}, Version "
            f"{version.number}, {len(version.entries())} Lerneinheiten) importiert.",
            err=True,
        )
        click.echo(package.id)

    @app.cli.command("clean-scorm-staging")
    @click.option(
        "--max-age",
        type=int,
        default=STALE_STAGING_SECONDS // 60,
        show_default=True,
        help="Remove leftovers older than this many minutes (0: all; only when no import runs)",
    )
    def clean_staging_command(max_age):
        """Remove uploads and half-extracted packages that interrupted imports left behind."""
        removed = clean_staging(max_age * 60)
        click.echo(f"{removed} Überbleibsel entfernt.")
