"""The Q1 step counts only the package the foundation set for a module while it is published:
a draft set for the module (previews) or an archived package no longer count."""

import pytest
from q1_helpers import payload

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import lifecycle
from lotse_lms.modules.q1.models import DRAFT
from lotse_lms.qualification.overview import matching
from lotse_lms.qualification.state import DONE, path_of

G12 = "RuntimeBasicCalls_SCORM12"


def _pass(content, launch, learner, version):
    """The learner passes the package's SCO."""
    attempt, token = launch(learner, version)
    calls = [
        ("cmi.core.score.raw", "100"),
        ("cmi.core.lesson_status", "passed"),
        ("cmi.core.session_time", "04:00:00"),
    ]
    body = payload(attempt, calls, terminated=True)
    assert content.post(f"/scorm-content/commit/{token}", json=body).status_code == 200


def _q1(user):
    """The person's Q1 step as every page shows it."""
    db.session.expire_all()
    return {step.key: step for step in path_of(user)}["q1"]


@pytest.mark.config(Q1_MODULES=["technik"])
def test_only_a_published_package_counts_for_the_certificate(
    content, launch, make_user, import_fixture
):
    version = import_fixture(G12, module_key="technik")
    learner = make_user("participant", name="Paula Passend")
    _pass(content, launch, learner, version)
    assert _q1(learner).state == DONE
    assert matching("q1", DONE) == [learner.id]

    lifecycle.archive(version.package, make_user("trainer"))
    db.session.commit()
    assert _q1(learner).state != DONE
    assert matching("q1", DONE) == []


@pytest.mark.config(Q1_MODULES=["technik"])
def test_a_draft_set_for_the_module_does_not_count(content, launch, make_user, import_fixture):
    version = import_fixture(G12, module_key="technik")
    learner = make_user("participant", name="Dora Draft")
    _pass(content, launch, learner, version)
    version.package.status = DRAFT  # e.g. set for the module before it was published
    db.session.commit()
    assert _q1(learner).state != DONE
    assert matching("q1", DONE) == []
