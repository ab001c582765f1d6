"""Community verbs called directly: spaces, threads, edits, solved, unread, announcements."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lotse_lms.community import operations, policy, queries
from lotse_lms.community.models import ANNOUNCEMENTS, BOARD, Post, PostRevision, Space, Thread
from lotse_lms.core.paging import Listing
from lotse_lms.extensions import db


def test_a_cohorts_klassenzimmer_is_created_once_and_belongs_to_its_members(
    classroom, other_classroom, make_user
):
    space = classroom["space"]
    assert operations.classroom_of(classroom["cohort"]).id == space.id
    assert space.name == "Frühjahr"
    for who in ("participant", "trainer", "mentor"):
        assert policy.may_read(classroom[who], space)
        assert policy.may_post(classroom[who], space)
    assert not policy.may_read(other_classroom["participant"], space)
    assert not policy.may_read(other_classroom["trainer"], space)
    assert policy.may_read(make_user("foundation"), space)
    assert policy.may_moderate(classroom["trainer"], space)
    assert not policy.may_moderate(classroom["mentor"], space)
    assert not policy.may_moderate(other_classroom["trainer"], space)


def test_the_lotsen_community_starts_with_the_foundations_boards(app, make_user):
    operations.ensure_defaults()
    operations.ensure_defaults()
    boards = db.session.scalars(
        sa.select(Space.name).where(Space.kind == BOARD).order_by(Space.position)
    ).all()
    assert boards == list(operations.SEED_BOARDS)
    mentor, participant = make_user("mentor"), make_user("participant")
    names = {s.kind for s in queries.visible_spaces(mentor)}
    assert names == {BOARD, ANNOUNCEMENTS}
    assert {s.kind for s in queries.visible_spaces(participant)} == {ANNOUNCEMENTS}


def test_a_new_thread_names_every_problem_at_once(classroom):
    with pytest.raises(operations.CommunityError) as caught:
        operations.create_thread(classroom["space"], classroom["participant"], " ", "  ")
    assert {field for field, _ in caught.value.errors} == {"title", "body"}
    with pytest.raises(operations.CommunityError) as caught:
        operations.create_thread(
            classroom["space"], classroom["participant"], "Zeile\nzwei", "x" * 20001
        )
    assert {field for field, _ in caught.value.errors} == {"title", "body"}


def test_replies_move_the_thread_and_a_locked_thread_takes_only_moderators(classroom):
    from lotse_lms.community import moderation

    space, participant, trainer = classroom["space"], classroom["participant"], classroom["trainer"]
    thread = operations.create_thread(space, participant, "Frage", "Wie *moderiere* ich?")
    post = operations.reply(thread, trainer, "So.")
    db.session.commit()
    assert thread.post_count == 2 and thread.last_post_id == post.id
    moderation.set_locked(thread, trainer, True)
    with pytest.raises(operations.CommunityError):
        operations.reply(thread, participant, "Noch etwas")
    operations.reply(thread, trainer, "Schlusswort")
    with pytest.raises(operations.CommunityError):
        moderation.set_locked(thread, participant, False)


def test_authors_edit_within_the_window_and_the_history_is_kept(classroom):
    participant = classroom["participant"]
    thread = operations.create_thread(classroom["space"], participant, "Titel", "erste Fassung")
    post = db.session.get(Post, thread.last_post_id)
    operations.edit_post(post, participant, "zweite Fassung")
    assert post.body == "zweite Fassung" and post.edited_at is not None
    assert [r.body for r in db.session.scalars(sa.select(PostRevision))] == ["erste Fassung"]
    with pytest.raises(operations.CommunityError):
        operations.edit_post(post, classroom["trainer"], "fremd")
    late = post.created_at + timedelta(minutes=31)
    with pytest.raises(operations.CommunityError):
        operations.edit_post(post, participant, "zu spät", now=late)


@pytest.mark.config(COMMUNITY_EDIT_MINUTES=120)
def test_the_edit_window_is_configurable(classroom):
    participant = classroom["participant"]
    thread = operations.create_thread(classroom["space"], participant, "Titel", "Text")
    post = db.session.get(Post, thread.last_post_id)
    later = post.created_at + timedelta(minutes=90)
    operations.edit_post(post, participant, "geändert", now=later)
    assert post.body == "geändert"


def test_the_asker_or_a_trainer_marks_the_accepted_answer(classroom, make_user):
    space, participant = classroom["space"], classroom["participant"]
    thread = operations.create_thread(space, participant, "Frage", "?")
    answer = operations.reply(thread, classroom["mentor"], "Antwort")
    with pytest.raises(operations.CommunityError):
        operations.mark_solved(thread, answer, classroom["mentor"])
    operations.mark_solved(thread, answer, participant)
    assert thread.solved_post_id == answer.id
    operations.mark_solved(thread, None, classroom["trainer"])
    assert thread.solved_post_id is None


def test_unread_threads_show_until_the_person_has_seen_the_newest_post(app, classroom, told):
    space, participant, trainer = classroom["space"], classroom["participant"], classroom["trainer"]
    thread = operations.create_thread(space, trainer, "Willkommen", "Hallo zusammen")
    told()  # the fan-out marks it read for its author
    with app.test_request_context("/community/neu"):
        listing = Listing.from_request("community.unread", {"recent": Thread.id})
        assert queries.page_of_unread(participant, listing) == [thread]
        assert queries.page_of_unread(trainer, listing) == []  # one's own post is read
        assert queries.space_counts(participant, [space]) == {space.id: (1, 1)}
        operations.mark_read(participant, thread, thread.last_post_id)
        operations.mark_read(participant, thread, 0)  # never backwards
        assert queries.page_of_unread(participant, listing) == []
        operations.reply(thread, trainer, "Nachtrag")
        assert queries.page_of_unread(participant, listing) == [thread]


def test_announcements_are_posted_by_trainers_and_shown_until_read(app, make_user):
    operations.ensure_defaults()
    space = db.session.scalar(sa.select(Space).where(Space.kind == ANNOUNCEMENTS))
    participant, trainer = make_user("participant"), make_user("trainer")
    with pytest.raises(operations.CommunityError):
        operations.create_thread(space, participant, "Hallo", "Text")
    thread = operations.create_thread(space, trainer, "Termine im Mai", "Bitte vormerken")
    assert queries.unread_announcements(participant) == [thread]
    operations.mark_read(participant, thread, thread.last_post_id)
    assert queries.unread_announcements(participant) == []


def test_foundation_adds_and_renames_topic_boards(app, make_user):
    staff = make_user("foundation")
    with pytest.raises(operations.CommunityError) as caught:
        operations.save_board(None, "", "x" * 501, staff)
    assert {f for f, _ in caught.value.errors} == {"name", "description"}
    board = operations.save_board(None, "Digitalisierung", "KI und mehr", staff)
    operations.save_board(board, "Digitalisierung & KI", "", staff)
    assert board.kind == BOARD and board.name == "Digitalisierung & KI"
