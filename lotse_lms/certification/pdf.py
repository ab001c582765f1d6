"""The certificate as German A4 PDF, with a QR code leading to the public verification page."""

import io

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from .credential import ACHIEVEMENT_NAME

BRAND = (0x0B / 255, 0x53 / 255, 0x94 / 255)
WIDTH, HEIGHT = A4
MARGIN = 22 * mm


def qr_image(url, scale=6, border=4):
    """The verification link as a QR code bitmap (embedded as image, so tests can decode it)."""
    from PIL import Image

    matrix = [list(row) for row in segno.make(url, error="m").matrix]
    size = len(matrix) + 2 * border
    pixels = bytearray(b"\xff" * size * size)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[(y + border) * size + x + border] = 0
    image = Image.frombytes("L", (size, size), bytes(pixels))
    return image.resize((size * scale, size * scale), Image.NEAREST)


def _date(value):
    """dd.mm.yyyy in Berlin time."""
    from ..core.timeutil import BERLIN

    return value.astimezone(BERLIN).strftime("%d.%m.%Y") if value else ""


def _paragraph(pdf, text, x, y, width, font="Helvetica", size=11, leading=None):
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


def _content_lines(evidence):
    """What the qualification covered, from the evidence snapshot."""
    content = evidence.get("content") or {}
    lines = []
    modules = content.get("q1_modules") or ["Tools & Methoden", "Technik", "Megatrends"]
    lines.append(("Q1 – Selbststudium (SCORM-Module)", " · ".join(modules)))
    q2 = content.get("q2_topics") or []
    hours = content.get("q2_hours")
    text = " · ".join(q2) if q2 else "Präsenz- und Live-Sitzungen"
    if hours:
        text += f" ({str(round(hours, 1)).replace('.', ',').removesuffix(',0')} Stunden)"
    lines.append(("Q2 – Präsenzphase", text))
    for rule in evidence.get("rules", []):
        if rule["key"] in ("reflecting_team", "mentor"):
            lines.append((rule["label"], rule.get("source") or "erfüllt"))
    return lines


def render(cert, issuer_name, url):
    """Return the PDF bytes of ``cert``; ``url`` is its public verification page (in the QR code)."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(f"Zertifikat {ACHIEVEMENT_NAME} – {cert.holder_name}")
    pdf.setAuthor(issuer_name)
    pdf.setSubject(f"Zertifikatsnummer {cert.number}")
    pdf.setStrokeColorRGB(*BRAND)
    pdf.setLineWidth(2)
    pdf.rect(12 * mm, 12 * mm, WIDTH - 24 * mm, HEIGHT - 24 * mm)
    pdf.setFillColorRGB(*BRAND)
    _centered(pdf, issuer_name, HEIGHT - 32 * mm, "Helvetica-Bold", 13)
    _centered(pdf, "Offensive Mittelstand – Gut für Deutschland", HEIGHT - 39 * mm, "Helvetica", 10)
    _centered(pdf, "ZERTIFIKAT", HEIGHT - 62 * mm, "Helvetica-Bold", 30)
    pdf.setFillColorRGB(0, 0, 0)
    _centered(pdf, "Hiermit bestätigt die Stiftung, dass", HEIGHT - 78 * mm, "Helvetica", 12)
    _centered(pdf, cert.holder_name, HEIGHT - 92 * mm, "Helvetica-Bold", 22)
    _centered(
        pdf, "die Qualifizierung zur OM-Lotsin / zum OM-Lotsen", HEIGHT - 104 * mm, "Helvetica", 12
    )
    _centered(pdf, "erfolgreich abgeschlossen hat.", HEIGHT - 111 * mm, "Helvetica", 12)
    y = HEIGHT - 128 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(MARGIN, y, "Inhalte der Qualifizierung")
    y -= 7 * mm
    for title, text in _content_lines(cert.evidence or {}):
        y = _paragraph(pdf, title, MARGIN, y, WIDTH - 2 * MARGIN, "Helvetica-Bold", 10)
        y = (
            _paragraph(pdf, text, MARGIN + 4 * mm, y, WIDTH - 2 * MARGIN - 4 * mm, "Helvetica", 10)
            - 2 * mm
        )
    y = _paragraph(
        pdf,
        (
            "OM-Lotsinnen und OM-Lotsen eröffnen und moderieren unternehmensübergreifende "
            "Experimentierräume, in denen kleine und mittlere Unternehmen gemeinsam die digitale "
            "Transformation gestalten."
        ),
        MARGIN,
        y - 3 * mm,
        WIDTH - 2 * MARGIN,
        "Helvetica-Oblique",
        10,
    )
    qr_size = 38 * mm
    pdf.drawImage(ImageReader(qr_image(url)), WIDTH - MARGIN - qr_size, 24 * mm, qr_size, qr_size)
    facts = [
        f"Zertifikatsnummer: {cert.number}",
        f"Ausgestellt am: {_date(cert.issued_at)}",
        f"Gültig bis: {_date(cert.valid_until)}" if cert.valid_until else "Gültigkeit: unbefristet",
    ]
    if cert.renews is not None:
        facts.append(f"Verlängerung von Zertifikat Nr. {cert.renews.number}")
    fy = 24 * mm + qr_size - 4 * mm
    for line in facts:
        _paragraph(pdf, line, MARGIN, fy, WIDTH - 2 * MARGIN - qr_size, "Helvetica", 10)
        fy -= 5.5 * mm
    pdf.setFont("Helvetica", 8)
    pdf.drawString(MARGIN, 28 * mm, "Echtheit prüfen (QR-Code oder Adresse):")
    pdf.drawString(MARGIN, 24 * mm, url)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
