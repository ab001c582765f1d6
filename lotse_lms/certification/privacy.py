"""Certification's personal data: a person's certificates.

Issued certificates are kept on an erasure (Art. 17(3)(b) and (e) DSGVO): the foundation
attests to third parties that this person is qualified, and must be able to confirm or deny
a certificate presented to them, and to defend the decision to issue or revoke it. So the
number, status, dates, the holder's name as printed and signed, the evidence snapshot and
the PDF stay while the certificate can be verified (documented in the README; the period is
the certificate's validity).
"""

from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, register_privacy, row
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
