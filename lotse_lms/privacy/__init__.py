"""Privacy: data export (Art. 15/20 DSGVO), erasure (Art. 17), retention, legal pages.

The areas declare their personal data in the registry of ``core.privacy``; this area offers
the pages and jobs that use it.
"""

from flask_babel import lazy_gettext as _l

from ..accounts.roles import Role
from ..core import jobs
from ..core.dashboard import ACCOUNT, ADMIN, register_nav
from ..core.privacy import register_retention
from .blueprint import bp
from .operations import build_export, expire_exports, run_retention

DEFAULTS = {
    #: Hours an export ZIP can be downloaded; the retention job deletes it afterwards.
    "EXPORT_VALID_HOURS": 48,
    #: Days after which (0: never) self-registered accounts whose address was not confirmed
    #: are deleted, sent mails are deleted from the outbox, and audit details are emptied.
    "UNCONFIRMED_ACCOUNT_DAYS": 7,
    "OUTBOX_DAYS": 90,
    "AUDIT_DETAIL_DAYS": 3 * 365,
    #: Days after the foundation verified an authorisation that its uploaded proof is kept
    #: (0: until the account is erased); the record itself stays.
    "PROOF_KEEP_DAYS": 0,
    #: Days after an erased person's certificate stopped being valid (expired or revoked)
    #: that it keeps the name, evidence, signed credential and PDF; then only number, dates
    #: and status stay (0: keep). Three years: the regular limitation period (§ 195 BGB).
    "ERASED_CERTIFICATE_KEEP_DAYS": 3 * 365,
    #: Version (e.g. the date) of the Datenschutzerklärung people accept when registering;
    #: change it when the text changes.
    "PRIVACY_NOTICE_VERSION": "2026-12-01",
}


def init_app(app):
    """Register routes, menu entries and the export and retention jobs."""
    app.register_blueprint(bp)
    register_nav(app, _l("Meine Daten"), "privacy.mine", order=98, group=ACCOUNT)
    register_nav(
        app,
        _l("Datenschutz"),
        "privacy.requests",
        [Role.ADMIN, Role.FOUNDATION],
        order=97,
        group=ADMIN,
    )
    jobs.register(app, "privacy.export", build_export)
    jobs.register_periodic(app, "privacy.retention", run_retention, hour="3", minute="17")
    register_retention(app, "privacy.exports", expire_exports)
