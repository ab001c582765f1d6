"""Pre-moderation: the first posts of new members wait for a moderator."""

import pytest
import sqlalchemy as sa

from lotse_lms.community import moderation, notify, operations
from lotse_lms.community.models import PENDING, REJECTED, Post, Thread
from lotse_lms.core import jobs
from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db

from ..conftest import csrf_token, login

pytestmark = pytest.mark.config(COMMUNITY_PREMODERATE_POSTS=2)


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_a_new_members_thread_waits_and_is_published_on_approval(app, classroom):
    participant, trainer, mentor = (classroom[k] for k in ("participant", "trainer", "mentor"))
    space = classroom["space"]
    author = _client(app, participant)
    path = f"/community/bereich/{space.id}/thema"
    sent = author.post(
        path,
        data={
            "title": "Erste Frage",
            "body": f"Hallo @{mentor.name}, wie fange ich an?",
            "action": "send",
            "csrf_token": csrf_token(author, path),
        },
    )
    assert sent.status_code == 302
    thread = db.session.scalar(sa.select(Thread))
    post = db.session.scalar(sa.select(Post))
    assert thread.pending and post.review == PENDING
    own = author.get(sent.location).get_data(as_text=True)
    assert "wartet auf Freigabe" in own and "wie fange ich an?" in own
    assert "Erste Frage" in author.get(f"/community/bereich/{space.id}").get_data(as_text=True)
    other = _client(app, mentor)
    assert "Erste Frage" not in other.get(f"/community/bereich/{space.id}").get_data(as_text=True)
    assert other.get(f"/community/thema/{thread.id}").status_code == 404
    jobs.run_pending(app)
    assert notify.unread_count(mentor) == 0  # nobody is told before the approval
    # The trainer finds it in the queue and lets it through.
    moderator = _client(app, trainer)
    queue = moderator.get("/community/moderation/freigabe").get_data(as_text=True)
    assert "wie fange ich an?" in queue
    token = csrf_token(moderator, "/community/moderation/freigabe")
    assert (
        moderator.post(
            f"/community/beitrag/{post.id}/freigeben", data={"csrf_token": token}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert not thread.pending and post.review is None and thread.post_count == 1
    assert jobs.run_pending(app) == 1  # the fan-out the approval enqueued
    assert notify.unread_count(mentor) == 1  # the mention, told on approval
    assert "wie fange ich an?" in other.get(f"/community/thema/{thread.id}").get_data(as_text=True)
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "community.post_approved")
    )
    assert entry.subject_id == participant.id and "fange" not in str(entry.details)


def test_a_rejected_reply_shows_its_reason_to_the_author_only(app, classroom):
    participant, trainer, mentor = (classroom[k] for k in ("participant", "trainer", "mentor"))
    thread = operations.create_thread(classroom["space"], trainer, "Runde", "Wer kommt?")
    post = operations.reply(thread, participant, "Kauft bei mir!")
    db.session.commit()
    assert post.review == PENDING and thread.post_count == 1
    jobs.run_pending(app)
    assert notify.unread_count(trainer) == 0
    moderator = _client(app, trainer)
    shown = moderator.get(f"/community/thema/{thread.id}").get_data(as_text=True)
    assert "Kauft bei mir!" in shown and "wartet auf Freigabe" in shown  # to moderators
    assert f"/community/beitrag/{post.id}/freigeben" in shown
    path = f"/community/beitrag/{post.id}/ablehnen"
    empty = moderator.post(path, data={"reason": " ", "csrf_token": csrf_token(moderator, path)})
    assert "Bitte nennen Sie einen Grund." in empty.get_data(as_text=True)
    done = moderator.post(
        path, data={"reason": "Werbung", "csrf_token": csrf_token(moderator, path)}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert post.review == REJECTED and post.hidden_reason == "Werbung"
    own = _client(app, participant).get(f"/community/thema/{thread.id}").get_data(as_text=True)
    assert "Von der Moderation nicht freigegeben. Grund: Werbung" in own
    page = _client(app, mentor).get(f"/community/thema/{thread.id}").get_data(as_text=True)
    assert "Kauft" not in page and "Werbung" not in page
    jobs.run_pending(app)
    assert notify.unread_count(trainer) == 0 and notify.unread_count(mentor) == 0
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "community.post_rejected")
    )
    assert "Kauft" not in str(entry.details) and "Werbung" not in str(entry.details)
    with pytest.raises(operations.CommunityError):
        moderation.approve_post(post, trainer)  # no longer waiting


def test_after_n_approved_posts_and_for_moderators_nothing_waits(app, classroom, make_user):
    from ..cohorts.conftest import join

    participant, trainer = classroom["participant"], classroom["trainer"]
    thread = operations.create_thread(classroom["space"], trainer, "Runde", "Los")
    assert not thread.pending  # moderators of the space are never held
    for text in ("eins", "zwei"):
        post = operations.reply(thread, participant, text)
        assert post.review == PENDING
        moderation.approve_post(post, trainer)
    third = operations.reply(thread, participant, "drei")
    assert third.review is None and thread.post_count == 4
    db.session.commit()
    newcomer = make_user("participant")
    join(classroom["cohort"], [newcomer])
    waiting = operations.reply(thread, newcomer, "Neu hier")
    db.session.commit()
    moderator = _client(app, trainer)
    path = f"/community/thema/{thread.id}"
    back = moderator.post(
        f"/community/beitrag/{waiting.id}/freigeben",
        data={"zurueck": "thema", "csrf_token": csrf_token(moderator, path)},
    )
    assert back.location.endswith(f"{path}#post-{waiting.id}")
    db.session.expire_all()
    assert waiting.review is None
    mentor = _client(app, classroom["mentor"])
    assert mentor.get("/community/moderation/freigabe").status_code == 403
    with pytest.raises(operations.CommunityError):
        moderation.approve_post(third, participant)


@pytest.mark.config(COMMUNITY_PREMODERATE_POSTS=0)
def test_zero_turns_pre_moderation_off(app, classroom):
    thread = operations.create_thread(classroom["space"], classroom["participant"], "Hallo", "Hi")
    assert not thread.pending and db.session.scalar(sa.select(Post.review)) is None


def test_the_approval_queue_costs_the_same_queries_however_many_wait(
    app, classroom, make_user, count_queries
):
    from ..cohorts.conftest import join

    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Runde", "Los")
    operations.reply(thread, classroom["participant"], "Ich warte.", [("a.pdf", b"%PDF-1 a")])
    db.session.commit()
    moderator = _client(app, classroom["trainer"])
    few, page = count_queries(moderator.get, "/community/moderation/freigabe")
    assert "Ich warte." in page.get_data(as_text=True)
    newcomers = [make_user("participant") for _ in range(6)]
    join(classroom["cohort"], newcomers)
    for person in newcomers:
        operations.reply(thread, person, "Hallo!", [("b.pdf", b"%PDF-1 b")])
    db.session.commit()
    many, page = count_queries(moderator.get, "/community/moderation/freigabe")
    assert page.get_data(as_text=True).count("Hallo!") == 6 and many == few


def test_an_erased_newcomers_waiting_post_leaves_the_queue(app, classroom):
    from lotse_lms.community.privacy import erase_community

    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Runde", "Los")
    post = operations.reply(thread, classroom["participant"], "Ich warte.")
    erase_community(classroom["participant"])
    db.session.commit()
    db.session.expire_all()
    assert post.review == REJECTED and post.body == "" and post.author_id is None
    queue = _client(app, classroom["trainer"]).get("/community/moderation/freigabe")
    assert "Keine Beiträge warten auf Freigabe." in queue.get_data(as_text=True)
