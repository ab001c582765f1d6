"""The state of many people costs a fixed number of queries: 3 or 30 participants, same count."""

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from lotse_lms.accounts import verification
from lotse_lms.certification import bulk
from lotse_lms.extensions import db
from lotse_lms.mentoring import operations as mentoring
from lotse_lms.qualification import overview
from lotse_lms.qualification.state import states
from tests.conftest import login

pytestmark = pytest.mark.config(CERT_RULES=["authorisation", "workshop", "mentor"])
PDF = b"%PDF-1.4\n%%EOF\n"


@contextmanager
def counted():
    """Count the SQL statements run inside the block."""
    seen = []

    def before(conn, cursor, statement, *args):
        """Remember one statement."""
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _add_people(make_user, staff, mentor, count, start):
    """``count`` participants: every other one fully eligible, the rest half way."""
    for i in range(start, start + count):
        user = make_user("participant", name=f"Person {i:03d}", password=None)
        record, _stale = verification.submit_authorisation(
            user, f"OM-{i}", date(2025, 3, 1), "n.pdf", PDF
        )
        verification.verify(record, staff)
        verification.submit_workshop(user, date(2025, 4, 2), "Köln")
        if i % 2 == 0:
            verification.verify(verification.workshop_of(user), staff)
            mentoring.assign_mentor(user, mentor, staff, "Region")
            mentoring.recommend(user, mentor, "recommended", "Gut.")
    db.session.commit()


def _measure(app, staff):
    """Statements per operation that covers everyone."""
    client = app.test_client()
    login(client, staff.email)
    result = {}
    operations = {
        "states of all": lambda: states(overview.participants()),
        "eligible": lambda: overview.eligible_summary(limit=5),
        "overview page": lambda: overview.overview(),
        "overview by state": lambda: overview.overview(step="workshop", state="pending"),
        "dashboard /": lambda: client.get("/"),
        "overview /certificates/?filter": lambda: client.get(
            "/certificates/?filter=certificate:pending"
        ),
    }
    for name, run in operations.items():
        db.session.expire_all()
        with counted() as seen:
            response = run()
        if hasattr(response, "status_code"):
            assert response.status_code == 200, name
        result[name] = len(seen)
    with counted() as seen:
        job = bulk.prepare_bulk(staff)
    result["bulk list"] = len(seen)
    db.session.rollback()
    return result, job


def test_query_count_does_not_grow_with_the_number_of_people(app, make_user, staff):
    mentor = make_user("mentor", name="Miriam Mentorin", password=None)
    _add_people(make_user, staff, mentor, 3, 0)
    small, small_job = _measure(app, staff)
    _add_people(make_user, staff, mentor, 27, 3)
    large, large_job = _measure(app, staff)
    assert small_job.total == 2 and large_job.total == 15
    assert small == large, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
