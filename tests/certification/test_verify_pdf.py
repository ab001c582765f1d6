"""/verify accepts the certificate PDF: the attached credential is checked like an uploaded one,
and the page says whether the printed number belongs to it."""

import io
import json
import re

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from lotse_lms.certification import operations
from lotse_lms.core.timeutil import BERLIN
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)


@pytest.fixture
def cert(lotse, staff):
    """An issued certificate."""
    cert = operations.issue(lotse(name="Erika Ayşe Bereit-Łęcka", salutation="frau"), staff)
    db.session.commit()
    return cert


def upload(client, data, name="Zertifikat.pdf"):
    """Drop a file onto the public check; return (state, page text)."""
    response = client.post(
        "/verify",
        data={"credential_file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    state = re.search(r'data-state="([a-z_]+)"', page).group(1)
    return state, page


def with_attachment(pdf_bytes, content):
    """The PDF with its attached credential's content replaced."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    (attached,) = writer.attachment_list
    attached.content = content
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_genuine_certificate_pdf_verifies(client, cert):
    state, page = upload(client, operations.pdf_file(cert).read_bytes())
    assert state == "valid"
    assert "Erika Ayşe Bereit-Łęcka" in page and "<dd>OM-Lotsin</dd>" in page
    assert 'id="verify-pdf-source"' in page
    assert f"Die aufgedruckte Zertifikatsnummer {cert.number} gehört zu diesem Nachweis." in page


def test_a_revoked_certificate_pdf_shows_date_and_reason(client, cert, staff):
    data = operations.pdf_file(cert).read_bytes()
    operations.revoke(cert, staff, "Irrtümlich ausgestellt")
    db.session.commit()
    state, page = upload(client, data)
    assert state == "revoked"
    day = cert.revoked_at.astimezone(BERLIN).strftime("%d.%m.%Y")
    assert f"am {day} von der Stiftung widerrufen" in page
    assert "Irrtümlich ausgestellt" in page


def test_a_pdf_with_a_tampered_credential_is_refused(client, cert):
    token = cert.credential_jwt
    head, body, sig = token.split(".")
    changed = f"{head}.{body[:30]}{'A' if body[30] != 'A' else 'B'}{body[31:]}.{sig}"
    state, page = upload(client, with_attachment(operations.pdf_file(cert).read_bytes(), changed))
    assert state == "invalid"
    assert "nicht echt oder wurde verändert" in page
    assert "Erika" not in page


def test_a_printed_number_that_is_not_the_credentials_is_named(client, cert, lotse, staff):
    other = operations.issue(lotse(name="Otto Anders"), staff)
    db.session.commit()
    forged = with_attachment(operations.pdf_file(other).read_bytes(), cert.credential_jwt)
    state, page = upload(client, forged)
    assert state == "valid"  # the credential itself is genuine ...
    assert 'id="verify-number-mismatch"' in page  # ... but not the one the page prints
    assert other.number in page and cert.number in page


def test_a_pdf_without_credential_points_to_number_and_qr_code(client, cert):
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawString(72, 720, f"Zertifikatsnummer: {cert.number}")
    pdf.showPage()
    pdf.save()
    state, page = upload(client, buf.getvalue(), "Scan.pdf")
    assert state == "no_credential"
    assert "enthält keinen digitalen Nachweis" in page
    assert "Zertifikatsnummer" in page and "QR-Code" in page
    assert f'href="/verify/{cert.number}"' in page
    assert "nicht echt" not in page


def test_a_broken_pdf_is_called_unreadable_not_forged(client):
    state, page = upload(client, b"%PDF-1.7\n garbage without structure")
    assert state == "invalid"
    assert "lässt sich nicht als PDF lesen" in page


def test_the_json_ld_credential_with_data_integrity_proof_verifies_on_the_page(client, cert):
    from lotse_lms.certification import credential

    document = credential.data_integrity(cert)
    text = json.dumps(document, ensure_ascii=False)
    state, page = upload(client, text.encode("utf-8"), "OpenBadge.json")
    assert state == "valid" and "Erika Ayşe Bereit-Łęcka" in page
    changed = text.replace("Bereit-Łęcka", "Bereit-Łecka")
    state, page = upload(client, changed.encode("utf-8"), "OpenBadge.json")
    assert state == "invalid" and "Erika" not in page
