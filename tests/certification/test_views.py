"""Pages: who may see what (route × role × anonymous), issuing by HTTP, the public verification page."""

import io
import re
from datetime import timedelta

import pytest

from lotse_lms.certification import bulk, operations
from lotse_lms.core.timeutil import BERLIN
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)
ROLES = ["participant", "trainer", "mentor", "reflecting_team", "foundation", "admin"]


@pytest.fixture
def cert(lotse, staff):
    """An issued certificate of Lena Lotsin."""
    cert = operations.issue(lotse(), staff)
    db.session.commit()
    return cert


def staff_pages(cert, job_id):
    """GET pages only foundation staff may open."""
    return [
        "/certificates/",
        f"/certificates/people/{cert.user_id}",
        f"/certificates/bulk/{job_id}",
    ]


def holder_pages(cert):
    """GET pages for the holder and foundation staff."""
    n = cert.number
    return [
        f"/certificates/{n}",
        f"/certificates/{n}/certificate.pdf",
        f"/certificates/{n}/credential.jwt",
        f"/certificates/{n}/credential.json",
    ]


PUBLIC = [
    "/verify",
    "/verify/revocations",
    "/.well-known/jwks.json",
    "/.well-known/did.json",
    "/did.json",
    "/verify/status/1",
    "/verify/achievement",
]


@pytest.fixture
def job(staff, lotse):
    """A finished bulk job."""
    lotse(name="Bulk Person")
    job = bulk.issue_bulk(staff)
    return job.id


@pytest.mark.parametrize("role", ROLES + [None])
def test_access_matrix(client, login_as, cert, job, role):
    if role:
        login_as(role)
    for path in staff_pages(cert, job):
        code = client.get(path).status_code
        assert code == (200 if role == "foundation" else 302 if role is None else 403), (path, role)
    for path in holder_pages(cert):
        code = client.get(path).status_code
        assert code == (200 if role == "foundation" else 302 if role is None else 403), (path, role)
    for path in PUBLIC + [f"/verify/{cert.number}"]:
        assert client.get(path).status_code == 200, (path, role)
    for path in ["/certificates/mine"]:
        assert client.get(path).status_code == (302 if role is None else 200)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "foundation"] + [None])
def test_write_routes_refuse_everyone_but_foundation(
    client, login_as, post_form, cert, lotse, role
):
    other = lotse(name="Otto Lotse")
    if role:
        login_as(role)
    for path, data in [
        (f"/certificates/people/{other.id}/issue", {}),
        ("/certificates/bulk", {}),
        (f"/certificates/{cert.number}/revoke", {"reason": "x"}),
        (f"/certificates/{cert.number}/renew", {}),
        ("/certificates/bulk/1/confirm", {}),
    ]:
        response = post_form(path, data, page="/")  # with a valid CSRF token: the role decides
        assert response.status_code == (302 if role is None else 403), (path, role)
        if role is None:
            assert "/login" in response.headers["Location"]
    assert operations.certificates_of(other) == []
    db.session.refresh(cert)
    assert cert.revoked_at is None and cert.renewed_by is None


def test_holder_sees_own_certificate_but_not_others(client, cert, lotse):
    from tests.conftest import login

    other = lotse(name="Otto Lotse")
    login(client, other.email)
    assert client.get(f"/certificates/{cert.number}").status_code == 403
    assert client.get(f"/certificates/{cert.number}/certificate.pdf").status_code == 403


def test_holder_downloads_pdf_and_credential(client, cert):
    from tests.conftest import login

    login(client, cert.user.email)
    pdf = client.get(f"/certificates/{cert.number}/certificate.pdf")
    assert (
        pdf.status_code == 200
        and pdf.mimetype == "application/pdf"
        and pdf.data.startswith(b"%PDF-")
    )
    jwt = client.get(f"/certificates/{cert.number}/credential.jwt")
    assert jwt.get_data(as_text=True) == cert.credential_jwt
    assert "attachment" in jwt.headers["Content-Disposition"]
    mine = client.get("/certificates/mine").get_data(as_text=True)
    assert cert.number in mine and "Autorisierung als OM-Beraterin / OM-Berater" in mine


def test_issue_by_http_is_refused_whatever_the_browser_sent(client, login_as, post_form, lotse):
    user = lotse(workshop=False)
    login_as("foundation")
    page = f"/certificates/people/{user.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Es fehlt:" in html
    response = post_form(
        f"/certificates/people/{user.id}/issue",
        {"confirmed": "1"},
        page=page,
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Kein Zertifikat für Lena Lotsin" in text and "Gemeinsames Beratungsverständnis" in text
    assert operations.certificates_of(user) == []


def test_issue_by_http_when_eligible(client, login_as, post_form, lotse):
    user = lotse()
    login_as("foundation")
    page = f"/certificates/people/{user.id}"
    # The person's page links to a confirmation page that states the consequence.
    assert f'href="/certificates/people/{user.id}/issue"' in client.get(page).get_data(as_text=True)
    confirm = client.get(f"/certificates/people/{user.id}/issue").get_data(as_text=True)
    assert "Zertifikat für Lena Lotsin ausstellen?" in confirm and "erhält eine E-Mail" in confirm
    # A post that did not come from the confirmation page shows it and issues nothing.
    unconfirmed = post_form(f"/certificates/people/{user.id}/issue", page=page)
    assert unconfirmed.status_code == 200 and operations.certificates_of(user) == []
    response = post_form(f"/certificates/people/{user.id}/issue", {"confirmed": "1"}, page=page)
    assert response.status_code == 302
    (cert,) = operations.certificates_of(user)
    assert response.headers["Location"].endswith(f"/certificates/{cert.number}")


def test_issue_without_csrf_token_changes_nothing(client, login_as, lotse):
    user = lotse()
    login_as("foundation")
    assert client.post(f"/certificates/people/{user.id}/issue").status_code == 400
    assert operations.certificates_of(user) == []


def _state(response):
    """The state the verification page shows."""
    match = re.search(r'data-state="(\w+)"', response.get_data(as_text=True))
    return match.group(1) if match else None


def test_verification_page_valid_shows_name_qualification_dates_only(client, cert):
    response = client.get(f"/verify/{cert.number}")
    html = response.get_data(as_text=True)
    assert _state(response) == "valid"
    assert "Lena Lotsin" in html and "<dd>OM-Lots*in</dd>" in html  # no form of address set
    assert cert.user.email not in html and "OM-4711" not in html and "Köln" not in html
    assert _state(client.get("/verify", query_string={"number": cert.number.lower()})) == "valid"


def test_verification_page_unknown_and_malformed(client):
    assert _state(client.get("/verify/OML-AAAA-BBBB-CCCC-DDDD")) == "unknown"
    response = client.post("/verify", data={"number": "Hallo"})
    assert response.status_code == 422 and "keine gültige Zertifikatsnummer" in response.get_data(
        as_text=True
    )
    assert client.post("/verify", data={}).status_code == 422


def test_verification_page_revoked_with_date_and_reason(client, cert, staff):
    operations.revoke(cert, staff, "Nachweis gefälscht")
    db.session.commit()
    html = client.get(f"/verify/{cert.number}").get_data(as_text=True)
    assert 'data-state="revoked"' in html and "Nachweis gefälscht" in html
    assert f"{cert.revoked_at.astimezone(BERLIN):%d.%m.%Y}" in html


def test_verification_page_expired_by_number_and_by_credential(client, lotse, staff):
    from lotse_lms.core.timeutil import utcnow

    old = operations.issue(lotse(), staff, now=utcnow() - timedelta(days=3 * 366))
    db.session.commit()
    response = client.get(f"/verify/{old.number}")
    assert _state(response) == "expired" and "Abgelaufen" in response.get_data(as_text=True)
    assert _state(client.post("/verify", data={"credential_text": old.credential_jwt})) == "expired"


def test_verification_by_upload_and_by_paste(client, cert):
    upload = {"credential_file": (io.BytesIO(cert.credential_jwt.encode()), "badge.jwt")}
    response = client.post("/verify", data=upload, content_type="multipart/form-data")
    assert _state(response) == "valid" and "Lena Lotsin" in response.get_data(as_text=True)
    tampered = cert.credential_jwt[:-2] + ("AA" if cert.credential_jwt[-2:] != "AA" else "BB")
    response = client.post("/verify", data={"credential_text": tampered})
    assert _state(response) == "invalid" and "Lena Lotsin" not in response.get_data(as_text=True)
    big = {"credential_file": (io.BytesIO(b"x" * 70_000), "big.jwt")}
    assert _state(client.post("/verify", data=big, content_type="multipart/form-data")) == "invalid"


def test_revoke_and_renew_by_http(client, login_as, post_form, cert):
    login_as("foundation")
    page = f"/certificates/{cert.number}"
    confirm = client.get(f"/certificates/{cert.number}/revoke").get_data(as_text=True)
    assert "sofort ungültig" in confirm and "wieder zulässt" in confirm
    unconfirmed = post_form(f"/certificates/{cert.number}/revoke", {"reason": "Fehler"}, page=page)
    assert unconfirmed.status_code == 200 and cert.revoked_at is None
    empty = post_form(
        f"/certificates/{cert.number}/revoke", {"reason": "", "confirmed": "1"}, page=page
    )
    assert empty.status_code == 422 and "Grund" in empty.get_data(as_text=True)
    assert cert.revoked_at is None
    assert "verweist" in client.get(f"/certificates/{cert.number}/renew").get_data(as_text=True)
    renew = post_form(
        f"/certificates/{cert.number}/renew", {"confirmed": "1"}, page=page, follow_redirects=True
    )
    assert "Verlängern ist erst ab 180 Tagen" in renew.get_data(as_text=True)
    post_form(
        f"/certificates/{cert.number}/revoke", {"reason": "Fehler", "confirmed": "1"}, page=page
    )
    db.session.refresh(cert)
    assert cert.revoked_at is not None and cert.revocation_reason == "Fehler"


def test_dashboard_step_and_foundation_panel(app, client, login_as, lotse, staff, make_user):
    from tests.conftest import login

    user = lotse()
    waiting = lotse(name="Wanda Wartend")
    login(client, user.email)
    html = client.get("/").get_data(as_text=True)
    assert "Zertifikat" in html and "Alle Voraussetzungen sind erfüllt" in html
    operations.issue(user, staff)
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'data-step="certificate">.*?data-state="done"', html, re.S)
    staff_client = app.test_client()
    login(staff_client, staff.email)
    html = staff_client.get("/").get_data(as_text=True)
    assert (
        'id="panel-eligible">1<' in html and 'id="panel-issued">1<' in html and waiting.name in html
    )
    fresh = make_user("participant")
    fresh_client = app.test_client()
    login(fresh_client, fresh.email)
    html = fresh_client.get("/").get_data(as_text=True)
    assert "0 von 2 Voraussetzungen erfüllt" in html and "in Prüfung" not in html


def test_detail_page_shows_the_evidence_with_german_dates(client, login_as, cert):
    login_as("foundation")
    html = client.get(f"/certificates/{cert.number}").get_data(as_text=True)
    assert "Grundlage (Stand bei Ausstellung)" in html
    assert f"seit {cert.issued_at.astimezone(BERLIN):%d.%m.%Y}" in html and "OM-4711" in html


def test_overview_queries_do_not_grow_with_recent_certificates(
    client, login_as, lotse, count_queries
):
    # "Zuletzt ausgestellt" lists up to ten certificates and marks renewed ones: the renewals
    # come in one query for the table, not one per row
    staff = login_as("foundation")
    figures = []
    for n, prefix in ((1, "A"), (9, "B")):
        for i in range(n):
            operations.issue(lotse(name=f"{prefix} {i:03d}", password=None), staff)
        db.session.commit()
        figures.append(count_queries(client.get, "/certificates/")[0])
    assert figures[0] == figures[1]
