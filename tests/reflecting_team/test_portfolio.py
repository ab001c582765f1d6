"""The Lotse's feedback portfolio PDF: content checked through pypdf's text extraction."""

import io
from datetime import date

import pypdf

from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback
from lotse_lms.mentoring import operations as mentoring
from lotse_lms.reflecting_team import operations
from lotse_lms.reflecting_team.portfolio import build_portfolio

from .conftest import sign_in
from .test_xss import HOSTILE


def pdf_text(data):
    """All text of a PDF, pages joined, whitespace normalised."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def test_portfolio_holds_cases_reflections_self_reflection_and_amendments(cast, new_session):
    cast.owner.organisation = "Beratung Süd GmbH"
    session = new_session(reflections=2, closed=True, self_reflection=True)
    operations.add_amendment(session.self_reflection, cast.owner, "Nachgereicht: Termin steht.")
    db.session.commit()
    text, reader = pdf_text(build_portfolio(cast.owner))
    assert round(float(reader.pages[0].mediabox.width)) == 595
    assert round(float(reader.pages[0].mediabox.height)) == 842  # A4
    assert reader.metadata.title == "Feedback-Portfolio – Olga Fallgeberin"
    for expected in [
        "Feedback-Portfolio",
        "Olga Fallgeberin",
        "Beratung Süd GmbH",
        "Erstellt am",
        "Ihre Fälle im Reflecting Team",
        session.title,
        "Reflecting Team nach Tom Andersen",
        "Drei Betriebe testen eine App.",
        "Bäckerei, Metallbau",
        "Wie weiter?",
        "Reflexion von Max Mitglied",
        "Beobachtung von Max Mitglied",
        "Reflexion von Mia Mentorin",
        "Ihre Selbstreflexion",
        "Nutzen zeigen.",
        "Pilot mit einem Betrieb.",
        "Nachgereicht: Termin steht.",
        "Als fallgebende Person: 1 von 1",
        "Seite 1",
        f"{session.held_on:%d.%m.%Y} · {session.title} · fallgebend · zählt",
    ]:
        assert expected in text, expected


def test_portfolio_contains_only_shared_mentor_feedback(cast):
    mentoring.assign_mentor(cast.owner, cast.members[1], cast.foundation, "Erfahrene Lotsin.")
    for visibility, words in [("shared", "Klare Moderation"), ("private", "Nur für die Stiftung")]:
        feedback.create_entry(
            cast.owner,
            cast.members[1],
            occurred_on=date(2026, 11, 2),
            occasion="q2_session",
            observations=f"{words} **heute**.",
            next_steps="- Zeitplan\n- Puffer",
            visibility=visibility,
        )
    db.session.commit()
    text, _reader = pdf_text(build_portfolio(cast.owner))
    assert "Rückmeldungen aus dem Mentoring" in text and "02.11.2026" in text
    assert "Klare Moderation heute." in text and "Mia Mentorin" in text and "Zeitplan" in text
    assert "Nur für die Stiftung" not in text


def test_hostile_markdown_is_printed_as_text(cast, new_session):
    session = new_session()
    operations.submit_case(
        session, cast.owner, situation=HOSTILE, firms="a & b <c>", question="Wie & warum?"
    )
    db.session.commit()
    data = build_portfolio(cast.owner)
    text, reader = pdf_text(data)
    assert "<script>alert('x')</script>" in text and "a & b <c>" in text
    assert "(https://example.org/weg)" in text  # safe links are printed as addresses
    assert "javascript:alert(1))" in text  # unsafe links stay literal text, never a link
    assert b"/JavaScript" not in data and b"/JS" not in data and b"/URI" not in data
    assert not any("/Annots" in page for page in reader.pages)


def test_portfolio_without_anything_says_so(cast):
    text, _reader = pdf_text(build_portfolio(cast.outsider))
    assert "Sie haben noch keinen Fall eingebracht." in text
    assert "Es wurden noch keine Rückmeldungen mit Ihnen geteilt." in text


def test_download_is_a_pdf_attachment_not_cached(client, cast, new_session):
    new_session(reflections=1, closed=True, self_reflection=True)
    sign_in(client, cast.owner)
    response = client.get("/reflecting-team/portfolio.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Nutzen zeigen." in pdf_text(response.data)[0]


def test_foundation_download_is_logged(client, cast, new_session):
    new_session(reflections=1, closed=True, self_reflection=True)
    sign_in(client, cast.foundation)
    response = client.get(f"/reflecting-team/portfolio/{cast.owner.id}.pdf")
    assert "Olga Fallgeberin" in pdf_text(response.data)[0]
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "reflecting_team.portfolio_downloaded")
    )
    assert entry.actor_id == cast.foundation.id and entry.subject_id == cast.owner.id


def test_portfolio_prints_latin_extended_names_in_an_embedded_font(cast):
    name = "Erika Ayşe Bereit-Łęcka Győri Dvořák Doğan Jańczak Kožená Řezníček"
    cast.outsider.name = name
    db.session.commit()
    text, reader = pdf_text(build_portfolio(cast.outsider))
    assert name in text
    assert "■" not in text and "\ufffd" not in text
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "DejaVu" in str(font["/BaseFont"]), font["/BaseFont"]
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
