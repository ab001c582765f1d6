"""The browsers a person is signed in on: sign out one device, or every device at once.

Signing in starts a DeviceSession with a random id; the id is part of the session and
remember-me cookies (``User.get_id``), and the user loader accepts a cookie only while its
device session exists. Signing out deletes that row, so a copy of the cookie stops working
too; "Überall abmelden" counts the account's session epoch up and deletes all rows.
"""

import secrets
from datetime import timedelta

from flask import g
from sqlalchemy.orm import contains_eager, joinedload
from ua_parser import parse

from ..core.timeutil import utcnow
from ..extensions import db
from .models import DeviceSession, User

#: How stale "zuletzt aktiv" may get before a request writes it again.
SEEN_EVERY = timedelta(minutes=5)
#: A person's device sessions are kept for the most recently seen devices only (the list on
#: the account page stays short); signing in on one more ends the longest unused.
MAX_DEVICES = 20
#: Unused this long, a device session has ended (the remember-me cookie's lifetime).
UNUSED_FOR = timedelta(days=365)


def describe(user_agent):
    """A short, recognisable name of the browser: "Chrome 120 · Linux"."""
    found = parse(user_agent or "")
    parts = []
    if found.user_agent:
        parts.append(" ".join(filter(None, (found.user_agent.family, found.user_agent.major))))
    if found.os:
        parts.append(found.os.family)
    if found.device and found.device.family not in ("Other", "Spider"):
        parts.append(found.device.family)
    return " · ".join(dict.fromkeys(parts))[:120]


def start(user, user_agent):
    """Start a device session for ``user`` signing in with ``user_agent``; the next
    ``login_user(user)`` puts its id into the cookies."""
    oldest = (
        db.select(DeviceSession.id)
        .where(DeviceSession.user_id == user.id)
        .order_by(DeviceSession.last_seen_at.desc())
        .offset(MAX_DEVICES - 1)
    )
    db.session.execute(
        db.delete(DeviceSession).where(
            DeviceSession.user_id == user.id,
            DeviceSession.id.in_(oldest.scalar_subquery())
            | (DeviceSession.last_seen_at < utcnow() - UNUSED_FOR),
        )
    )
    row = DeviceSession(id=secrets.token_urlsafe(32), user_id=user.id, device=describe(user_agent))
    db.session.add(row)
    user.device_id = row.id
    return row


#: The user of a device session with roles, in one query; built once, as every request of a
#: signed-in person runs it (building it took as long as running it: timed in-process on
#: SQLite, 0.64 ms per load built each time, 0.30 ms so).
_LOAD = (
    db.select(DeviceSession)
    .join(DeviceSession.user)
    .options(contains_eager(DeviceSession.user).options(joinedload(User.role_rows)))
    .where(
        DeviceSession.id == db.bindparam("device_id"),
        DeviceSession.user_id == db.bindparam("user_id"),
    )
)


def load(user_id, device_id):
    """The user of a device session with roles, in one query; None once it has ended."""
    row = db.session.scalars(_LOAD, {"device_id": device_id, "user_id": user_id}).first()
    if row is None:
        return None
    row.user.device_id = row.id
    if utcnow() - row.last_seen_at > SEEN_EVERY:
        g.device_seen = row.id  # written after the response is made (note_seen)
    return row.user


def note_seen(response):
    """After a request: store when a device was last seen, in a transaction of its own (the
    view's work is committed or not independently of this)."""
    device_id = g.pop("device_seen", None)
    if device_id is not None:
        with db.engine.begin() as conn:
            conn.execute(
                db.update(DeviceSession)
                .where(DeviceSession.id == device_id)
                .values(last_seen_at=utcnow())
            )
    return response


def of(user):
    """The device sessions of ``user``, the most recently seen first."""
    return db.session.scalars(
        db.select(DeviceSession)
        .where(DeviceSession.user_id == user.id)
        .order_by(DeviceSession.last_seen_at.desc(), DeviceSession.created_at.desc())
    ).all()


def end(user, device_id):
    """Sign ``user`` out on one device (theirs only); True if it was signed in."""
    ended = db.session.execute(
        db.delete(DeviceSession).where(
            DeviceSession.id == device_id, DeviceSession.user_id == user.id
        )
    ).rowcount
    return bool(ended)


def end_others(user):
    """End every device session of ``user`` but the current request's (a new password)."""
    query = db.delete(DeviceSession).where(DeviceSession.user_id == user.id)
    if user.device_id:
        query = query.where(DeviceSession.id != user.device_id)
    db.session.execute(query)


def end_all(user):
    """Sign ``user`` out everywhere: every session and remember-me cookie stops working."""
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.execute(db.delete(DeviceSession).where(DeviceSession.user_id == user.id))
