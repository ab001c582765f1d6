"""Lotsen enrol, wait, cancel and move up; trainers record attendance; progress and budget."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.accounts.models import ConsultantAuthorisation
from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import attendance, operations, registrations
from lotse_lms.modules.q2.common import Q2Error
from lotse_lms.modules.q2.prerequisites import register_prerequisite
from lotse_lms.modules.q2.progress import budget_by_user, q2_progress

from .conftest import berlin, move_to_past


def _subjects(user):
    """Subjects of the mails to ``user``, oldest first."""
    return db.session.scalars(
        sa.select(OutboxMail.subject).filter_by(recipient=user.email).order_by(OutboxMail.id)
    ).all()


def test_enrol_until_full_then_waiting_list_then_first_in_line_moves_up(new_session, make_user):
    session = new_session(capacity=2)
    a, b, c, d = (make_user("participant") for _ in range(4))
    statuses = [registrations.enrol(p, session.id).status for p in (a, b, c, d)]
    db.session.commit()
    assert statuses == ["enrolled", "enrolled", "waiting", "waiting"]
    assert [r.user_id for r in registrations.waiting_list(session)] == [c.id, d.id]
    assert _subjects(c) == ["Warteliste: Experimentierräume moderieren"]
    assert (
        "Platz 1 der Warteliste"
        in db.session.scalars(sa.select(OutboxMail.body).filter_by(recipient=c.email)).one()
    )

    registrations.cancel(a, session.id)
    db.session.commit()
    assert registrations.registration_of(c, session).status == "enrolled"
    assert registrations.position_of(registrations.registration_of(d, session)) == 1
    assert _subjects(c)[-1] == "Platz frei geworden: Experimentierräume moderieren"
    assert (
        "https://meet.example.org/q2-raum"
        in db.session.scalars(
            sa.select(OutboxMail.body).filter_by(recipient=c.email).order_by(OutboxMail.id.desc())
        ).first()
    )


def test_leaving_the_waiting_list_promotes_nobody(new_session, make_user):
    session = new_session(capacity=1)
    a, b, c = (make_user("participant") for _ in range(3))
    for p in (a, b, c):
        registrations.enrol(p, session.id)
    registrations.cancel(b, session.id)
    db.session.commit()
    assert registrations.registration_of(c, session).status == "waiting"
    assert registrations.position_of(registrations.registration_of(c, session)) == 1


def test_re_enrolling_after_cancelling_goes_to_the_back(new_session, make_user):
    session = new_session(capacity=1)
    a, b = make_user("participant"), make_user("participant")
    registrations.enrol(a, session.id)
    registrations.cancel(a, session.id)
    registrations.enrol(b, session.id)
    again = registrations.enrol(a, session.id)
    db.session.commit()
    assert again.status == "waiting" and again.queue_no == 3


def test_double_enrolment_is_refused(new_session, make_user):
    session = new_session()
    lotse = make_user("participant")
    registrations.enrol(lotse, session.id)
    with pytest.raises(Q2Error, match="bereits angemeldet"):
        registrations.enrol(lotse, session.id)


def test_lotse_cannot_book_overlapping_sessions_and_is_told_which(new_session, make_user, trainer):
    other_trainer = make_user("trainer")
    first = new_session(title="Netzwerk-Abend", dates=[(berlin(10, 17), berlin(10, 20))])
    second = new_session(
        by=other_trainer, title="Parallel", dates=[(berlin(10, 19), berlin(10, 21))]
    )
    lotse = make_user("participant")
    registrations.enrol(lotse, first.id)
    db.session.commit()
    with pytest.raises(Q2Error, match="überschneidet sich mit „Netzwerk-Abend“ am"):
        registrations.enrol(lotse, second.id)
    db.session.rollback()
    registrations.cancel(lotse, first.id)
    assert registrations.enrol(lotse, second.id).status == "enrolled"


def test_only_participants_enrol(new_session, make_user):
    session = new_session()
    with pytest.raises(Q2Error, match="Nur Teilnehmende"):
        registrations.enrol(make_user("mentor"), session.id)


def test_enrolment_closes_at_the_deadline_and_cancelled_sessions_take_nobody(
    trainer, new_session, make_user
):
    late = new_session(enrol_deadline=berlin(-1))
    with pytest.raises(Q2Error, match="Anmeldefrist ist am"):
        registrations.enrol(make_user("participant"), late.id)
    gone = new_session(title="Abgesagt", dates=[(berlin(20, 9), berlin(20, 12))])
    operations.cancel_session(gone, trainer)
    with pytest.raises(Q2Error, match="findet nicht statt"):
        registrations.enrol(make_user("participant"), gone.id)


def test_cancelling_after_the_cancellation_deadline_is_refused(new_session, make_user):
    session = new_session(cancel_deadline=berlin(-1))
    lotse = make_user("participant")
    registrations.enrol(lotse, session.id)
    with pytest.raises(Q2Error, match="Abmeldefrist ist am .* abgelaufen"):
        registrations.cancel(lotse, session.id)


def test_prerequisite_authorisation_must_be_verified(new_session, make_user):
    session = new_session(prerequisites=["authorisation_verified"])
    lotse = make_user("participant")
    with pytest.raises(
        Q2Error, match="Autorisierung als OM-Beraterin / OM-Berater von der Stiftung bestätigt"
    ):
        registrations.enrol(lotse, session.id)
    db.session.add(
        ConsultantAuthorisation(
            user_id=lotse.id,
            number="A-1",
            issued_on=date(2025, 1, 1),
            proof_name="a.pdf",
            proof_path="x",
            proof_mime="application/pdf",
            proof_size=1,
            status="verified",
        )
    )
    db.session.commit()
    assert registrations.enrol(lotse, session.id).status == "enrolled"


def test_other_areas_register_prerequisites(app, new_session, make_user):
    register_prerequisite(
        app,
        "q1_tools",
        "Q1-Modul „Tools & Methoden“ abgeschlossen",
        lambda user: user.organisation == "fertig",
    )
    session = new_session(prerequisites=["q1_tools"])
    with pytest.raises(Q2Error, match="Tools & Methoden"):
        registrations.enrol(make_user("participant"), session.id)
    assert registrations.enrol(make_user("participant", organisation="fertig"), session.id)


def test_attendance_only_from_the_start_by_the_sessions_trainer(trainer, new_session, make_user):
    session = new_session()
    lotse = make_user("participant")
    reg = registrations.enrol(lotse, session.id)
    with pytest.raises(Q2Error, match="erst ab Beginn"):
        attendance.record_attendance(reg, trainer, "present")
    move_to_past(session)
    with pytest.raises(Q2Error, match="Nur die Trainerinnen"):
        attendance.record_attendance(reg, make_user("trainer"), "present")
    with pytest.raises(Q2Error, match="nicht überschreiten"):
        attendance.record_attendance(reg, trainer, "present", 181)
    assert attendance.record_attendance(reg, trainer, "present")
    assert reg.attended_minutes == 180


def test_attendance_correction_is_logged_with_old_and_new_value(trainer, new_session, make_user):
    session = new_session()
    lotse = make_user("participant")
    reg = registrations.enrol(lotse, session.id)
    move_to_past(session)
    attendance.record_attendance(reg, trainer, "present", 120)
    attendance.record_attendance(reg, trainer, "excused")
    db.session.commit()
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action.like("q2.attendance%"))
        .order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["q2.attendance_recorded", "q2.attendance_corrected"]
    assert entries[1].details["old"] == ["present", 120] and entries[1].details["new"] == [
        "excused",
        0,
    ]
    assert entries[1].actor_id == trainer.id and entries[1].subject_id == lotse.id


def test_progress_counts_planned_and_attended_hours_and_topics(
    app, trainer, new_session, make_user
):
    lotse = make_user("participant")
    done = new_session(title="Vorbei", topic="initiating")
    coming = new_session(title="Kommt", topic="network", dates=[(berlin(20, 9), berlin(20, 13))])
    registrations.enrol(lotse, done.id)
    registrations.enrol(lotse, coming.id)
    move_to_past(done)
    attendance.record_attendance(
        registrations.registration_of(lotse, done), trainer, "present", 150
    )
    db.session.commit()
    progress = q2_progress(lotse)
    assert progress["planned_hours"] == 7
    assert progress["attended_hours"] == 2.5
    assert progress["attended_topics"] == {"initiating"}
    assert progress["q1_estimated_hours"] == 14
    assert progress["total_hours"] == 14 + 2.5 + 4
    assert progress["over_budget"] is False
    assert [s["title"] for s in progress["sessions"]] == ["Vorbei", "Kommt"]


@pytest.mark.config(QUALIFICATION_BUDGET_HOURS=20)
def test_trainer_sees_who_would_exceed_the_budget(new_session, make_user):
    busy, fresh = make_user("participant"), make_user("participant")
    long_one = new_session(title="Lang", dates=[(berlin(20, 8), berlin(20, 13))])  # 5 h
    registrations.enrol(busy, long_one.id)
    target = new_session(title="Ziel", dates=[(berlin(22, 8), berlin(22, 11))])  # 3 h
    db.session.commit()
    result = budget_by_user([busy.id, fresh.id], extra_session=target)
    assert result[busy.id] == {"total_hours": 14 + 5 + 3, "over_budget": True}
    assert result[fresh.id] == {"total_hours": 14 + 3, "over_budget": False}


def test_promotion_after_cancellation_mails_and_logs(new_session, make_user):
    session = new_session(capacity=1)
    a, b = make_user("participant"), make_user("participant")
    registrations.enrol(a, session.id)
    registrations.enrol(b, session.id)
    promoted = registrations.cancel(a, session.id)
    db.session.commit()
    assert promoted.status == "cancelled"
    assert (
        db.session.scalar(sa.select(AuditEntry.subject_id).filter_by(action="q2.promoted")) == b.id
    )
    assert (
        timedelta(0)
        <= registrations.registration_of(b, session).enrolled_at - promoted.cancelled_at
    )


def test_trainer_takes_someone_off_after_the_deadline_and_the_next_moves_up(
    trainer, new_session, make_user
):
    session = new_session(capacity=1, cancel_deadline=berlin(-1))
    a, b = make_user("participant"), make_user("participant")
    registrations.enrol(a, session.id)
    registrations.enrol(b, session.id)
    with pytest.raises(Q2Error, match="Nur die Trainerinnen"):
        registrations.cancel(a, session.id, actor=make_user("trainer"), reason="Krank")
    with pytest.raises(Q2Error, match="Grund"):
        registrations.cancel(a, session.id, actor=trainer)
    registrations.cancel(a, session.id, actor=trainer, reason="Hat telefonisch abgesagt.")
    db.session.commit()
    assert registrations.registration_of(b, session).status == "enrolled"
    assert _subjects(a)[-1] == (
        "Abmeldung durch die Trainerin / den Trainer: Experimentierräume moderieren"
    )
    mail = db.session.scalars(
        sa.select(OutboxMail).filter_by(recipient=a.email).order_by(OutboxMail.id.desc())
    ).first()
    assert "Grund: Hat telefonisch abgesagt." in mail.body
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="q2.removed"))
    assert (entry.actor_id, entry.subject_id) == (trainer.id, a.id)
    assert entry.details["reason"] == "Hat telefonisch abgesagt."


def test_q2_step_shows_attended_hours_and_what_is_missing(app, trainer, new_session, make_user):
    from lotse_lms.qualification.state import path_of

    def q2_step(user):
        """The Q2 step of the user's path."""
        (step,) = [s for s in path_of(user) if s.key == "q2"]
        return step

    lotse = make_user("participant")
    with app.test_request_context():
        assert q2_step(lotse).state == "open"
        session = new_session()
        registrations.enrol(lotse, session.id)
        assert q2_step(lotse).state == "started"
        move_to_past(session)
        attendance.record_attendance(
            registrations.registration_of(lotse, session), trainer, "present"
        )
        step = q2_step(lotse)
    assert step.state == "started" and step.progress == "3 von 12 Stunden besucht"
    assert step.missing == "noch 9 Stunden Anwesenheit"
