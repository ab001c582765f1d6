"""The application factory: config, extensions, then every area."""

import os
from importlib import import_module
from pathlib import Path

from flask import Flask

from . import config as config_module
from .areas import AREAS
from .core.limits import LimitedRequest
from .extensions import babel, csrf, db, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(test_config=None, instance_path=None, environ=None):
    """Create the Flask application: config, extensions, then every area."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=str(instance_path) if instance_path else None,
    )
    app.request_class = LimitedRequest
    values = config_module.load(app.instance_path, test_config, environ)
    config_module.apply(app, values)
    problems = config_module.url_problems(app.config, os.environ if environ is None else environ)
    app.extensions["lotse_url_problems"] = problems
    for problem in problems:
        app.logger.warning(problem)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(PACKAGE_DIR, "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    from .core.i18n import select_locale, select_timezone

    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(PACKAGE_DIR / "translations"),
    )
    for name in AREAS:
        import_module(name).init_app(app)
    return app
