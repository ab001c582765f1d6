"""Space retention (nightly job) and the foundation's topic boards: delete an empty one, order."""

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from lotse_lms.community import notify, operations
from lotse_lms.community.models import BOARD, Attachment, Post, Space, Thread
from lotse_lms.community.notify_models import Notification
from lotse_lms.core import jobs
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from lotse_lms.privacy.operations import run_retention

from ..conftest import csrf_token, login

PDF = b"%PDF-1.4 alt"


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def _age(thread, days):
    """Move a thread's posts and activity ``days`` into the past."""
    then = utcnow() - timedelta(days=days)
    thread.created_at = thread.last_post_at = then
    db.session.execute(sa.update(Post).where(Post.thread_id == thread.id).values(created_at=then))


def test_the_foundation_sets_a_retention_and_the_nightly_job_deletes_old_threads(
    app, classroom, make_user
):
    space, participant, trainer = classroom["space"], classroom["participant"], classroom["trainer"]
    staff = _client(app, make_user("foundation"))
    path = f"/community/bereich/{space.id}/aufbewahrung"
    bad = staff.post(path, data={"days": "0", "csrf_token": csrf_token(staff, path)})
    assert "Bitte geben Sie 1 bis 3650 Tage an" in bad.get_data(as_text=True)
    done = staff.post(path, data={"days": "30", "csrf_token": csrf_token(staff, path)})
    assert done.status_code == 302
    db.session.expire_all()
    assert space.retention_days == 30
    assert "30 Tage nach dem letzten Beitrag" in staff.get(done.location).get_data(as_text=True)
    assert _client(app, trainer).get(path).status_code == 403
    old = operations.create_thread(space, participant, "Alt", "alt", [("alt.pdf", PDF)])
    operations.reply(old, trainer, "auch alt")
    _age(old, 31)
    old_id = old.id
    fresh_id = operations.create_thread(space, participant, "Neu", "neu").id
    revived = operations.create_thread(space, participant, "Wieder aktiv", "alt")
    _age(revived, 40)
    operations.reply(revived, trainer, "heute")  # the last post counts
    db.session.commit()
    jobs.run_pending(app)  # the fan-out: notifications in both threads
    stored = Path(app.config["DATA_DIR"], db.session.scalar(sa.select(Attachment.path)))
    assert stored.exists()
    counts = run_retention()
    db.session.commit()
    assert counts["community.spaces"] == 1
    titles = db.session.scalars(sa.select(Thread.title).order_by(Thread.id)).all()
    assert titles == ["Neu", "Wieder aktiv"]
    assert not stored.exists() and db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(Notification.thread_id == old_id)
        )
        == 0
    )
    assert notify.unread_count(participant) == 1  # the reply in the revived thread
    # Unlimited again: nothing else goes.
    staff.post(path, data={"days": "", "csrf_token": csrf_token(staff, path)})
    db.session.expire_all()
    assert space.retention_days is None
    _age(db.session.get(Thread, fresh_id), 400)
    db.session.commit()
    assert run_retention()["community.spaces"] == 0


def test_an_empty_board_is_deleted_one_with_threads_is_refused(app, make_user):
    operations.ensure_defaults()
    db.session.commit()
    admin = make_user("foundation")
    board = db.session.scalar(sa.select(Space).where(Space.kind == BOARD).order_by(Space.position))
    operations.create_thread(board, admin, "Hallo", "Erstes Thema")
    boards = db.session.scalars(
        sa.select(Space.id).where(Space.kind == BOARD).order_by(Space.position)
    ).all()
    db.session.commit()
    staff = _client(app, admin)
    token = csrf_token(staff, "/community/themenforen")
    refused = staff.post(f"/community/themenforen/{boards[0]}/loeschen", data={"csrf_token": token})
    page = staff.get(refused.location).get_data(as_text=True)
    assert "enthält noch 1 Thema" in page
    assert db.session.get(Space, boards[0]) is not None
    done = staff.post(f"/community/themenforen/{boards[1]}/loeschen", data={"csrf_token": token})
    assert "ist gelöscht" in staff.get(done.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Space, boards[1]) is None
    trainer = _client(app, make_user("trainer"))
    own = csrf_token(trainer, "/community/benachrichtigungen")
    answer = trainer.post(f"/community/themenforen/{boards[2]}/loeschen", data={"csrf_token": own})
    assert answer.status_code == 403


def test_the_foundation_moves_boards_up_and_down(app, make_user):
    operations.ensure_defaults()
    db.session.commit()
    staff = _client(app, make_user("foundation"))

    def order():
        db.session.expire_all()
        return db.session.scalars(
            sa.select(Space.name).where(Space.kind == BOARD).order_by(Space.position, Space.id)
        ).all()

    names = order()
    ids = dict(db.session.execute(sa.select(Space.name, Space.id).where(Space.kind == BOARD)).all())
    token = csrf_token(staff, "/community/themenforen")
    staff.post(
        f"/community/themenforen/{ids[names[2]]}/verschieben",
        data={"richtung": "hoch", "csrf_token": token},
    )
    assert order() == [names[0], names[2], names[1], *names[3:]]
    staff.post(
        f"/community/themenforen/{ids[names[0]]}/verschieben",
        data={"richtung": "hoch", "csrf_token": token},
    )
    assert order() == [names[0], names[2], names[1], *names[3:]]  # the first stays first
    staff.post(
        f"/community/themenforen/{ids[names[0]]}/verschieben",
        data={"richtung": "runter", "csrf_token": token},
    )
    assert order() == [names[2], names[0], names[1], *names[3:]]
    index = staff.get("/community/").get_data(as_text=True).split('id="kind-board"')[1]
    assert index.index(names[2]) < index.index(names[0]) < index.index(names[1])
