"""Certification: eligibility rules, certificates (PDF and Open Badge), revocation, verification."""

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.dashboard import Step, register_nav, register_panel, register_steps
from ..core.seed import register_seeder

DEFAULTS = {
    #: Rule keys required for the certificate, in checklist order (see rules.RULES).
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


def certificate_step(user):
    """The participant's dashboard step "Zertifikat"."""
    from . import rules
    from .operations import current_certificate

    cert = current_certificate(user)
    url = url_for("certification.mine")
    if cert is not None:
        return [
            Step(
                _("Zertifikat"),
                "done",
                _(
                    "Ausgestellt am %(date)s, Nr. %(number)s.",
                    date=format_date(cert.issued_at),
                    number=cert.number,
                ),
                url,
                _("Zertifikat ansehen"),
                90,
            )
        ]
    missing = rules.unmet(user)
    if not missing:
        return [
            Step(
                _("Zertifikat"),
                "pending",
                _("Alle Voraussetzungen sind erfüllt – die Stiftung stellt Ihr Zertifikat aus."),
                url,
                None,
                90,
            )
        ]
    return [
        Step(
            _("Zertifikat"),
            "open",
            _(
                "Es fehlen noch %(n)s von %(total)s Voraussetzungen.",
                n=len(missing),
                total=len(rules.active_rules()),
            ),
            url,
            _("Checkliste ansehen"),
            90,
        )
    ]


def _panel_context(user):
    """Dashboard data of the foundation: eligible Lotsen without certificate and issued count."""
    from ..extensions import db
    from .bulk import eligible_participants
    from .models import Certificate

    eligible = eligible_participants()
    issued = db.session.scalar(db.select(db.func.count(Certificate.id)))
    return {"eligible": eligible, "issued": issued}


def seed_keys(app, echo):
    """Make sure the signing key exists (``make run`` runs seed-demo)."""
    from .signing import init_keys, key_dir

    kid = init_keys(app)
    echo(f"Signaturschlüssel der Stiftung: {kid} (in {key_dir(app)})")


def init_app(app):
    """Register routes, commands, dashboard step and panel, menu entry, demo Lotsen and key seeding."""
    from . import rules
    from .blueprint import bp
    from .cli import register_commands
    from .seed import seed_certification

    rules.check_config(app)
    app.register_blueprint(bp)
    register_commands(app)
    register_steps(app, certificate_step)
    register_nav(app, _l("Zertifikate"), "certification.overview", ["foundation"], order=82)
    register_panel(
        app,
        "certification",
        ["foundation"],
        "certification/panel_foundation.html",
        _panel_context,
        order=20,
    )
    register_seeder(app, seed_certification, order=90)
    register_seeder(app, seed_keys, order=900)
