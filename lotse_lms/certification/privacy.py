"""Certification's personal data: a person's certificates.

Issued certificates are kept on an erasure (Art. 17(3)(b) and (e) DSGVO): the foundation
attests to third parties that this person is qualified, and must be able to confirm or deny
a certificate presented to them, and to defend the decision to issue or revoke it. So the
number, status, dates, the holder's name as printed and signed, the evidence snapshot and
the PDF stay while the certificate is valid and ERASED_CERTIFICATE_KEEP_DAYS after it expired
or was revoked; then the retention job reduces it to number, dates and status.
"""

from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.privacy import ERASED_NAME
from ..core.privacy import Part, days_ago, register_privacy, register_retention, row
from ..extensions import db
from .models import Certificate


def export_certification(user):
    """Every certificate of the person with its PDF."""
    certs = db.session.scalars(
        db.select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.id)
    ).all()
    base = Path(current_app.config["DATA_DIR"])
    files = [
        (f"{cert.number}.pdf", base / cert.pdf_path)
        for cert in certs
        if cert.pdf_path and (base / cert.pdf_path).is_file()
    ]
    data = [{**row(cert, exclude={"user_id"}), "status": cert.status()} for cert in certs]
    return Part({"certificates": data}, files)


def keep_certificates(user):
    """Nothing is erased: issued certificates stay verifiable (see the module's docstring)."""
    return []


def reduce_erased(now):
    """Reduce the certificates of erased people to number, dates and status once they ended
    (expired or revoked) ERASED_CERTIFICATE_KEEP_DAYS ago; returns how many."""
    before = days_ago(now, "ERASED_CERTIFICATE_KEEP_DAYS")
    if before is None:
        return 0
    ended = sa.func.coalesce(Certificate.revoked_at, Certificate.valid_until)
    due = db.session.scalars(
        db.select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(User.erased_at.is_not(None), ended < before, Certificate.holder_name != ERASED_NAME)
    ).all()
    base = Path(current_app.config["DATA_DIR"])
    for cert in due:
        if cert.pdf_path:
            (base / cert.pdf_path).unlink(missing_ok=True)
        cert.pdf_path, cert.holder_name, cert.evidence, cert.credential_jwt = (
            "",
            ERASED_NAME,
            {},
            "",
        )
    return len(due)


def register(app):
    """Declare certification's personal data in the privacy registry."""
    register_privacy(
        app,
        "certification",
        _l("Zertifikate"),
        export=export_certification,
        erase=keep_certificates,
        kept=_l(
            "Ausgestellte Zertifikate bleiben mit Nummer, Status, Name wie gedruckt und "
            "Nachweisen prüfbar (Art. 17 Abs. 3 lit. b und e DSGVO): Dritte, denen das "
            "Zertifikat vorgelegt wird, müssen es bestätigen können."
        ),
        order=60,
    )
    register_retention(app, "certification.erased", reduce_erased)
