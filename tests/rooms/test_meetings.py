"""Meetings of a room: invitations and changes as iTIP messages, the protocol's approvals and
comments, the personal calendar, the dashboard and the room page."""

import pytest

from lotse_lms.agenda.registry import entries_for
from lotse_lms.extensions import db
from lotse_lms.rooms import meeting_ical, meetings
from tests.conftest import login
from tests.q2.test_itip import parse_with_icaljs

from .meeting_helpers import add_firm, berlin_day, mails_since, mark, meeting_fields


@pytest.fixture
def firms(room, make_user):
    """Two firm contacts in the room."""
    return [
        add_firm(room, make_user, "Frieda Becker", "Tischlerei Becker"),
        add_firm(room, make_user, "Karl Brandt", "Elektro Brandt"),
    ]


def _itip(mail):
    """(METHOD, UID, SEQUENCE, STATUS, start, description) of a mail's calendar part, read
    with ical.js (an independent parser)."""
    [report] = parse_with_icaljs([mail.calendar])
    [event] = report["events"]
    return report["method"], event["uid"], event["sequence"], event["status"], event["start"]


def _utc(naive_berlin):
    """The UTC ISO string ical.js prints for a naive Berlin time."""
    return meetings._aware(naive_berlin, "x", None).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_scheduling_invites_every_member_and_changes_move_then_cancel_the_entry(room, lotse, firms):
    since = mark()
    meeting = meetings.schedule_meeting(room, lotse, **meeting_fields())
    db.session.commit()
    assert [item.title for item in meeting.agenda] == [
        "Begrüßung",
        "Bericht aus den Betrieben",
        "Nächste Schritte",
    ]
    invited = mails_since(since)
    assert sorted(m.recipient for m in invited) == sorted(u.email for u in [lotse, *firms])
    assert _itip(invited[0]) == (
        "REQUEST",
        meeting.uid,
        0,
        "CONFIRMED",
        _utc(meeting_fields()["starts_at"]),
    )
    assert "Bericht aus den Betrieben" in invited[0].calendar.replace("\r\n ", "")

    since = mark()
    moved = meeting_fields(starts_at=berlin_day(9, 16), ends_at=berlin_day(9, 18))
    assert meetings.update_meeting(meeting, lotse, **moved) is True
    db.session.commit()
    [update] = mails_since(since, firms[0].email)
    assert _itip(update) == ("REQUEST", meeting.uid, 1, "CONFIRMED", _utc(berlin_day(9, 16)))
    assert "geändert" in update.subject

    since = mark()
    assert meetings.update_meeting(meeting, lotse, **moved) is False  # nothing new: no mail
    assert mails_since(since) == []

    meetings.cancel_meeting(meeting, lotse, "Krankheit")
    db.session.commit()
    [cancel] = mails_since(since, firms[1].email)
    assert _itip(cancel)[:4] == ("CANCEL", meeting.uid, 2, "CANCELLED")
    assert "Krankheit" in cancel.body
    with pytest.raises(meetings.MeetingError):
        meetings.cancel_meeting(meeting, lotse)
    with pytest.raises(meetings.MeetingError):
        meetings.update_meeting(meeting, lotse, **meeting_fields())
    # the download says it is cancelled too
    assert b"STATUS:CANCELLED" in meeting_ical.meeting_calendar(meeting, meeting.updated_at)


def test_a_meeting_form_shows_every_error_at_once_and_writes_nothing(room, lotse):
    bad = meeting_fields(
        title="",
        ends_at=berlin_day(7, 16),
        place="",
        video_url="http://unsicher.example.org",
        agenda="x" * 301,
    )
    with pytest.raises(meetings.MeetingError) as caught:
        meetings.schedule_meeting(room, lotse, **bad)
    fields = {field for field, _message in caught.value.errors}
    assert fields == {"title", "ends_at", "video_url", "agenda"}
    no_place = meeting_fields(place="", video_url="")
    with pytest.raises(meetings.MeetingError, match="Ort oder einen Video-Link"):
        meetings.schedule_meeting(room, lotse, **no_place)
    db.session.rollback()
    assert meetings.next_meeting(room) is None


def test_the_protocol_is_approved_once_per_firm_and_asked_again_after_a_change(room, lotse, firms):
    ahead = meetings.schedule_meeting(room, lotse, **meeting_fields())
    with pytest.raises(meetings.MeetingError, match="erst nach Beginn"):
        meetings.save_protocol(ahead, lotse, "Zu früh")
    past = meetings.schedule_meeting(
        room, lotse, **meeting_fields(starts_at=berlin_day(-2, 17), ends_at=berlin_day(-2, 19))
    )
    with pytest.raises(meetings.MeetingError, match="noch kein Protokoll"):
        meetings.approve_protocol(past, firms[0])
    since = mark()
    meetings.save_protocol(past, lotse, "## Ergebnisse\n\n- Termine digital erfassen")
    db.session.commit()
    asked = mails_since(since)
    assert sorted(m.recipient for m in asked) == sorted(u.email for u in firms)
    assert all("Freigabe" in m.subject for m in asked)

    meetings.approve_protocol(past, firms[0])
    db.session.commit()
    with pytest.raises(meetings.MeetingError, match="bereits freigegeben"):
        meetings.approve_protocol(past, firms[0])
    with pytest.raises(meetings.MeetingError, match="Nur Vertreterinnen"):
        meetings.approve_protocol(past, lotse)
    assert [a.user for a in meetings.current_approvals(past)] == [firms[0]]

    since = mark()
    meetings.save_protocol(past, lotse, "## Ergebnisse\n\n- Termine digital erfassen\n- Neu")
    db.session.commit()
    assert meetings.current_approvals(past) == []
    again = mails_since(since, firms[0].email)
    assert len(again) == 1 and "erneut" in again[0].body
    meetings.approve_protocol(past, firms[0])
    meetings.approve_protocol(past, firms[1])
    db.session.commit()
    assert {a.user for a in meetings.current_approvals(past)} == set(firms)


def test_members_comment_on_the_protocol_and_markdown_is_shown_safely(
    client, post_form, room, lotse, firms
):
    past = meetings.schedule_meeting(
        room, lotse, **meeting_fields(starts_at=berlin_day(-1, 9), ends_at=berlin_day(-1, 11))
    )
    meetings.save_protocol(past, lotse, "Protokoll mit **Ergebnis**")
    db.session.commit()
    login(client, firms[1].email)
    page = f"/raeume/{room.id}/treffen/{past.id}"
    empty = post_form(page + "/kommentar", {"body": " "}, page=page)
    assert empty.status_code == 422 and "Bitte schreiben Sie einen Kommentar." in empty.text
    done = post_form(page + "/kommentar", {"body": "Danke! <script>x()</script>"}, page=page)
    assert done.status_code == 302
    shown = client.get(page).text
    assert "<strong>Ergebnis</strong>" in shown and "<script>x()" not in shown
    assert "Danke!" in shown and "Karl Brandt" in shown
    approved = post_form(page + "/freigeben", page=page)
    assert approved.status_code == 302
    shown = client.get(page).text
    assert "Freigegeben von Karl Brandt" in shown and "Freigabe ausstehend: Frieda Becker" in shown
    assert "Protokoll freigeben" not in shown


def test_the_lotse_plans_changes_and_cancels_through_the_pages(client, post_form, room, lotse):
    login(client, lotse.email)
    new = f"/raeume/{room.id}/treffen/neu"
    form = meeting_fields()
    data = {**form, "starts_at": "", "ends_at": "2000-01-01T10:00", "title": ""}
    refused = post_form(new, data)
    assert refused.status_code == 200
    assert "Bitte geben Sie einen Titel an." in refused.text
    assert "Bitte geben Sie Datum und Uhrzeit an." in refused.text
    data = {
        **form,
        "starts_at": form["starts_at"].strftime("%Y-%m-%dT%H:%M"),
        "ends_at": form["ends_at"].strftime("%Y-%m-%dT%H:%M"),
    }
    created = post_form(new, data)
    assert created.status_code == 302
    meeting = meetings.next_meeting(room)
    page = client.get(created.location).text
    assert "Bericht aus den Betrieben" in page and "Kalendereintrag" in page
    ics = client.get(created.location + "/termin.ics")
    assert ics.mimetype == "text/calendar" and meeting.uid in ics.text.replace("\r\n ", "")
    moved = {**data, "starts_at": berlin_day(8, 17).strftime("%Y-%m-%dT%H:%M")}
    moved["ends_at"] = berlin_day(8, 19).strftime("%Y-%m-%dT%H:%M")
    assert post_form(created.location + "/bearbeiten", moved).status_code == 302
    db.session.refresh(meeting)
    assert meeting.sequence == 1
    assert post_form(created.location + "/absagen", {"reason": ""}, page=created.location)
    db.session.refresh(meeting)
    assert meeting.is_cancelled and meeting.sequence == 2
    room_page = client.get(f"/raeume/{room.id}").text
    assert "Kein Treffen geplant." in room_page and "abgesagt" in room_page


def test_the_firm_contact_sees_the_next_meeting_on_room_page_dashboard_and_calendar(
    app, client, room, lotse, firms
):
    meetings.schedule_meeting(
        room,
        lotse,
        **meeting_fields(title="Früheres", starts_at=berlin_day(-3, 9), ends_at=berlin_day(-3, 10)),
    )
    meeting = meetings.schedule_meeting(room, lotse, **meeting_fields())
    db.session.commit()
    login(client, firms[0].email)
    room_page = client.get(f"/raeume/{room.id}").text
    assert "Nächstes Treffen:" in room_page and meeting.title in room_page
    assert meeting.title in client.get("/").text  # the dashboard panel
    day = meeting_fields()["starts_at"].date()
    with app.test_request_context():
        found = entries_for(firms[0], day, day)
    [entry] = [e for e in found if e.area == "Experimentierraum"]
    assert entry.title == f"{room.title}: {meeting.title}"
    listing = client.get(f"/calendar?view=list&day={day.isoformat()}").text
    assert meeting.title in listing


def test_the_room_page_sends_as_many_queries_for_many_meetings_as_for_one(
    client, room, lotse, count_queries
):
    login(client, lotse.email)
    meetings.schedule_meeting(room, lotse, **meeting_fields())
    db.session.commit()
    few, _r = count_queries(client.get, f"/raeume/{room.id}")
    for n in range(6):
        meetings.schedule_meeting(
            room,
            lotse,
            **meeting_fields(
                title=f"T{n}", starts_at=berlin_day(n + 10, 9), ends_at=berlin_day(n + 10, 10)
            ),
        )
    db.session.commit()
    many, _r = count_queries(client.get, f"/raeume/{room.id}")
    assert many == few
