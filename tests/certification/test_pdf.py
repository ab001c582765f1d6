"""The certificate PDF: German text read back with pypdf, the QR code decoded with zxing-cpp."""

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from lotse_lms.certification import operations
from lotse_lms.core.timeutil import BERLIN
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)


@pytest.fixture
def cert(lotse, staff):
    """An issued certificate for a name with umlauts."""
    cert = operations.issue(lotse(name="Jörg Müller-Weiß"), staff)
    db.session.commit()
    return cert


def _reader(app, cert):
    """Open the stored PDF."""
    return PdfReader(operations.pdf_file(cert))


def test_pdf_is_one_a4_page_with_the_german_text(app, cert):
    reader = _reader(app, cert)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = reader.pages[0].extract_text()
    for expected in [
        "Stiftung Mittelstand – Gesellschaft – Verantwortung",
        "ZERTIFIKAT",
        "Jörg Müller-Weiß",
        "Qualifizierung zur OM-Lotsin / zum OM-Lotsen",
        "Q1 – Selbststudium",
        "Tools & Methoden",
        "Technik",
        "Megatrends",
        "Q2 – Präsenzphase",
        f"Zertifikatsnummer: {cert.number}",
        f"Ausgestellt am: {cert.issued_at.astimezone(BERLIN):%d.%m.%Y}",
        f"Gültig bis: {cert.valid_until.astimezone(BERLIN):%d.%m.%Y}",
        "Experimentierräume",
    ]:
        assert expected in text, expected
    assert reader.metadata.title.endswith("Jörg Müller-Weiß")


def test_qr_code_leads_to_the_verification_page(app, cert):
    page = _reader(app, cert).pages[0]
    (image,) = page.images
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)).convert("L"))
    assert [d.text for d in decoded] == [f"http://localhost/verify/{cert.number}"]
    assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode


def test_the_url_under_the_qr_code_is_printed_too(app, cert):
    assert f"http://localhost/verify/{cert.number}" in _reader(app, cert).pages[0].extract_text()


def test_a_missing_pdf_file_is_rendered_again(app, cert):
    path = operations.pdf_file(cert)
    path.unlink()
    assert operations.pdf_file(cert).read_bytes().startswith(b"%PDF-")


def test_renewal_pdf_names_the_old_number(app, cert, staff):
    from datetime import timedelta

    new = operations.renew(cert, staff, now=cert.valid_until - timedelta(days=5))
    db.session.commit()
    assert (
        f"Verlängerung von Zertifikat Nr. {cert.number}"
        in _reader(app, new).pages[0].extract_text()
    )
