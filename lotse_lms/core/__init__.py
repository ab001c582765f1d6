"""Core: layout, dashboard, security headers, audit log, outbox, error pages."""

import logging
from urllib.parse import urlsplit

import click
import sqlalchemy as sa
from flask import current_app, g, has_request_context, render_template, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from ..accounts.roles import Role
from ..extensions import db
from . import job_care, jobs, mail, personal_data
from .blueprint import bp
from .dashboard import ACCOUNT, ADMIN, badge_for, nav_for, register_nav
from .i18n import LANGUAGES, percent
from .markdown import render_safe
from .seed import run_seeders

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def security_headers(response):
    """Add CSP and the other protective headers unless a view set its own."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    # A window an LMS page opens in, or that opens an LMS page, gets no handle on it across
    # origins (a package's popup of a player cannot reach into that player's frames).
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def _error_page(code, title, message):
    """Render a German error page with the right status."""
    return render_template("core/error.html", code=code, title=title, message=message), code


def register_error_pages(app):
    """Friendly pages for the errors people can run into."""

    @app.errorhandler(403)
    def forbidden(_exc):
        """No right to see this page."""
        return _error_page(
            403, _("Kein Zugriff"), _("Sie haben keine Berechtigung für diese Seite.")
        )

    @app.errorhandler(404)
    def not_found(_exc):
        """Unknown address."""
        return _error_page(404, _("Nicht gefunden"), _("Diese Seite gibt es nicht."))

    @app.errorhandler(413)
    def too_large(_exc):
        """Upload over the size limit."""
        return _error_page(413, _("Datei zu groß"), _("Die hochgeladene Datei ist zu groß."))

    @app.errorhandler(429)
    def too_many(_exc):
        """A rate limit is used up (sign-in, password reset, registration)."""
        return _error_page(
            429,
            _("Zu viele Versuche"),
            _(
                "Von hier oder für dieses Konto kamen zu viele Versuche in kurzer Zeit. "
                "Bitte warten Sie einen Moment und versuchen Sie es dann erneut."
            ),
        )

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        """Form sent without a valid security token (expired page or forged request)."""
        return _error_page(
            400,
            _("Formular abgelaufen"),
            _(
                "Das Formular war abgelaufen oder ungültig. Bitte laden Sie die Seite neu und senden Sie es erneut."
            ),
        )


def tune_sqlite(app):
    """Put SQLite databases into WAL mode with synchronous=NORMAL on every connection."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite" or ":memory:" in str(engine.url):
        return

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        """Per connection: write-ahead log, no fsync per commit, wait for locks."""
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def url_warnings(app, host):
    """German explanations when the LMS is not used at BASE_URL or was started on another port."""
    warnings = []
    base = app.config["BASE_URL"]
    if host and urlsplit(base).netloc.lower() != host.lower():
        warnings.append(
            _(
                "Diese Seite wurde über %(host)s aufgerufen, die Plattform ist aber für %(base)s "
                "eingerichtet (BASE_URL). Links in Mails, Kalender und Nachweisen sowie der "
                "Player funktionieren nur dort: Öffnen Sie %(base)s oder setzen Sie "
                "LOTSE_BASE_URL passend.",
                host=host,
                base=base,
            )
        )
    if app.extensions.get("lotse_url_problems"):
        warnings.append(
            _(
                "BASE_URL oder CONTENT_BASE_URL passt nicht zum Port, auf dem der Server läuft; "
                "Lernmodule können dann nicht angezeigt werden. Einzelheiten stehen im "
                "Protokoll des Servers."
            )
        )
    return warnings


def _layout_context():
    """Menu entries, languages and address warnings for the shared layout."""
    signed_in = current_user.is_authenticated
    return {
        "main_nav": nav_for(current_app, current_user) if signed_in else [],
        "admin_nav": nav_for(current_app, current_user, ADMIN) if signed_in else [],
        "account_nav": nav_for(current_app, current_user, ACCOUNT) if signed_in else [],
        "nav_badge": lambda endpoint: badge_for(current_app, current_user, endpoint),
        "languages": LANGUAGES,
        "get_locale": get_locale,
        "url_warnings": url_warnings(current_app, request.host if has_request_context() else None),
    }


def init_app(app):
    """Register the core blueprint, filters, headers, error pages and commands."""
    if app.config["SQLITE_WAL"]:
        tune_sqlite(app)
    jobs.init_app(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    jobs.register(app, "mail.send", mail.send_pending)
    jobs.register_periodic(app, "mail.send_due", mail.send_pending, minute="*")
    job_care.init_app(app)

    personal_data.register(app)
    app.register_blueprint(bp)
    register_nav(app, _l("Übersicht"), "core.index", order=0)
    register_nav(
        app, _l("Protokoll"), "core.audit_log", [Role.ADMIN, Role.FOUNDATION], order=95, group=ADMIN
    )
    register_nav(app, _l("Postausgang"), "core.outbox", [Role.ADMIN], order=96, group=ADMIN)
    app.after_request(security_headers)
    register_error_pages(app)
    app.jinja_env.filters["markdown"] = render_safe
    app.context_processor(_layout_context)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else "–"
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else "–"
    )
    app.jinja_env.filters["percent"] = percent

    @app.teardown_request
    def flush_outbox(exc):
        """Hand the mails queued by this request to the worker once its transaction is committed."""
        if exc is None and g.pop("lotse_mail_queued", False):
            try:
                jobs.enqueue("mail.send")
            except (
                jobs.STORAGE_ERRORS
            ) as error:  # the mail waits in the outbox for the periodic job
                app.logger.warning("Could not queue the mail job: %s", error)

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Create demo accounts and content (safe to run again) and print the sign-ins."""
        run_seeders(app, click.echo)
        db.session.commit()

    @app.cli.command("send-mail")
    def send_mail_command():
        """Send every mail waiting in the outbox."""
        sent = mail.send_pending(limit=10_000)
        click.echo(f"{sent} mail(s) sent.")

    @app.cli.command("worker")
    @click.option("--threads", type=int, default=None, help="Worker threads (WORKER_THREADS)")
    def worker_command(threads):
        """Run the background jobs: mail, reminders, imports (the queue of QUEUE_URL)."""
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        threads = threads or app.config["WORKER_THREADS"]
        click.echo(
            f"Worker on {app.config['QUEUE_URL'] or 'the embedded queue'}, {threads} thread(s)."
        )
        jobs.run_worker(app, threads)

    @app.cli.command("run-jobs")
    def run_jobs_command():
        """Run the jobs waiting on the queue once, in this process, and stop."""
        click.echo(f"{jobs.run_pending(app)} job(s) run.")
