"""The application factory: config, extensions, then every area."""

import os
from importlib import import_module
from pathlib import Path

from flask import Flask

from . import config as config_module
from .areas import AREAS
from .core.i18n import select_locale, select_timezone
from .core.limits import LimitedRequest
from .core.urls import trusted_hosts
from .extensions import babel, csrf, db, limiter, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


class LotseFlask(Flask):
    """Flask that answers only requests addressed to the LMS host or the content host(s)."""

    def create_url_adapter(self, request):
        """Check the Host header against BASE_URL and CONTENT_BASE_URL as configured now.

        Derived per request (two ``urlsplit`` calls) rather than frozen into
        ``TRUSTED_HOSTS`` at start, so a changed base address takes effect at once. A
        request for any other host gets 400: nothing built from it can reach a mail.
        """
        if request is not None and self.config["TRUSTED_HOSTS"] is None:
            request.trusted_hosts = trusted_hosts(self.config)
        return super().create_url_adapter(request)


def create_app(test_config=None, instance_path=None, environ=None):
    """Create the Flask application: config, extensions, then every area."""
    app = LotseFlask(
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
    limiter.init_app(app)

    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(PACKAGE_DIR / "translations"),
    )
    for name in AREAS:
        import_module(name).init_app(app)
    return app
