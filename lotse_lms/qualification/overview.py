"""The foundation's list of participants and their paths, for any number of people.

A page costs a fixed number of queries: SQL narrows, sorts and counts; the exact states are
computed (set-based) only for the people a filter leaves or the page shows.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from ..accounts.models import User, UserRole
from ..accounts.roles import Role
from ..cohorts.filters import only_cohort
from ..extensions import db
from .state import PENDING, STATE_LABELS, exact_prefilter, prefilter, required_keys, states

SORTS = {
    "name": (User.name, User.id),
    "-name": (User.name.desc(), User.id.desc()),
    "email": (User.email, User.id),
    "newest": (User.created_at.desc(), User.id.desc()),
}
PER_PAGE = 50


def participants(search="", cohort_id=None):
    """A select of the ids of active participants, optionally matching ``search`` (name or
    e-mail) and narrowed to one cohort."""
    query = (
        sa.select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.PARTICIPANT, User.active.is_(True))
    )
    search = (search or "").strip()
    if search:
        like = f"%{search.lower()}%"
        query = query.where(
            sa.or_(sa.func.lower(User.name).like(like), sa.func.lower(User.email).like(like))
        )
    return only_cohort(query, User.id, cohort_id)


def matching(key, state, search="", now=None, cohort_id=None):
    """Ids of participants whose step ``key`` is in ``state`` (SQL narrows, then exact states)."""
    query = participants(search, cohort_id)
    condition = prefilter(key, state, User.id)
    if condition is not None:
        query = query.where(condition)
    found = states(query, keys=[key], now=now)
    return [uid for uid, (step,) in found.items() if step.state == state]


@dataclass
class Row:
    """One person of the list with every step of their path."""

    user: User
    steps: list

    @property
    def by_key(self):
        """The steps by key."""
        return {s.key: s for s in self.steps}

    @property
    def waiting(self):
        """True while every prerequisite is met and the certificate not yet issued."""
        step = self.by_key.get("certificate")
        return step is not None and step.state == PENDING

    @property
    def met(self):
        """How many required steps are done."""
        required = set(required_keys())
        return sum(1 for s in self.steps if s.key in required and s.met)

    @property
    def met_since(self):
        """When the last required step was met (None unless all are)."""
        required = [s for s in self.steps if s.key in set(required_keys())]
        if not required or not all(s.met for s in required):
            return None
        return max((s.since for s in required if s.since), default=None)


@dataclass
class Page:
    """One page of the list and what it was asked for."""

    rows: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))


def overview(
    *,
    step="",
    state="",
    search="",
    sort="name",
    page=1,
    per_page=PER_PAGE,
    now=None,
    cohort_id=None,
):
    """A page of participants with their paths, filtered by a step's state, a search and a cohort."""
    order = SORTS.get(sort, SORTS["name"])
    exact = exact_prefilter(step, state, User.id) if step and state in STATE_LABELS else None
    ordered = None  # every listed id in order, where a step's condition decides the list
    if step and state in STATE_LABELS and exact is None:
        # SQL only narrows: the exact states of everyone left decide who is listed.
        ids = matching(step, state, search, now, cohort_id)
        total = len(ids)
        query = sa.select(User.id).where(User.id.in_(ids))
    elif exact is not None:
        # SQL decides exactly who is listed. A step's condition can be costly (Q1 ranks every
        # registration), so it runs once: the ids in order (one per participant), counted
        # and cut here, instead of a count and a page query that would both evaluate it.
        query = participants(search, cohort_id).where(exact).order_by(*order)
        ordered = list(db.session.scalars(query))
        total = len(ordered)
    else:
        # No step filter: SQL counts and pages (in name order from its index).
        query = participants(search, cohort_id)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    page = max(1, int(page or 1))
    if not total:
        return Page([], 0, 1, per_page)
    page = min(page, max(1, -(-total // per_page)))
    if ordered is not None:
        page_ids = ordered[(page - 1) * per_page : page * per_page]
    else:
        page_ids = list(
            db.session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page))
        )
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(page_ids)))}
    found = states(page_ids, now=now)
    return Page([Row(users[uid], found[uid]) for uid in page_ids], total, page, per_page)


def eligible(now=None, limit=None, cohort_id=None):
    """Rows of everyone (of one cohort) waiting for the certificate (all prerequisites met,
    none valid, not barred), by name."""
    return eligible_summary(now, limit, cohort_id)[1]


def eligible_summary(now=None, limit=None, cohort_id=None):
    """(how many wait for the certificate, the first ``limit`` of them as rows by name)."""
    ids = matching("certificate", PENDING, now=now, cohort_id=cohort_id)
    if not ids:
        return 0, []
    query = sa.select(User).where(User.id.in_(ids)).order_by(User.name, User.id)
    if limit is not None:
        query = query.limit(limit)
    users = db.session.scalars(query).all()
    found = states([u.id for u in users], now=now)
    return len(ids), [Row(u, found[u.id]) for u in users]


def counts_by_state(key, now=None):
    """``{state: number of participants}`` for step ``key`` (one computation for everyone)."""
    found = states(participants(), keys=[key], now=now)
    counts = dict.fromkeys(STATE_LABELS, 0)
    for (step,) in found.values():
        counts[step.state] += 1
    return counts
