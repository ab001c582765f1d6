"""Calendar messages of a session's life (RFC 5546), read back with ical.js, and over SMTP.

ical.js (Mozilla's parser, npm) is independent of the icalendar library that writes the files.
"""

import email
import json
import shutil
import subprocess
from email import policy
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_lms.core import mail
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import ical, operations, registrations, validation
from lotse_lms.modules.q2.common import now_utc

from ..core.test_mail_i18n import smtp_server  # noqa: F401 - the real SMTP server fixture
from .conftest import berlin, session_data

JS_DIR = Path(__file__).resolve().parents[1] / "js"


def parse_with_icaljs(texts):
    """Parse iCalendar texts with tests/js/parse_ical.mjs (npm ical.js); one report per text."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js is not installed")
    if not (JS_DIR / "node_modules" / "ical.js").exists():
        subprocess.run(
            [npm, "ci", "--prefix", str(JS_DIR), "--no-audit", "--no-fund"], check=True, timeout=300
        )
    done = subprocess.run(
        [node, str(JS_DIR / "parse_ical.mjs")],
        input=json.dumps([t if isinstance(t, str) else t.decode() for t in texts]),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def mails_after(mark, recipient):
    """Outbox mails to ``recipient`` queued after the mail id ``mark``."""
    return db.session.scalars(
        sa.select(OutboxMail)
        .where(OutboxMail.id > mark, OutboxMail.recipient == recipient)
        .order_by(OutboxMail.id)
    ).all()


def last_mail_id():
    """The newest outbox id (0 when empty)."""
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(OutboxMail.id), 0)))


def itip(mails):
    """(METHOD, UID, SEQUENCE, STATUS, start) of each mail's single-event calendar part."""
    reports = parse_with_icaljs([m.calendar for m in mails])
    rows = []
    for report in reports:
        # RFC 5546 §3.2.2 / §3.2.5: all components of one iTIP message share one UID.
        assert len({e["uid"] for e in report["events"]}) == 1
        [event] = report["events"]
        assert event["dtstamp"] and event["tzid"] == "Europe/Berlin"
        assert event["organizer"] == "mailto:noreply@lotse-lms.invalid"
        rows.append(
            (report["method"], event["uid"], event["sequence"], event["status"], event["start"])
        )
    return rows, reports


def iso(naive_berlin):
    """The UTC ISO string ical.js prints for a naive Berlin time."""
    return validation.aware(naive_berlin, "dates").strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_a_sessions_life_sends_one_itip_message_per_date_with_rising_sequence(
    trainer, new_session, make_user
):
    one, two = (berlin(14, 9), berlin(14, 12)), (berlin(15, 9), berlin(15, 12))
    three, four = (berlin(16, 14), berlin(16, 17)), (berlin(17, 14), berlin(17, 17))
    session = new_session(dates=[one, two], capacity=1)
    lotse, waiting = make_user("participant"), make_user("participant")
    mark = last_mail_id()
    registrations.enrol(lotse, session.id)
    registrations.enrol(waiting, session.id)
    db.session.commit()

    # Enrolment: one REQUEST per date, each its own UID, the Lotse as accepted attendee.
    created, reports = itip(mails_after(mark, lotse.email))
    uid_one, uid_two = (ical.event_uid(session, d) for d in session.dates)
    assert created == [
        ("REQUEST", uid_one, 0, "CONFIRMED", iso(one[0])),
        ("REQUEST", uid_two, 0, "CONFIRMED", iso(two[0])),
    ]
    assert reports[0]["events"][0]["attendees"] == [
        {"address": f"mailto:{lotse.email}", "partstat": "ACCEPTED", "rsvp": "FALSE"}
    ]
    assert reports[0]["events"][0]["location"] == "https://meet.example.org/q2-raum"
    assert [m.calendar for m in mails_after(mark, waiting.email)] == [None]  # not invited

    # Edit: the first date goes, the second stays, a third and a fourth come.
    mark = last_mail_id()
    edit = session_data(trainer, dates=[two, three, four], capacity=1)
    operations.update_session(session, trainer, edit)
    db.session.commit()
    edited, _reports = itip(mails_after(mark, lotse.email))
    uid_three, uid_four = (ical.event_uid(session, d) for d in session.dates[1:])
    assert len({uid_one, uid_two, uid_three, uid_four}) == 4
    assert edited == [
        ("REQUEST", uid_two, 1, "CONFIRMED", iso(two[0])),
        ("REQUEST", uid_three, 1, "CONFIRMED", iso(three[0])),
        ("REQUEST", uid_four, 1, "CONFIRMED", iso(four[0])),
        ("CANCEL", uid_one, 1, "CANCELLED", iso(one[0])),
    ]
    assert [m.calendar for m in mails_after(mark, waiting.email)] == [None]

    # Cancel: one CANCEL per remaining date, SEQUENCE higher again.
    mark = last_mail_id()
    operations.cancel_session(session, trainer, "Krank")
    db.session.commit()
    cancelled, reports = itip(mails_after(mark, lotse.email))
    assert cancelled == [
        ("CANCEL", uid_two, 2, "CANCELLED", iso(two[0])),
        ("CANCEL", uid_three, 2, "CANCELLED", iso(three[0])),
        ("CANCEL", uid_four, 2, "CANCELLED", iso(four[0])),
    ]
    assert reports[0]["events"][0]["attendees"][0]["address"] == f"mailto:{lotse.email}"
    assert reports[0]["events"][0]["location"] is None  # a cancellation gives no access

    # The downloads of each step are PUBLISH files with every date, read by ical.js too.
    [download] = parse_with_icaljs([ical.session_calendar(session, True, now_utc(), lotse)])
    assert download["method"] == "PUBLISH"
    assert [(e["uid"], e["sequence"], e["status"]) for e in download["events"]] == [
        (uid_two, 2, "CANCELLED"),
        (uid_three, 2, "CANCELLED"),
        (uid_four, 2, "CANCELLED"),
    ]


def test_leaving_and_being_removed_take_the_dates_out_of_the_calendar(
    trainer, new_session, make_user
):
    session = new_session()
    leaver, removed = make_user("participant"), make_user("participant")
    for person in (leaver, removed):
        registrations.enrol(person, session.id)
    db.session.commit()
    mark = last_mail_id()
    registrations.cancel(leaver, session.id)
    registrations.cancel(removed, session.id, actor=trainer, reason="Doppelt gebucht")
    db.session.commit()
    [(method, uid, _seq, status, _start)], _r = itip(mails_after(mark, leaver.email))
    assert (method, uid, status) == (
        "CANCEL",
        ical.event_uid(session, session.dates[0]),
        "CANCELLED",
    )
    [(method, *_rest)], _r = itip(mails_after(mark, removed.email))
    assert method == "CANCEL"


def test_an_invitation_goes_over_smtp_as_text_and_calendar_alternatives(
    app,
    new_session,
    make_user,
    smtp_server,  # noqa: F811
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    session = new_session()
    lotse = make_user("participant", name="Lena Lotsin")
    registrations.enrol(lotse, session.id)
    db.session.commit()
    assert mail.send_pending() >= 1
    [raw] = [m for m in smtp_server.messages if f"To: {lotse.email}" in m]
    message = email.message_from_bytes(raw.encode(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    text, calendar = message.get_payload()
    assert text.get_content_type() == "text/plain"
    assert "Ihre Anmeldung für den folgenden Q2-Termin ist bestätigt" in text.get_content()
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    [report] = parse_with_icaljs([calendar.get_content()])
    assert report["method"] == "REQUEST"
    [event] = report["events"]
    assert event["uid"] == ical.event_uid(session, session.dates[0])
    assert event["summary"] == "Q2: Experimentierräume moderieren"
    assert event["attendees"][0]["address"] == f"mailto:{lotse.email}"
