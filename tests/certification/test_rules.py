"""Eligibility: each prerequisite alone missing refuses the certificate and names it."""

import pytest

from lotse_lms.accounts import verification
from lotse_lms.certification import operations, rules
from lotse_lms.certification.errors import CertificationError
from lotse_lms.config import ConfigError
from lotse_lms.extensions import db
from lotse_lms.qualification.state import required_keys

from .conftest import BASIC_RULES


@pytest.mark.config(CERT_RULES=BASIC_RULES)
def test_checklist_says_met_since_when_and_from_which_record(lotse):
    user = lotse()
    results = rules.checklist(user)
    assert [r.key for r in results] == BASIC_RULES
    assert all(r.met for r in results)
    auth, workshop = results
    assert auth.since == verification.authorisation_of(user).reviewed_at
    assert "OM-4711" in auth.source and "bestätigt am" in auth.source
    assert "Köln" in workshop.source
    assert rules.is_eligible(user) and rules.unmet(user) == []


@pytest.mark.config(CERT_RULES=BASIC_RULES)
@pytest.mark.parametrize(
    "missing, label",
    [
        ("authorisation", "Autorisierung als OM-Beraterin / OM-Berater"),
        ("workshop", "Workshop „Gemeinsames Beratungsverständnis“"),
    ],
)
def test_each_prerequisite_alone_missing_is_refused_with_its_name(lotse, staff, missing, label):
    user = lotse(**{missing: False})
    assert [r.key for r in rules.unmet(user)] == [missing]
    with pytest.raises(CertificationError) as exc:
        operations.issue(user, staff)
    assert exc.value.missing == [missing]
    assert label in exc.value.message
    db.session.rollback()
    assert operations.certificates_of(user) == []


@pytest.mark.config(CERT_RULES=BASIC_RULES)
def test_submitted_but_unverified_and_rejected_records_say_what_is_missing(lotse, staff):
    user = lotse(verify=False)
    auth, workshop = rules.checklist(user)
    assert not auth.met and "prüft noch" in auth.missing
    verification.reject(verification.workshop_of(user), staff, "Falsches Datum")
    db.session.commit()
    workshop = rules.checklist(user)[1]
    assert not workshop.met and "Falsches Datum" in workshop.missing


def test_all_six_prerequisites_are_required_by_default(app):
    assert required_keys(app) == [
        "authorisation",
        "workshop",
        "q1",
        "q2",
        "reflecting_team",
        "mentor",
    ]


def test_a_person_without_any_record_misses_every_prerequisite(make_user):
    user = make_user("participant")
    results = rules.checklist(user)
    assert len(results) == 6
    assert not any(r.met for r in results)
    assert all(r.missing for r in results)


def test_unknown_rule_keys_stop_the_start(database_url, tmp_path):
    from tests.conftest import make_app

    with pytest.raises(ConfigError, match="CERT_RULES"):
        make_app(database_url, tmp_path, CERT_RULES=["authorisation", "hobby"])


@pytest.mark.config(CERT_RULES=BASIC_RULES)
def test_evidence_snapshot_is_german_and_json_ready(app, lotse):
    import json

    user = lotse()
    evidence, results = rules.evidence_snapshot(user)
    json.dumps(evidence)
    assert evidence["rules"][0]["label"] == "Autorisierung als OM-Beraterin / OM-Berater"
    assert evidence["config"]["rules"] == BASIC_RULES
