"""@mentions: who a post names, and the suggestions of the editor's autocomplete.

A mention is ``@`` and a person's full name (two or three words: "@Anna Maria Schulz"; the
longest name that exists wins) or ``@`` and the part of their address before the ``@``.
Names are compared without regard to case, also for capitals outside ASCII ("@özlem şahin"
finds "Özlem Şahin"): PostgreSQL's ``lower()`` folds them (UTF-8 database), SQLite's only
folds ASCII, so on SQLite the comparison uses ``lotse_lower``, Python's ``str.lower``,
registered on each connection by :func:`register_sqlite_lower`.
"""

import re

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import User, UserRole
from ..certification.models import Certificate
from ..cohorts.models import CohortMember
from ..extensions import db
from . import policy
from .models import BOARD, CLASSROOM

#: ``@``, one word (an address's local part or a first name) and up to two more name words.
MENTION_RE = re.compile(r"(?<![\w.])@([\w.+-]+)(?:[ \t]+([\w-]+))?(?:[ \t]+([\w-]+))?")
#: Suggestions per request of the autocomplete.
SUGGESTIONS = 8
SQLITE_LOWER = "lotse_lower"


def _lower(value):
    """Python's lower case of a text (None stays None), as SQLite's ``lotse_lower``."""
    return value.lower() if isinstance(value, str) else value


def register_sqlite_lower(engine):
    """Give every SQLite connection of ``engine`` a Unicode-aware ``lotse_lower``."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _functions(dbapi_connection, _record):
        dbapi_connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)


def folded(column):
    """``column`` in lower case, non-ASCII capitals included, on either database."""
    if db.engine.dialect.name == "sqlite":
        return getattr(sa.func, SQLITE_LOWER)(column)
    return sa.func.lower(column)


def mentioned(body):
    """Users a post mentions: by address (``@local``) or by full name of two or three words
    (for each mention the longest name that exists)."""
    found = MENTION_RE.findall(body or "")
    if not found:
        return []
    locals_, names = set(), set()
    for words in found:
        words = [w for w in words if w]
        locals_.add(words[0].lower().rstrip("."))
        for size in (2, 3):
            if len(words) >= size:
                names.add(" ".join(words[:size]).lower())
    email = sa.func.lower(User.email)
    by_address = [email.startswith(local + "@", autoescape=True) for local in locals_]
    candidates = db.session.scalars(
        sa.select(User).where(
            User.erased_at.is_(None), sa.or_(*by_address, folded(User.name).in_(names))
        )
    ).all()
    by_name = {}
    for user in candidates:
        by_name.setdefault(user.name.lower(), []).append(user)
    chosen = {
        user.id: user
        for user in candidates
        if any(user.email.lower().startswith(local + "@") for local in locals_)
    }
    for words in found:
        words = [w for w in words if w]
        for size in (3, 2):  # the longest name that exists
            key = " ".join(words[:size]).lower()
            if len(words) >= size and key in by_name:
                chosen.update({user.id: user for user in by_name[key]})
                break
    return list(chosen.values())


def suggestions(space, user, text, limit=SUGGESTIONS):
    """Up to ``limit`` members of ``space`` whose name (or a word of it) starts with ``text``,
    by name; only people who may read the space, never ``user`` themself."""
    text = " ".join((text or "").split()).lower()
    if not text:
        return []
    name = folded(User.name)
    select = (
        sa.select(User)
        .where(
            User.active.is_(True),
            User.erased_at.is_(None),
            User.id != user.id,
            sa.or_(
                name.startswith(text, autoescape=True),
                name.contains(" " + text, autoescape=True),
            ),
        )
        .options(selectinload(User.role_rows))
        .order_by(User.name, User.id)
    )
    if space.kind == CLASSROOM:
        select = select.where(
            User.id.in_(
                sa.select(CohortMember.user_id).where(CohortMember.cohort_id == space.cohort_id)
            )
        )
        return db.session.scalars(select.limit(limit)).all()
    if space.kind == BOARD:  # a role of the community or a certificate (checked below)
        select = select.where(
            sa.or_(
                User.id.in_(
                    sa.select(UserRole.user_id).where(UserRole.role.in_(policy.BOARD_ROLES))
                ),
                User.id.in_(sa.select(Certificate.user_id)),
            )
        )
        found = db.session.scalars(select.limit(limit * 3)).all()
        return policy.readers(found, space)[:limit]
    return db.session.scalars(select.limit(limit)).all()
