"""Calendar files and feeds, parsed back with icalendar and checked field by field."""

from datetime import UTC, datetime

import sqlalchemy as sa
from icalendar import Calendar

from lotse_lms.extensions import db
from lotse_lms.modules.q2 import feeds, ical, operations, registrations
from lotse_lms.modules.q2.common import now_utc
from lotse_lms.modules.q2.models import CalendarFeed

from ..conftest import login
from .conftest import session_data

AROUND_DST = [
    (datetime(2099, 3, 27, 10), datetime(2099, 3, 27, 12)),  # Friday, CET (UTC+1)
    (datetime(2099, 3, 30, 10), datetime(2099, 3, 30, 12)),
]  # Monday, CEST (UTC+2)


def _parse(data):
    """Parse .ics bytes; return (calendar, events)."""
    cal = Calendar.from_ical(data)
    return cal, [c for c in cal.walk("VEVENT")]


def test_session_file_is_valid_with_berlin_time_zone_and_dst_correct_times(trainer, new_session):
    session = new_session(dates=AROUND_DST)
    cal, events = _parse(ical.session_calendar(session, True, now_utc(), trainer))
    assert str(cal["METHOD"]) == "PUBLISH" and str(cal["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert len(events) == 2
    starts = [e.decoded("DTSTART") for e in events]
    assert [s.tzinfo.key for s in starts] == ["Europe/Berlin", "Europe/Berlin"]
    assert [s.astimezone(UTC) for s in starts] == [
        datetime(2099, 3, 27, 9, tzinfo=UTC),
        datetime(2099, 3, 30, 8, tzinfo=UTC),
    ]
    assert [e.decoded("DTEND").astimezone(UTC).hour for e in events] == [11, 10]
    assert (
        "TZID=Europe/Berlin:20990327T100000"
        in ical.session_calendar(session, True, now_utc(), trainer).decode()
    )
    first = events[0]
    assert str(first["SUMMARY"]) == "Q2: Experimentierräume moderieren (1/2)"
    assert str(first["STATUS"]) == "CONFIRMED" and first["SEQUENCE"] == 0
    assert str(first["LOCATION"]) == "https://meet.example.org/q2-raum"
    assert str(first["URL"]).endswith(f"/q2/sessions/{session.id}")
    assert str(first["ORGANIZER"]) == "mailto:noreply@lotse-lms.invalid"
    assert "ATTENDEE" not in first  # the trainer's own download does not list the trainer
    assert str(first["UID"]) != str(events[1]["UID"])


def test_uid_stays_and_sequence_rises_with_each_change(trainer, new_session):
    session = new_session(dates=AROUND_DST[:1])
    _cal, [before] = _parse(ical.session_calendar(session, True, now_utc(), trainer))
    operations.update_session(
        session,
        trainer,
        session_data(
            trainer,
            dates=[(datetime(2099, 3, 27, 14), datetime(2099, 3, 27, 16))],
            title="Neuer Titel",
        ),
    )
    db.session.commit()
    _cal, [after] = _parse(ical.session_calendar(session, True, now_utc(), trainer))
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART").astimezone(UTC) == datetime(2099, 3, 27, 13, tzinfo=UTC)
    assert str(after["SUMMARY"]) == "Q2: Neuer Titel"


def test_cancelled_session_download_is_published_as_cancelled_with_higher_sequence(
    trainer, new_session
):
    session = new_session(dates=AROUND_DST)
    _cal, before = _parse(ical.session_calendar(session, True, now_utc(), trainer))
    operations.cancel_session(session, trainer, "Krank")
    db.session.commit()
    cal, events = _parse(ical.session_calendar(session, True, now_utc(), trainer))
    # A file holds several UIDs, so it is PUBLISH; iTIP CANCELs go by mail, one per date.
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [str(e["STATUS"]) for e in events] == ["CANCELLED", "CANCELLED"]
    assert [str(e["UID"]) for e in events] == [str(e["UID"]) for e in before]
    assert all(e["SEQUENCE"] == before[0]["SEQUENCE"] + 1 for e in events)
    assert not any("ATTENDEE" in e for e in events)


def test_waiting_or_not_booked_download_is_tentative(new_session, make_user):
    session = new_session(capacity=1)
    first, second, onlooker = (make_user("participant") for _i in range(3))
    registrations.enrol(first, session.id)
    registrations.enrol(second, session.id)
    db.session.commit()
    status = {
        person.email: str(
            _parse(ical.session_calendar(session, False, now_utc(), person))[1][0]["STATUS"]
        )
        for person in (first, second, onlooker)
    }
    assert status == {
        first.email: "CONFIRMED",
        second.email: "TENTATIVE",
        onlooker.email: "TENTATIVE",
    }


def test_venue_and_link_only_for_those_entitled(client, trainer, new_session, make_user):
    session = new_session(format="hybrid", venue="Musterstraße 1\n70173 Stuttgart", region="Bayern")
    _cal, [hidden] = _parse(ical.session_calendar(session, False, now_utc(), trainer))
    assert "LOCATION" not in hidden and "meet.example.org" not in str(hidden["DESCRIPTION"])
    lotse = make_user("participant")
    login(client, lotse.email)
    response = client.get(f"/q2/sessions/{session.id}.ics")
    assert response.mimetype == "text/calendar"
    assert "LOCATION" not in _parse(response.data)[1][0]
    registrations.enrol(lotse, session.id)
    db.session.commit()
    _cal, [event] = _parse(client.get(f"/q2/sessions/{session.id}.ics").data)
    assert (
        str(event["LOCATION"])
        == "Musterstraße 1 70173 Stuttgart | https://meet.example.org/q2-raum"
    )


def test_feed_lists_my_sessions_and_a_new_address_revokes_the_old(
    client, trainer, new_session, make_user
):
    mine = new_session(title="Meiner")
    new_session(title="Fremder", dates=[(datetime(2099, 5, 1, 9), datetime(2099, 5, 1, 12))])
    lotse = make_user("participant")
    registrations.enrol(lotse, mine.id)
    feed = feeds.ensure_feed(lotse)
    db.session.commit()
    old = feed.token
    response = client.get(f"/q2/feed/{old}.ics")  # no sign-in: the token is the key
    assert response.status_code == 200
    cal, events = _parse(response.data)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [str(e["SUMMARY"]) for e in events] == ["Q2: Meiner"]
    assert str(events[0]["LOCATION"]) == "https://meet.example.org/q2-raum"
    feeds.revoke_feed(lotse)
    db.session.commit()
    assert client.get(f"/q2/feed/{old}.ics").status_code == 404
    new = db.session.scalar(sa.select(CalendarFeed.token).filter_by(user_id=lotse.id))
    assert new != old and client.get(f"/q2/feed/{new}.ics").status_code == 200
    assert client.get("/q2/feed/raten.ics").status_code == 404


def test_feed_keeps_cancelled_session_as_cancelled_and_drops_my_cancellation(
    trainer, new_session, make_user
):
    kept = new_session(title="Abgesagt")
    left = new_session(
        title="Abgemeldet", dates=[(datetime(2099, 5, 1, 9), datetime(2099, 5, 1, 12))]
    )
    lotse = make_user("participant")
    registrations.enrol(lotse, kept.id)
    registrations.enrol(lotse, left.id)
    registrations.cancel(lotse, left.id)
    operations.cancel_session(kept, trainer)
    db.session.commit()
    _cal, events = _parse(ical.feed_calendar(lotse, now_utc()))
    assert [(str(e["SUMMARY"]), str(e["STATUS"])) for e in events] == [
        ("Q2: Abgesagt", "CANCELLED")
    ]
    _cal, trainer_events = _parse(ical.feed_calendar(trainer, now_utc()))
    assert len(trainer_events) == 2  # trainers see the sessions they run


def test_feed_page_offers_a_webcal_link_and_a_copy_button(client, make_user):
    lotse = make_user("participant")
    login(client, lotse.email)
    page = client.get("/q2/calendar").get_data(as_text=True)
    token = db.session.scalar(sa.select(CalendarFeed.token).filter_by(user_id=lotse.id))
    assert f'href="webcal://localhost/q2/feed/{token}.ics"' in page
    assert f'value="http://localhost/q2/feed/{token}.ics"' in page
    # The button needs JavaScript and appears with it; the field is there to copy without.
    assert 'data-copy="feed-url"' in page and "js/copy.js" in page
