"""Commits of one attempt spread over two server workers (two apps on one database):
every accepted commit is stored, and a stale tab stays refused whichever worker it reaches."""

import pytest
from q1_helpers import origin, payload

from lotse_lms import create_app
from lotse_lms.extensions import db
from lotse_lms.modules.q1.models import PackageVersion, ScoAttempt
from lotse_lms.modules.q1.tokens import read_runtime_token

G2004 = "RuntimeBasicCalls_SCORM20043rdEdition"


@pytest.fixture
def learner(make_user):
    """A participant."""
    return make_user("participant", name="Lena Lotsin")


@pytest.fixture
def second_worker(app, tmp_path):
    """Another app on the same database and secret, like a second gunicorn worker."""
    keys = ("DATABASE_URL", "DATA_DIR", "SECRET_KEY", "BASE_URL", "CONTENT_BASE_URL", "TESTING")
    other = create_app(
        {key: app.config[key] for key in keys}, instance_path=tmp_path / "worker2", environ={}
    )
    yield other
    with other.app_context():
        db.engine.dispose()


def post(worker, token, body):
    """POST a commit to one worker's content origin; return (status, error)."""
    version = db.session.get(PackageVersion, read_runtime_token(token)[2])
    response = worker.test_client().post(
        f"/scorm-content/commit/{token}", json=body, base_url=origin(version)
    )
    return response.status_code, response.json.get("error")


def stored(attempt):
    """The attempt row as the database has it now."""
    db.session.expire_all()
    return db.session.get(ScoAttempt, attempt.id)


def test_commits_alternating_between_workers_all_count(
    app, second_worker, learner, import_fixture, launch
):
    version = import_fixture(G2004)
    attempt, token = launch(learner, version)
    base = attempt.sequence
    # alternating, then twice in a row on each worker (the one-statement path)
    route = [app, second_worker, app, second_worker, app, app, second_worker, second_worker]
    for n, worker in enumerate(route, start=1):
        calls = [("cmi.location", f"seite-{n}"), ("cmi.suspend_data", f"stand-{n}")]
        assert post(worker, token, payload(attempt, calls, sequence=base + n)) == (200, None)
        row = stored(attempt)
        assert row.sequence == base + n
        assert row.state["values"]["cmi.location"] == f"seite-{n}"
        assert row.state["values"]["cmi.suspend_data"] == f"stand-{n}"
    assert post(app, token, payload(attempt, [], sequence=base + 8)) == (409, "stale_sequence")
    assert stored(attempt).sequence == base + 8


def test_old_tab_refused_on_either_worker_after_a_new_launch(
    app, second_worker, learner, import_fixture, launch
):
    """The old tab's commit reaches the worker that stored its last commit: refused."""
    version = import_fixture(G2004)
    old, old_token = launch(learner, version)
    start, calls = old.sequence, [("cmi.location", "alt")]
    assert post(app, old_token, payload(old, calls, sequence=start + 1)) == (200, None)
    stale = payload(old, calls, sequence=start + 2)  # the old tab's next commit
    new, new_token = launch(learner, version)  # a second tab: the same attempt, a new session
    assert new.id == old.id and new.state["session"] == stale["session"] + 1
    assert post(app, old_token, stale) == (409, "stale_session")
    body = payload(new, [("cmi.location", "neu")], sequence=new.sequence + 1)
    assert post(second_worker, new_token, body) == (200, None)
    assert stored(new).state["values"]["cmi.location"] == "neu"
