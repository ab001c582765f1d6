"""Self-registration, the profile and the records certification needs."""

import io
import re
from datetime import date, timedelta

import pytest

from lotse_lms.accounts import verification
from lotse_lms.accounts.models import ConsultantAuthorisation, User, WorkshopAttendance
from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db

from ..conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _register(post_form, **overrides):
    """Send the registration form with good values, changed by ``overrides``."""
    data = {
        "name": "Lena Lotsin",
        "email": "lena@example.org",
        "organisation": "Beratung Nord",
        "region": "Saarland",
        "password": "sicheres-passwort",
        "confirm": "sicheres-passwort",
        "privacy": "y",
    }
    data.update(overrides)
    return post_form("/register", data)


def test_a_participant_registers_signs_in_and_lands_on_the_dashboard(client, post_form):
    response = _register(post_form)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    user = db.session.scalar(db.select(User).filter_by(email="lena@example.org"))
    assert user.roles == {"participant"} and user.region == "Saarland"
    assert "Wir haben Ihnen eine E-Mail" in client.get("/login").get_data(as_text=True)
    assert user.privacy_accepted_at is not None and user.privacy_version == "2026-12-01"
    refused = login(client, "lena@example.org", "sicheres-passwort")
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in refused.get_data(as_text=True)
    mail = db.session.scalars(db.select(OutboxMail).filter_by(recipient=user.email)).one()
    link = re.search(r"http://localhost(/register/confirm/\S+)", mail.body).group(1)
    assert "ist bestätigt" in client.get(link, follow_redirects=True).get_data(as_text=True)
    assert login(client, "lena@example.org", "sicheres-passwort").status_code == 302
    assert "Guten Tag, Lena Lotsin" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Bitte füllen Sie dieses Feld aus."),
        ({"name": "x" * 121}, "Höchstens 120 Zeichen."),
        ({"email": "keine-adresse"}, "Bitte geben Sie eine gültige E-Mail-Adresse an."),
        ({"password": "kurz", "confirm": "kurz"}, "mindestens 10 Zeichen"),
        ({"confirm": "etwas-anderes"}, "Die Passwörter stimmen nicht überein."),
        ({"region": "Atlantis"}, "Keine gültige Auswahl."),
        ({"privacy": ""}, "Bitte stimmen Sie der Datenschutzerklärung zu."),
        ({"password": "1111111111", "confirm": "1111111111"}, "zu leicht zu erraten"),
    ],
)
def test_bad_registration_input_gets_a_message_and_writes_nothing(post_form, overrides, message):
    response = _register(post_form, **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_second_account_for_the_same_address_is_not_created(post_form, make_user):
    make_user(email="lena@example.org")
    page = _register(post_form, email="LENA@example.org").get_data(as_text=True)
    assert "bereits ein Konto" not in page  # the owner learns it by mail, not the visitor
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


@pytest.mark.config(ALLOW_REGISTRATION=False)
def test_registration_can_be_switched_off(client):
    assert client.get("/register").status_code == 404
    assert "registrieren" not in client.get("/login").get_data(as_text=True)


def test_profile_changes_are_saved_and_audited(login_as, post_form):
    user = login_as("participant")
    response = post_form(
        "/profile",
        {
            "name": "Neu Name",
            "organisation": "Org",
            "region": "Rhein-Ruhr",
            "phone": "",
            "locale": "de",
        },
    )
    assert response.status_code == 302
    assert db.session.get(User, user.id).region == "Rhein-Ruhr"
    entry = db.session.scalars(
        db.select(AuditEntry).filter_by(action="accounts.profile_changed")
    ).one()
    assert entry.details["changed"]["region"][1] == "Rhein-Ruhr"


def test_the_form_of_address_is_chosen_in_the_profile(login_as, post_form, client):
    user = login_as("participant")
    form = {"name": "Erika Bereit", "region": "", "locale": "de"}
    assert user.salutation == ""
    assert post_form("/profile", {**form, "salutation": "frau"}).status_code == 302
    assert db.session.get(User, user.id).salutation == "frau"
    page = client.get("/profile").get_data(as_text=True)
    assert '<option selected value="frau">Frau</option>' in page
    refused = post_form("/profile", {**form, "salutation": "exzellenz"})
    assert refused.status_code == 200 and "Not a valid choice" not in refused.get_data(as_text=True)
    assert db.session.get(User, user.id).salutation == "frau"
    assert post_form("/profile", {**form, "salutation": ""}).status_code == 302
    assert db.session.get(User, user.id).salutation == ""


def _submit_authorisation(post_form, data=PDF, filename="nachweis.pdf", **overrides):
    """Send the authorisation form with a file."""
    form = {
        "number": "OM-2026-0042",
        "issued_on": "2026-01-15",
        "proof": (io.BytesIO(data), filename),
    }
    form.update(overrides)
    return post_form("/profile/authorisation", form, content_type="multipart/form-data")


def test_authorisation_with_proof_goes_into_the_queue(app, login_as, post_form):
    user = login_as("participant")
    assert _submit_authorisation(post_form).status_code == 302
    record = verification.authorisation_of(user)
    assert record.status == "submitted" and record.proof_mime == "application/pdf"
    from lotse_lms.accounts.uploads import proof_file

    assert proof_file(record.proof_path).read_bytes() == PDF
    assert verification.queue() == [record]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"MZ\x90\x00 executable", "virus.exe", "als PDF, PNG oder JPEG"),
        (b"not really a pdf", "nachweis.pdf", "passt nicht zu ihrer Endung"),
        (b"", "leer.pdf", "Bitte laden Sie einen Nachweis"),
    ],
)
def test_bad_proof_uploads_are_refused_and_nothing_is_kept(
    app, login_as, post_form, data, filename, message
):
    login_as("participant")
    response = _submit_authorisation(post_form, data=data, filename=filename)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ConsultantAuthorisation.id))) == 0
    proofs = app.config["DATA_DIR"] + "/proofs"
    import os

    assert not os.path.isdir(proofs) or os.listdir(proofs) == []


@pytest.mark.config(PROOF_MAX_BYTES=2048)
def test_an_oversized_proof_is_refused_with_the_limit(login_as, post_form):
    login_as("participant")
    response = _submit_authorisation(post_form, data=PDF + b"0" * 2500)
    assert "Die Datei ist zu groß (höchstens 2 KB)." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ConsultantAuthorisation.id))) == 0


def test_future_dates_and_missing_place_are_refused(login_as, post_form):
    login_as("participant")
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    page = post_form("/profile/workshop", {"attended_on": tomorrow, "place": "Bonn"}).get_data(
        as_text=True
    )
    assert "Das Datum darf nicht in der Zukunft liegen." in page
    page = post_form("/profile/workshop", {"attended_on": "2026-02-01", "place": ""}).get_data(
        as_text=True
    )
    assert "Bitte füllen Sie dieses Feld aus." in page
    page = post_form("/profile/workshop", {"attended_on": "31.02.2026", "place": "Bonn"}).get_data(
        as_text=True
    )
    assert "gültiges Datum" in page
    assert db.session.scalar(db.select(db.func.count(WorkshopAttendance.id))) == 0


def test_a_future_date_and_a_missing_place_are_shown_together(login_as, post_form):
    login_as("participant")
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = post_form("/profile/workshop", {"attended_on": tomorrow, "place": ""})
    page = response.get_data(as_text=True)
    assert "Das Datum darf nicht in der Zukunft liegen." in page
    assert "Bitte füllen Sie dieses Feld aus." in page
    assert f'value="{tomorrow}"' in page  # what was typed stays
    assert db.session.scalar(db.select(db.func.count(WorkshopAttendance.id))) == 0


def test_replacing_the_proof_removes_the_old_file(app, login_as, post_form):
    from lotse_lms.accounts.uploads import proof_file

    user = login_as("participant")
    _submit_authorisation(post_form)
    old = proof_file(verification.authorisation_of(user).proof_path)
    _submit_authorisation(post_form, data=PNG, filename="scan.png")
    record = verification.authorisation_of(user)
    assert record.proof_mime == "image/png" and not old.exists()
    assert proof_file(record.proof_path).read_bytes() == PNG
