"""Who is told of a new post, the notification list's verbs, settings and the mail digests.

A published post notifies, in the fan-out job the request enqueues (``operations.fan_out``;
plain inserts): the thread's author and everyone who posted in it up to this post or follows
it (REPLY), and the members of the space it @mentions (MENTION, see ``mentions.py``). Nobody
who cannot read the space is told, nobody is told of their own post, nobody of a muted
thread. Mails: "sofort" queues one per notification at once; the digest jobs send the others.
"""

import uuid
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..core import mail
from ..core.markdown import parse
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import mentions, policy
from .models import Post
from .notify_models import (
    DAILY,
    DELIVERIES,
    FOLLOW,
    MENTION,
    MUTE,
    NOW,
    REPLY,
    WEEKLY,
    Notification,
    NotifySetting,
    ThreadWatch,
)


def _involved(thread, post_id):
    """Ids of the thread's author, its posters up to post ``post_id`` and followers, and of
    those who muted it (one query)."""
    rows = db.session.execute(
        sa.union_all(
            sa.select(Post.author_id.label("user_id"), sa.literal("post").label("mode"))
            .where(Post.thread_id == thread.id, Post.id <= post_id)
            .distinct(),
            sa.select(ThreadWatch.user_id, ThreadWatch.mode).where(
                ThreadWatch.thread_id == thread.id
            ),
        )
    ).all()
    ids = {uid for uid, mode in rows if mode in (FOLLOW, "post")}
    ids.add(thread.author_id)
    muted = {uid for uid, mode in rows if mode == MUTE}
    ids.discard(None)
    return ids - muted, muted


def notify_post(post):
    """Create the notifications of a new ``post`` in one INSERT, with the mails of those
    who want them at once; returns how many. A handful of statements whatever the number
    of people told: who is involved, who is mentioned, the candidates with their roles and
    delivery, who of them may read the space, the notifications, the mails."""
    thread, author_id = post.thread, post.author_id
    replied, muted = _involved(thread, post.id)
    kinds = {uid: REPLY for uid in replied}
    kinds.update({user.id: MENTION for user in mentions.mentioned(post.body)})
    ids = [uid for uid in kinds if uid != author_id and uid not in muted]
    if not ids:
        return 0
    found = (
        db.session.execute(
            sa.select(User, NotifySetting.delivery)
            .outerjoin(NotifySetting, NotifySetting.user_id == User.id)
            .where(User.id.in_(ids))
            .options(joinedload(User.role_rows))
        )
        .unique()
        .all()
    )
    how = {user.id: delivery or DAILY for user, delivery in found}
    users = {user.id: user for user in policy.readers([user for user, _d in found], thread.space)}
    if not users:
        return 0
    now = utcnow()
    at_once = {uid for uid in users if how[uid] == NOW}
    row = {"thread_id": thread.id, "post_id": post.id, "created_at": now}
    rows = [
        {**row, "user_id": uid, "kind": kinds[uid], "mailed_at": now if uid in at_once else None}
        for uid in users
    ]
    table = Notification.__table__
    if not at_once:
        db.session.execute(table.insert(), rows)
        return len(users)
    # One statement for all (insertmanyvalues), returning the ids the mails link to.
    made = db.session.execute(table.insert().returning(table.c.id, table.c.user_id), rows)
    quoted = excerpt(post.body)
    mail.queue_many(
        [
            _mail_of(note_id, kinds[uid], post, thread, quoted, users[uid])
            for note_id, uid in made.all()
            if uid in at_once
        ]
    )
    return len(users)


def deliveries(user_ids):
    """``{user id: delivery}`` for ``user_ids`` (DAILY where nothing is set)."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(NotifySetting.user_id, NotifySetting.delivery).where(
            NotifySetting.user_id.in_(user_ids)
        )
    ).all()
    return {uid: DAILY for uid in user_ids} | dict(rows)


def delivery_of(user):
    """The person's mail delivery setting."""
    return deliveries({user.id})[user.id]


def set_delivery(user, delivery):
    """Change how ``user`` is told by mail (flushed)."""
    if delivery not in DELIVERIES:
        raise ValueError(delivery)
    setting = db.session.get(NotifySetting, user.id) or NotifySetting(user_id=user.id)
    setting.delivery = delivery
    db.session.add(setting)
    db.session.flush()


def watch_of(user, thread):
    """FOLLOW, MUTE or None: the person's setting for ``thread``."""
    watch = db.session.get(ThreadWatch, (user.id, thread.id))
    return watch.mode if watch else None


def set_watch(user, thread, mode):
    """Follow (FOLLOW), mute (MUTE) or return to the default (None) for ``thread`` (flushed)."""
    watch = db.session.get(ThreadWatch, (user.id, thread.id))
    if mode is None:
        if watch is not None:
            db.session.delete(watch)
    elif watch is None:
        db.session.add(ThreadWatch(user_id=user.id, thread_id=thread.id, mode=mode))
    else:
        watch.mode = mode
    db.session.flush()


def unread_count(user):
    """How many notifications ``user`` has not opened (one query, for the header)."""
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def page_of_notifications(user, listing):
    """One page of the person's notifications, newest first (thread, post and author joined)."""
    return listing.fetch(
        sa.select(Notification).where(Notification.user_id == user.id),
        Notification.id.desc(),
        scalars=True,
    )


def open_notification(user, note_id):
    """Mark the person's notification read (flushed); returns it, or None if not theirs."""
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != user.id:
        return None
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
    return note


def mark_thread_read(user, thread, post_id):
    """Mark the person's notifications of ``thread`` up to post ``post_id`` read (seen there)."""
    db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.thread_id == thread.id,
            Notification.post_id <= post_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
    )


def mark_all_read(user):
    """Mark every notification of ``user`` read; returns how many changed."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


#: Characters of a post quoted in a notification mail.
EXCERPT = 200
UNSUBSCRIBE_SALT = "community-unsubscribe"


def excerpt(body, limit=EXCERPT):
    """The start of a post as plain text for a mail: Markdown markup and quotes of other
    posts left out, control characters removed, cut at a word with "…"."""
    words, quoted = [], 0
    for token in parse(body or ""):
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type == "inline" and not quoted:
            words.append(
                " ".join(
                    child.content
                    for child in token.children or []
                    if child.type in ("text", "code_inline")
                )
            )
        elif token.type in ("code_block", "fence") and not quoted:
            words.append(token.content)
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in " ".join(words)).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:–-") + " …"


def _unsubscribe_signer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user):
    """A signed token that turns the person's community mails off (no sign-in needed)."""
    return _unsubscribe_signer().dumps({"u": user.id})


def user_of_token(token):
    """The person an unsubscribe token was made for, or None (forged, or erased since)."""
    try:
        data = _unsubscribe_signer().loads(token)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    return user if user is not None and user.erased_at is None else None


def unsubscribe_url(user):
    """The one-click unsubscribe address of the person's community mails (RFC 8058)."""
    return external_url("community.unsubscribe", token=unsubscribe_token(user))


def _footer(user):
    """The end of every community mail: where to change it, how to stop it."""
    return (
        "\n\n-- \n"
        + _(
            "Wie oft Sie diese E-Mail bekommen, stellen Sie hier ein: %(url)s",
            url=external_url("community.notify_settings"),
        )
        + "\n"
        + _("Keine E-Mails mehr aus der Community: %(url)s", url=unsubscribe_url(user))
        + "\n"
    )


def _line(note, quoted=None):
    """The lines of a mail about ``note``: who, which thread, the start of the post, link."""
    return _line_of(note.id, note.kind, note.post, note.thread, quoted)


def _line_of(note_id, kind, post, thread, quoted=None):
    """:func:`_line` of the parts of a notification (``quoted``: the post's excerpt, if
    already made)."""
    author = post.author.name if post.author else _("ehemaliges Mitglied")
    what = (
        _("%(name)s hat Sie erwähnt", name=author)
        if kind == MENTION
        else _("%(name)s hat geantwortet", name=author)
    )
    link = external_url("community.open_notification", note_id=note_id)
    quoted = excerpt(post.body) if quoted is None else quoted
    quoted = f"\n  „{quoted}“" if quoted else ""
    return f"- {what}: „{thread.title}“{quoted}\n  {link}"


def _mail_of(note_id, kind, post, thread, quoted, user):
    """The mail of one notification ("sofort"; it is written as mailed), for
    :func:`mail.queue_many`."""
    return {
        "recipient": user.email,
        "subject": _("Community: %(title)s", title=thread.title),
        "body": _("Neu in der Community:")
        + "\n\n"
        + _line_of(note_id, kind, post, thread, quoted)
        + _footer(user),
        "unsubscribe_url": unsubscribe_url(user),
    }


def send_digests(delivery):
    """Send each person with ``delivery`` one mail listing their unmailed, unread notifications.

    The rows are claimed (``mailed_at``, ``digest_id``) and the mails queued in one transaction,
    so a rerun or a second worker never repeats or skips one. Returns how many mails."""
    digest = str(uuid.uuid4())
    chosen = sa.select(NotifySetting.user_id).where(NotifySetting.delivery == delivery)
    if delivery == DAILY:  # no setting row means DAILY
        who = sa.or_(
            Notification.user_id.in_(chosen),
            ~Notification.user_id.in_(sa.select(NotifySetting.user_id)),
        )
    else:
        who = Notification.user_id.in_(chosen)
    db.session.execute(
        sa.update(Notification)
        .where(
            who,
            Notification.mailed_at.is_(None),
            Notification.read_at.is_(None),
            # a post hidden by moderation or emptied by an erasure is not worth a mail
            Notification.post_id.in_(
                sa.select(Post.id).where(Post.hidden_reason.is_(None), Post.body != "")
            ),
        )
        .values(mailed_at=utcnow(), digest_id=digest)
    )
    notes = db.session.scalars(
        sa.select(Notification)
        .where(Notification.digest_id == digest)
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user = {}
    for note in notes:
        by_user.setdefault(note.user_id, []).append(note)
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(by_user)))}
    for user_id, items in by_user.items():
        mail.queue(
            users[user_id].email,
            ngettext(
                "Community: %(num)d neue Benachrichtigung",
                "Community: %(num)d neue Benachrichtigungen",
                len(items),
            ),
            _("Neu in der Community seit der letzten Zusammenfassung:")
            + "\n\n"
            + "\n".join(_line(n) for n in items)
            + _footer(users[user_id]),
            unsubscribe_url=unsubscribe_url(users[user_id]),
        )
    db.session.commit()
    return len(by_user)


def delete_old_read(now=None):
    """The periodic clean-up: delete read notifications older than
    COMMUNITY_NOTIFICATION_KEEP_DAYS (0: keep them); unread ones stay. Returns how many."""
    days = current_app.config["COMMUNITY_NOTIFICATION_KEEP_DAYS"]
    if not days:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    removed = db.session.execute(
        sa.delete(Notification).where(
            Notification.read_at.is_not(None), Notification.created_at < cutoff
        )
    ).rowcount
    db.session.commit()
    return removed


def send_daily():
    """The daily digest of community notifications."""
    return send_digests(DAILY)


def send_weekly():
    """The weekly digest of community notifications."""
    return send_digests(WEEKLY)
