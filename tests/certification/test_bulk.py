"""Bulk issuing: the list is prepared, exactly that list is confirmed, then issued chunk by chunk;
revoked people are never re-issued without a reinstatement; eligibility lost in between is named."""

from datetime import date, timedelta

import pytest

from lotse_lms.accounts import verification
from lotse_lms.certification import bulk, operations
from lotse_lms.certification.errors import CertificationError
from lotse_lms.certification.models import Certificate
from lotse_lms.core.audit import entries
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES, CERT_BULK_CHUNK=3)


@pytest.fixture
def cohort(lotse):
    """Seven eligible Lotsen and two who are not."""
    eligible = [lotse(name=f"Lotse {i:02d}") for i in range(7)]
    blocked = [lotse(name="Ohne Workshop", workshop=False), lotse(name="Ungeprüft", verify=False)]
    return eligible, blocked


def _count():
    """Certificates in the database."""
    return db.session.scalar(db.select(db.func.count(Certificate.id)))


def _issued_to():
    """Ids of people holding a certificate."""
    return {c.user_id for c in db.session.scalars(db.select(Certificate))}


def test_bulk_issues_for_every_eligible_lotse_in_chunks(cohort, staff):
    eligible, blocked = cohort
    seen = []
    job = bulk.issue_bulk(
        staff, progress=lambda j: seen.append((j.processed, j.issued)), via="test"
    )
    assert job.status == "done" and job.issued == 7 and job.refused == 0
    assert seen == [(3, 3), (6, 6), (7, 7)]
    assert _issued_to() == {u.id for u in eligible}
    assert len(entries(action_prefix="certification.issued")) == 7
    assert all(e.actor_id == staff.id for e in entries(action_prefix="certification.issued"))
    with pytest.raises(CertificationError, match="erfüllt niemand"):
        bulk.issue_bulk(staff)


def test_each_certificate_of_a_chunk_carries_its_own_issue_time(cohort, staff, monkeypatch):
    eligible, _blocked = cohort
    start = utcnow().replace(microsecond=0)
    ticks = iter(range(10_000))
    # A clock that moves on a second each time the issuing code reads it.
    monkeypatch.setattr(operations, "utcnow", lambda: start + timedelta(seconds=next(ticks)))
    bulk.issue_bulk(staff, via="test")
    certs = db.session.scalars(db.select(Certificate).order_by(Certificate.id)).all()
    times = [c.issued_at for c in certs]
    assert len(certs) == len(eligible) == len(set(times)) and times == sorted(times)
    assert all(c.valid_until == operations.valid_until_of(c.issued_at) for c in certs)


def test_the_prepared_list_is_what_is_confirmed_and_issued(cohort, staff, lotse):
    eligible, blocked = cohort
    job = bulk.prepare_bulk(staff)
    db.session.commit()
    assert job.status == "draft" and sorted(job.user_ids) == sorted(u.id for u in eligible)
    assert _count() == 0  # preparing issues nothing
    late = lotse(name="Neu berechtigt")  # eligible after the list was shown: not in it
    with pytest.raises(CertificationError, match="stimmt nicht"):
        bulk.confirm_bulk(job, staff, job.user_ids[:-1])
    db.session.rollback()
    job = bulk.confirm_bulk(job, staff, list(job.user_ids))
    db.session.commit()
    while job.status == "running":
        job = bulk.run_bulk_step(job, staff)
        db.session.commit()
    assert _issued_to() == {u.id for u in eligible}
    assert late.id not in _issued_to()
    with pytest.raises(CertificationError, match="bereits bestätigt"):
        bulk.confirm_bulk(job, staff, job.user_ids)


def test_someone_who_loses_eligibility_after_confirmation_is_skipped_and_named(cohort, staff):
    eligible, _blocked = cohort
    job = bulk.prepare_bulk(staff)
    job = bulk.confirm_bulk(job, staff, list(job.user_ids))
    db.session.commit()
    # Between confirmation and issuing, one person changes the workshop record: it needs a new review.
    loser = eligible[4]
    verification.submit_workshop(loser, date(2025, 5, 6), "Bonn")
    db.session.commit()
    while job.status == "running":
        job = bulk.run_bulk_step(job, staff)
        db.session.commit()
    assert job.issued == 6 and job.refused == 1
    (message,) = job.messages
    assert message["name"] == loser.name and "Workshop" in message["message"]
    assert loser.id not in _issued_to()


def test_a_revoked_person_is_not_reissued_until_reinstated(cohort, staff):
    eligible, _blocked = cohort
    erika = eligible[0]
    cert = operations.issue(erika, staff)
    db.session.commit()
    operations.revoke(cert, staff, "Irrtümlich ausgestellt")
    db.session.commit()
    job = bulk.prepare_bulk(staff)
    assert erika.id not in job.user_ids and len(job.user_ids) == 6
    db.session.rollback()
    with pytest.raises(CertificationError, match="widerrufen"):
        operations.issue(erika, staff)
    db.session.rollback()
    # Even a named list does not bring her back.
    named = bulk.issue_bulk(staff, [erika.id])
    assert named.refused == 1 and "Wiederzulassung" in named.messages[0]["message"]
    with pytest.raises(CertificationError, match="Grund"):
        operations.reinstate(erika, staff, "  ")
    operations.reinstate(erika, staff, "Nachweise erneut geprüft")
    db.session.commit()
    (entry,) = entries(action_prefix="certification.reinstated")
    assert entry.actor_id == staff.id and entry.details["reason"] == "Nachweise erneut geprüft"
    assert erika.id in bulk.prepare_bulk(staff).user_ids


def test_cli_shows_the_list_asks_and_prints_progress(cohort, runner, staff):
    declined = runner.invoke(
        args=["issue-certificates", "--all-eligible", "--actor", staff.email], input="n\n"
    )
    assert declined.output.startswith("Ermittle alle Berechtigten")
    assert "7 Person(en) in der Liste" in declined.output and "Lotse 00" in declined.output
    assert "nichts ausgestellt" in declined.output and _count() == 0
    result = runner.invoke(
        args=["issue-certificates", "--all-eligible", "--actor", staff.email, "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "3/7 bearbeitet (42 %)" in result.output and "7/7 bearbeitet (100 %)" in result.output
    assert "Fertig: 7 Zertifikat(e) ausgestellt, 0 übersprungen." in result.output
    assert _count() == 7
    again = runner.invoke(args=["issue-certificates", "--all-eligible", "--yes"])
    assert again.exit_code != 0 and "erfüllt niemand" in again.output


def test_cli_refuses_unclear_requests(runner, cohort):
    assert runner.invoke(args=["issue-certificates"]).exit_code != 0
    assert (
        "no account" in runner.invoke(args=["issue-certificates", "--email", "nobody@x.org"]).output
    )
    assert (
        "not a foundation"
        in runner.invoke(
            args=["issue-certificates", "--all-eligible", "--actor", cohort[0][0].email]
        ).output
    )
    result = runner.invoke(args=["issue-certificates", "--email", cohort[1][0].email, "--yes"])
    assert "übersprungen: Ohne Workshop" in result.output and _count() == 0


def test_cli_revoke(runner, cohort, staff):
    cert = operations.issue(cohort[0][0], staff)
    db.session.commit()
    result = runner.invoke(args=["revoke-certificate", cert.number, "--reason", "Irrtum"])
    assert result.exit_code == 0
    db.session.refresh(cert)
    assert cert.revocation_reason == "Irrtum"
    (entry,) = entries(action_prefix="certification.revoked")
    assert entry.details["via"].startswith("cli:")
