"""The foundation's report on the rooms: its figures for a known set of rooms, its filters,
who may read it, its CSV downloads, and queries that do not grow with the rooms."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.rooms import operations, reports
from lotse_lms.rooms.meeting_models import Meeting
from lotse_lms.rooms.models import FIRM_CONTACT, Organisation, RoomMember
from lotse_lms.rooms.work_models import RoomAction, RoomExperiment
from tests.rooms.conftest import room_data


def at(y, m, d):
    return datetime(y, m, d, 10, 0, tzinfo=UTC)


def _room(lead, when, phase="planned", **fields):
    room = operations.create_room(room_data(**fields), lead, lead)
    room.created_at = when
    room.phase = phase
    return room


def _firm(room, make_user, org, joined):
    contact = make_user("firm_contact")
    db.session.add(
        RoomMember(
            room_id=room.id,
            user_id=contact.id,
            role=FIRM_CONTACT,
            organisation_id=org.id,
            joined_at=joined,
        )
    )


def _meeting(room, start, cancelled=False):
    db.session.add(
        Meeting(
            room_id=room.id,
            title="Treffen",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Werkstatt",
            uid=f"t-{room.id}-{start.isoformat()}-{cancelled}",
            cancelled_at=start - timedelta(days=1) if cancelled else None,
        )
    )


@pytest.fixture
def known(trainee, make_user):
    """Three rooms with firms, meetings, actions and experiments at known dates.

    A (NW, läuft, 2026): firms of 5 and 20 staff; a meeting held in March 2026, one cancelled,
    one next year; an action done (due March 2026), one open (due May 2026); an experiment
    "weitermachen" (March 2026) and an undecided one (April 2026).
    B (SL, geplant, 2025): the 5-staff firm again and a firm of 300 (Handel); a meeting held
    in July 2025; an experiment "verwerfen" (July 2025).
    C (BW, abgeschlossen, 2025): no firms.
    """
    small = Organisation(name="Tischlerei Klein", sector="handwerk", staff_count=5)
    middle = Organisation(name="Elektro Mittel", sector="handwerk", staff_count=20)
    big = Organisation(name="Handel Groß", sector="handel", staff_count=300)
    db.session.add_all([small, middle, big])
    db.session.flush()
    a = _room(trainee, at(2026, 3, 1), "running", title="Raum A", bundesland="NW")
    b = _room(trainee, at(2025, 6, 1), "planned", title="Raum B", bundesland="SL")
    c = _room(trainee, at(2025, 2, 1), "closed", title="Raum C", bundesland="BW")
    _firm(a, make_user, small, at(2026, 3, 2))
    _firm(a, make_user, middle, at(2026, 3, 2))
    _firm(b, make_user, small, at(2025, 6, 2))
    _firm(b, make_user, big, at(2025, 6, 2))
    _meeting(a, at(2026, 3, 10))
    _meeting(a, at(2026, 3, 20), cancelled=True)
    _meeting(a, utcnow() + timedelta(days=400))
    _meeting(b, at(2025, 7, 1))
    db.session.add_all(
        [
            RoomAction(room_id=a.id, title="Angebot", due_on=date(2026, 3, 20), status="done"),
            RoomAction(room_id=a.id, title="Schulung", due_on=date(2026, 5, 1), status="open"),
            RoomExperiment(
                room_id=a.id,
                question="Hilft ein Tablet?",
                tried="Tablet",
                decision="continue",
                created_at=at(2026, 3, 15),
            ),
            RoomExperiment(
                room_id=a.id, question="Chat?", tried="Chat", created_at=at(2026, 4, 15)
            ),
            RoomExperiment(
                room_id=b.id,
                question="Papierlos?",
                tried="Scanner",
                decision="drop",
                created_at=at(2025, 7, 2),
            ),
        ]
    )
    db.session.commit()
    return {"a": a, "b": b, "c": c}


def counts(rows):
    return {key: n for key, _label, n in rows}


def test_the_figures_of_every_room_count_each_firm_once(known):
    data = reports.figures(reports.ReportFilter())
    assert counts(data["rooms_by_land"]) == {"NW": 1, "SL": 1, "BW": 1}
    assert counts(data["rooms_by_phase"]) == {"planned": 1, "open": 0, "running": 1, "closed": 1}
    assert counts(data["firms_by_size"]) == {
        "0-9": 1,
        "10-49": 1,
        "50-249": 0,
        "250+": 1,
        "unknown": 0,
    }
    assert counts(data["firms_by_sector"]) == {"handwerk": 2, "handel": 1}
    assert data["meetings_held"] == 2  # not the cancelled one, not the one to come
    assert counts(data["actions_by_status"]) == {
        "open": 1,
        "in_progress": 0,
        "done": 1,
        "dropped": 0,
    }
    assert counts(data["experiments_by_decision"]) == {
        "continue": 1,
        "change": 0,
        "drop": 1,
        "undecided": 1,
    }
    assert reports.totals(data) == {
        "rooms": 3,
        "firms": 3,
        "meetings": 2,
        "actions_done": 1,
        "experiments": 3,
    }


def test_a_year_a_quarter_and_a_bundesland_narrow_the_figures(known):
    in_2025 = reports.figures(reports.ReportFilter(year=2025))
    assert counts(in_2025["rooms_by_land"]) == {"SL": 1, "BW": 1}
    assert reports.totals(in_2025) == {
        "rooms": 2,
        "firms": 2,
        "meetings": 1,
        "actions_done": 0,
        "experiments": 1,
    }
    first_quarter = reports.figures(reports.ReportFilter(year=2026, period="q1"))
    assert reports.totals(first_quarter) == {
        "rooms": 3,  # B and C existed already
        "firms": 3,
        "meetings": 1,
        "actions_done": 1,
        "experiments": 1,
    }
    saarland = reports.figures(reports.ReportFilter(bundesland="SL"))
    assert reports.totals(saarland) == {
        "rooms": 1,
        "firms": 2,
        "meetings": 1,
        "actions_done": 0,
        "experiments": 1,
    }
    assert counts(saarland["firms_by_sector"]) == {"handwerk": 1, "handel": 1}


def test_the_filter_reads_the_query_string_and_ignores_what_it_does_not_know():
    flt = reports.ReportFilter.from_args({"jahr": "2026", "zeitraum": "q2", "land": "MV"})
    assert flt == reports.ReportFilter(year=2026, period="q2", bundesland="MV")
    assert flt.bounds == (at(2026, 4, 1).replace(hour=0), at(2026, 7, 1).replace(hour=0))
    assert (
        reports.ReportFilter.from_args({"jahr": "zwei", "zeitraum": "q2", "land": "XX"})
        == reports.ReportFilter()
    )
    assert reports.ReportFilter.from_args({"zeitraum": "q9", "jahr": "2025"}).period == ""


@pytest.mark.parametrize("role", ["participant", "mentor", "trainer", "firm_contact"])
def test_only_the_foundation_reads_the_report(client, login_as, role):
    login_as(role)
    for path in (
        "/raeume/berichte",
        "/raeume/berichte/kennzahlen.csv",
        "/raeume/berichte/raeume.csv",
    ):
        assert client.get(path).status_code == 403


def test_without_an_account_the_report_asks_to_sign_in(client):
    assert client.get("/raeume/berichte").status_code == 302


def test_the_report_page_shows_charts_with_their_numbers(client, login_as, known):
    login_as("foundation")
    page = client.get("/raeume/berichte").get_data(as_text=True)
    assert 'id="total-rooms">3<' in page
    assert 'id="total-firms">3<' in page
    assert 'id="total-meetings">2<' in page
    assert page.count('role="img"') == len(reports.FIGURE_HEADINGS)
    assert '<title id="chart-rooms_by_land-title">Räume nach Bundesland</title>' in page
    assert "Baden-Württemberg: 1; Nordrhein-Westfalen: 1; Saarland: 1" in page  # the desc
    assert "Raum A" in page and "Raum B" in page
    saarland = client.get("/raeume/berichte?land=SL").get_data(as_text=True)
    assert "Raum B" in saarland and "Raum A" not in saarland
    assert 'id="total-rooms">1<' in saarland


def test_the_admin_reads_the_report_too(client, login_as, known):
    login_as("admin")
    assert client.get("/raeume/berichte").status_code == 200


def read_csv(response):
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_the_figures_csv_is_german_with_bom_and_filtered(client, login_as, known):
    login_as("foundation")
    response = client.get("/raeume/berichte/kennzahlen.csv?jahr=2025")
    assert response.mimetype == "text/csv"
    assert "experimentierraeume-kennzahlen-2025.csv" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Kennzahl", "Kategorie", "Anzahl"]
    assert ["Räume nach Bundesland", "Saarland", "1"] in rows
    assert ["Erreichte Unternehmen nach Größe", "250 und mehr Beschäftigte", "1"] in rows
    assert ["Experimente nach Entscheidung", "verwerfen", "1"] in rows
    assert ["Treffen", "gehalten", "1"] in rows
    assert not any(r[1] == "Nordrhein-Westfalen" for r in rows)


def test_the_rooms_csv_has_a_row_per_room_with_its_counts(client, login_as, known):
    login_as("foundation")
    rows = read_csv(client.get("/raeume/berichte/raeume.csv"))
    assert rows[0][:3] == ["Raum", "Bundesland", "PLZ-Gebiet"]
    by_title = {r[0]: r for r in rows[1:]}
    assert set(by_title) == {"Raum A", "Raum B", "Raum C"}
    a = by_title["Raum A"]
    assert a[1] == "Nordrhein-Westfalen" and a[4] == "läuft"
    assert a[7:] == ["2", "1", "1", "1", "1", "0", "0", "1"]
    assert by_title["Raum B"][7:] == ["2", "1", "0", "0", "0", "0", "1", "0"]


def test_a_formula_in_a_room_title_stays_text_in_the_csv(client, login_as, trainee):
    operations.create_room(room_data(title="=HYPERLINK(1)"), trainee, trainee)
    db.session.commit()
    login_as("foundation")
    rows = read_csv(client.get("/raeume/berichte/raeume.csv"))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_report_costs_the_same_queries_for_more_rooms(
    client, login_as, known, trainee, make_user, count_queries
):
    login_as("foundation")
    client.get("/raeume/berichte")  # warm up (session, first loads)
    few, _r = count_queries(client.get, "/raeume/berichte")
    few_csv, _r = count_queries(client.get, "/raeume/berichte/raeume.csv")
    firm = Organisation(name="Noch ein Betrieb", sector="energie", staff_count=60)
    db.session.add(firm)
    db.session.flush()
    for n in range(6):
        room = _room(trainee, at(2026, 1, 1), "running", title=f"Mehr {n}", bundesland="MV")
        _firm(room, make_user, firm, at(2026, 1, 2))
        _meeting(room, at(2026, 1, 10))
    db.session.commit()
    many, response = count_queries(client.get, "/raeume/berichte")
    many_csv, csv_response = count_queries(client.get, "/raeume/berichte/raeume.csv")
    assert "Mehr 5" in response.get_data(as_text=True)
    assert len(read_csv(csv_response)) == 1 + 9
    assert many == few
    assert many_csv == few_csv
