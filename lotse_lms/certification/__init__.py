"""Certification: eligibility rules, certificates (PDF and Open Badge), revocation, verification."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.roles import Role
from ..core import jobs
from ..core.dashboard import register_nav, register_panel
from ..core.seed import register_seeder
from ..core.timeutil import utcnow
from ..extensions import db
from ..qualification.overview import eligible_summary
from ..qualification.state import check_config, register_requirement
from . import bulk, operations, privacy
from .blueprint import bp
from .bulk_controllers import job_details
from .cli import register_commands
from .models import Certificate
from .qualification import REQUIREMENT, valid_now
from .seed import seed_certification
from .signing import init_keys, key_dir

DEFAULTS = {
    #: Rule keys required for the certificate, in checklist order (steps registered with lotse_lms.qualification).
    "CERT_RULES": ["authorisation", "workshop", "q1", "q2", "reflecting_team", "mentor"],
    #: Q2: attended hours required (0: none) and topic keys that must each be attended.
    "CERT_Q2_MIN_HOURS": 12.0,
    "CERT_Q2_TOPICS": [],
    #: Validity in years (0: no expiry); renewal opens this many days before expiry.
    "CERT_VALIDITY_YEARS": 3,
    "CERT_RENEWAL_WINDOW_DAYS": 180,
    "CERT_ISSUER_NAME": "Stiftung Mittelstand – Gesellschaft – Verantwortung",
    "CERT_ISSUER_URL": "",  # empty: BASE_URL
    #: Who signs the certificate: name and function printed under the signature line
    #: (empty name: no signature line).
    "CERT_SIGNATORY_NAME": "",
    "CERT_SIGNATORY_FUNCTION": "",
    #: Folder of the Ed25519 signing keys (None: <instance>/keys); kept out of the database.
    "CERT_KEY_DIR": None,
    #: People processed per step of a bulk job (one poll of the progress page).
    "CERT_BULK_CHUNK": 10,
}


def _panel_context(user):
    """Dashboard data of the foundation: how many wait for a certificate (first five) and how many hold one."""
    count, rows = eligible_summary(limit=5)
    issued = db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(valid_now(utcnow())))
    return {"eligible_count": count, "eligible": rows, "issued": issued}


def seed_keys(app, echo):
    """Make sure the signing key exists (``make run`` runs seed-demo)."""
    kid = init_keys(app)
    echo(f"Signaturschlüssel der Stiftung: {kid} (in {key_dir(app)})")


def init_app(app):
    """Register routes, commands, dashboard step and panel, menu entry, demo Lotsen and key seeding."""
    privacy.register(app)
    register_requirement(app, REQUIREMENT)
    jobs.register(app, operations.PDF_JOB, operations.render_pdfs, retries=3, retry_delay=30)
    jobs.register(
        app,
        bulk.JOB_NAME,
        bulk.run_bulk_job,
        viewers=(Role.FOUNDATION,),
        resumable=True,
        details=job_details,
    )
    check_config(app)
    app.register_blueprint(bp)
    register_commands(app)
    register_nav(app, _l("Zertifikate"), "certification.overview", [Role.FOUNDATION], order=82)
    register_panel(
        app,
        "certification",
        [Role.FOUNDATION],
        "certification/panel_foundation.html",
        _panel_context,
        order=20,
    )
    register_seeder(app, seed_certification, order=90)
    register_seeder(app, seed_keys, order=900)
