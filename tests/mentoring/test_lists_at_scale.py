"""Mentoring lists for many people: a bounded number of queries, pages with search."""

from datetime import date

import pytest

from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback, operations

from ..conftest import login


@pytest.fixture
def mentor(make_user):
    """A mentor."""
    return make_user("mentor", name="Miriam Mentorin")


def mentees(make_user, staff, mentor, n, prefix):
    """``n`` participants assigned to ``mentor``, each with a shared entry and a recommendation."""
    people = []
    for i in range(n):
        person = make_user(name=f"{prefix} {i:03d}", password=None)
        operations.assign_mentor(person, mentor, staff, "Gleiche Region.")
        feedback.create_entry(
            person,
            mentor,
            occurred_on=date(2026, 11, 2),
            occasion="mentoring_talk",
            observations="Gut vorbereitet.",
            next_steps="Weiter so.",
            visibility="shared",
        )
        operations.recommend(person, mentor, "not_yet", "Noch zu früh.")
        people.append(person)
    db.session.commit()
    return people


def test_mentor_pages_queries_do_not_grow_with_mentees(client, make_user, mentor, count_queries):
    staff = make_user("foundation")
    figures = []
    login(client, mentor.email)
    for n, prefix in ((3, "A"), (27, "B")):
        mentees(make_user, staff, mentor, n, prefix)
        dashboard, page = count_queries(client.get, "/")
        listing, _ = count_queries(client.get, "/mentoring/mentees")
        figures.append((dashboard, listing))
    assert figures[0] == figures[1]
    html = page.get_data(as_text=True)
    assert "B 026" in html and "1 Eintrag" in html


def test_staff_pages_queries_do_not_grow_with_participants(
    client, make_user, mentor, count_queries, login_as
):
    # The trainer's dashboard holds the panel of participants without a mentor; the
    # foundation's also the certification panel, which has its own test.
    staff = login_as("trainer")
    figures = []
    for n, prefix in ((3, "A"), (27, "B")):
        mentees(make_user, staff, mentor, n, prefix)
        for i in range(n):
            make_user(name=f"{prefix} ohne {i:03d}", password=None)
        dashboard, page = count_queries(client.get, "/")
        overview, _ = count_queries(client.get, "/mentoring/assignments")
        figures.append((dashboard, overview))
    assert figures[0] == figures[1]
    panel = page.get_data(as_text=True).split("Teilnehmende ohne Mentorin / Mentor", 1)[1]
    assert "30" in panel[:200]


def test_assignments_overview_pages_and_searches(client, make_user, mentor, login_as):
    staff = login_as("foundation")
    mentees(make_user, staff, mentor, 2, "Begleitet")
    for i in range(55):
        make_user(name=f"Wartend {i:03d}", password=None)
    first = client.get("/mentoring/assignments").get_data(as_text=True)
    assert "57 Einträge" in first and "Seite 1 von 2" in first
    waiting = client.get("/mentoring/assignments", query_string={"ohne": "1", "q": "wartend 05"})
    html = waiting.get_data(as_text=True)
    assert "Wartend 050" in html and "Begleitet" not in html and "5 Einträge" in html
    by_mentor = client.get("/mentoring/assignments", query_string={"sort": "mentor"})
    assert by_mentor.get_data(as_text=True).index("Begleitet 000") < by_mentor.get_data(
        as_text=True
    ).index("Wartend 000")
