"""The foundation's review of records: the proof previewed on the page (a picture as uploaded,
a PDF's first page rendered on the server), a warning when another person has the same
authorisation number, the earlier rejection of a resubmitted record, and the dashboard's
"Prüfen" card with the count waiting."""

import io
from datetime import date

from PIL import Image
from reportlab.pdfgen import canvas

from lotse_lms.accounts import verification
from lotse_lms.extensions import db

from ..conftest import login

BROKEN_PDF = b"%PDF-1.4\n%%EOF\n"


def two_page_pdf():
    """A real PDF of two pages, as a scanner would upload it."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Autorisierung OM-4711")
    pdf.showPage()
    pdf.drawString(72, 720, "Seite zwei")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def png_bytes():
    """A small PNG photo of a certificate."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _submit(user, number, name, data):
    """Submit an authorisation record with this proof and commit."""
    record, _stale = verification.submit_authorisation(user, number, date(2026, 1, 10), name, data)
    db.session.commit()
    return record


def _review(client, record):
    """The review page's HTML."""
    return client.get(f"/foundation/verification/authorisation/{record.id}").get_data(as_text=True)


def test_a_pdf_proof_is_previewed_as_its_first_page(client, login_as, make_user):
    record = _submit(make_user("participant"), "OM-1", "nachweis.pdf", two_page_pdf())
    login_as("foundation")
    page = _review(client, record)
    preview = f"/foundation/verification/authorisation/{record.id}/preview"
    assert f'src="{preview}"' in page and "Seite 1 von 2 Seiten" in page
    image = client.get(preview)
    assert image.mimetype == "image/png"
    assert Image.open(io.BytesIO(image.data)).width >= 800  # readable, not a thumbnail


def test_a_picture_proof_is_shown_as_uploaded(client, login_as, make_user):
    data = png_bytes()
    record = _submit(make_user("participant"), "OM-2", "foto.png", data)
    login_as("foundation")
    assert "/preview" in _review(client, record)
    image = client.get(f"/foundation/verification/authorisation/{record.id}/preview")
    assert image.mimetype == "image/png" and image.data == data


def test_an_unreadable_pdf_says_so_and_stays_downloadable(client, login_as, make_user):
    record = _submit(make_user("participant"), "OM-3", "kaputt.pdf", BROKEN_PDF)
    login_as("foundation")
    page = _review(client, record)
    assert "keine Vorschau möglich" in page and "/preview" not in page
    assert (
        client.get(f"/foundation/verification/authorisation/{record.id}/proof").status_code == 200
    )


def test_only_the_foundation_sees_the_preview(app, make_user):
    record = _submit(make_user("participant"), "OM-4", "foto.png", png_bytes())
    for role in ("participant", "trainer", "mentor", "admin"):
        client = app.test_client()
        login(client, make_user(role).email)
        preview = client.get(f"/foundation/verification/authorisation/{record.id}/preview")
        assert preview.status_code == 403, role


def test_the_same_number_on_another_persons_record_is_flagged(client, login_as, make_user):
    first = _submit(make_user("participant", name="Erste Person"), "OM-4711", "a.png", png_bytes())
    second = _submit(
        make_user("participant", name="Zweite Person"), "om 4711", "b.png", png_bytes()
    )
    alone = _submit(make_user("participant", name="Ganz Allein"), "OM-9999", "c.png", png_bytes())
    login_as("foundation")
    warning = _review(client, second).split('id="same-number"', 1)[1].split("</div>", 1)[0]
    assert "Erste Person" in warning and "Zweite Person" not in warning
    assert "Zweite Person" in _review(client, first).split('id="same-number"', 1)[1]
    assert 'id="same-number"' not in _review(client, alone)


def test_a_resubmitted_record_shows_the_earlier_rejection(client, login_as, make_user, post_form):
    lotse = make_user("participant", name="Rita Neu")
    record = _submit(lotse, "OM-5", "a.png", png_bytes())
    login_as("foundation")
    assert 'id="earlier-rejection"' not in _review(client, record)
    post_form(
        f"/foundation/verification/authorisation/{record.id}",
        {"decision": "reject", "reason": "Das Foto ist unscharf."},
    )
    again = _submit(lotse, "OM-5", "b.png", png_bytes())
    note = _review(client, again).split('id="earlier-rejection"', 1)[1].split("</div>", 1)[0]
    assert "Das Foto ist unscharf." in note and "abgelehnt" in note
    post_form(f"/foundation/verification/authorisation/{record.id}", {"decision": "verify"})
    assert 'id="earlier-rejection"' not in _review(client, again)  # decided: history only


def test_the_dashboard_card_counts_what_waits_and_leads_to_the_review(client, login_as, make_user):
    records = [
        _submit(make_user("participant", name=f"Person {i}"), f"OM-{i}", "a.png", png_bytes())
        for i in range(3)
    ]
    login_as("foundation")
    card = client.get("/").get_data(as_text=True).split('id="panel-queue"', 1)[1]
    card = card.split("</section>", 1)[0]
    assert '<span class="badge" id="panel-queue-count">3</span>' in card
    assert "3 Nachweise warten auf Ihre Prüfung." in card
    assert f'href="/foundation/verification/authorisation/{records[0].id}"' in card
