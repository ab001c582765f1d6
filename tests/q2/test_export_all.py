"""The export of all sessions: the same lines as each session's own export, streamed."""

from lotse_lms.extensions import db
from lotse_lms.modules.q2 import attendance, operations, registrations
from lotse_lms.modules.q2.queries import registrations_for

from .conftest import berlin, move_to_past


def csv_lines(client, path):
    """The lines of a CSV download, without the byte order mark and the header."""
    return client.get(path).get_data(as_text=True).lstrip("\ufeff").splitlines()[1:]


def test_export_all_has_every_session_s_own_lines_newest_first(
    client, login_as, trainer, new_session, make_user
):
    early = new_session(capacity=1, dates=[(berlin(10, 9), berlin(10, 12))])
    late = new_session(capacity=2, dates=[(berlin(20, 9), berlin(20, 12))])
    cancelled = new_session(capacity=1, dates=[(berlin(30, 9), berlin(30, 12))])
    for session in (early, late, cancelled):
        for name in ("Anna", "Bernd", "=Clara"):
            registrations.enrol(make_user("participant", name=name), session.id)
    db.session.commit()
    move_to_past(early, days=20)
    registration = next(r for r in registrations_for(early) if r.status == "enrolled")
    attendance.record_attendance(registration, trainer, "present", minutes=90)
    operations.cancel_session(cancelled, trainer, "Erkrankt")
    db.session.commit()

    login_as("foundation")
    everything = csv_lines(client, "/q2/manage/export.csv")
    own = {
        s.id: csv_lines(client, f"/q2/manage/{s.id}/participants.csv")
        for s in (early, late, cancelled)
    }
    assert everything == own[cancelled.id] + own[late.id] + own[early.id]
    assert sum("Termin abgesagt (war angemeldet)" in line for line in own[cancelled.id]) == 1
    assert any(";anwesend;1,50" in line for line in own[early.id])
    assert sum(";'=Clara;" in line for line in everything) == 3
