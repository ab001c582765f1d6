"""Verbs of the community: spaces, threads, posts, edits, "Frage gelöst", read markers."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..core import audit
from ..core.errors import Refusal, collect
from ..core.text import check_single_line
from ..core.timeutil import utcnow
from ..extensions import db
from . import notify, policy
from .models import ANNOUNCEMENTS, BOARD, CLASSROOM, Post, PostRevision, ReadMark, Space, Thread

#: The topic boards the Lotsen-Community starts with (the foundation adds and renames more).
SEED_BOARDS = ("Moderation", "Technik", "Megatrends", "Experimentierräume", "Fördermittel")
MAX_TITLE, MAX_BODY = 200, 20000


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


def _check_text(title, body, with_title):
    """Refuse an empty or too long title and body, all at once."""
    with collect(CommunityError) as refuse:
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


def _add_post(thread, author, body):
    """Add a post to ``thread`` and move the thread's counters (flushed)."""
    post = Post(thread=thread, author=author, body=body, created_at=utcnow())
    db.session.add(post)
    db.session.flush()
    # In SQL, so that two replies at once count both and the newest stays the last one.
    newer = Thread.last_post_id < post.id
    thread.last_post_at = sa.case((newer, post.created_at), else_=Thread.last_post_at)
    thread.last_post_id = sa.case((newer, post.id), else_=Thread.last_post_id)
    thread.post_count = Thread.post_count + 1
    db.session.flush()
    mark_read(author, thread, post.id)
    notify.notify_post(post)
    return post


def create_thread(space, author, title, body):
    """Open a thread in ``space`` with its first post (flushed); refuses every problem at once."""
    title = (title or "").strip()
    body = body or ""
    if not policy.may_post(author, space):
        raise CommunityError(_("Sie dürfen hier nicht schreiben."))
    _check_text(title, body, with_title=True)
    thread = Thread(space=space, title=title, author=author, created_at=utcnow())
    db.session.add(thread)
    db.session.flush()
    _add_post(thread, author, body)
    return thread


def reply(thread, author, body):
    """Add a reply to ``thread`` (flushed); a locked thread takes replies from moderators only."""
    body = body or ""
    if not policy.may_post(author, thread.space):
        raise CommunityError(_("Sie dürfen hier nicht schreiben."))
    if thread.locked and not policy.may_moderate(author, thread.space):
        raise CommunityError(_("Dieses Thema ist gesperrt."))
    _check_text("", body, with_title=False)
    return _add_post(thread, author, body)


def edit_deadline(post):
    """Until when the author may change ``post``."""
    return post.created_at + timedelta(minutes=current_app.config["COMMUNITY_EDIT_MINUTES"])


def may_edit(user, post, now=None):
    """True while ``post`` is the user's own, visible and within the edit window."""
    return (
        post.author_id == user.id
        and post.hidden_reason is None
        and (now or utcnow()) <= edit_deadline(post)
    )


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
    """Remember that ``user`` has seen ``thread`` up to post ``post_id`` (never backwards)."""
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
