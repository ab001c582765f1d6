"""Public verification: by number or by the credential itself; and the revocation list."""

import io
import json
import re
from dataclasses import dataclass

import sqlalchemy as sa
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import dataintegrity, wording
from .models import Certificate
from .numbers import find
from .signing import InvalidCredential, issuer_did, verify_jwt

MAX_CREDENTIAL_BYTES = 64 * 1024
#: A certificate PDF with its attached credential is far smaller; anything above is refused.
MAX_PDF_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
_PRINTED_NUMBER = re.compile(r"OML-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@dataclass
class Verification:
    """The outcome of a check: ``valid``, ``expired``, ``revoked``, ``unknown``, ``invalid``,
    or ``no_credential`` (a PDF without an attached credential)."""

    state: str
    certificate: Certificate | None = None
    #: For ``invalid``: which check failed (format, encoding, header, issuer, key, signature,
    #: claims, pdf).
    reason: str = ""
    #: ``pdf`` when the credential came out of an uploaded certificate PDF.
    source: str = ""
    #: The certificate number printed in that PDF ("" if none could be read).
    printed_number: str = ""

    @property
    def number_matches(self):
        """For a PDF: does the printed number belong to the embedded credential? None: unknown."""
        if self.source != "pdf" or self.certificate is None or not self.printed_number:
            return None
        return self.printed_number == self.certificate.number

    def public_facts(self):
        """What the public page may show: name, qualification, dates, number; nothing more."""
        cert = self.certificate
        if cert is None:
            return None
        return {
            "number": cert.number,
            "name": cert.holder_name,
            "qualification": wording.title(wording.of_certificate(cert)),
            "issued_at": cert.issued_at,
            "valid_until": cert.valid_until,
            "revoked_at": cert.revoked_at,
            "revocation_reason": cert.revocation_reason if cert.revoked_at else "",
            "renews": cert.renews.number if cert.renews else None,
            "renewed_by": cert.renewed_by.number if cert.renewed_by else None,
        }


def verify_number(number, now=None):
    """Check a certificate by its number."""
    cert = find(number)
    if cert is None:
        return Verification("unknown")
    return Verification(cert.status(now or utcnow()), cert)


def _credential_id(token):
    """The id of a credential whose proof holds: a VC-JWT, or JSON-LD with a Data Integrity
    proof (eddsa-rdfc-2022). Raises InvalidCredential."""
    if token.lstrip().startswith("{"):
        try:
            document = json.loads(token)
        except ValueError:
            raise InvalidCredential("format") from None
        credential = dataintegrity.verify_proof(document)
        if "OpenBadgeCredential" not in (credential.get("type") or []):
            raise InvalidCredential("claims")
        return str(credential.get("id", ""))
    return verify_jwt(token)["jti"]


def verify_credential(token, now=None):
    """Check an uploaded or pasted credential: signature and claims first, then its status."""
    if isinstance(token, bytes):
        if len(token) > MAX_CREDENTIAL_BYTES:
            return Verification("invalid", reason="format")
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError:
            return Verification("invalid", reason="format")
    try:
        credential_id = _credential_id(token)
    except InvalidCredential as exc:
        return Verification("invalid", reason=exc.reason)
    cert = db.session.scalar(
        sa.select(Certificate).where(Certificate.credential_id == credential_id)
    )
    if cert is None:
        return Verification("unknown", reason="record")
    return Verification(cert.status(now or utcnow()), cert)


def is_pdf(data):
    """True if the uploaded bytes are a PDF file."""
    return isinstance(data, bytes) and data.lstrip()[:5] == PDF_MAGIC


def embedded_credential(data):
    """(credential or None, printed number or "") of a certificate PDF; ValueError if unreadable.

    The credential is the attached ``.jwt`` file (the certificate PDF attaches exactly one);
    the printed number is read from the first page's text.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        attachments = reader.attachments
        text = reader.pages[0].extract_text() if reader.pages else ""
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, OSError) as exc:
        raise ValueError("unreadable PDF") from exc
    found = _PRINTED_NUMBER.search(text or "")
    printed = found.group(0) if found else ""
    tokens = [
        content
        for name, contents in attachments.items()
        if name.lower().endswith(".jwt")
        for content in contents
    ]
    return (tokens[0] if tokens else None), printed


def verify_pdf(data, now=None):
    """Check the credential attached to a certificate PDF exactly like an uploaded one."""
    if len(data) > MAX_PDF_BYTES:
        return Verification("invalid", reason="format", source="pdf")
    try:
        token, printed = embedded_credential(data)
    except ValueError:
        return Verification("invalid", reason="pdf", source="pdf")
    if token is None:
        return Verification("no_credential", source="pdf", printed_number=printed)
    result = verify_credential(token, now)
    result.source = "pdf"
    result.printed_number = printed
    return result


def verify(number=None, credential=None, now=None):
    """Check by credential (a JWS, or a certificate PDF) if one is given, else by number."""
    if credential and is_pdf(credential):
        return verify_pdf(credential, now)
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
