"""The foundation's verification queue and account administration."""

from datetime import date

import pytest

from lotse_lms.accounts import operations, verification
from lotse_lms.accounts.errors import AccountError
from lotse_lms.accounts.models import User
from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def submitted(make_user):
    """A participant with a submitted authorisation and workshop record."""
    lotse = make_user("participant", name="Lena Lotsin", organisation="Beratung Nord")
    auth, _stale = verification.submit_authorisation(lotse, "OM-1", date(2026, 1, 10), "n.pdf", PDF)
    workshop = verification.submit_workshop(lotse, date(2026, 2, 3), "Bonn")
    db.session.commit()
    return lotse, auth, workshop


def test_staff_verify_a_record_and_the_participant_is_told(login_as, post_form, submitted):
    lotse, auth, _workshop = submitted
    staff = login_as("foundation")
    page = post_form(f"/foundation/verification/authorisation/{auth.id}", {"decision": "verify"})
    assert page.status_code == 302
    db.session.refresh(auth)
    assert auth.status == "verified" and auth.reviewed_by_id == staff.id
    mail = db.session.scalars(db.select(OutboxMail).filter_by(recipient=lotse.email)).one()
    assert "bestätigt" in mail.body
    entry = db.session.scalars(
        db.select(AuditEntry).filter_by(action="accounts.authorisation_verified")
    ).one()
    assert entry.actor_id == staff.id and entry.subject_id == lotse.id


def test_rejection_needs_a_reason_which_the_participant_reads(
    client, login_as, post_form, submitted, make_user
):
    lotse, _auth, workshop = submitted
    login_as("foundation")
    path = f"/foundation/verification/workshop/{workshop.id}"
    page = post_form(path, {"decision": "reject", "reason": "  "}).get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in page
    db.session.refresh(workshop)
    assert workshop.status == "submitted"
    post_form(path, {"decision": "reject", "reason": "Datum passt nicht zur Teilnehmerliste."})
    db.session.refresh(workshop)
    assert workshop.status == "rejected"
    from ..conftest import PASSWORD, csrf_token, login

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, lotse.email, PASSWORD)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Datum passt nicht zur Teilnehmerliste." in dashboard


def test_resubmitting_after_rejection_puts_the_record_back_in_the_queue(make_user, submitted):
    lotse, _auth, workshop = submitted
    staff = make_user("foundation")
    verification.reject(workshop, staff, "Ort fehlt")
    verification.submit_workshop(lotse, date(2026, 2, 3), "Bonn, Haus der Wirtschaft")
    db.session.commit()
    assert workshop.status == "submitted" and workshop.reason == ""
    assert workshop in verification.queue()


def test_a_record_is_reviewed_only_once_and_never_by_its_owner(make_user, submitted):
    _lotse, auth, _workshop = submitted
    staff = make_user("foundation", "participant")
    verification.verify(auth, staff)
    with pytest.raises(AccountError, match="bereits geprüft"):
        verification.reject(auth, staff, "zu spät")
    own, _ = verification.submit_authorisation(staff, "OM-9", date(2026, 1, 1), "n.pdf", PDF)
    with pytest.raises(AccountError, match="Eigene Nachweise"):
        verification.verify(own, staff)


def test_queue_shows_oldest_first_on_the_foundation_dashboard(client, login_as, submitted):
    login_as("foundation")
    page = client.get("/").get_data(as_text=True)
    assert "Prüfwarteschlange" in page and "Lena Lotsin" in page
    assert page.index("Lena Lotsin: Autorisierung") < page.index("Lena Lotsin: Workshop")


def test_staff_download_the_proof_but_other_participants_cannot(
    client, login_as, submitted, make_user
):
    _lotse, auth, _workshop = submitted
    login_as("participant")
    assert client.get(f"/foundation/verification/authorisation/{auth.id}/proof").status_code == 403
    assert client.get("/profile/authorisation/proof").status_code == 404  # has none of their own
    client.post("/logout")
    staff_client = client.application.test_client()
    from ..conftest import login

    login(staff_client, make_user("foundation").email)
    response = staff_client.get(f"/foundation/verification/authorisation/{auth.id}/proof")
    assert response.status_code == 200 and response.data == PDF


def test_admin_invites_a_trainer_who_sets_a_password(app, client, login_as, post_form):
    login_as("admin")
    response = post_form(
        "/users/new",
        {
            "name": "Tina Trainerin",
            "email": "tina@example.org",
            "roles": ["trainer"],
            "invite": "y",
        },
    )
    assert response.status_code == 302
    tina = operations.find_user("tina@example.org")
    assert tina.roles == {"trainer"} and tina.password_hash is None
    mail = db.session.scalars(db.select(OutboxMail).filter_by(recipient="tina@example.org")).one()
    link = mail.body.split("http://localhost", 1)[1].split()[0]
    fresh = app.test_client()
    page = fresh.get(link).get_data(as_text=True)
    assert "Willkommen, Tina Trainerin" in page
    from ..conftest import csrf_token

    fresh.post(
        link,
        data={
            "password": "kompass-nordsee-2026",
            "confirm": "kompass-nordsee-2026",
            "csrf_token": csrf_token(fresh, link),
        },
    )
    db.session.refresh(tina)
    assert tina.password_hash.startswith("scrypt:")


def test_foundation_staff_cannot_grant_admin_or_foundation(login_as, post_form, make_user):
    login_as("foundation")
    target = make_user("participant")
    post_form(f"/users/{target.id}", {"roles": ["participant", "mentor", "admin"], "active": "y"})
    db.session.refresh(target)
    assert target.roles == {"participant", "mentor"}
    with pytest.raises(AccountError):
        operations.set_roles(
            target,
            {"admin"},
            db.session.scalar(db.select(User).filter(User.email.like("foundation%"))),
        )


@pytest.mark.parametrize("protected", ["admin", "foundation"])
def test_foundation_staff_cannot_deactivate_or_change_admins_and_colleagues(
    login_as, post_form, make_user, protected
):
    login_as("foundation")
    target = make_user(protected)
    page = post_form(f"/users/{target.id}", {"roles": [protected]}, follow_redirects=True)
    assert "ändert nur die Administration" in page.get_data(as_text=True)
    post_form(f"/users/{target.id}", {"roles": [protected, "mentor"], "active": "y"})
    db.session.refresh(target)
    assert target.active and target.roles == {protected}
    assert (
        db.session.scalar(
            db.select(db.func.count(AuditEntry.id)).filter(
                AuditEntry.action.in_(["accounts.deactivated", "accounts.roles_changed"])
            )
        )
        == 0
    )


def test_admins_deactivate_foundation_staff(login_as, post_form, make_user):
    login_as("admin")
    target = make_user("foundation")
    post_form(f"/users/{target.id}", {"roles": ["foundation"]})
    db.session.refresh(target)
    assert not target.active


def test_role_changes_are_audited_with_who_and_what(login_as, post_form, make_user):
    admin = login_as("admin")
    target = make_user("participant")
    post_form(f"/users/{target.id}", {"roles": ["participant", "trainer"], "active": "y"})
    entry = db.session.scalars(
        db.select(AuditEntry).filter_by(action="accounts.roles_changed")
    ).one()
    assert entry.actor_id == admin.id and entry.subject_id == target.id
    assert entry.details == {"added": ["trainer"], "removed": []}


def test_admins_cannot_lock_themselves_out(login_as, make_user):
    admin = login_as("admin")
    with pytest.raises(AccountError):
        operations.set_roles(admin, {"participant"}, admin)
    with pytest.raises(AccountError):
        operations.set_active(admin, False, admin)


def test_duplicate_account_from_the_admin_form_is_refused(login_as, post_form, make_user):
    login_as("admin")
    make_user(email="doppelt@example.org")
    page = post_form(
        "/users/new",
        {
            "name": "X",
            "email": "doppelt@example.org",
            "roles": ["trainer"],
            "password": "langes-passwort",
        },
    ).get_data(as_text=True)
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto." in page
