"""No overbooking: simultaneous enrolments and cancellations, on SQLite and PostgreSQL.

Each thread has its own app context, session and database connection and starts behind a
threading.Barrier, so the requests really race. Arrival order is the order in which the
session-row lock serialises them, recorded as ``queue_no``.
"""

import threading

import pytest
import sqlalchemy as sa

from lotse_lms.accounts.models import User
from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import registrations
from lotse_lms.modules.q2.models import SessionRegistration

THREADS = 50


@pytest.fixture
def wide_pool(app):
    """Give the app a pool with a connection per thread, so all 50 are open at once."""
    engines = db._app_engines[app]
    original = engines[None]
    engines[None] = sa.create_engine(
        original.url, pool_size=THREADS + 5, max_overflow=0, pool_timeout=120
    )
    yield
    db.session.close()  # give back the test's own connection before closing the pool
    engines[None].dispose()
    engines[None] = original


def _race(app, user_ids, work):
    """Run ``work(user)`` for every user id in its own thread and app context, all at once."""
    barrier = threading.Barrier(len(user_ids))
    errors = []

    def run(user_id):
        """One simulated request."""
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                db.session.connection()  # open the connection before the start signal
                barrier.wait(timeout=60)
                work(user)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported to the test below
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert errors == []


def _rows(session_id):
    """All registrations of the session in arrival order."""
    db.session.expire_all()
    return db.session.scalars(
        sa.select(SessionRegistration)
        .filter_by(session_id=session_id)
        .order_by(SessionRegistration.queue_no)
    ).all()


def test_fifty_simultaneous_enrolments_fill_ten_places_and_forty_wait_in_arrival_order(
    app, wide_pool, new_session, make_user
):
    session = new_session(capacity=10)
    lotsen = [make_user("participant", password=None) for _ in range(THREADS)]
    _race(app, [u.id for u in lotsen], lambda user: registrations.enrol(user, session.id))

    rows = _rows(session.id)
    assert len(rows) == THREADS
    assert [r.queue_no for r in rows] == list(range(1, THREADS + 1))
    assert [r.status for r in rows] == ["enrolled"] * 10 + ["waiting"] * 40
    # Arrival order = lock order: the timestamps and the ids follow it too.
    assert [r.requested_at for r in rows] == sorted(r.requested_at for r in rows)
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    waiting = registrations.waiting_list(session)
    assert [registrations.position_of(r) for r in waiting] == list(range(1, 41))
    assert len({r.user_id for r in rows}) == THREADS


def test_five_simultaneous_cancellations_promote_exactly_the_first_five_waiting(
    app, wide_pool, new_session, make_user
):
    session = new_session(capacity=10)
    lotsen = [make_user("participant", password=None) for _ in range(20)]
    for lotse in lotsen:
        registrations.enrol(lotse, session.id)
    db.session.commit()
    leaving = [u.id for u in lotsen[:5]]
    _race(app, leaving, lambda user: registrations.cancel(user, session.id))

    rows = _rows(session.id)
    by_user = {r.user_id: r for r in rows}
    assert all(by_user[uid].status == "cancelled" for uid in leaving)
    promoted = [by_user[u.id] for u in lotsen[10:15]]
    assert all(r.status == "enrolled" for r in promoted)
    assert [r.enrolled_at for r in promoted] == sorted(r.enrolled_at for r in promoted)
    assert [by_user[u.id].status for u in lotsen[15:]] == ["waiting"] * 5
    assert [registrations.position_of(by_user[u.id]) for u in lotsen[15:]] == [1, 2, 3, 4, 5]
    assert sum(r.status == "enrolled" for r in rows) == 10
    subjects = db.session.scalars(
        sa.select(AuditEntry.subject_id).filter_by(action="q2.promoted")
    ).all()
    assert sorted(subjects) == sorted(u.id for u in lotsen[10:15])  # nobody twice
