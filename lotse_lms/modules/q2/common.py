"""Shared pieces of Q2: the error type, row locks, Berlin time and config lookups."""

import sqlalchemy as sa
from flask import current_app

from ...core.errors import Refusal
from ...core.locks import begin_write_lock

# the Berlin-time helpers moved to core.timeutil; Q2 modules keep importing them from here
from ...core.timeutil import utcnow
from ...extensions import db


class Q2Error(Refusal):
    """A Q2 request that cannot be carried out; the message is for people."""


def lock_rows(model, ids):
    """Lock rows of ``model`` (SELECT ... FOR UPDATE, ordered by id) and return them refreshed."""
    begin_write_lock()
    query = (
        sa.select(model)
        .where(model.id.in_(sorted(set(ids))))
        .order_by(model.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).all()


def lock_ids(model, ids):
    """Lock rows of ``model`` without loading them (cheaper when only the lock matters)."""
    begin_write_lock()
    query = (
        sa.select(model.id)
        .where(model.id.in_(sorted(set(ids))))
        .order_by(model.id)
        .with_for_update()
    )
    return db.session.scalars(query).all()


def lock_row(model, row_id):
    """Lock one row and return it refreshed (None if it does not exist)."""
    rows = lock_rows(model, [row_id])
    return rows[0] if rows else None


def topics():
    """Configured Q2 topics as an ordered dict key -> label."""
    return {key: label for key, label in current_app.config["Q2_TOPICS"]}


def topic_label(key):
    """The label of a topic key (the key itself if unknown)."""
    return topics().get(key, key)


def now_utc():
    """The current time (aware UTC); one place, so every rule uses the same clock."""
    return utcnow()
