"""Private calendar subscription addresses: a secret token per person, revocable."""

import secrets

import sqlalchemy as sa

from ...accounts.models import User
from ...core import audit
from ...extensions import db
from .models import CalendarFeed


def feed_of(user):
    """The person's feed row, or None if they never asked for one (or revoked it)."""
    return db.session.scalar(sa.select(CalendarFeed).filter_by(user_id=user.id))


def ensure_feed(user):
    """Return the person's feed, creating a token the first time."""
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(feed)
        db.session.flush()
        audit.record("q2.feed_created", feed, actor=user, subject=user)
    return feed


def revoke_feed(user):
    """Replace the token: the old address stops working at once; returns the new feed."""
    feed = feed_of(user)
    if feed is not None:
        feed.token = secrets.token_urlsafe(32)
        db.session.flush()
        audit.record("q2.feed_revoked", feed, actor=user, subject=user)
        return feed
    return ensure_feed(user)


def user_for_token(token):
    """The active person a feed token belongs to, or None."""
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(sa.select(CalendarFeed).filter_by(token=token))
    if feed is None:
        return None

    user = db.session.get(User, feed.user_id)
    return user if user is not None and user.active else None
