"""The demo data shows certification end to end: one eligible Lotse, one without a recommendation."""

import sqlalchemy as sa

from lotse_lms.accounts import DEMO_PASSWORD
from lotse_lms.accounts.operations import authenticate, find_user
from lotse_lms.certification import operations, rules
from lotse_lms.certification.models import Certificate
from lotse_lms.certification.seed import seed_certification
from lotse_lms.certification.verify import verify_number
from lotse_lms.extensions import db
from lotse_lms.modules.q1.models import ScoAttempt
from lotse_lms.modules.q1.packages import package_by_module
from lotse_lms.modules.q1.progress import q1_progress
from lotse_lms.qualification.state import STARTED, path_of, required_keys


def _row_counts():
    """Rows per table, to show that running the seed again adds nothing."""
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_seed_demo_builds_an_eligible_lotse_the_foundation_then_certifies(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    line = next(text for text in first.output.splitlines() if text.startswith("Zertifizierung:"))
    assert "Erika Bereit (erika.bereit@lotse.example) erfüllt alle Voraussetzungen" in line
    assert "Jonas Fastfertig fehlt noch: Empfehlung der Mentorin / des Mentors" in line

    erika = find_user("erika.bereit@lotse.example")
    jonas = find_user("jonas.fastfertig@lotse.example")
    assert authenticate(erika.email, DEMO_PASSWORD) is not None
    assert rules.is_eligible(erika)
    assert [result.key for result in rules.unmet(jonas)] == ["mentor"]
    # Q1 came from the SCORM run-time: every SCO of every module has a finished attempt.
    for user in (erika, jonas):
        assert all(m["completed"] and m["passed"] and m["score"] == 90 for m in q1_progress(user))
        for key in app.config["Q1_MODULES"]:
            version = package_by_module(key).current_version
            finished = db.session.scalars(
                sa.select(ScoAttempt.item_id).where(
                    ScoAttempt.user_id == user.id,
                    ScoAttempt.version_id == version.id,
                    ScoAttempt.completion == "completed",
                )
            ).all()
            assert sorted(finished) == sorted(e["id"] for e in version.entries())
    # Paul Praxis has begun Q1: one page of the first module read, the module not done.
    paul = find_user("paul.praxis@lotse.example")
    q1_step = next(step for step in path_of(paul) if step.key == "q1")
    assert q1_step.state == STARTED
    assert not any(m["completed"] for m in q1_progress(paul))
    # The seed leaves issuing to the foundation's demo account.
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0

    before = _row_counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert _row_counts() == before
    assert line in second.output

    staff = find_user("stiftung@lotse.example")
    cert = operations.issue(erika, staff)
    db.session.commit()
    check = verify_number(cert.number)
    assert check.state == "valid"
    assert check.public_facts()["name"] == "Erika Bereit"
    assert [r["key"] for r in cert.evidence["rules"] if r["met"]] == required_keys()

    # Seeding again after the certificate leaves it and everything else as it is.
    before = _row_counts()
    lines = []
    seed_certification(app, lines.append)
    db.session.commit()
    assert _row_counts() == before
    assert lines == [
        f"Zertifizierung: Erika Bereit hat das Zertifikat Nr. {cert.number}; "
        "Jonas Fastfertig fehlt noch: Empfehlung der Mentorin / des Mentors."
    ]
