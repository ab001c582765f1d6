"""Public verification: by number or by the credential itself; and the revocation list."""

from dataclasses import dataclass

import sqlalchemy as sa

from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from .models import Certificate
from .signing import InvalidCredential, issuer_did, verify_jwt

MAX_CREDENTIAL_BYTES = 64 * 1024


@dataclass
class Verification:
    """The outcome of a check: ``valid``, ``expired``, ``revoked``, ``unknown`` or ``invalid``."""

    state: str
    certificate: Certificate | None = None
    #: For ``invalid``: which check failed (format, encoding, header, issuer, key, signature, claims).
    reason: str = ""

    def public_facts(self):
        """What the public page may show: name, qualification, dates, number; nothing more."""
        cert = self.certificate
        if cert is None:
            return None
        return {
            "number": cert.number,
            "name": cert.holder_name,
            "qualification": "OM-Lotsin / OM-Lotse",
            "issued_at": cert.issued_at,
            "valid_until": cert.valid_until,
            "revoked_at": cert.revoked_at,
            "revocation_reason": cert.revocation_reason if cert.revoked_at else "",
            "renews": cert.renews.number if cert.renews else None,
            "renewed_by": cert.renewed_by.number if cert.renewed_by else None,
        }


def verify_number(number, now=None):
    """Check a certificate by its number."""
    from .operations import find

    cert = find(number)
    if cert is None:
        return Verification("unknown")
    return Verification(cert.status(now or utcnow()), cert)


def verify_credential(token, now=None):
    """Check an uploaded or pasted credential: signature and claims first, then its status."""
    if isinstance(token, bytes):
        if len(token) > MAX_CREDENTIAL_BYTES:
            return Verification("invalid", reason="format")
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            return Verification("invalid", reason="format")
    try:
        payload = verify_jwt(token)
    except InvalidCredential as exc:
        return Verification("invalid", reason=exc.reason)
    cert = db.session.scalar(
        sa.select(Certificate).where(Certificate.credential_id == payload["jti"])
    )
    if cert is None:
        return Verification("unknown", reason="record")
    return Verification(cert.status(now or utcnow()), cert)


def verify(number=None, credential=None, now=None):
    """Check by credential if one is given, else by number."""
    if credential:
        return verify_credential(credential, now)
    return verify_number(number, now)


def revocation_list():
    """The 1EdTech revocation list: every revoked credential with its reason."""
    rows = db.session.scalars(
        sa.select(Certificate)
        .where(Certificate.revoked_at.is_not(None))
        .order_by(Certificate.revoked_at, Certificate.id)
    ).all()
    return {
        "id": external_url("certification.revocation_list"),
        "issuer": issuer_did(),
        "revokedCredentials": [
            {
                "id": cert.credential_id,
                "revocationReason": cert.revocation_reason,
                "revocationDate": cert.revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            for cert in rows
        ],
    }
