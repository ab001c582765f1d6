"""Read-only questions about sessions: lists, to-dos, amendments, participation counts."""

from collections import defaultdict

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import or_
from sqlalchemy.orm import aliased

from ..accounts.models import User, UserRole
from ..accounts.roles import Role
from ..cohorts.filters import only_cohort
from ..extensions import db
from . import policy
from .models import RTAmendment, RTCase, RTMember, RTReflection, RTSelfReflection, RTSession


def _newest_first(query):
    """Order sessions by day, newest first."""
    return query.order_by(RTSession.held_on.desc(), RTSession.id.desc())


def sessions_page(user, listing, state="", cohort_id=None):
    """One page of the sessions ``user`` may read (foundation staff: all), with their role.

    Rows carry only what the list shows (no texts, no members): two queries per page,
    whatever the number of sessions. ``state`` "open" or "closed" narrows the list.
    """
    member_of = sa.select(RTMember.session_id).where(RTMember.user_id == user.id)
    role = sa.case(
        (RTSession.case_owner_id == user.id, "case_owner"),
        (RTSession.trainer_id == user.id, "trainer"),
        (RTSession.id.in_(member_of), "member"),
        else_="staff",
    ).label("role")
    owner = aliased(User)
    query = (
        sa.select(
            RTSession.id,
            RTSession.held_on,
            RTSession.title,
            RTSession.method_title,
            RTSession.closed_at,
            owner.name.label("case_owner_name"),
            role,
        )
        .join(owner, RTSession.case_owner_id == owner.id)
        .where(listing.matches(RTSession.title, owner.name, RTSession.method_title))
    )
    query = only_cohort(query, RTSession.case_owner_id, cohort_id)
    if not user.has_role(Role.FOUNDATION):
        query = query.where(
            or_(
                RTSession.case_owner_id == user.id,
                RTSession.trainer_id == user.id,
                RTSession.id.in_(member_of),
            )
        )
    if state == "open":
        query = query.where(RTSession.closed_at.is_(None))
    elif state == "closed":
        query = query.where(RTSession.closed_at.is_not(None))
    return listing.fetch(query, RTSession.id.desc())


#: Sort keys of the session list (the first is the default).
SESSION_SORTS = {"held_on": RTSession.held_on, "title": sa.func.lower(RTSession.title)}


def sessions_of_trainer(user, open_only=False):
    """Sessions ``user`` moderates (optionally only the open ones)."""
    query = db.select(RTSession).where(RTSession.trainer_id == user.id)
    if open_only:
        query = query.where(RTSession.closed_at.is_(None))
    return db.session.scalars(_newest_first(query)).unique().all()


def sessions_as_case_owner(user):
    """Sessions in which ``user`` brings the case."""
    query = db.select(RTSession).where(RTSession.case_owner_id == user.id)
    return db.session.scalars(_newest_first(query)).unique().all()


def sessions_as_member(user):
    """Sessions in which ``user`` sits in the reflecting team."""
    query = db.select(RTSession).join(RTMember).where(RTMember.user_id == user.id)
    return db.session.scalars(_newest_first(query)).unique().all()


def todo(user):
    """What ``user`` still has to write: cases, reflections, self-reflections, newest first.

    Three narrow queries (id, title, day) that decide in SQL what the policy decides per
    session (``may_write_case``, ``may_reflect``, ``may_self_reflect``), so a person in many
    sessions loads none of their texts."""
    shown = (RTSession.id, RTSession.title, RTSession.held_on)
    is_open = RTSession.closed_at.is_(None)
    owns = RTSession.case_owner_id == user.id
    has_case = sa.exists().where(RTCase.session_id == RTSession.id)
    has_self = sa.exists().where(RTSelfReflection.session_id == RTSession.id)
    wrote = sa.exists().where(
        RTReflection.session_id == RTSession.id, RTReflection.author_id == user.id
    )
    member = RTSession.id.in_(sa.select(RTMember.session_id).where(RTMember.user_id == user.id))
    due = sa.or_(~is_open, RTSession.held_on <= policy.today())

    def rows(*conditions):
        return db.session.execute(_newest_first(sa.select(*shown).where(*conditions))).all()

    return {
        "cases": rows(owns, is_open, ~has_case),
        "reflections": rows(member, is_open, has_case, ~wrote),
        "self_reflections": rows(owns, has_case, ~has_self, due),
    }


def amendments_of(session):
    """The session's amendments keyed by (kind, text id), oldest first."""
    rows = db.session.scalars(
        db.select(RTAmendment).where(RTAmendment.session_id == session.id).order_by(RTAmendment.id)
    ).all()
    grouped = defaultdict(list)
    for row in rows:
        grouped[(row.target_kind, row.target_id)].append(row)
    return grouped


def participation(user):
    """Count what certification relies on: closed sessions as case owner and as team member.

    A session counts as case owner once it is closed and the closing self-reflection is
    written, as member once it is closed and the member's reflection is recorded (closed
    means the texts are locked). Returns ``dict(as_case_owner=int, as_member=int,
    met=bool, required_as_case_owner=int, required_as_member=int, sessions=[...])``; each
    session is ``dict(id, title, held_on, role="case_owner"|"member", closed, closed_at, counts)``
    (``closed_at`` aware UTC or None), oldest first.
    """
    sessions = []
    for session in sessions_as_case_owner(user):
        counts = session.closed and session.self_reflection is not None
        sessions.append(_row(session, "case_owner", counts))
    for session in sessions_as_member(user):
        counts = session.closed and session.reflection_of(user) is not None
        sessions.append(_row(session, "member", counts))
    sessions.sort(key=lambda s: (s["held_on"], s["id"]))
    as_owner = sum(1 for s in sessions if s["role"] == "case_owner" and s["counts"])
    as_member = sum(1 for s in sessions if s["role"] == "member" and s["counts"])
    need_owner = current_app.config["RT_MIN_AS_CASE_OWNER"]
    need_member = current_app.config["RT_MIN_AS_MEMBER"]
    return {
        "as_case_owner": as_owner,
        "as_member": as_member,
        "required_as_case_owner": need_owner,
        "required_as_member": need_member,
        "met": as_owner >= need_owner and as_member >= need_member,
        "sessions": sessions,
    }


def participation_counts(user_ids):
    """``{user_id: dict(as_case_owner, as_member, required_as_case_owner, required_as_member,
    met)}`` for many people at once, counted as ``participation`` counts (two queries)."""
    ids = list(user_ids)
    closed = RTSession.closed_at.is_not(None)
    as_owner = dict(
        db.session.execute(
            db.select(RTSession.case_owner_id, sa.func.count(RTSession.id))
            .join(RTSelfReflection, RTSelfReflection.session_id == RTSession.id)
            .where(closed, RTSession.case_owner_id.in_(ids))
            .group_by(RTSession.case_owner_id)
        ).all()
    )
    as_member = dict(
        db.session.execute(
            db.select(RTMember.user_id, sa.func.count(sa.func.distinct(RTMember.session_id)))
            .join(RTSession, RTSession.id == RTMember.session_id)
            .join(
                RTReflection,
                (RTReflection.session_id == RTMember.session_id)
                & (RTReflection.author_id == RTMember.user_id),
            )
            .where(closed, RTMember.user_id.in_(ids))
            .group_by(RTMember.user_id)
        ).all()
    )
    need_owner = current_app.config["RT_MIN_AS_CASE_OWNER"]
    need_member = current_app.config["RT_MIN_AS_MEMBER"]
    result = {}
    for user_id in ids:
        owner, member = as_owner.get(user_id, 0), as_member.get(user_id, 0)
        result[user_id] = {
            "as_case_owner": owner,
            "as_member": member,
            "required_as_case_owner": need_owner,
            "required_as_member": need_member,
            "met": owner >= need_owner and member >= need_member,
        }
    return result


def _row(session, role, counts):
    """One session of a participation summary."""
    return {
        "id": session.id,
        "title": session.title,
        "held_on": session.held_on,
        "role": role,
        "closed": session.closed,
        "closed_at": session.closed_at,
        "counts": bool(counts),
    }


#: Sort keys of the participation overview.
PARTICIPATION_SORTS = {"name": sa.func.lower(User.name)}


def participation_page(listing, cohort_id=None):
    """One page of active participants with their counted sessions: four queries per page
    (the counts of the page's people come from :func:`participation_counts`)."""
    participants = sa.select(UserRole.user_id).where(UserRole.role == str(Role.PARTICIPANT))
    query = sa.select(User).where(
        User.active.is_(True),
        User.id.in_(participants),
        listing.matches(User.name, User.email, User.organisation),
    )
    query = only_cohort(query, User.id, cohort_id)
    people = listing.fetch(query, User.id, scalars=True)
    counts = participation_counts(p.id for p in people)
    return [(person, counts[person.id]) for person in people]
