"""A person downloads everything the LMS holds about them; an erasure leaves nothing personal
outside the documented exceptions, and the certificate still verifies."""

import io
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_lms.core import jobs
from lotse_lms.core.models import OutboxMail
from lotse_lms.core.privacy import PROVIDERS_KEY, Provider
from lotse_lms.extensions import db
from lotse_lms.privacy import operations
from lotse_lms.privacy.models import DataExport

from ..conftest import csrf_token, login
from .conftest import EMAIL, NAME

pytestmark = pytest.mark.config(CERT_Q2_MIN_HOURS=3.0)


def _export(app, person, actor):
    """Start an export as ``actor``, run the worker, return the export row and its job."""
    job = operations.start_export(person, actor)
    assert jobs.run_pending(app) == 1
    db.session.expire_all()
    export = db.session.scalar(db.select(DataExport).where(DataExport.job_id == job.id))
    return export, jobs.job_by_id(job.id)


def test_the_export_holds_every_area_as_json_plus_the_persons_files(app, client, lena):
    login(client, EMAIL)
    response = client.post("/meine-daten/export", data={"csrf_token": _token(client)})
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Daten werden zusammengestellt" in job_page
    assert jobs.run_pending(app) == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Erledigt" in page and "/meine-daten/export/" in page
    export = db.session.scalar(db.select(DataExport).where(DataExport.user_id == lena.id))
    download = client.get(f"/meine-daten/export/{export.id}")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    names = set(archive.namelist())
    areas = {n: json.loads(archive.read(n)) for n in names if n.endswith(".json")}
    assert set(areas) == {
        f"{a}.json"
        for a in (
            "accounts",
            "cohorts",
            "community",
            "q1",
            "q2",
            "mentoring",
            "reflecting_team",
            "certification",
            "core",
            "rooms",
            "room_meetings",
            "rooms_work",
        )
    }
    assert [(c["cohort"], c["role"]) for c in areas["cohorts.json"]] == [
        ("Durchgang Herbst 2026", "participant")
    ]
    accounts = areas["accounts.json"]
    assert accounts["profile"]["email"] == EMAIL and accounts["profile"]["phone"] == "0170 1234567"
    assert "password_hash" not in accounts["profile"] and accounts["roles"] == ["participant"]
    assert accounts["authorisation"]["number"] == "OM-4711"
    q1 = areas["q1.json"]["registrations"]
    assert len(q1) == len(app.config["Q1_MODULES"]) and q1[0]["attempts"][0]["score_raw"] == 85
    assert areas["q2.json"]["registrations"][0]["attendance"] == "present"
    mentoring = areas["mentoring.json"]
    assert mentoring["feedback_about_me"][0]["replies"][0]["body"] == "Danke, ich übe weiter."
    rt = areas["reflecting_team.json"]
    assert rt["rt_cases"][0]["situation"] == "Drei Betriebe testen eine App."
    assert rt["rt_reflections"][0]["ideas"] == "Klein anfangen." and len(rt["sessions"]) == 3
    cert = areas["certification.json"]["certificates"][0]
    assert cert["holder_name"] == NAME and cert["status"] == "valid"
    assert any(e["action"] == "certification.issued" for e in areas["core.json"]["audit_entries"])
    assert "dateien/accounts/nachweis_n.pdf" in names
    assert f"dateien/certification/{cert['number']}.pdf" in names
    assert "LIESMICH.txt" in names


def _token(client, path="/meine-daten"):
    """The CSRF token of the page ``path``."""
    return csrf_token(client, path)


def test_nobody_downloads_another_persons_export(app, lena, make_user, staff):
    export, _job = _export(app, lena, lena)
    other = app.test_client()
    login(other, make_user("participant").email)
    assert other.get(f"/meine-daten/export/{export.id}").status_code == 404
    assert other.post(f"/datenschutz/personen/{lena.id}/export").status_code in (400, 403)
    assert other.get(f"/datenschutz/personen/{lena.id}/loeschen").status_code == 403
    with pytest.raises(operations.PrivacyError):
        operations.start_export(lena, make_user("mentor"))
    # Staff who did not ask for it do not get it either; staff who did (on request) do.
    login(app.test_client(), staff.email)
    foreign = app.test_client()
    login(foreign, staff.email)
    assert foreign.get(f"/meine-daten/export/{export.id}").status_code == 404
    on_request, _job = _export(app, lena, staff)
    assert foreign.get(f"/meine-daten/export/{on_request.id}").status_code == 200


def test_an_expired_export_is_not_served(app, client, lena):
    export, _job = _export(app, lena, lena)
    export.expires_at = export.created_at
    db.session.commit()
    login(client, EMAIL)
    response = client.get(f"/meine-daten/export/{export.id}", follow_redirects=True)
    assert "abgelaufen" in response.get_data(as_text=True)


def _personal_hits(needles):
    """Every (table, column) whose text holds one of ``needles``, certificates left out."""
    hits = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for found in db.session.execute(sa.select(table)).mappings():
            for column in columns:
                text = json.dumps(found[column.name], ensure_ascii=False, default=str)
                if any(needle in text for needle in needles):
                    hits.add((table.name, column.name))
    return hits


def test_an_erasure_leaves_no_personal_data_and_the_certificate_still_verifies(
    app, client, lena, staff, post_form
):
    number = db.session.scalar(sa.text("SELECT number FROM certificates"))
    export, _job = _export(app, lena, lena)
    zip_path = app.config["DATA_DIR"] + "/" + export.path
    login(client, EMAIL)
    client.post("/meine-daten/loeschen", data={"csrf_token": _token(client)})
    client.post("/logout", data={"csrf_token": _token(client)})

    login(client, staff.email)
    assert NAME in client.get("/datenschutz/antraege").get_data(as_text=True)
    page = client.get(f"/datenschutz/personen/{lena.id}/loeschen").get_data(as_text=True)
    assert "Ausgestellte Zertifikate bleiben" in page and "kann nicht rückgängig" in page
    unconfirmed = post_form(f"/datenschutz/personen/{lena.id}/loeschen", {})
    assert "Bitte bestätigen Sie die Löschung." in unconfirmed.get_data(as_text=True)
    assert db.session.get(type(lena), lena.id).erased_at is None
    done = post_form(f"/datenschutz/personen/{lena.id}/loeschen", {"confirm": "y"})
    assert done.status_code == 302

    assert _personal_hits([NAME, EMAIL, "0170 1234567", "Drei Betriebe", "ich übe weiter"]) == {
        ("certificates", "holder_name"),  # kept: the certificate stays verifiable
        ("outbox_mails", "recipient"),  # the mail that tells her, deleted by retention
        ("outbox_mails", "body"),
    }
    told = db.session.scalars(db.select(OutboxMail).where(OutboxMail.recipient == EMAIL)).one()
    assert told.subject == "Ihre Daten wurden gelöscht"
    assert not Path(zip_path).exists()
    assert not db.session.scalar(sa.text("SELECT count(*) FROM cohort_members"))
    assert login(app.test_client(), EMAIL).status_code != 302
    verify = app.test_client().get(f"/verify/{number}").get_data(as_text=True)
    assert NAME in verify and "gültig" in verify
    # A second erasure is refused (nothing half-done to repeat).
    with pytest.raises(operations.PrivacyError):
        operations.erase_person(db.session.get(type(lena), lena.id), staff)


def test_an_erased_persons_certificate_is_reduced_three_years_after_it_ended(app, lena, staff):
    from datetime import timedelta

    from lotse_lms.accounts.privacy import ERASED_NAME
    from lotse_lms.certification.models import Certificate
    from lotse_lms.core.timeutil import utcnow

    operations.erase_person(lena, staff)
    db.session.commit()
    cert = db.session.scalars(db.select(Certificate)).one()
    pdf = Path(app.config["DATA_DIR"]) / cert.pdf_path
    assert pdf.is_file() and cert.holder_name == NAME
    # Still valid: kept whole, however old.
    assert operations.run_retention()["certification.erased"] == 0
    cert.valid_until = utcnow() - timedelta(days=3 * 365 - 1)
    db.session.commit()
    assert operations.run_retention()["certification.erased"] == 0  # not yet three years
    cert.valid_until = utcnow() - timedelta(days=3 * 365 + 1)
    db.session.commit()
    assert operations.run_retention()["certification.erased"] == 1
    db.session.commit()
    db.session.refresh(cert)
    assert (cert.holder_name, cert.pdf_path, cert.evidence, cert.credential_jwt) == (
        ERASED_NAME,
        "",
        {},
        "",
    )
    assert not pdf.exists()
    page = app.test_client().get(f"/verify/{cert.number}").get_data(as_text=True)
    assert cert.number in page and NAME not in page
    assert operations.run_retention()["certification.erased"] == 0  # done once


def test_a_failing_area_leaves_everything_as_it_was(app, lena, staff):
    def broken(_user):
        raise RuntimeError("disk full")

    app.extensions[PROVIDERS_KEY]["zz_broken"] = Provider("zz_broken", "x", None, broken, "", 99)
    with pytest.raises(RuntimeError):
        operations.erase_person(lena, staff)
    db.session.rollback()
    again = db.session.get(type(lena), lena.id)
    assert again.name == NAME and again.erased_at is None
    assert db.session.scalar(sa.text("SELECT count(*) FROM q1_registrations")) > 0


def test_staff_export_a_persons_data_on_request_from_the_account_page(
    app, client, lena, staff, post_form
):
    login(client, staff.email)
    page = client.get(f"/users/{lena.id}").get_data(as_text=True)
    assert "Datenexport" in page and "Fassung 2026-12-01" not in page  # created by staff
    response = post_form(f"/datenschutz/personen/{lena.id}/export", {}, page=f"/users/{lena.id}")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    jobs.run_pending(app)
    export = db.session.scalar(db.select(DataExport).where(DataExport.user_id == lena.id))
    assert export.requested_by_id == staff.id
    assert client.get(f"/meine-daten/export/{export.id}").status_code == 200
