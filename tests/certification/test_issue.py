"""Issuing, renewing and revoking: the rules of each verb and the audit log."""

import base64
import json
import re
from datetime import timedelta

import pytest

from lotse_lms.certification import numbers, operations
from lotse_lms.certification.errors import CertificationError
from lotse_lms.certification.models import Certificate
from lotse_lms.core.audit import entries
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)
NUMBER = re.compile(r"^OML(-[0-9A-HJKMNP-TV-Z]{4}){4}$")


def test_issue_records_number_dates_evidence_and_who(lotse, staff):
    user = lotse()
    cert = operations.issue(user, staff)
    db.session.commit()
    assert NUMBER.match(cert.number)
    assert cert.holder_name == "Lena Lotsin"
    assert cert.valid_until.year == cert.issued_at.year + 3
    assert [r["key"] for r in cert.evidence["rules"]] == BASIC_RULES
    assert all(r["met"] and r["since"] for r in cert.evidence["rules"])
    assert cert.credential_jwt.count(".") == 2 and cert.key_id
    (entry,) = entries(action_prefix="certification.issued")
    assert entry.actor_id == staff.id and entry.subject_id == user.id
    assert entry.details["number"] == cert.number


def test_numbers_are_unique_and_unguessable():
    made = {numbers.new_number() for _ in range(2000)}
    assert len(made) == 2000
    assert all(NUMBER.match(n) for n in made)


@pytest.mark.parametrize(
    "typed", ["oml-abcd-efgh-jkmn-pqrs", " OML ABCD EFGH JKMN PQRS ", "OMLABCDEFGHJKMNPQRS"]
)
def test_numbers_are_found_as_people_type_them(typed):
    assert numbers.normalise_number(typed) == "OML-ABCD-EFGH-JKMN-PQRS"


@pytest.mark.parametrize(
    "bad", ["", "OML-ABCD", "XYZ-ABCD-EFGH-JKMN-PQRS", "OML-ABCD-EFGH-JKMN-PQR!", "1 OR 1=1"]
)
def test_malformed_numbers_are_not_looked_up(bad):
    assert numbers.normalise_number(bad) is None
    assert numbers.find(bad) is None


def test_a_second_certificate_while_one_is_valid_is_refused(lotse, staff):
    user = lotse()
    first = operations.issue(user, staff)
    db.session.commit()
    with pytest.raises(CertificationError, match=first.number):
        operations.issue(user, staff)


def test_only_foundation_staff_issue_and_never_their_own(lotse, make_user, staff):
    user = lotse()
    trainer = make_user("trainer")
    with pytest.raises(CertificationError, match="Nur Mitarbeitende"):
        operations.issue(user, trainer)
    both = make_user("participant", "foundation")
    with pytest.raises(CertificationError, match="eigenes Zertifikat"):
        operations.issue(both, both)
    with pytest.raises(CertificationError, match="nicht als Teilnehmende"):
        operations.issue(trainer, staff)


@pytest.mark.config(CERT_RULES=BASIC_RULES, CERT_VALIDITY_YEARS=0)
def test_without_validity_years_certificates_do_not_expire(lotse, staff):
    cert = operations.issue(lotse(), staff)
    assert cert.valid_until is None
    assert cert.status(utcnow() + timedelta(days=365 * 50)) == "valid"


def test_expiry_and_revocation_change_the_status(lotse, staff):
    cert = operations.issue(lotse(), staff)
    db.session.commit()
    assert cert.status() == "valid"
    assert cert.status(cert.valid_until + timedelta(seconds=1)) == "expired"
    operations.revoke(cert, staff, "Autorisierung entzogen")
    db.session.commit()
    assert cert.status() == "revoked"
    (entry,) = entries(action_prefix="certification.revoked")
    assert entry.actor_id == staff.id and entry.details["reason"] == "Autorisierung entzogen"


def test_revocation_needs_a_reason_and_happens_once(lotse, staff, make_user):
    cert = operations.issue(lotse(), staff)
    with pytest.raises(CertificationError, match="Grund"):
        operations.revoke(cert, staff, "   ")
    with pytest.raises(CertificationError, match="Nur Mitarbeitende"):
        operations.revoke(cert, make_user("mentor"), "weil")
    operations.revoke(cert, staff, "weil")
    with pytest.raises(CertificationError, match="bereits widerrufen"):
        operations.revoke(cert, staff, "nochmal")


def test_renewal_before_expiry_points_to_the_old_certificate(lotse, staff):
    user = lotse()
    old = operations.issue(user, staff)
    db.session.commit()
    too_early = old.issued_at + timedelta(days=30)
    with pytest.raises(CertificationError, match="180 Tagen"):
        operations.renew(old, staff, now=too_early)
    soon = old.valid_until - timedelta(days=10)
    new = operations.renew(old, staff, now=soon)
    db.session.commit()
    assert new.renews is old and old.renewed_by is new and new.number != old.number
    assert new.valid_until.year == soon.year + 3
    payload = json.loads(base64.urlsafe_b64decode(new.credential_jwt.split(".")[1] + "=="))
    assert {
        "id": old.credential_id,
        "type": ["Evidence"],
        "name": f"Verlängerung von Zertifikat Nr. {old.number}",
    } in payload["evidence"]
    with pytest.raises(CertificationError, match="bereits verlängert"):
        operations.renew(old, staff, now=soon)
    (entry,) = entries(action_prefix="certification.renewed")
    assert entry.details["renews"] == old.number and entry.actor_id == staff.id


def test_expired_or_revoked_certificates_are_not_renewed(lotse, staff):
    cert = operations.issue(lotse(), staff)
    with pytest.raises(CertificationError, match="abgelaufen"):
        operations.renew(cert, staff, now=cert.valid_until + timedelta(days=1))
    operations.revoke(cert, staff, "Fehler")
    with pytest.raises(CertificationError, match="widerrufen"):
        operations.renew(cert, staff, now=cert.valid_until - timedelta(days=1))


def test_after_expiry_a_new_certificate_may_be_issued(lotse, staff):
    user = lotse()
    old = operations.issue(user, staff)
    db.session.commit()
    new = operations.issue(user, staff, now=old.valid_until + timedelta(days=1))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 2
    assert new.renews is None


def test_the_holder_is_mailed(lotse, staff):
    from lotse_lms.core.models import OutboxMail

    user = lotse()
    cert = operations.issue(user, staff)
    db.session.commit()
    mails = db.session.scalars(db.select(OutboxMail).where(OutboxMail.recipient == user.email))
    assert [m for m in mails if cert.number in m.body and "Zertifikat" in m.subject]
