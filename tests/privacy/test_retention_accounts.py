"""The retention job deletes only what is past its period; registration confirms the address
and refuses weak passwords with every reason at once."""

import re
from datetime import date, datetime, timedelta

import pytest

from lotse_lms.accounts import operations as accounts
from lotse_lms.accounts import registration, verification
from lotse_lms.accounts.errors import AccountError
from lotse_lms.accounts.models import User
from lotse_lms.accounts.uploads import proof_file
from lotse_lms.core import audit, jobs
from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.privacy import operations
from lotse_lms.privacy.models import DataExport


def _unconfirmed(email, days_old):
    """A self-registered account created ``days_old`` days ago and never confirmed."""
    user = accounts.create_user(email, "Neu", roles=["participant"], confirmed=False)
    user.created_at = utcnow() - timedelta(days=days_old)
    return user


def _mail(recipient, sent_days_ago):
    """An outbox mail sent ``sent_days_ago`` days ago (None: not sent yet)."""
    sent = None if sent_days_ago is None else utcnow() - timedelta(days=sent_days_ago)
    mail = OutboxMail(recipient=recipient, subject="Hallo", body="Text", sent_at=sent)
    db.session.add(mail)
    return mail


@pytest.mark.config(UNCONFIRMED_ACCOUNT_DAYS=7, OUTBOX_DAYS=90, AUDIT_DETAIL_DAYS=365)
def test_the_retention_job_deletes_only_expired_items(app, make_user, tmp_path):
    old = _unconfirmed("alt@example.org", 8)
    _mail("alt@example.org", None)
    fresh = _unconfirmed("frisch@example.org", 6)
    confirmed = make_user(email="bestaetigt@example.org")
    confirmed.created_at = utcnow() - timedelta(days=400)
    for recipient, days in (("a@x.org", 91), ("b@x.org", 89), ("c@x.org", None)):
        _mail(recipient, days)
    old_entry = audit.record("accounts.roles_changed", confirmed, subject=confirmed, added=["x"])
    old_entry.at = utcnow() - timedelta(days=366)
    new_entry = audit.record("accounts.roles_changed", confirmed, subject=confirmed, added=["y"])
    folder = tmp_path / "data" / "exports"
    folder.mkdir(parents=True)
    (folder / "old.zip").write_bytes(b"PK")
    (folder / "new.zip").write_bytes(b"PK")
    now = utcnow()
    db.session.add_all(
        [
            DataExport(id="old", user_id=confirmed.id, path="exports/old.zip", expires_at=now),
            DataExport(
                id="new",
                user_id=confirmed.id,
                path="exports/new.zip",
                expires_at=now + timedelta(hours=1),
            ),
        ]
    )
    db.session.commit()
    ids = {"old": old.id, "fresh": fresh.id, "confirmed": confirmed.id}

    counts = operations.run_retention()
    db.session.commit()

    assert counts == {
        "accounts.proofs": 0,  # PROOF_KEEP_DAYS = 0: proofs stay until an erasure
        "accounts.unconfirmed": 1,
        "certification.erased": 0,
        "community.spaces": 0,  # no space has a retention period
        "core.audit_details": 1,
        "core.sent_mails": 1,
        "privacy.exports": 1,
        "rooms.interest_requests": 0,
    }
    assert db.session.get(User, ids["old"]) is None
    assert db.session.get(User, ids["fresh"]) and db.session.get(User, ids["confirmed"])
    assert {m.recipient for m in db.session.scalars(db.select(OutboxMail))} == {
        "b@x.org",
        "c@x.org",
    }
    assert db.session.get(AuditEntry, old_entry.id).details == {}
    assert db.session.get(AuditEntry, new_entry.id).details == {"added": ["y"]}
    assert [e.id for e in db.session.scalars(db.select(DataExport))] == ["new"]
    assert not (folder / "old.zip").exists() and (folder / "new.zip").exists()


def test_the_retention_job_runs_on_the_worker_every_night(app):
    night = datetime(2026, 12, 7, 3, 17)
    assert "privacy.retention" in {task.name for task in jobs.queue(app).read_periodic(night)}
    day = night.replace(hour=9)
    assert "privacy.retention" not in {task.name for task in jobs.queue(app).read_periodic(day)}


def test_a_weak_password_gets_every_reason_at_once_and_nothing_typed_is_lost(client, post_form):
    response = post_form(
        "/register",
        {
            "name": "",
            "email": "neu@example.org",
            "region": "Saarland",
            "password": "1111",
            "confirm": "1111",
        },
    )
    page = response.get_data(as_text=True)
    for message in (
        "mindestens 10 Zeichen",
        "zu leicht zu erraten",
        "Wiederholungen",
        "Bitte stimmen Sie der Datenschutzerklärung zu.",
        "Bitte füllen Sie dieses Feld aus.",
    ):
        assert message in page, message
    assert 'value="neu@example.org"' in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


@pytest.mark.parametrize(
    "password", ["passwort123", "qwertzuiop", "lena.lotsin@example.org", "Lotsin12345"]
)
def test_common_trivial_and_own_name_passwords_are_refused(app, password):
    with pytest.raises(AccountError, match="zu leicht zu erraten"):
        registration.register_participant(
            "lena.lotsin@example.org", "Lena Lotsin", password, accepted=True
        )


@pytest.mark.config(DEFAULT_ROLE="trainer")
def test_self_registered_and_new_accounts_get_the_configured_default_role(app, client, login_as):
    user = registration.register_participant(
        "neu@example.org", "Nora Neu", "kompass-nordsee-2026", accepted=True
    )
    assert user.roles == {"trainer"} and user.email_confirmed_at is None
    login_as("admin")
    page = client.get("/users/new").get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*name="roles"[^>]*value="(\w+)"', page)
    assert checked == ["trainer"]


def test_a_confirmation_link_works_once_for_its_address_only(app):
    user = registration.register_participant(
        "neu@example.org", "Nora Neu", "kompass-nordsee-2026", accepted=True
    )
    db.session.commit()
    with pytest.raises(AccountError, match="bestätigen"):
        accounts.authenticate("neu@example.org", "kompass-nordsee-2026")
    with pytest.raises(AccountError, match="ungültig"):
        registration.confirm_email("gefälscht")
    mail = db.session.scalars(db.select(OutboxMail)).one()
    token = mail.body.split("/register/confirm/", 1)[1].split()[0]
    assert registration.confirm_email(token) is user and user.email_confirmed_at is not None
    assert accounts.authenticate("neu@example.org", "kompass-nordsee-2026") is user


def test_registering_again_before_confirming_mails_the_link_again(app):
    registration.register_participant(
        "neu@example.org", "Nora Neu", "kompass-nordsee-2026", accepted=True
    )
    db.session.commit()
    assert (
        registration.register_participant(
            "neu@example.org", "Nora Neu", "ganz-anderes-kennwort-7", accepted=True
        )
        is None
    )
    mails = db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [m.subject for m in mails] == ["Bitte bestätigen Sie Ihre E-Mail-Adresse"] * 2
    token = mails[1].body.split("/register/confirm/", 1)[1].split()[0]
    registration.confirm_email(token)
    assert accounts.authenticate("neu@example.org", "kompass-nordsee-2026")


@pytest.mark.config(PROOF_KEEP_DAYS=30)
def test_verified_proofs_are_deleted_after_their_period_and_must_come_again(app, make_user):
    staff = make_user("foundation")
    records = {}
    for name, days in (("alt", 31), ("jung", 29), ("offen", None)):
        person = make_user(name=name)
        record, _stale = verification.submit_authorisation(
            person, "OM-1", date(2025, 3, 1), "n.pdf", b"%PDF-1.4\n%%EOF\n"
        )
        if days is not None:
            verification.verify(record, staff)
            record.reviewed_at = utcnow() - timedelta(days=days)
        records[name] = (person, record, proof_file(record.proof_path))
    db.session.commit()

    assert operations.run_retention()["accounts.proofs"] == 1
    db.session.commit()
    person, old, path = records["alt"]
    assert old.proof_path == "" and old.status == "verified" and not path.exists()
    assert all(records[n][2].exists() for n in ("jung", "offen"))
    with pytest.raises(AccountError, match="Nachweis"):
        verification.submit_authorisation(person, "OM-2", date(2025, 3, 1))
