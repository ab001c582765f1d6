"""The audit log: every change of roles, verifications, certificates and feedback."""

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user

from ..accounts.models import SEARCH_TEXT, User
from ..extensions import db
from .models import AuditEntry

#: Sort keys of the log page.
SORTS = {"at": AuditEntry.at}


def current_actor():
    """Return the signed-in user, or None outside a request or when anonymous."""
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(action, target, *, actor=None, subject=None, **details):
    """Add an audit entry for ``target`` to the session (committed with the change)."""
    actor = actor if actor is not None else current_actor()
    entry = AuditEntry(
        action=action,
        target_type=type(target).__name__ if not isinstance(target, tuple) else target[0],
        target_id=str(target.id if not isinstance(target, tuple) else target[1]),
        actor_id=actor.id if actor is not None else None,
        subject_id=subject.id if subject is not None else None,
        details=_jsonable(details),
    )
    db.session.add(entry)
    return entry


def _jsonable(value):
    """Make dates, enums and sets storable as JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (int, float, str, bool)):
        return value.value
    return value


def entries(limit=200, subject=None, action_prefix=None):
    """Return the newest audit entries, optionally for one person or one area."""
    query = db.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if subject is not None:
        query = query.where(AuditEntry.subject_id == subject.id)
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix))
    return db.session.scalars(query.limit(limit)).all()


def page(listing, area=""):
    """One page of the log, newest first: searched by person (who or whom), narrowed to one
    area's actions. Two queries (count and page), whatever the log's size.

    The people found (through the users' trigram search index on PostgreSQL) pick their
    entries through the actor and subject indexes, as a union of entry ids: written as
    "actor in people or subject in people" PostgreSQL instead walks the whole log backwards
    by time and tests every entry."""
    query = sa.select(AuditEntry)
    if area:
        query = query.where(AuditEntry.action.startswith(area + ".", autoescape=True))
    if listing.q:
        people = sa.select(User.id).where(SEARCH_TEXT.like(listing.pattern(), escape="\\"))
        theirs = sa.union(
            sa.select(AuditEntry.id).where(AuditEntry.actor_id.in_(people)),
            sa.select(AuditEntry.id).where(AuditEntry.subject_id.in_(people)),
        )
        query = query.where(AuditEntry.id.in_(theirs))
    return listing.fetch(query, AuditEntry.id.desc(), scalars=True)
