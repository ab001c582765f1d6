"""The ``lotse-lms`` console script: Flask's CLI with the app already chosen."""

from flask.cli import FlaskGroup

from . import create_app


def _create_app():
    """Factory for the CLI (config from instance folder and environment)."""
    return create_app()


main = FlaskGroup(create_app=_create_app, help="lotse_lms – Lernplattform der OM-Lotsen-Qualifizierung.")
