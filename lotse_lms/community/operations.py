"""Verbs of the community: spaces, threads, posts, edits, "Frage gelöst", read markers."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..core import audit, jobs
from ..core.errors import Refusal, collect
from ..core.text import check_single_line
from ..core.timeutil import utcnow
from ..extensions import db
from . import attachments, notify, policy, search
from .models import (
    ANNOUNCEMENTS,
    BOARD,
    CLASSROOM,
    PENDING,
    REJECTED,
    Post,
    PostRevision,
    ReadMark,
    Report,
    Space,
    Thread,
)
from .notify_models import Notification, ThreadWatch

#: The topic boards the Lotsen-Community starts with (the foundation adds and renames more).
SEED_BOARDS = ("Moderation", "Technik", "Megatrends", "Experimentierräume", "Fördermittel")
MAX_TITLE, MAX_BODY = 200, 20000
#: The job that tells the readers of new posts (see :func:`fan_out`).
FAN_OUT = "community.fan_out"
#: The catch-up job takes over posts whose fan-out has not run after this long (queue down).
CATCH_UP_AFTER = timedelta(minutes=5)


class CommunityError(Refusal):
    """A request in the community that cannot be carried out."""


def ensure_defaults():
    """Create the announcements space and the seed boards once (flushed); returns nothing."""
    if db.session.scalar(sa.select(Space.id).where(Space.kind == ANNOUNCEMENTS)):
        return
    db.session.add(Space(kind=ANNOUNCEMENTS, name=_("Ankündigungen")))
    for position, name in enumerate(SEED_BOARDS):
        db.session.add(Space(kind=BOARD, name=name, position=position))
    db.session.flush()


def save_board(board, name, description, actor):
    """Create (``board`` None) or rename a topic board of the Lotsen-Community (flushed)."""
    name, description = (name or "").strip(), (description or "").strip()
    with collect(CommunityError) as refuse:
        refuse.check(check_single_line, name, "name", CommunityError)
        if not name:
            refuse(_("Bitte geben Sie einen Namen an."), "name")
        elif len(name) > 120:
            refuse(_("Der Name ist zu lang (höchstens 120 Zeichen)."), "name")
        if len(description) > 500:
            refuse(_("Die Beschreibung ist zu lang (höchstens 500 Zeichen)."), "description")
    if board is None:
        last = db.session.scalar(sa.select(sa.func.max(Space.position)).where(Space.kind == BOARD))
        board = Space(kind=BOARD, position=(last or 0) + 1)
        db.session.add(board)
    board.name, board.description = name, description
    db.session.flush()
    audit.record("community.board_saved", board, actor=actor)
    return board


MAX_RETENTION_DAYS = 3650


def set_retention(space, days, actor):
    """Keep threads of ``space`` for ``days`` days after their last post (None: unlimited)."""
    if days is not None and not 1 <= days <= MAX_RETENTION_DAYS:
        raise CommunityError(
            _(
                "Bitte geben Sie 1 bis %(max)d Tage an oder lassen Sie das Feld leer.",
                max=MAX_RETENTION_DAYS,
            ),
            "days",
        )
    space.retention_days = days
    audit.record("community.retention_set", space, actor=actor, days=days)
    db.session.flush()


def delete_threads(thread_ids):
    """Delete the threads selected by ``thread_ids`` (a select of ids) with their posts,
    edits, files, reports, read markers, notifications and follows; returns the stored
    paths of their files (to remove once the transaction is committed)."""
    ids = list(db.session.scalars(thread_ids))
    if not ids:
        return []
    posts = sa.select(Post.id).where(Post.thread_id.in_(ids))
    paths = attachments.delete_of_posts(posts)
    search.forget_posts(posts)
    for model in (PostRevision, Report):
        db.session.execute(sa.delete(model).where(model.post_id.in_(posts)))
    for model in (Notification, ReadMark, ThreadWatch):
        db.session.execute(sa.delete(model).where(model.thread_id.in_(ids)))
    db.session.execute(sa.delete(Post).where(Post.thread_id.in_(ids)))
    db.session.execute(sa.delete(Thread).where(Thread.id.in_(ids)))
    return paths


def expire_threads(now):
    """The retention: delete the threads whose last post is older than their space's
    retention period; returns how many."""
    spaces = db.session.execute(
        sa.select(Space.id, Space.retention_days).where(Space.retention_days.is_not(None))
    ).all()
    removed = 0
    for space_id, days in spaces:
        cutoff = now - timedelta(days=days)
        ids = sa.select(Thread.id).where(
            Thread.space_id == space_id,
            Thread.last_post_at < cutoff,
        )
        count = len(db.session.scalars(ids).all())
        attachments.discard(delete_threads(ids))
        removed += count
    db.session.flush()
    return removed


def delete_board(board, actor):
    """Delete an empty topic board; one with threads is refused (move or delete them first)."""
    threads = db.session.scalar(
        sa.select(sa.func.count(Thread.id)).where(Thread.space_id == board.id)
    )
    if threads:
        raise CommunityError(
            ngettext(
                "Das Themenforum „%(name)s“ enthält noch %(num)d Thema und wird nicht gelöscht.",
                "Das Themenforum „%(name)s“ enthält noch %(num)d Themen und wird nicht gelöscht.",
                threads,
                name=board.name,
            )
        )
    audit.record("community.board_deleted", board, actor=actor, name=board.name)
    db.session.delete(board)
    db.session.flush()


def move_board(board, up, actor):
    """Move a topic board one place up or down in the order of the community page."""
    boards = db.session.scalars(
        sa.select(Space).where(Space.kind == BOARD).order_by(Space.position, Space.id)
    ).all()
    at = boards.index(board)
    other = at - 1 if up else at + 1
    if 0 <= other < len(boards):
        boards[at], boards[other] = boards[other], boards[at]
    for position, each in enumerate(boards):
        each.position = position
    audit.record("community.board_moved", board, actor=actor, position=board.position)
    db.session.flush()


def classroom_of(cohort):
    """The Klassenzimmer of ``cohort``, created the first time it is asked for."""
    space = db.session.scalar(sa.select(Space).where(Space.cohort_id == cohort.id))
    if space is not None:
        return space
    try:
        with db.session.begin_nested():
            space = Space(kind=CLASSROOM, cohort_id=cohort.id, name=cohort.name)
            db.session.add(space)
    except IntegrityError:  # another request created it at the same moment
        space = db.session.scalar(sa.select(Space).where(Space.cohort_id == cohort.id))
    return space


def _check_text(title, body, with_title, files=()):
    """Refuse an empty or too long title and body and unacceptable files, all at once;
    returns the checked files."""
    checked = []
    with collect(CommunityError) as refuse:
        if files:
            checked = refuse.check(attachments.check_files, files, CommunityError) or []
        if with_title:
            refuse.check(check_single_line, title, "title", CommunityError)
            if not title:
                refuse(_("Bitte geben Sie einen Titel an."), "title")
            elif len(title) > MAX_TITLE:
                refuse(_("Der Titel ist zu lang (höchstens 200 Zeichen)."), "title")
        if not body.strip():
            refuse(_("Bitte schreiben Sie einen Text."), "body")
        elif len(body) > MAX_BODY:
            refuse(_("Der Text ist zu lang (höchstens 20.000 Zeichen)."), "body")
    return checked


def needs_review(author, space):
    """True while ``author``'s posts wait for a moderator: fewer than
    COMMUNITY_PREMODERATE_POSTS of theirs are published (0: no pre-moderation). Those who
    moderate the space are never held."""
    limit = current_app.config["COMMUNITY_PREMODERATE_POSTS"]
    if not limit or policy.may_moderate(author, space):
        return False
    # Counts at most ``limit`` rows: an active author's long history is not read each time.
    published = sa.select(Post.id).where(Post.author_id == author.id, Post.review.is_(None))
    counted = db.session.scalar(
        sa.select(sa.func.count()).select_from(published.limit(limit).subquery())
    )
    return counted < limit


#: A new post's row, written by one INSERT … RETURNING built once (not by the unit of work):
#: timed in-process on SQLite, per post 0.74 ms with the flush, 0.28 ms so (0.86 and 0.41 ms on
#: PostgreSQL), the search terms included.
_INSERT_POST = sa.insert(Post.__table__).returning(Post.__table__.c.id)


def _add_post(thread, author, body, checked, held):
    """Add a post to ``thread`` with its search terms and checked files (written); a ``held``
    post waits for a moderator (no counters, no notifications until :func:`publish`)."""
    values = {
        "thread_id": thread.id,
        "author_id": author.id,
        "body": body,
        "created_at": utcnow(),
        "edited_at": None,
        "hidden_reason": None,
        "hidden_by_id": None,
        "review": PENDING if held else None,
        "notified_at": None,
    }
    post = Post(id=db.session.execute(_INSERT_POST, values).scalar_one(), **values)
    make_transient_to_detached(post)  # the row as written: in the session, nothing to flush
    db.session.add(post)
    search.index_written(post, thread)
    attachments.attach(post, checked)
    if not held:
        publish(post)
    return post


def publish(post):
    """Count a post in its thread (written) and, once the transaction is committed, hand it
    to the fan-out job (:func:`fan_out`: the author's read marker, notifications, mails).

    The request writes the post and the counters only; the people concerned are told by the
    job a moment later (the post is visible and found by the search at once)."""
    _count_in_thread(post.thread, post)
    jobs.after_commit(FAN_OUT, post.id)


def fan_out(post_ids):
    """The job of new published posts: mark each read for its author and tell those
    concerned (notifications, the mails of those who want them at once). A post is claimed
    first (``notified_at``, one UPDATE … RETURNING), so a rerun, a second worker or the
    catch-up never tells anyone twice; a post held for moderation is left for its approval.
    Returns how many posts were handled."""
    claimed = db.session.scalars(
        sa.update(Post)
        .where(Post.id.in_(post_ids), Post.notified_at.is_(None), Post.review.is_(None))
        .values(notified_at=utcnow())
        .returning(Post.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    posts = db.session.scalars(
        sa.select(Post)
        .where(Post.id.in_(claimed))
        .options(joinedload(Post.thread))
        .order_by(Post.id)
    ).all()
    for post in posts:
        if post.author is not None:
            mark_read(post.author, post.thread, post.id)
        if post.hidden_reason is None and post.body:  # hidden or erased meanwhile: nobody told
            notify.notify_post(post)
    return len(posts)


def catch_up(now=None, batch=500):
    """The periodic safety net of :func:`fan_out`: tell the readers of published posts whose
    job never ran (the queue was down when they were written); returns how many."""
    cutoff = (now or utcnow()) - CATCH_UP_AFTER
    ids = db.session.scalars(
        sa.select(Post.id)
        .where(Post.notified_at.is_(None), Post.review.is_(None), Post.created_at < cutoff)
        .order_by(Post.id)
        .limit(batch)
    ).all()
    return fan_out(ids) if ids else 0


_threads = Thread.__table__
#: In SQL, so that two replies at once count both and the newest stays the last one. Built
#: once: building it took longer than running it (timed in-process on SQLite: 0.44 ms
#: built each time, 0.17 ms so).
_newer = _threads.c.last_post_id < sa.bindparam("post_id")
_COUNT_POST = (
    _threads.update()
    .where(_threads.c.id == sa.bindparam("thread_id"))
    .values(
        last_post_at=sa.case(
            (_newer, sa.bindparam("posted_at", type_=_threads.c.last_post_at.type)),
            else_=_threads.c.last_post_at,
        ),
        last_post_id=sa.case((_newer, sa.bindparam("post_id")), else_=_threads.c.last_post_id),
        post_count=_threads.c.post_count + 1,
    )
    .returning(_threads.c.last_post_at, _threads.c.last_post_id, _threads.c.post_count)
)


def _count_in_thread(thread, post):
    """Count ``post`` in ``thread``'s counters: one UPDATE … RETURNING, done last, so the
    thread's row lock (replies to one thread wait for it) is held only until the commit."""
    row = db.session.execute(
        _COUNT_POST, {"thread_id": thread.id, "post_id": post.id, "posted_at": post.created_at}
    ).one()
    for name, value in row._mapping.items():
        set_committed_value(thread, name, value)


def create_thread(space, author, title, body, files=()):
    """Open a thread in ``space`` with its first post and files (flushed); refuses every
    problem at once. A new member's thread waits for a moderator (pre-moderation)."""
    title = (title or "").strip()
    body = body or ""
    if reason := policy.read_only_reason(space):
        raise CommunityError(reason)
    if not policy.may_post(author, space):
        raise CommunityError(_("Sie dürfen hier nicht schreiben."))
    checked = _check_text(title, body, with_title=True, files=files)
    held = needs_review(author, space)
    thread = Thread(space=space, title=title, author=author, created_at=utcnow(), pending=held)
    db.session.add(thread)
    db.session.flush()
    _add_post(thread, author, body, checked, held)
    return thread


def reply(thread, author, body, files=()):
    """Add a reply with files to ``thread`` (flushed); a locked thread takes replies from
    moderators only. A new member's reply waits for a moderator (pre-moderation)."""
    body = body or ""
    if reason := policy.read_only_reason(thread.space):
        raise CommunityError(reason)
    if not policy.may_post(author, thread.space):
        raise CommunityError(_("Sie dürfen hier nicht schreiben."))
    if thread.locked and not policy.may_moderate(author, thread.space):
        raise CommunityError(_("Dieses Thema ist gesperrt."))
    checked = _check_text("", body, with_title=False, files=files)
    return _add_post(thread, author, body, checked, needs_review(author, thread.space))


def edit_deadline(post):
    """Until when the author may change ``post``."""
    return post.created_at + timedelta(minutes=current_app.config["COMMUNITY_EDIT_MINUTES"])


def editable_by(user, post, now=None):
    """True while ``post`` is the user's own, visible and within the edit window (whether its
    space takes changes is asked once per page, see :func:`may_edit`)."""
    return (
        post.author_id == user.id
        and post.hidden_reason is None
        and post.review != REJECTED
        and (now or utcnow()) <= edit_deadline(post)
    )


def may_edit(user, post, now=None):
    """True while the user may change ``post``: :func:`editable_by` and its space takes
    changes."""
    return editable_by(user, post, now) and not policy.read_only_reason(post.thread.space)


def edit_post(post, user, body, now=None):
    """Change the user's own post within the edit window; the old wording is kept (flushed)."""
    body = body or ""
    if not may_edit(user, post, now):
        raise CommunityError(_("Diesen Beitrag können Sie nicht mehr ändern."))
    _check_text("", body, with_title=False)
    if body == post.body:
        return post
    db.session.add(PostRevision(post_id=post.id, body=post.body, replaced_at=now or utcnow()))
    post.body, post.edited_at = body, now or utcnow()
    db.session.flush()
    return post


def revisions_of(post):
    """Earlier wordings of ``post``, newest first."""
    return db.session.scalars(
        sa.select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .order_by(PostRevision.id.desc())
    ).all()


def may_mark_solved(user, thread):
    """The thread's author and the space's moderators mark the accepted answer."""
    return thread.author_id == user.id or policy.may_moderate(user, thread.space)


def mark_solved(thread, post, user):
    """Mark ``post`` as the answer that solved ``thread`` ("Frage gelöst"); ``None`` unmarks."""
    if not may_mark_solved(user, thread):
        raise CommunityError(_("Nur wer gefragt hat oder moderiert, markiert die Lösung."))
    if post is not None and (post.thread_id != thread.id or post.hidden_reason is not None):
        raise CommunityError(_("Dieser Beitrag gehört nicht zu diesem Thema."))
    thread.solved_post_id = post.id if post is not None else None
    db.session.flush()


def mark_read(user, thread, post_id):
    """Remember that ``user`` has seen ``thread`` up to post ``post_id`` (never backwards);
    one statement (an upsert)."""
    table = ReadMark.__table__
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(db.engine.dialect.name)
    if insert is None:
        return _mark_read_orm(user, thread, post_id)
    upsert = insert(table).values(user_id=user.id, thread_id=thread.id, last_post_id=post_id)
    db.session.execute(
        upsert.on_conflict_do_update(
            index_elements=[table.c.user_id, table.c.thread_id],
            set_={"last_post_id": upsert.excluded.last_post_id},
            where=table.c.last_post_id < upsert.excluded.last_post_id,
        )
    )
    loaded = db.session.identity_map.get(identity_key(ReadMark, (user.id, thread.id)))
    if loaded is not None and post_id > loaded.last_post_id:  # keep a loaded marker current
        set_committed_value(loaded, "last_post_id", post_id)


def _mark_read_orm(user, thread, post_id):
    """:func:`mark_read` on databases without an upsert."""
    mark = db.session.get(ReadMark, (user.id, thread.id))
    if mark is None:
        try:
            with db.session.begin_nested():
                db.session.add(ReadMark(user_id=user.id, thread_id=thread.id, last_post_id=post_id))
            return
        except IntegrityError:  # a second tab of the same person got there first
            mark = db.session.get(ReadMark, (user.id, thread.id))
    if post_id > mark.last_post_id:
        mark.last_post_id = post_id
        db.session.flush()
