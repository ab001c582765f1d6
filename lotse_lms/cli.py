"""The ``lotse-lms`` console script: Flask's CLI with the app already chosen."""

import click
from flask.cli import FlaskGroup

from . import create_app
from .scorm.build.__main__ import main as build_main


def _create_app():
    """Factory for the CLI (config from instance folder and environment)."""
    return create_app()


main = FlaskGroup(
    create_app=_create_app, help="lotse_lms – Lernplattform der OM-Lotsen-Qualifizierung."
)


@main.command("build-scorm", context_settings={"ignore_unknown_options": True})
@click.option("--content", default="content/q1", show_default=True, help="Folder of the Q1 modules")
@click.option("--out", default="dist/scorm", show_default=True, help="Where the zips go")
@click.option(
    "--standard", type=click.Choice(["1.2", "2004", "all"]), default="all", show_default=True
)
def build_scorm(content, out, standard):
    """Build the Q1 modules into SCORM 1.2 and SCORM 2004 4th Edition zips."""
    code = build_main(["--content", content, "--out", out, "--standard", standard])
    if code:
        raise SystemExit(code)
