"""Community notifications: who is told, the list and badge, settings, mails and digests."""

import sqlalchemy as sa

from lotse_lms.community import moderation, notify, operations
from lotse_lms.community.notify_models import FOLLOW, MENTION, MUTE, REPLY, Notification
from lotse_lms.core import jobs
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db

from ..conftest import csrf_token, login


def _notes(user):
    """(kind, post id) of the user's notifications, oldest first."""
    return db.session.execute(
        sa.select(Notification.kind, Notification.post_id)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    ).all()


def _mails(user):
    """The outbox mails to ``user``."""
    return db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.recipient == user.email).order_by(OutboxMail.id)
    ).all()


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_replies_notify_the_author_and_posters_but_never_the_writer(classroom, told):
    participant, trainer, mentor = (classroom[k] for k in ("participant", "trainer", "mentor"))
    thread = operations.create_thread(classroom["space"], participant, "Frage", "Wie?")
    told()
    assert _notes(participant) == []
    answer = operations.reply(thread, trainer, "So.")
    assert _notes(participant) == []  # the request only enqueues the fan-out
    assert told() == 1
    assert _notes(participant) == [(REPLY, answer.id)]
    assert _notes(trainer) == [] and _notes(mentor) == []
    again = operations.reply(thread, participant, "Danke!")
    told()
    assert _notes(trainer) == [(REPLY, again.id)]
    assert len(_notes(participant)) == 1  # not told of her own post


def test_a_mention_reaches_members_of_the_space_only(classroom, other_classroom, make_user, told):
    participant, mentor = classroom["participant"], classroom["mentor"]
    stranger = other_classroom["participant"]
    thread = operations.create_thread(
        classroom["space"],
        participant,
        "Hallo",
        f"@{mentor.name} und @{stranger.email.split('@')[0]} und @{stranger.name}, schaut mal",
    )
    told()
    assert _notes(mentor) == [(MENTION, thread.last_post_id)]
    assert _notes(stranger) == []  # cannot read this Klassenzimmer: never told
    by_address = operations.reply(thread, classroom["trainer"], f"@{mentor.email.split('@')[0]}!")
    told()
    assert _notes(mentor)[-1] == (MENTION, by_address.id)


def test_a_reply_costs_the_same_queries_however_many_took_part(
    classroom, make_user, count_queries, told
):
    from ..cohorts.conftest import join

    space, trainer = classroom["space"], classroom["trainer"]
    thread = operations.create_thread(space, classroom["participant"], "Runde", "Wer kommt?")
    operations.reply(thread, classroom["mentor"], "Ich.")
    operations.reply(thread, trainer, "Ich leite.")  # her read marker exists from now on
    told()
    few, _ = count_queries(operations.reply, thread, trainer, "Gut.")
    few_job, _ = count_queries(told)
    others = [make_user("participant") for _ in range(8)]
    join(classroom["cohort"], others)
    for person in others:
        operations.reply(thread, person, "Ich auch.")
    told()
    many, _ = count_queries(operations.reply, thread, trainer, "Prima.")
    many_job, _ = count_queries(told)
    assert many == few and many_job == few_job
    assert len(_notes(others[0])) == 8  # the seven replies after hers and the trainer's


def test_followers_hear_of_every_post_and_a_muted_thread_is_silent(classroom, told):
    participant, trainer, mentor = (classroom[k] for k in ("participant", "trainer", "mentor"))
    thread = operations.create_thread(classroom["space"], participant, "Termine", "Wann?")
    told()
    notify.set_watch(mentor, thread, FOLLOW)
    notify.set_watch(participant, thread, MUTE)
    post = operations.reply(thread, trainer, f"Morgen, @{participant.name}.")
    told()
    assert _notes(mentor) == [(REPLY, post.id)]
    assert _notes(participant) == []
    notify.set_watch(participant, thread, None)
    post = operations.reply(thread, trainer, "Um 10 Uhr.")
    told()
    assert _notes(participant) == [(REPLY, post.id)]
    assert notify.watch_of(mentor, thread) == FOLLOW


def test_mention_notification_and_daily_digest_through_the_job_runner(app, classroom):
    participant, trainer, mentor = (classroom[k] for k in ("participant", "trainer", "mentor"))
    thread = operations.create_thread(classroom["space"], trainer, "Start", f"@{mentor.name}?")
    operations.reply(thread, participant, f"@{mentor.name}, bitte auch hier.")
    db.session.commit()
    assert _mails(mentor) == []  # täglich by default: nothing in the request
    jobs.enqueue("community.daily_digest")
    assert jobs.run_pending(app) >= 1
    mails = _mails(mentor)
    assert len(mails) == 1 and "2 neue" in mails[0].subject
    assert mails[0].body.count("hat Sie erwähnt") == 2 and "„Start“" in mails[0].body
    assert [m.subject for m in _mails(trainer)] == ["Community: 1 neue Benachrichtigung"]
    # A rerun repeats nothing; a new post is in the next digest, and only it.
    jobs.enqueue("community.daily_digest")
    jobs.run_pending(app)
    assert len(_mails(mentor)) == 1
    operations.reply(thread, trainer, f"@{mentor.name} noch eins")
    db.session.commit()
    jobs.run_pending(app)  # the fan-out of the reply
    assert notify.send_daily() >= 1
    assert len(_mails(mentor)) == 2 and _mails(mentor)[1].body.count("erwähnt") == 1
    assert notify.send_daily() == 0
    hidden = operations.reply(thread, participant, f"@{mentor.name} Werbung")
    db.session.commit()
    jobs.run_pending(app)  # told before it is hidden
    moderation.hide_post(hidden, trainer, "Werbung")
    db.session.commit()
    assert notify.send_daily() == 0 and len(_mails(mentor)) == 2  # hidden: no mail


def test_delivery_settings_sofort_weekly_and_off(app, classroom):
    participant, trainer, mentor = (classroom[k] for k in ("participant", "trainer", "mentor"))
    notify.set_delivery(participant, "now")
    notify.set_delivery(mentor, "weekly")
    notify.set_delivery(trainer, "off")
    thread = operations.create_thread(classroom["space"], participant, "Frage", "?")
    operations.reply(thread, trainer, f"@{mentor.name} weißt du das?")
    operations.reply(thread, mentor, "Ja.")
    db.session.commit()
    assert _mails(participant) == []  # nothing in the request: the fan-out job queues them
    jobs.run_pending(app)
    assert len(_mails(participant)) == 2  # sofort: one per notification, queued at once
    assert notify.send_daily() == 0  # nobody here takes the daily digest
    assert notify.send_weekly() == 1 and len(_mails(mentor)) == 1
    assert _mails(trainer) == [] and notify.send_weekly() == 0


def test_list_badge_open_and_mark_all_read(app, classroom, count_queries):
    participant, trainer = classroom["participant"], classroom["trainer"]
    thread = operations.create_thread(classroom["space"], participant, "Frage", "Wie?")
    operations.reply(thread, trainer, "Erstens.")
    db.session.commit()
    jobs.run_pending(app)
    client = _client(app, participant)
    page = client.get("/community/benachrichtigungen").get_data(as_text=True)
    assert "hat geantwortet" in page and "Frage" in page
    assert 'nav-badge">1<' in page
    first, _ = count_queries(client.get, "/community/benachrichtigungen")
    for n in range(12):
        operations.reply(thread, trainer, f"Antwort {n}")
    db.session.commit()
    jobs.run_pending(app)
    many, response = count_queries(client.get, "/community/benachrichtigungen")
    assert response.status_code == 200 and many == first
    note = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == participant.id)
    ).first()
    answer = client.get(f"/community/benachrichtigungen/{note.id}")
    assert answer.status_code == 302 and f"#post-{note.post_id}" in answer.location
    assert notify.unread_count(participant) == 12
    other = _client(app, trainer)
    assert other.get(f"/community/benachrichtigungen/{note.id}").status_code == 404
    token = csrf_token(client, "/community/benachrichtigungen")
    client.post("/community/benachrichtigungen/gelesen", data={"csrf_token": token})
    assert notify.unread_count(participant) == 0
    assert "nav-badge" not in client.get("/community/").get_data(as_text=True)
    operations.reply(thread, trainer, "Noch etwas.")
    db.session.commit()
    jobs.run_pending(app)
    assert notify.unread_count(participant) == 1
    client.get(f"/community/thema/{thread.id}")  # read in the thread itself
    assert notify.unread_count(participant) == 0


def test_settings_page_and_follow_buttons(app, classroom):
    participant, mentor = classroom["participant"], classroom["mentor"]
    thread = operations.create_thread(classroom["space"], participant, "Frage", "Wie?")
    db.session.commit()
    client = _client(app, mentor)
    path = "/community/benachrichtigungen/einstellungen"
    page = client.get(path).get_data(as_text=True)
    assert '<input checked id="delivery-1"' in page  # täglich by default
    token = csrf_token(client, path)
    assert client.post(path, data={"delivery": "bogus", "csrf_token": token}).status_code == 200
    assert notify.delivery_of(mentor) == "daily"
    client.post(path, data={"delivery": "weekly", "csrf_token": token})
    assert notify.delivery_of(mentor) == "weekly"
    thread_path = f"/community/thema/{thread.id}"
    token = csrf_token(client, thread_path)
    client.post(thread_path + "/folgen", data={"mode": "follow", "csrf_token": token})
    assert notify.watch_of(mentor, thread) == FOLLOW
    assert "Nicht mehr folgen" in client.get(thread_path).get_data(as_text=True)
    client.post(thread_path + "/folgen", data={"mode": "", "csrf_token": token})
    assert notify.watch_of(mentor, thread) is None


def test_export_and_erasure_cover_notifications(app, classroom):
    from lotse_lms.community.privacy import erase_community, export_community

    participant, trainer = classroom["participant"], classroom["trainer"]
    thread = operations.create_thread(classroom["space"], participant, "Frage", "Wie?")
    operations.reply(thread, trainer, "So.")
    db.session.commit()
    jobs.run_pending(app)
    notify.set_delivery(participant, "weekly")
    notify.set_watch(participant, thread, FOLLOW)
    data = export_community(participant).data
    assert [n["thread"] for n in data["notifications"]] == ["Frage"]
    assert data["notification_mails"] == "weekly"
    assert data["followed_or_muted_threads"] == [{"thread": "Frage", "mode": FOLLOW}]
    erase_community(participant)
    assert _notes(participant) == []
    assert (
        notify.delivery_of(participant) == "daily" and notify.watch_of(participant, thread) is None
    )


def test_followers_mailed_at_once_cost_no_statement_each_and_their_mails_link_their_note(
    app, classroom, make_user, count_queries, told
):
    from ..cohorts.conftest import join

    space, trainer = classroom["space"], classroom["trainer"]
    thread = operations.create_thread(space, trainer, "Termine", "Bitte eintragen.")
    db.session.commit()

    def followers(count):
        people = [make_user("participant") for _ in range(count)]
        join(classroom["cohort"], people)
        for n, person in enumerate(people):
            notify.set_watch(person, thread, FOLLOW)
            if n % 2 == 0:
                notify.set_delivery(person, "now")
        db.session.commit()
        return people

    few_people = followers(2)
    told()
    few, _ = count_queries(operations.reply, thread, trainer, "Erste Runde.")
    db.session.commit()
    # The fan-out job alone (the first on the queue; it queues the mail job after it).
    few_job, _ = count_queries(jobs.run_pending, app, 1)
    told()  # the mail job it queued
    many_people = followers(12)
    many, post = count_queries(operations.reply, thread, trainer, "Zweite Runde.")
    db.session.commit()
    many_job, _ = count_queries(jobs.run_pending, app, 1)
    # The request: the post, its search terms and the thread's counters (and the thread and
    # author loaded again after the commit, who may post); the job the rest.
    assert many == few <= 6, (few, many)
    assert many_job == few_job <= 12, (few_job, many_job)
    for n, person in enumerate(few_people + many_people):
        note = db.session.scalars(
            sa.select(Notification).where(
                Notification.user_id == person.id, Notification.post_id == post.id
            )
        ).one()
        mails = [m for m in _mails(person) if "Zweite Runde" in m.body]
        if n % 2 == 0:  # "sofort": one mail now, linking this very notification
            assert note.mailed_at is not None
            assert len(mails) == 1 and f"/community/benachrichtigungen/{note.id}" in mails[0].body
            assert "Termine" in mails[0].subject
        else:  # the digest tells them later
            assert note.mailed_at is None and mails == []
    assert db.session.get(type(thread), thread.id).post_count == 3
