"""Q1 in the LMS: catalogue, SCORM import, player, run-time endpoint, progress and reports.

Package content and the run-time API host page are served from a separate content origin
(CONTENT_BASE_URL), so the LMS session cookie never reaches package scripts; see
links.py (origins and headers), tokens.py and runtime_controllers.py.
"""

from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core.dashboard import Step, register_nav, register_panel, register_steps
from ...core.seed import register_seeder

MiB = 1024 * 1024

DEFAULTS = {
    #: Origin of package content and the run-time frame; must differ from BASE_URL's host.
    #: None: http://localhost:PORT beside the LMS at http://127.0.0.1:PORT (config.derive_urls).
    "CONTENT_BASE_URL": None,
    #: Module keys of the Q1 self-study modules, in catalogue order.
    "Q1_MODULES": ["tools-methoden", "technik", "megatrends"],
    #: Folder with the Q1 Markdown sources seed-demo builds packages from ("" = content/q1).
    "Q1_CONTENT_DIR": "",
    "SCORM_MAX_UPLOAD_BYTES": 300 * MiB,
    "SCORM_MAX_FILES": 20_000,
    "SCORM_MAX_UNCOMPRESSED_BYTES": 2048 * MiB,
    "SCORM12_SUSPEND_DATA_MAX": 4096,
    "SCORM2004_SUSPEND_DATA_MAX": 64000,
    #: Lifetime of a run-time token (one SCO launch) in seconds.
    "SCORM_TOKEN_MAX_AGE": 12 * 3600,
    "SCORM_AUTOCOMMIT_SECONDS": 30,
    "SCORM_COMMIT_MAX_BYTES": 2 * MiB,
    "SCORM_COMMIT_MAX_CALLS": 20_000,
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


def q1_steps(user):
    """The dashboard step "Q1 – Selbstlernmodule" with the state of each module."""
    from flask import url_for

    from .operations import q1_progress

    modules = q1_progress(user)
    parts = [f"{m['title']}: {STATE_LABELS[module_state(m)]}" for m in modules]
    done = all(module_state(m) == "done" for m in modules)
    started = any(m["completed"] or m["score"] is not None for m in modules)
    state = "done" if done else ("pending" if started else "open")
    return [
        Step(
            _("Q1 – Selbstlernmodule"),
            state,
            " · ".join(parts),
            url_for("q1.catalogue"),
            None if done else _("Zu den Modulen"),
            30,
            {"modules": modules},
        )
    ]


def _panel_context(user):
    """The participant's Q1 modules for the dashboard panel."""
    from .operations import q1_progress

    modules = q1_progress(user)
    return {
        "modules": [
            dict(m, state=module_state(m), label=STATE_LABELS[module_state(m)]) for m in modules
        ]
    }


def init_app(app):
    """Register blueprints, host separation, dashboard parts, CLI and the demo seeder."""
    from . import import_job
    from .blueprint import bp, content_bp, content_host, separate_hosts
    from .cli import register_commands
    from .seed import seed_q1

    app.register_blueprint(bp)
    app.register_blueprint(content_bp)
    app.before_request(separate_hosts)
    if content_host(app) is None:
        app.logger.warning(
            "CONTENT_BASE_URL shares the LMS host: SCORM packages run on the LMS origin. "
            "Set it to another host name (e.g. http://localhost:5000 beside http://127.0.0.1:5000)."
        )
    register_nav(app, _l("Selbstlernmodule"), "q1.catalogue", order=20)
    register_steps(app, q1_steps)
    register_panel(
        app, "q1_progress", ["participant"], "q1/panel_progress.html", _panel_context, order=20
    )
    register_seeder(app, seed_q1, order=40)
    register_commands(app)
    import_job.register(app)
    try:
        from ...mentoring.progress import register_progress_provider
    except ImportError:  # mentoring is optional
        return
    register_progress_provider(app, mentor_lines, order=30)


def mentor_lines(user):
    """What mentors see of a mentee's Q1 modules: (label, value, state) per module."""
    from .operations import q1_progress

    badge = {"done": "done", "failed": "rejected", "completed": "pending", "open": "open"}
    lines = []
    for module in q1_progress(user):
        state = module_state(module)
        value = str(STATE_LABELS[state])
        if module["score"] is not None:
            value += f" ({module['score']:.0f} %)"
        lines.append((_("Q1: %(title)s", title=module["title"]), value, badge[state]))
    return lines


def content_dir(app):
    """The Q1 content folder (config Q1_CONTENT_DIR, else content/q1 of the repository)."""
    configured = app.config["Q1_CONTENT_DIR"]
    return (
        Path(configured) if configured else Path(__file__).resolve().parents[3] / "content" / "q1"
    )


__all__ = ["DEFAULTS", "content_dir", "init_app"]
