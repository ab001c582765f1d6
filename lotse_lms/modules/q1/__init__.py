"""Q1 in the LMS: catalogue, SCORM import, player, run-time endpoint, progress and reports.

Package content and the run-time API host page are served from a separate content origin
(CONTENT_BASE_URL), so the LMS session cookie never reaches package scripts; see
links.py (origins and headers), tokens.py and runtime_controllers.py.
"""

from flask_babel import lazy_gettext as _l

from ...accounts.roles import Role, firm_contact_only, refuse_firm_contacts
from ...cohorts.operations import register_use
from ...core.dashboard import register_nav, register_panel
from ...core.limits import FORM_OVERHEAD, register_body_limit
from ...core.seed import register_seeder
from ...qualification.state import register_requirement
from . import import_job, lifecycle, privacy
from .blueprint import bp, content_bp
from .cli import register_commands
from .hosts import check_content_host, separate_hosts
from .progress import q1_progress
from .qualification import REQUIREMENT
from .seed import seed_q1

MiB = 1024 * 1024

DEFAULTS = {
    #: Content host: each package version is served from <version key>.<this host> (a
    #: wildcard name); its host name must differ from BASE_URL's (start-up refuses it).
    #: None: http://localhost:PORT beside the LMS at http://127.0.0.1:PORT (config.derive_urls).
    "CONTENT_BASE_URL": None,
    #: Module keys of the Q1 self-study modules, in catalogue order.
    "Q1_MODULES": ["tools-methoden", "technik", "megatrends"],
    #: Estimated learning time of each Q1 module in minutes (as its module.md states), and
    #: the share of it below which a pass is flagged to trainers and the foundation as
    #: implausibly fast (a flag to look at, never a block: SCORM data come from the browser).
    "Q1_MODULE_MINUTES": {"tools-methoden": 360, "technik": 240, "megatrends": 240},
    "Q1_PLAUSIBLE_SHARE": 0.25,
    #: Folder with the Q1 Markdown sources seed-demo builds packages from ("" = content/q1).
    "Q1_CONTENT_DIR": "",
    "SCORM_MAX_UPLOAD_BYTES": 300 * MiB,
    "SCORM_MAX_FILES": 20_000,
    "SCORM_MAX_UNCOMPRESSED_BYTES": 2048 * MiB,
    #: Folders in a package (those its file names imply included) and their depth.
    "SCORM_MAX_DIRS": 5_000,
    "SCORM_MAX_DEPTH": 32,
    "SCORM12_SUSPEND_DATA_MAX": 4096,
    "SCORM2004_SUSPEND_DATA_MAX": 64000,
    #: Lifetime of a run-time token (one SCO launch) in seconds.
    "SCORM_TOKEN_MAX_AGE": 12 * 3600,
    "SCORM_AUTOCOMMIT_SECONDS": 30,
    "SCORM_COMMIT_MAX_BYTES": 2 * MiB,
    "SCORM_COMMIT_MAX_CALLS": 20_000,
    #: Stored run-time state of one attempt (JSON text); a commit that would pass it is
    #: refused (the collections' SPMs keep ordinary SCOs far below).
    "SCORM_STATE_MAX_BYTES": 2 * MiB,
    #: PostgreSQL: stored states up to this size (JSON text) go back to the page, whose next
    #: commit builds on them without a read of the row (commits.py); 0 = never.
    "SCORM_COMMIT_BASE_MAX_BYTES": 16 * 1024,
}

STATE_LABELS = {
    "done": _l("bestanden"),
    "completed": _l("abgeschlossen"),
    "failed": _l("nicht bestanden"),
    "open": _l("offen"),
}


def module_state(module):
    """One word for a Q1 module's state: done, completed, failed or open."""
    if module["completed"] and module["passed"] is not False:
        return "done"
    if module["passed"] is False:
        return "failed"
    return "completed" if module["completed"] else "open"


def _panel_context(user):
    """The participant's Q1 modules for the dashboard panel."""
    modules = q1_progress(user)
    return {
        "modules": [
            dict(m, state=module_state(m), label=STATE_LABELS[module_state(m)]) for m in modules
        ]
    }


def init_app(app):
    """Register blueprints, host separation, dashboard parts, CLI and the demo seeder."""
    privacy.register(app)

    check_content_host(app)
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(bp.name, []).append(refuse_firm_contacts)
    app.register_blueprint(content_bp)
    for endpoint in ("q1.upload", "q1.update"):
        register_body_limit(app, endpoint, "SCORM_MAX_UPLOAD_BYTES", FORM_OVERHEAD)
    register_body_limit(app, "q1_content.commit", "SCORM_COMMIT_MAX_BYTES")
    app.before_request(separate_hosts)
    register_nav(
        app, _l("Selbstlernmodule"), "q1.catalogue", order=20, hidden_for=firm_contact_only
    )
    register_requirement(app, REQUIREMENT)
    register_panel(
        app, "q1_progress", [Role.PARTICIPANT], "q1/panel_progress.html", _panel_context, order=20
    )
    register_seeder(app, seed_q1, order=40)
    register_commands(app)
    import_job.register(app)
    register_use(app, lifecycle.cohort_uses)


__all__ = ["DEFAULTS", "init_app"]
