"""The calendar page: each person's dates from every area, by month, week and list."""

from lotse_lms.agenda.periods import period
from lotse_lms.agenda.registry import entries_for
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import operations

from ..conftest import login
from ..q2.conftest import berlin, session_data
from .conftest import day_in


def _titles(user, first, last):
    """(title, area, note) of the entries of ``user`` in the days."""
    return [(e.title, str(e.area), e.note) for e in entries_for(user, first, last)]


def test_a_lotse_sees_q2_dates_waiting_list_deadline_team_and_mentoring(app, programme):
    with app.test_request_context():
        found = _titles(programme["lotse"], day_in(0), day_in(30))
    assert found == [
        ("Abmeldefrist: Moderation", "Q2", ""),
        ("Moderation", "Q2", ""),
        ("Netzwerk", "Q2", "Warteliste"),
        ("Fall Lena", "Reflecting Team", ""),
        ("Mentoring: Gespräch im Betrieb", "Mentoring", ""),
    ]


def test_trainers_see_the_sessions_they_run_with_enrolment_deadlines(app, programme):
    trainer = programme["trainer"]
    operations.cancel_session(programme["full"], trainer, "Krank")
    db.session.commit()
    with app.test_request_context():
        found = _titles(trainer, day_in(0), day_in(30))
    assert ("Anmeldeschluss: Moderation", "Q2", "") in found
    assert ("Moderation", "Q2", "") in found
    assert ("Netzwerk", "Q2", "abgesagt") in found
    assert ("Anmeldeschluss: Netzwerk", "Q2", "") not in found  # cancelled: no deadline
    assert ("Fall Lena", "Reflecting Team", "") in found
    with app.test_request_context():
        mentor_sees = _titles(programme["mentor"], day_in(0), day_in(30))
    assert mentor_sees == [("Mentoring mit Lena Lotsin: Gespräch im Betrieb", "Mentoring", "")]


def test_month_week_and_list_pages_page_by_their_period(client, programme):
    login(client, programme["lotse"].email)
    day = day_in(20)
    month = client.get(f"/calendar?day={day.isoformat()}").get_data(as_text=True)
    assert "Moderation" in month and 'rel="prev"' in month and 'aria-current="page">Monat' in month
    shown = period("month", day)
    assert f"day={shown.next.isoformat()}" in month and shown.next.day == 1
    week = client.get(f"/calendar?view=week&day={day.isoformat()}").get_data(as_text=True)
    assert "09:00–12:00" in week and "Moderation" in week
    monday = period("week", day).inner_first
    assert f"view=week&amp;day={(monday.fromordinal(monday.toordinal() + 7)).isoformat()}" in week
    listing = client.get(f"/calendar?view=list&day={day.isoformat()}").get_data(as_text=True)
    assert "Warteliste" in listing and "Abmeldefrist: Moderation" in listing
    assert client.get("/calendar?view=list&day=kaputt").status_code == 200  # today instead
    assert "Kalender" in client.get("/").get_data(as_text=True)  # in the main menu


def test_the_calendar_sends_as_many_queries_for_many_sessions_as_for_one(
    client, programme, count_queries
):
    trainer = programme["trainer"]
    login(client, trainer.email)
    url = f"/calendar?view=list&day={day_in(20).isoformat()}"
    few, _r = count_queries(client.get, url)
    for n in range(5):
        operations.create_session(
            trainer,
            session_data(
                trainer, title=f"Mehr {n}", dates=[(berlin(20 + n, 18), berlin(20 + n, 19))]
            ),
        )
    db.session.commit()
    many, response = count_queries(client.get, url)
    assert "Mehr 0" in response.get_data(as_text=True)
    assert many == few
