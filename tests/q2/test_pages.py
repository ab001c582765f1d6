"""The Q2 pages: trainers schedule and record attendance, Lotsen enrol, staff export."""

import sqlalchemy as sa

from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import registrations
from lotse_lms.modules.q2.models import LiveSession

from ..conftest import login
from .conftest import berlin, move_to_past


def _form(day, **overrides):
    """Form fields of a virtual session on ``day`` (a date), 09:00-12:00 Berlin time."""
    data = {
        "title": "Moderation üben",
        "topic": "moderating",
        "description": "Bitte *Laptop* mitbringen.",
        "format": "virtual",
        "venue": "",
        "region": "",
        "meeting_url": "https://meet.example.org/raum",
        "capacity": "12",
        "dates-0-day": day.isoformat(),
        "dates-0-start": "09:00",
        "dates-0-end": "12:00",
        "enrol_deadline": "",
        "cancel_deadline": "",
    }
    data.update(overrides)
    return data


def test_trainer_schedules_a_session_through_the_form(client, post_form, trainer):
    login(client, trainer.email)
    day = berlin(30).date()
    response = post_form("/q2/manage/new", dict(_form(day), trainer_ids=trainer.email))
    assert response.status_code == 302
    session = db.session.scalars(sa.select(LiveSession)).one()
    assert session.title == "Moderation üben" and session.minutes == 180
    page = client.get(response.location).get_data(as_text=True)
    assert "ist gespeichert" in page and "Moderation üben" in page


def test_bad_form_input_shows_german_messages_and_stores_nothing(client, post_form, trainer):
    login(client, trainer.email)
    day = berlin(30).date()
    cases = [
        ({"dates-0-end": "08:00"}, "muss nach dem Beginn"),
        ({"dates-0-day": berlin(-3).date().isoformat()}, "in der Vergangenheit"),
        ({"meeting_url": "meet.example.org"}, "gültigen Link"),
        (
            {"dates-1-day": day.isoformat(), "dates-1-start": "11:00", "dates-1-end": "13:00"},
            "überschneiden sich",
        ),
        ({"dates-1-day": day.isoformat()}, "Termin 2 Datum, Beginn und Ende"),
        ({"capacity": "0"}, "zwischen 1 und"),
        ({"dates-0-day": "gestern"}, "Bitte prüfen Sie Datum, Beginn und Ende von Termin 1."),
        ({"dates-0-start": "25:99"}, "Bitte prüfen Sie Datum, Beginn und Ende von Termin 1."),
    ]
    for overrides, message in cases:
        response = post_form(
            "/q2/manage/new", dict(_form(day, **overrides), trainer_ids=trainer.email)
        )
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


def test_edit_refuses_capacity_below_enrolments(client, post_form, trainer, new_session, make_user):
    session = new_session(capacity=2)
    for _ in range(2):
        registrations.enrol(make_user("participant"), session.id)
    db.session.commit()
    login(client, trainer.email)
    page = client.get(f"/q2/manage/{session.id}/edit").get_data(as_text=True)
    assert 'value="Experimentierräume moderieren"' in page
    response = post_form(
        f"/q2/manage/{session.id}/edit",
        dict(_form(berlin(14).date(), capacity="1"), trainer_ids=trainer.email),
    )
    assert "bereits 2 Personen angemeldet" in response.get_data(as_text=True)
    assert db.session.get(LiveSession, session.id).capacity == 2


def test_lotse_enrols_and_then_sees_the_meeting_link(client, post_form, new_session, make_user):
    session = new_session(capacity=1)
    lotse = make_user("participant")
    login(client, lotse.email)
    page = client.get(f"/q2/sessions/{session.id}").get_data(as_text=True)
    assert "meet.example.org" not in page and "1 Platz frei" in page
    response = post_form(
        f"/q2/sessions/{session.id}/enrol", page=f"/q2/sessions/{session.id}", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Sie sind angemeldet." in page and "https://meet.example.org/q2-raum" in page
    mine = client.get("/q2/mine").get_data(as_text=True)
    assert 'id="q2-planned">3 h' in mine and "Experimentierräume moderieren" in mine
    assert "Q2-Präsenzteilnahme nachgewiesen" in client.get("/").get_data(as_text=True)


def test_second_lotse_lands_on_waiting_list_page(client, post_form, new_session, make_user):
    session = new_session(capacity=1)
    registrations.enrol(make_user("participant"), session.id)
    db.session.commit()
    login(client, make_user("participant").email)
    response = post_form(
        f"/q2/sessions/{session.id}/enrol", page=f"/q2/sessions/{session.id}", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Platz 1 der Warteliste" in page and "meet.example.org" not in page


def test_catalogue_filters_by_topic_format_and_region(client, login_as, new_session, make_user):
    new_session(title="Virtuelle Runde")
    new_session(
        by=make_user("trainer"),
        title="Präsenz in Bayern",
        topic="network",
        format="in_person",
        venue="Marienplatz 1, München",
        region="Bayern",
    )
    login_as("participant")
    both = client.get("/q2/").get_data(as_text=True)
    assert "Virtuelle Runde" in both and "Präsenz in Bayern" in both
    bayern = client.get("/q2/?region=Bayern").get_data(as_text=True)
    assert "Präsenz in Bayern" in bayern and "Virtuelle Runde" not in bayern
    virtual = client.get("/q2/?format=virtual&topic=moderating").get_data(as_text=True)
    assert "Virtuelle Runde" in virtual and "Präsenz in Bayern" not in virtual
    later = client.get(f"/q2/?from={berlin(40).date().isoformat()}").get_data(as_text=True)
    assert "Keine Termine gefunden." in later


def test_trainer_records_attendance_and_a_bad_number_changes_nothing(
    client, post_form, trainer, new_session, make_user
):
    session = new_session()
    a, b = make_user("participant", name="Anna"), make_user("participant", name="Ben")
    reg_a = registrations.enrol(a, session.id)
    reg_b = registrations.enrol(b, session.id)
    db.session.commit()
    login(client, trainer.email)
    page = f"/q2/manage/{session.id}"
    assert "ab Beginn des Termins erfassen" in client.get(page).get_data(as_text=True)
    move_to_past(session)
    day = session.dates[0].id
    bad = post_form(
        f"/q2/manage/{session.id}/attendance",
        page=page,
        data={
            f"status-{reg_a.id}-{day}": "present",
            f"hours-{reg_a.id}-{day}": "2,5",
            f"status-{reg_b.id}-{day}": "present",
            f"hours-{reg_b.id}-{day}": "viel",
        },
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Die Stunden von Ben sind keine Zahl." in text
    assert 'value="viel"' in text and 'value="2,5"' in text  # nothing typed is lost
    assert db.session.get(type(reg_a), reg_a.id).attendance is None
    done = post_form(
        f"/q2/manage/{session.id}/attendance",
        page=page,
        follow_redirects=True,
        data={
            f"status-{reg_a.id}-{day}": "present",
            f"hours-{reg_a.id}-{day}": "2,5",
            f"status-{reg_b.id}-{day}": "excused",
            f"hours-{reg_b.id}-{day}": "",
        },
    )
    assert "2 Änderungen gespeichert." in done.get_data(as_text=True)
    rows = {r.user_id: r for r in db.session.scalars(sa.select(type(reg_a)))}
    assert (rows[a.id].attendance, rows[a.id].attended_minutes) == ("present", 150)
    assert rows[b.id].attendance == "excused"
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).filter_by(action="q2.attendance_recorded")
        )
        == 2
    )


def test_staff_export_participants_as_csv(client, login_as, new_session, make_user):
    session = new_session(capacity=1)
    registrations.enrol(make_user("participant", name="Erste"), session.id)
    registrations.enrol(make_user("participant", name="=Zweite"), session.id)
    db.session.commit()
    login_as("foundation")
    response = client.get(f"/q2/manage/{session.id}/participants.csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Termin-ID;Titel;Thema;Beginn;Name")
    assert ";Erste;" in lines[1] and ";angemeldet;" in lines[1]
    assert ";'=Zweite;" in lines[2] and ";Warteliste;1;" in lines[2]  # formulas are defused
    everything = client.get("/q2/manage/export.csv").get_data(as_text=True)
    assert len(everything.strip().splitlines()) == 3


def test_trainer_cancels_session_through_the_page(
    client, post_form, trainer, new_session, make_user
):
    session = new_session()
    lotse = make_user("participant")
    registrations.enrol(lotse, session.id)
    db.session.commit()
    login(client, trainer.email)
    response = post_form(
        f"/q2/manage/{session.id}/cancel", {"reason": "Trainerin erkrankt"}, follow_redirects=True
    )
    assert "Der Termin ist abgesagt" in response.get_data(as_text=True)
    assert db.session.scalar(
        sa.select(OutboxMail.subject)
        .filter_by(recipient=lotse.email)
        .order_by(OutboxMail.id.desc())
    ).startswith("Termin abgesagt")


def test_duplicate_page_is_prefilled_a_week_later(client, trainer, new_session):
    session = new_session()
    login(client, trainer.email)
    page = client.get(f"/q2/manage/{session.id}/duplicate").get_data(as_text=True)
    assert "Kopie von" in page and f'value="{berlin(21).date().isoformat()}"' in page


def test_trainer_removes_a_participant_from_the_list_with_a_reason(
    client, post_form, trainer, new_session, make_user
):
    session = new_session(capacity=1)
    first, second = make_user("participant", name="Erste"), make_user("participant", name="Zweite")
    reg = registrations.enrol(first, session.id)
    registrations.enrol(second, session.id)
    db.session.commit()
    login(client, trainer.email)
    page = client.get(f"/q2/manage/{session.id}").get_data(as_text=True)
    assert 'Entfernen<span class="visually-hidden"> Erste' in page
    main = page[page.index("<main") :]
    assert main.count("Abmelden") == 0  # the sign-out word (in the menu) is not used for this
    path = f"/q2/manage/{session.id}/remove/{reg.id}"
    refused = post_form(path, {"reason": ""})
    assert "Bitte füllen Sie dieses Feld aus." in refused.get_data(as_text=True)
    response = post_form(path, {"reason": "Hat angerufen."}, follow_redirects=True)
    assert "Erste ist entfernt und wurde benachrichtigt." in response.get_data(as_text=True)
    assert registrations.registration_of(second, session).status == "enrolled"


def test_moving_a_session_names_who_clashes_and_notifies_the_chosen(
    client, post_form, trainer, new_session, make_user
):
    session = new_session(dates=[(berlin(14, 9), berlin(14, 12))])
    other = new_session(
        by=make_user("trainer"), title="Netzwerk-Abend", dates=[(berlin(20, 9), berlin(20, 12))]
    )
    clara, dirk = (
        make_user("participant", name="Clara Clash"),
        make_user("participant", name="Dirk"),
    )
    for lotse in (clara, dirk):
        registrations.enrol(lotse, session.id)
        registrations.enrol(lotse, other.id)
    db.session.commit()
    login(client, trainer.email)
    response = post_form(
        f"/q2/manage/{session.id}/edit",
        dict(_form(berlin(20).date()), trainer_ids=trainer.email),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "ist gespeichert" in page
    assert "Clara Clash: „Netzwerk-Abend“" in page and "Dirk: „Netzwerk-Abend“" in page
    done = post_form(
        f"/q2/manage/{session.id}/clashes",
        {"user_id": [str(clara.id)]},
        page=f"/q2/manage/{session.id}/clashes",
        follow_redirects=True,
    )
    assert "1 Person benachrichtigt." in done.get_data(as_text=True)
    subjects = lambda user: db.session.scalars(  # noqa: E731
        sa.select(OutboxMail.subject).filter_by(recipient=user.email)
    ).all()
    assert "Terminüberschneidung: Moderation üben" in subjects(clara)
    assert "Terminüberschneidung: Moderation üben" not in subjects(dirk)


def test_cancelled_session_page_shows_the_reason(client, login_as, trainer, new_session):
    from lotse_lms.modules.q2 import operations

    session = new_session()
    operations.cancel_session(session, trainer, "Trainerin erkrankt")
    db.session.commit()
    login_as("participant")
    page = client.get(f"/q2/sessions/{session.id}").get_data(as_text=True)
    assert "Dieser Termin wurde abgesagt." in page and "Grund: Trainerin erkrankt" in page
    assert "Verbindlich anmelden" not in page


def test_foundation_dashboard_shows_the_programme_in_numbers(
    client, login_as, new_session, make_user
):
    session = new_session(capacity=1)
    registrations.enrol(make_user("participant"), session.id)
    registrations.enrol(make_user("participant"), session.id)
    db.session.commit()
    login_as("foundation")
    page = client.get("/").get_data(as_text=True)
    assert "Q2-Live-Termine" in page and "1 ausgebucht" in page and "1 von 1" in page


def test_the_export_of_all_sessions_costs_the_same_queries_for_any_number_of_sessions(
    client, login_as, new_session, make_user, count_queries
):
    login_as("foundation")
    added = []

    def add_sessions(n):
        for _ in range(n):
            day = 14 + len(added)
            added.append(day)
            session = new_session(capacity=1, dates=[(berlin(day, 9), berlin(day, 12))])
            for name in ("Erste", "Zweiter"):
                registrations.enrol(make_user("participant", name=name), session.id)
        db.session.commit()

    add_sessions(2)
    few, response = count_queries(client.get, "/q2/manage/export.csv")
    assert len(response.get_data(as_text=True).strip().splitlines()) == 1 + 4
    add_sessions(4)
    many, response = count_queries(client.get, "/q2/manage/export.csv")
    lines = response.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 1 + 12 and sum(";Warteliste;1;" in line for line in lines) == 6
    assert few == many
