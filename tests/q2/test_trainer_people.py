"""Trainers record attendance per date and move people by hand; the CSV tells the real state."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.modules.q2 import attendance, moves, operations, queries, registrations
from lotse_lms.modules.q2.common import Q2Error, now_utc
from lotse_lms.modules.q2.models import DateAttendance, SessionRegistration
from lotse_lms.modules.q2.progress import q2_progress

from ..conftest import login
from .conftest import berlin, move_to_past


def _subjects(user):
    """Subjects of the mails to ``user``, oldest first."""
    return db.session.scalars(
        sa.select(OutboxMail.subject).filter_by(recipient=user.email).order_by(OutboxMail.id)
    ).all()


@pytest.fixture
def two_days(new_session, make_user):
    """A session on two dates (3 h and 2 h) that has taken place, with four enrolled Lotsen."""
    session = new_session(
        capacity=4, dates=[(berlin(14, 9), berlin(14, 12)), (berlin(15, 9), berlin(15, 11))]
    )
    names = ("Lena Lotsin", "Ben", "Cem", "Dora")
    regs = [registrations.enrol(make_user("participant", name=n), session.id) for n in names]
    db.session.commit()
    move_to_past(session)
    return session, regs


def test_attendance_per_date_adds_up_to_the_session_total(trainer, two_days):
    session, (a, b, c, _d) = two_days
    first, second = session.dates
    changed = attendance.record_dates(
        session,
        trainer,
        {
            (a.id, first.id): ("present", None),
            (a.id, second.id): ("present", 90),
            (b.id, first.id): ("absent", None),
            (b.id, second.id): ("present", None),
            (c.id, first.id): ("excused", None),
            (c.id, second.id): ("excused", None),
        },
    )
    db.session.commit()
    assert changed == 6
    totals = {
        r.id: (r.attendance, r.attended_minutes)
        for r in db.session.scalars(sa.select(SessionRegistration))
    }
    assert totals[a.id] == ("present", 270)
    assert totals[b.id] == ("present", 120)  # present on one date: the hours of that one count
    assert totals[c.id] == ("excused", 0)
    assert q2_progress(a.user)["attended_hours"] == 4.5
    # a correction of one date changes the total and is logged with both values
    attendance.record_dates(session, trainer, {(a.id, second.id): ("absent", None)})
    db.session.commit()
    assert db.session.get(SessionRegistration, a.id).attended_minutes == 180
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="q2.attendance_corrected"))
    assert entry.details["old"] == ["present", 90] and entry.details["new"] == ["absent", 0]


def test_one_bad_entry_stops_the_whole_save_and_every_error_is_named(trainer, two_days):
    session, (a, b, _c, _d) = two_days
    first, second = session.dates
    with pytest.raises(Q2Error) as refused:
        attendance.record_dates(
            session,
            trainer,
            {
                (a.id, first.id): ("present", 60),
                (a.id, second.id): ("present", 121),  # the date is 2 h long
                (b.id, first.id): ("vielleicht", None),
            },
        )
    fields = [name for name, _text in refused.value.errors]
    assert fields == [f"hours-{a.id}-{second.id}", f"status-{b.id}-{first.id}"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(DateAttendance.id))) == 0


def test_a_date_not_yet_begun_takes_no_attendance(trainer, new_session, make_user):
    session = new_session(dates=[(berlin(2, 9), berlin(2, 12)), (berlin(3, 9), berlin(3, 12))])
    begun = session.dates[0]
    begun.starts_at, begun.ends_at = now_utc() - timedelta(hours=4), now_utc() - timedelta(hours=1)
    db.session.commit()
    reg = SessionRegistration(
        session_id=session.id, user_id=make_user("participant").id, status="enrolled"
    )
    db.session.add(reg)
    db.session.flush()
    later = session.dates[1]
    with pytest.raises(Q2Error, match="erst ab Beginn") as refused:
        attendance.record_dates(session, trainer, {(reg.id, later.id): ("present", None)})
    assert refused.value.field == f"status-{reg.id}-{later.id}"
    assert attendance.record_attendance(reg, trainer, "present")  # the begun date only
    assert reg.attended_minutes == 180


def test_attendance_form_keeps_everything_on_an_error(client, post_form, trainer, two_days):
    session, regs = two_days
    first = session.dates[0]
    login(client, trainer.email)
    page = f"/q2/manage/{session.id}"
    data = {f"status-{r.id}-{first.id}": "present" for r in regs}
    data[f"hours-{regs[0].id}-{first.id}"] = "abc"
    data[f"hours-{regs[1].id}-{first.id}"] = "2,5"
    response = post_form(f"/q2/manage/{session.id}/attendance", data, page=page)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Die Stunden von Lena Lotsin sind keine Zahl." in text
    bad = f'id="hours-{regs[0].id}-{first.id}"'
    assert (
        f'{bad} name="hours-{regs[0].id}-{first.id}" type="text" inputmode="decimal" size="5" value="abc"'
        in text
    )
    assert f'aria-invalid="true" aria-describedby="hours-{regs[0].id}-{first.id}-error"' in text
    assert 'value="2,5"' in text and text.count('<option value="present" selected>') == 4
    assert db.session.scalar(sa.select(sa.func.count(DateAttendance.id))) == 0
    data[f"hours-{regs[0].id}-{first.id}"] = "3"
    done = post_form(f"/q2/manage/{session.id}/attendance", data, page=page, follow_redirects=True)
    assert "4 Änderungen gespeichert." in done.get_data(as_text=True)
    one = dict(data, **{f"status-{regs[3].id}-{first.id}": "excused"})
    again = post_form(f"/q2/manage/{session.id}/attendance", one, page=page, follow_redirects=True)
    assert "1 Änderung gespeichert." in again.get_data(as_text=True)


def test_trainer_admits_from_the_waiting_list_even_when_full(trainer, new_session, make_user):
    session = new_session(capacity=1)
    first, second = make_user("participant"), make_user("participant", name="Wanda Warte")
    registrations.enrol(first, session.id)
    waiting = registrations.enrol(second, session.id)
    with pytest.raises(Q2Error, match="Nur die Trainerinnen"):
        moves.admit(waiting, make_user("trainer"))
    moves.admit(waiting, trainer)
    db.session.commit()
    assert registrations.registration_of(second, session).status == "enrolled"
    assert session.capacity == 2 and queries.enrolled_count(session) == 2
    assert _subjects(second)[-1] == "Anmeldung bestätigt: Experimentierräume moderieren"
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "q2.capacity_raised" in actions and actions[-1] == "q2.admitted"
    with pytest.raises(Q2Error, match="nicht auf der Warteliste"):
        moves.admit(waiting, trainer)


def test_trainer_adds_a_person_after_the_deadline(
    client, post_form, trainer, new_session, make_user
):
    session = new_session()
    session.enrol_deadline = now_utc() - timedelta(hours=1)
    db.session.commit()
    lotse = make_user("participant", name="Nele Nachzüglerin", email="nele@example.org")
    login(client, trainer.email)
    page = f"/q2/manage/{session.id}"
    unknown = post_form(f"/q2/manage/{session.id}/add", {"email": "niemand@example.org"}, page=page)
    assert unknown.status_code == 422
    assert "keine teilnehmende Person registriert" in unknown.get_data(as_text=True)
    done = post_form(
        f"/q2/manage/{session.id}/add",
        {"email": " Nele@example.org "},
        page=page,
        follow_redirects=True,
    )
    assert "Nele Nachzüglerin ist angemeldet und wurde benachrichtigt." in done.get_data(
        as_text=True
    )
    assert registrations.registration_of(lotse, session).status == "enrolled"
    assert _subjects(lotse)[-1] == "Anmeldung bestätigt: Experimentierräume moderieren"
    twice = post_form(f"/q2/manage/{session.id}/add", {"email": "nele@example.org"}, page=page)
    assert "bereits angemeldet" in twice.get_data(as_text=True)


def test_csv_of_a_cancelled_session_does_not_call_people_enrolled(
    client, login_as, trainer, new_session, make_user
):
    session = new_session(capacity=1)
    registrations.enrol(make_user("participant", name="Erste"), session.id)
    registrations.enrol(make_user("participant", name="Zweite"), session.id)
    operations.cancel_session(session, trainer, "Raum fehlt")
    db.session.commit()
    login_as("foundation")
    lines = client.get(f"/q2/manage/{session.id}/participants.csv").get_data(as_text=True)
    lines = lines.lstrip("\ufeff").splitlines()
    assert ";Termin abgesagt (war angemeldet);" in lines[1]
    assert ";Termin abgesagt (war Warteliste);;" in lines[2]
    assert not any(";angemeldet;" in line for line in lines)


def test_dropping_a_date_drops_its_attendance_from_the_total(trainer, two_days):
    session, (a, *_rest) = two_days
    first, second = session.dates
    attendance.record_dates(
        session,
        trainer,
        {(a.id, first.id): ("present", None), (a.id, second.id): ("present", None)},
    )
    db.session.commit()
    assert db.session.get(SessionRegistration, a.id).attended_minutes == 300
    data = operations.copy_data(session, shift=timedelta(0))
    data["dates"] = data["dates"][:1]
    operations.update_session(session, trainer, data)
    db.session.commit()
    assert db.session.get(SessionRegistration, a.id).attended_minutes == 180
    assert db.session.scalars(sa.select(DateAttendance.date_id)).all() == [first.id]


def test_participants_page_queries_do_not_grow_with_people(
    client, count_queries, trainer, new_session, make_user
):
    def page_with(people):
        """Queries of the participants page of a held two-date session with ``people`` enrolled."""
        session = new_session(
            capacity=20, dates=[(berlin(14, 9), berlin(14, 12)), (berlin(15, 9), berlin(15, 11))]
        )
        regs = [registrations.enrol(make_user("participant"), session.id) for _ in range(people)]
        db.session.commit()
        move_to_past(session)
        first = session.dates[0]
        attendance.record_dates(
            session, trainer, {(r.id, first.id): ("present", None) for r in regs}
        )
        db.session.commit()
        count, response = count_queries(client.get, f"/q2/manage/{session.id}")
        assert response.status_code == 200
        return count

    login(client, trainer.email)
    assert page_with(2) == page_with(8)
