"""`lotse-lms send-reminders` (safe to repeat) and the demo data of `lotse-lms seed-demo`."""

from datetime import timedelta

import sqlalchemy as sa

from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import operations, registrations
from lotse_lms.modules.q2.common import now_utc
from lotse_lms.modules.q2.models import LiveSession, SessionRegistration
from lotse_lms.modules.q2.reminders import send_reminders

from .conftest import berlin, session_data


def _reminders():
    """Reminder mails in the outbox: (recipient, subject)."""
    return db.session.execute(
        sa.select(OutboxMail.recipient, OutboxMail.subject).where(
            OutboxMail.subject.startswith("Erinnerung")
        )
    ).all()


def _starting_soon(trainer, hours_ahead):
    """A session whose date starts ``hours_ahead`` hours from now (moved there after creation)."""
    session = operations.create_session(trainer, session_data(trainer))
    db.session.flush()
    start = now_utc() + timedelta(hours=hours_ahead)
    session.dates[0].starts_at = start
    session.dates[0].ends_at = start + timedelta(hours=3)
    return session


def test_send_reminders_reaches_enrolled_people_once_however_often_cron_runs(
    runner, trainer, make_user
):
    soon = _starting_soon(trainer, 20)
    lotse, waiting = make_user("participant"), make_user("participant")
    soon.capacity = 1
    registrations.enrol(lotse, soon.id)
    registrations.enrol(waiting, soon.id)
    later = operations.create_session(
        trainer, session_data(trainer, title="Später", dates=[(berlin(5, 9), berlin(5, 12))])
    )
    registrations.enrol(lotse, later.id)
    db.session.commit()

    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "1 Erinnerung(en) verschickt." in result.output
    assert runner.invoke(args=["send-reminders"]).output.startswith("0 Erinnerung")
    db.session.expire_all()
    assert _reminders() == [(lotse.email, "Erinnerung: Experimentierräume moderieren")]
    body = db.session.scalar(
        sa.select(OutboxMail.body).where(OutboxMail.subject.startswith("Erinnerung"))
    )
    assert "https://meet.example.org/q2-raum" in body


def test_cancelled_sessions_and_past_dates_get_no_reminder(app, trainer, make_user):
    gone = _starting_soon(trainer, 10)
    registrations.enrol(make_user("participant"), gone.id)
    operations.cancel_session(gone, trainer)
    db.session.commit()
    assert send_reminders() == 0


def test_demo_data_is_created_once_and_looks_alive(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Q2: 5 Live-Termine" in first.output
    db.session.expire_all()
    # The certification demo (seeded after Q2) adds its Lotsen's attended sessions; left aside here.
    from lotse_lms.certification.seed import Q2_SESSIONS

    ours = LiveSession.title.not_in(list(Q2_SESSIONS.values()))
    counts = db.session.scalar(sa.select(sa.func.count(LiveSession.id)).where(ours))
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "Live-Termine" in again.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id)).where(ours)) == counts == 5
    statuses = db.session.scalars(
        sa.select(SessionRegistration.status).join(LiveSession).where(ours)
    ).all()
    assert statuses.count("waiting") == 3
    assert (
        db.session.scalar(
            sa.select(sa.func.count(SessionRegistration.id))
            .join(LiveSession)
            .where(ours, SessionRegistration.attendance == "present")
        )
        == 2
    )
