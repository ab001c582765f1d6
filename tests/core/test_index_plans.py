"""Every statement of the hot list pages can be answered from an index on PostgreSQL.

The statements a page really sends are captured and EXPLAINed with sequential scans
switched off: if no index can serve a filter, join or sort on a big table, PostgreSQL still
plans a Seq Scan there. Searches for text inside names are left out: they read the people
(no index serves LIKE '%…%'). (On a small test database the planner prefers scans anyway; at
10,000 people it takes the index it finds here.) PostgreSQL only."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.core import audit, mail
from lotse_lms.core.models import OutboxMail
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("fresh_tables")

#: Tables that grow with the programme (people, their records, logs).
BIG = {
    "users",
    "user_roles",
    "q1_registrations",
    "q1_sco_attempts",
    "q2_registrations",
    "q2_session_trainers",
    "audit_entries",
    "outbox_mails",
    "rt_sessions",
    "rt_members",
    "consultant_authorisations",
    "workshop_attendances",
    "certificates",
    "mentor_assignments",
}


@pytest.fixture
def postgresql(database_url):
    """Skip unless the suite runs on PostgreSQL."""
    if not database_url.startswith("postgresql"):
        pytest.skip("EXPLAIN plans are checked on PostgreSQL")


def _statements(fn):
    """The (SQL, parameters) ``fn`` sends."""
    seen = []

    def note(_conn, _cursor, statement, parameters, *_rest):
        seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = fn()
        assert response.status_code == 200
        response.get_data()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    return [(s, p) for s, p in seen if s.lstrip().upper().startswith("SELECT")]


def _scans(statements):
    """Big tables a plan reads sequentially, with the statement."""
    found = []
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            plan = conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
            for line in plan:
                if "Seq Scan on " in line:
                    table = line.split("Seq Scan on ")[1].split()[0]
                    if table in BIG:
                        found.append((table, statement[:160]))
    return found


PAGES = [
    ("admin", "/audit"),
    ("admin", "/audit?area=q2"),
    ("admin", "/outbox"),
    ("admin", "/outbox?state=parked"),
    ("trainer", "/q2/manage"),
    ("foundation", "/foundation/verification"),
    ("participant", "/reflecting-team/"),
    ("mentor", "/mentoring/mentees"),
    ("participant", "/"),
    ("foundation", "/reflecting-team/"),
    ("trainer", "/reflecting-team/sessions/new"),
    ("foundation", "/mentoring/assignments"),
    ("reflecting_team", "/"),
    # The log searched by person: people from the trigram index, their entries from the
    # actor and subject indexes (a pattern of three letters or more, which trigrams serve).
    ("admin", "/audit?q=lotse"),
]


def _plans(statements):
    """The EXPLAIN text of each statement, sequential scans switched off."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        return [
            "\n".join(conn.exec_driver_sql("EXPLAIN " + s, p).scalars().all())
            for s, p in statements
        ]


def test_the_assignments_page_is_read_from_the_name_index(postgresql, client, make_user):
    """The page of participants sorted by name comes from ix_users_name_lower (no sort of
    everyone); sequential scans off, as the planner prefers them on a few rows."""
    from lotse_lms.accounts.models import NAME_ORDER_INDEX

    for i in range(3):
        make_user("participant", name=f"Person {i}")
    staff = make_user("foundation")
    db.session.commit()
    login(client, staff.email)
    plans = _plans(_statements(lambda: client.get("/mentoring/assignments")))
    assert any(NAME_ORDER_INDEX in plan for plan in plans), plans


def test_the_audit_search_reads_the_entries_of_the_people_found(postgresql, client, make_user):
    """Searched by person, the log is read through the trigram index of the people and the
    actor and subject indexes, not by walking every entry backwards in time."""
    from lotse_lms.accounts.models import SEARCH_INDEX

    admin = make_user("admin")
    other = make_user("participant", name="Erika Muster")
    audit.record("q2.enrolled", ("Test", "1"), actor=admin, subject=other)
    db.session.commit()
    login(client, admin.email)
    plans = _plans(_statements(lambda: client.get("/audit?q=erika")))
    page = next(plan for plan in plans if "ix_audit_entries_subject_id" in plan)
    assert SEARCH_INDEX in page and "ix_audit_entries_actor_id" in page, page


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_list_pages_are_served_by_indexes(postgresql, client, make_user, role, path):
    user = make_user(role)
    other = make_user("participant")
    audit.record("q2.enrolled", ("Test", "1"), actor=user, subject=other)
    mail.queue(other.email, "Hallo", "Text")
    db.session.commit()
    login(client, user.email)
    statements = _statements(lambda: client.get(path))
    assert statements
    assert _scans(statements) == []


def test_the_parked_outbox_list_reads_only_the_parked_mails_on_sqlite(
    database_url, client, make_user
):
    """With many sent mails and none parked, SQLite's planner walked every mail in date order
    looking for parked ones; the partial index of the parked mails lists them in that order.
    (Below about a thousand mails the planner prefers the walk anyway.)"""
    if not database_url.startswith("sqlite"):
        pytest.skip("the plan of SQLite (PostgreSQL knows how rare parked mails are)")
    admin = make_user("admin")
    start = utcnow()
    db.session.execute(
        sa.insert(OutboxMail),
        [
            {
                "recipient": f"p{i}@example.org",
                "subject": "Hallo",
                "body": "Text",
                "created_at": start + timedelta(seconds=i),
                "sent_at": start,
            }
            for i in range(2000)
        ],
    )
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    login(client, admin.email)
    statements = _statements(lambda: client.get("/outbox?state=parked"))
    with db.engine.connect() as conn:
        plans = [
            " | ".join(
                str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s, p).all()
            )
            for s, p in statements
            if "FROM outbox_mails" in s and "ORDER BY" in s
        ]
    assert plans and all("ix_outbox_mails_parked_order" in plan for plan in plans), plans
