"""The certificate as German A4 PDF: a QR code leading to the public verification page, the
signed credential attached (PDF/A-3 style associated file), DejaVu Sans embedded."""

import io

import zxingcpp
from babel.numbers import format_decimal
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from PIL import Image, ImageOps
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..core import pdffonts
from ..core.timeutil import BERLIN
from . import wording

BRAND = (0x0B / 255, 0x53 / 255, 0x94 / 255)
WIDTH, HEIGHT = A4
MARGIN = 22 * mm
#: MIME type of the attached credential (VC-JOSE-COSE: a VC secured as JWT).
CREDENTIAL_MIME = "application/vc+jwt"


def credential_filename(number):
    """Name of the credential attached to the PDF."""
    return f"OpenBadge-{number}.jwt"


def qr_image(url, scale=6, border=4):
    """The verification link as a QR code bitmap (embedded as image, so tests can decode it).

    Encoded by zxing-cpp (C++, error correction M, the mask with the lowest penalty), with a
    quiet zone of ``border`` modules."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    bitmap = memoryview(zxingcpp.write_barcode_to_image(code, scale=scale, add_quiet_zones=False))
    height, width = bitmap.shape
    image = Image.frombytes("L", (width, height), bitmap.tobytes())
    return ImageOps.expand(image, border=border * scale, fill=255)


def _date(value):
    """TT.MM.JJJJ in Berlin time."""
    return value.astimezone(BERLIN).strftime("%d.%m.%Y") if value else ""


def hours(value):
    """Hours with the decimal comma and at most one decimal ("12", "7,5")."""
    return format_decimal(round(float(value or 0), 1), format="#,##0.#", locale="de_DE")


def _paragraph(pdf, text, x, y, width, font=pdffonts.SANS, size=11, leading=None):
    """Draw wrapped text from the top at ``y``; return the y below it."""
    leading = leading or size * 1.4
    pdf.setFont(font, size)
    for line in simpleSplit(text, font, size, width):
        pdf.drawString(x, y, line)
        y -= leading
    return y


def _centered(pdf, text, y, font, size):
    """Draw one centred line."""
    pdf.setFont(font, size)
    pdf.drawCentredString(WIDTH / 2, y, text)


def _q2_text(content):
    """Topics, hours, sessions and formats of the attended Q2 sessions."""
    parts = []
    topics = content.get("q2_topics") or []
    if topics:
        parts.append(" · ".join(topics))
    q2_hours = content.get("q2_hours") or 0
    sessions = content.get("q2_sessions")
    if sessions:
        parts.append(
            ngettext(
                "%(hours)s Stunden in %(num)d Sitzung",
                "%(hours)s Stunden in %(num)d Sitzungen",
                sessions,
                hours=hours(q2_hours),
            )
        )
    elif q2_hours:
        parts.append(_("%(hours)s Stunden", hours=hours(q2_hours)))
    formats = content.get("q2_formats") or []
    if formats:
        parts.append(_("Format: %(formats)s", formats=", ".join(formats)))
    return "; ".join(parts) or _("Live-Sitzungen")


def content_lines(cert):
    """What the qualification covered, from the evidence snapshot: (title, text) pairs."""
    evidence = cert.evidence or {}
    content = evidence.get("content") or {}
    lines = []
    modules = content.get("q1_modules") or ["Tools & Methoden", "Technik", "Megatrends"]
    lines.append((_("Q1 – Selbststudium (SCORM-Module)"), " · ".join(modules)))
    lines.append((_("Q2 – Live-Sitzungen"), _q2_text(content)))
    labels = {
        "reflecting_team": _("Reflecting Team: eigener Fall und Mitarbeit im Team"),
        "mentor": _("Begleitung und Empfehlung durch Mentoring"),
    }
    for rule in evidence.get("rules", []):
        if rule["key"] in labels:
            since = rule.get("since")
            text = (
                _("erfüllt am %(date)s", date=since[8:10] + "." + since[5:7] + "." + since[:4])
                if since
                else _("erfüllt")
            )
            lines.append((labels[rule["key"]], text))
    total = content.get("total_hours")
    if total:
        lines.append(
            (
                _("Gesamtumfang"),
                _(
                    "%(total)s Stunden (Selbststudium Q1 geschätzt %(q1)s Stunden, "
                    "Q2 besucht %(q2)s Stunden)",
                    total=hours(total),
                    q1=hours(content.get("q1_estimated_hours")),
                    q2=hours(content.get("q2_hours")),
                ),
            )
        )
    return lines


def _attach(pdf, cert):
    """Attach the signed credential as associated file (``/AF``, relationship Data) in the same
    pass that writes the page: embedded file stream, file specification, the catalogue's
    ``/Names /EmbeddedFiles`` tree and ``/AF`` array (PDF/A-3 style)."""
    doc = pdf._doc
    name = credential_filename(cert.number)
    data = cert.credential_jwt.encode("ascii")
    stream = PDFStream(
        PDFDictionary(
            {
                "Type": PDFName("EmbeddedFile"),
                # "/" inside a name is written #2F (PDFName would leave it and end the name).
                "Subtype": "/" + CREDENTIAL_MIME.replace("/", "#2F"),
                "Params": PDFDictionary({"Size": len(data)}),
            }
        ),
        data,
        filters=[PDFZCompress],
    )
    spec = doc.Reference(
        PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(name),
                "UF": PDFString(name),
                "EF": PDFDictionary({"F": doc.Reference(stream)}),
                "Desc": PDFString(_("Signierter digitaler Nachweis (Open Badge 3.0, VC-JWT)")),
                "AFRelationship": PDFName("Data"),
            }
        )
    )
    catalog = doc.Catalog
    catalog.Names = PDFDictionary(
        {"EmbeddedFiles": PDFDictionary({"Names": PDFArray([PDFString(name), spec])})}
    )
    # reportlab writes only the catalogue entries it knows; /AF is added to this one's list.
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "AF"]
    catalog.AF = PDFArray([spec])


def _draw(cert, issuer_name, url, signatory):
    """The certificate page as PDF bytes (German), the credential attached if it is signed."""
    sans, bold, italic = pdffonts.register(), pdffonts.BOLD, pdffonts.ITALIC
    salutation = wording.of_certificate(cert)
    title = wording.title(salutation)
    buf = io.BytesIO()
    pdf = pdffonts.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(_("Zertifikat %(title)s – %(name)s", title=title, name=cert.holder_name))
    pdf.setAuthor(issuer_name)
    pdf.setSubject(
        _(
            "Zertifikat Nr. %(number)s über %(qualification)s",
            number=cert.number,
            qualification=wording.qualification(salutation),
        )
    )
    pdf.setCreator("lotse_lms")
    pdf.setStrokeColorRGB(*BRAND)
    pdf.setLineWidth(2)
    pdf.rect(12 * mm, 12 * mm, WIDTH - 24 * mm, HEIGHT - 24 * mm)
    pdf.setFillColorRGB(*BRAND)
    _centered(pdf, issuer_name, HEIGHT - 32 * mm, bold, 13)
    _centered(pdf, "Offensive Mittelstand – Gut für Deutschland", HEIGHT - 39 * mm, sans, 10)
    _centered(pdf, _("ZERTIFIKAT"), HEIGHT - 62 * mm, bold, 30)
    pdf.setFillColorRGB(0, 0, 0)
    _centered(pdf, _("Hiermit bestätigt die Stiftung, dass"), HEIGHT - 78 * mm, sans, 12)
    name_size = 22
    while name_size > 12 and stringWidth(cert.holder_name, bold, name_size) > WIDTH - 2 * MARGIN:
        name_size -= 1
    _centered(pdf, cert.holder_name, HEIGHT - 92 * mm, bold, name_size)
    _centered(pdf, wording.qualification(salutation), HEIGHT - 104 * mm, sans, 12)
    _centered(pdf, _("erfolgreich abgeschlossen hat."), HEIGHT - 111 * mm, sans, 12)
    y = HEIGHT - 126 * mm
    pdf.setFont(bold, 12)
    pdf.drawString(MARGIN, y, _("Inhalte der Qualifizierung"))
    y -= 7 * mm
    for heading, text in content_lines(cert):
        y = _paragraph(pdf, heading, MARGIN, y, WIDTH - 2 * MARGIN, bold, 10)
        y = _paragraph(pdf, text, MARGIN + 4 * mm, y, WIDTH - 2 * MARGIN - 4 * mm, sans, 10)
        y -= 1.5 * mm
    y = _paragraph(
        pdf,
        _(
            "OM-Lotsinnen und OM-Lotsen eröffnen und moderieren unternehmensübergreifende "
            "Experimentierräume, in denen kleine und mittlere Unternehmen gemeinsam die digitale "
            "Transformation gestalten."
        ),
        MARGIN,
        y - 2 * mm,
        WIDTH - 2 * MARGIN,
        italic,
        10,
    )
    name, function = signatory
    if name:
        sy = max(y - 14 * mm, 76 * mm)
        pdf.setLineWidth(0.6)
        pdf.setStrokeColorRGB(0, 0, 0)
        pdf.line(MARGIN, sy, MARGIN + 70 * mm, sy)
        _paragraph(pdf, name, MARGIN, sy - 5 * mm, 90 * mm, sans, 10)
        if function:
            _paragraph(pdf, function, MARGIN, sy - 10 * mm, 90 * mm, sans, 9)
    qr_size = 38 * mm
    pdf.drawImage(ImageReader(qr_image(url)), WIDTH - MARGIN - qr_size, 24 * mm, qr_size, qr_size)
    facts = [
        _("Zertifikatsnummer: %(number)s", number=cert.number),
        _("Ausgestellt am: %(date)s", date=_date(cert.issued_at)),
        _("Gültig bis: %(date)s", date=_date(cert.valid_until))
        if cert.valid_until
        else _("Gültigkeit: unbefristet"),
    ]
    if cert.renews is not None:
        facts.append(_("Verlängerung von Zertifikat Nr. %(number)s", number=cert.renews.number))
    fy = 24 * mm + qr_size - 4 * mm
    for line in facts:
        _paragraph(pdf, line, MARGIN, fy, WIDTH - 2 * MARGIN - qr_size, sans, 10)
        fy -= 5.5 * mm
    pdf.setFont(sans, 8)
    pdf.drawString(MARGIN, 28 * mm, _("Echtheit prüfen (QR-Code, Adresse oder diese PDF-Datei):"))
    pdf.drawString(MARGIN, 24 * mm, url)
    pdf.showPage()
    if cert.credential_jwt:
        _attach(pdf, cert)
    pdf.save()
    return buf.getvalue()


def render(cert, issuer_name, url, signatory=("", "")):
    """Return the PDF bytes of ``cert`` (always German); ``signatory`` is (name, function).

    One reportlab pass writes the page, the document metadata and the attached credential."""
    with force_locale("de"):
        return _draw(cert, issuer_name, url, signatory)
