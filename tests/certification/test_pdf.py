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
        "die Qualifizierung als OM-Lots*in",
        "Q1 – Selbststudium",
        "Tools & Methoden",
        "Technik",
        "Megatrends",
        "Q2 – Live-Sitzungen",
        f"Zertifikatsnummer: {cert.number}",
        f"Ausgestellt am: {cert.issued_at.astimezone(BERLIN):%d.%m.%Y}",
        f"Gültig bis: {cert.valid_until.astimezone(BERLIN):%d.%m.%Y}",
        "Experimentierräume",
    ]:
        assert expected in text, expected
    assert reader.metadata.title == "Zertifikat OM-Lots*in – Jörg Müller-Weiß"
    assert reader.metadata.author == "Stiftung Mittelstand – Gesellschaft – Verantwortung"
    assert reader.metadata.subject == (
        f"Zertifikat Nr. {cert.number} über die Qualifizierung als OM-Lots*in"
    )


LATIN_EXTENDED = "Erika Ayşe Bereit-Łęcka Győri Dvořák Doğan Jańczak Kožená Řezníček"


def _fonts(reader):
    """(base font name, embedded?) of every font on the pages."""
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts.append((str(font["/BaseFont"]), embedded))
    return fonts


@pytest.mark.parametrize("salutation", ["frau", "herr", ""])
def test_latin_extended_names_print_without_substitution(app, lotse, staff, salutation):
    cert = operations.issue(lotse(name=LATIN_EXTENDED, salutation=salutation), staff)
    db.session.commit()
    reader = _reader(app, cert)
    text = reader.pages[0].extract_text()
    assert LATIN_EXTENDED in text
    for letter in "şŁęőčğńřž":
        assert letter in text
    assert "■" not in text and "\ufffd" not in text
    fonts = _fonts(reader)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert all("DejaVu" in name for name, _embedded in fonts), fonts
    assert reader.metadata.title.endswith(LATIN_EXTENDED)


@pytest.mark.parametrize(
    ("salutation", "title", "phrase"),
    [
        ("frau", "OM-Lotsin", "die Qualifizierung zur OM-Lotsin"),
        ("herr", "OM-Lotse", "die Qualifizierung zum OM-Lotsen"),
        ("", "OM-Lots*in", "die Qualifizierung als OM-Lots*in"),
    ],
)
def test_the_form_of_address_decides_the_wording(
    app, client, lotse, staff, salutation, title, phrase
):
    cert = operations.issue(lotse(salutation=salutation), staff)
    db.session.commit()
    reader = _reader(app, cert)
    text = reader.pages[0].extract_text()
    assert phrase in text
    assert "Lotsin / " not in text and "zum OM-Lotsen" not in text.replace(phrase, "")
    assert reader.metadata.title.startswith(f"Zertifikat {title} – ")
    page = client.get(f"/verify/{cert.number}").get_data(as_text=True)
    assert f"<dd>{title}</dd>" in page
    from lotse_lms.certification import credential

    assert credential.build(cert)["name"] == f"Zertifikat {title}"


def test_the_signed_credential_is_attached_as_associated_file(app, cert):
    reader = _reader(app, cert)
    name = f"OpenBadge-{cert.number}.jwt"
    assert reader.attachments == {name: [cert.credential_jwt.encode("ascii")]}
    (filespec,) = [f.get_object() for f in reader.trailer["/Root"]["/AF"]]
    assert filespec["/F"] == name and filespec["/UF"] == name
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/vc+jwt"


@pytest.mark.config(
    CERT_RULES=BASIC_RULES,
    CERT_SIGNATORY_NAME="Dr. Marta Nowak",
    CERT_SIGNATORY_FUNCTION="Vorständin",
)
def test_the_configured_signatory_is_printed(app, cert):
    text = _reader(app, cert).pages[0].extract_text()
    assert "Dr. Marta Nowak" in text and "Vorständin" in text


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
