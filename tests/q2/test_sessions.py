"""Trainers schedule, change, duplicate and cancel sessions; bad input changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import operations, registrations
from lotse_lms.modules.q2.common import Q2Error
from lotse_lms.modules.q2.models import LiveSession, SessionStatus

from .conftest import berlin, session_data


def _mails(subject_part):
    """Outbox mails whose subject contains ``subject_part``."""
    return db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.subject.contains(subject_part))
    ).all()


def test_trainer_creates_session_with_berlin_times_stored_as_utc(trainer):
    session = operations.create_session(
        trainer,
        session_data(
            trainer,
            dates=[
                (datetime(2099, 3, 27, 10), datetime(2099, 3, 27, 12)),
                (datetime(2099, 3, 30, 10), datetime(2099, 3, 30, 12, 30)),
            ],
        ),
    )
    db.session.commit()
    assert [d.starts_at for d in session.dates] == [
        datetime(2099, 3, 27, 9, tzinfo=UTC),
        datetime(2099, 3, 30, 8, tzinfo=UTC),
    ]
    assert session.minutes == 270
    assert session.enrol_deadline == session.starts_at  # default: until the first date
    assert session.trainers == [trainer]
    assert (
        db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action.startswith("q2.")))
        == "q2.session_created"
    )


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"dates": [(berlin(5, 12), berlin(5, 10))]}, "dates", "muss nach dem Beginn"),
        ({"dates": [(berlin(-2, 10), berlin(-2, 12))]}, "dates", "in der Vergangenheit"),
        (
            {"dates": [(berlin(5, 10), berlin(5, 13)), (berlin(5, 12), berlin(5, 14))]},
            "dates",
            "überschneiden sich",
        ),
        ({"dates": []}, "dates", "mindestens einen Termin"),
        (
            {"dates": [(datetime(2099, 3, 29, 2, 30), datetime(2099, 3, 29, 4))]},
            "dates",
            "Sommerzeit",
        ),
        ({"meeting_url": "javascript:alert(1)"}, "meeting_url", "gültigen Link"),
        ({"meeting_url": "http://meet.example.org/x"}, "meeting_url", "https://"),
        ({"meeting_url": "https://"}, "meeting_url", "gültigen Link"),
        ({"capacity": 0}, "capacity", "zwischen 1 und"),
        ({"title": "  "}, "title", "Titel"),
        ({"topic": "unknown"}, "topic", "Thema"),
        ({"format": "in_person", "venue": "", "region": "Bayern"}, "venue", "Adresse"),
        ({"format": "in_person", "venue": "Hauptstr. 1", "region": "Atlantis"}, "region", "Region"),
        ({"enrol_deadline": berlin(20)}, "enrol_deadline", "vor dem ersten Termin"),
        ({"trainer_ids": []}, "trainer_ids", "mindestens eine"),
        ({"prerequisites": ["q1_unknown"]}, "prerequisites", "Unbekannte Voraussetzung"),
    ],
)
def test_bad_input_is_refused_with_a_german_message_and_nothing_is_stored(
    trainer, overrides, field, message
):
    with pytest.raises(Q2Error, match=message) as caught:
        operations.create_session(trainer, session_data(trainer, **overrides))
    assert caught.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


def test_only_trainers_can_be_scheduled(trainer, make_user):
    lotse = make_user("participant")
    with pytest.raises(Q2Error, match="Rolle Trainer"):
        operations.create_session(
            trainer, session_data(trainer, trainer_ids=[trainer.id, lotse.id])
        )


def test_trainer_cannot_be_scheduled_into_overlapping_sessions(trainer, new_session):
    new_session(title="Vormittag", dates=[(berlin(9, 9), berlin(9, 12))])
    with pytest.raises(Q2Error) as caught:
        new_session(title="Überschneidung", dates=[(berlin(9, 11), berlin(9, 13))])
    assert "Tina Trainerin" in caught.value.message and "„Vormittag“" in caught.value.message
    db.session.rollback()
    new_session(title="Nachmittag", dates=[(berlin(9, 12), berlin(9, 15))])  # touching is fine


def test_cancelled_session_no_longer_blocks_the_trainer(trainer, new_session):
    first = new_session(dates=[(berlin(9, 9), berlin(9, 12))])
    operations.cancel_session(first, trainer)
    new_session(title="Ersatz", dates=[(berlin(9, 9), berlin(9, 12))])


def test_update_raises_sequence_and_tells_registered_people(trainer, new_session, make_user):
    session = new_session(capacity=1)
    first, second = make_user("participant"), make_user("participant")
    registrations.enrol(first, session.id)
    registrations.enrol(second, session.id)
    db.session.commit()
    operations.update_session(
        session, trainer, session_data(trainer, capacity=1, dates=[(berlin(15, 9), berlin(15, 12))])
    )
    db.session.commit()
    assert session.sequence == 1
    changed = _mails("Termin geändert")
    assert sorted(m.recipient for m in changed) == sorted([first.email, second.email])
    enrolled_mail = next(m for m in changed if m.recipient == first.email)
    assert "https://meet.example.org/q2-raum" in enrolled_mail.body
    waiting_mail = next(m for m in changed if m.recipient == second.email)
    assert "meet.example.org" not in waiting_mail.body  # the link is for enrolled people only


def test_update_keeps_date_rows_so_calendar_uids_stay(trainer, new_session):
    session = new_session()
    date_id = session.dates[0].id
    operations.update_session(
        session, trainer, session_data(trainer, dates=[(berlin(16, 9), berlin(16, 12))])
    )
    db.session.commit()
    assert session.dates[0].id == date_id


def test_capacity_cannot_drop_below_enrolments_and_more_places_promote(
    trainer, new_session, make_user
):
    session = new_session(capacity=2)
    lotsen = [make_user("participant") for _ in range(3)]
    for lotse in lotsen:
        registrations.enrol(lotse, session.id)
    db.session.commit()
    with pytest.raises(Q2Error, match="bereits 2 Personen angemeldet") as caught:
        operations.update_session(session, trainer, session_data(trainer, capacity=1))
    assert caught.value.field == "capacity"
    db.session.rollback()
    assert db.session.get(LiveSession, session.id).capacity == 2
    operations.update_session(session, trainer, session_data(trainer, capacity=3))
    db.session.commit()
    assert registrations.registration_of(lotsen[2], session).status == "enrolled"


def test_only_the_sessions_trainers_change_or_cancel_it(new_session, make_user):
    session = new_session()
    other = make_user("trainer")
    with pytest.raises(Q2Error):
        operations.update_session(session, other, session_data(other))
    with pytest.raises(Q2Error):
        operations.cancel_session(session, other)


def test_cancel_marks_session_and_tells_everyone(trainer, new_session, make_user):
    session = new_session()
    lotse = make_user("participant")
    registrations.enrol(lotse, session.id)
    db.session.commit()
    operations.cancel_session(session, trainer, "Krankheit")
    db.session.commit()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 1
    [mail] = _mails("Termin abgesagt")
    assert mail.recipient == lotse.email and "Grund: Krankheit" in mail.body
    with pytest.raises(Q2Error, match="bereits abgesagt"):
        operations.cancel_session(session, trainer)


def test_duplicate_moves_dates_a_week_keeping_local_time_across_dst(trainer, new_session):
    source = new_session(
        dates=[(datetime(2099, 3, 24, 10), datetime(2099, 3, 24, 12))],
        enrol_deadline=datetime(2099, 3, 20, 18),
    )
    copy = operations.duplicate_session(source, trainer)
    db.session.commit()
    assert copy.id != source.id and copy.uid != source.uid and copy.title == source.title
    # 24 March is winter time (UTC+1), 31 March summer time (UTC+2): still 10:00 in Berlin.
    assert copy.dates[0].starts_at == datetime(2099, 3, 31, 8, tzinfo=UTC)
    assert copy.enrol_deadline == datetime(2099, 3, 27, 17, tzinfo=UTC)
    assert copy.dates[0].starts_at - source.dates[0].starts_at == timedelta(days=7, hours=-1)


def test_deadlines_at_the_start_follow_the_date_when_it_moves_earlier(trainer, new_session):
    session = new_session(dates=[(berlin(14, 9), berlin(14, 12))])
    data = operations.copy_data(session, shift=timedelta(0))  # what the edit form shows
    data["dates"] = [(berlin(10, 9), berlin(10, 12))]
    operations.update_session(session, trainer, data)
    db.session.commit()
    assert session.enrol_deadline == session.cancel_deadline == session.starts_at
