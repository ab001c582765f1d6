"""The reflecting-team step of the qualification path: closed sessions as case owner and as member."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..extensions import db
from ..qualification.state import (
    ALL_STATES,
    DONE,
    OPEN,
    PROGRESS_STATES,
    STARTED,
    Requirement,
    StepState,
    as_datetime,
)
from .models import RTMember, RTReflection, RTSelfReflection, RTSession

LABEL = _l("Reflecting Team: Fallgeberin / Fallgeber und Teammitglied")


def load(scope):
    """The step of everyone in ``scope``: two queries, whatever the number of people.

    A session counts as case owner once closed with the closing self-reflection written,
    as member once closed with the member's reflection recorded. Both texts are unique per
    session (and author), so outer joins read them in one pass, not one lookup per row.
    """
    closed = RTSession.closed_at.is_not(None)
    owned = db.session.execute(
        sa.select(
            RTSession.case_owner_id.label("user_id"),
            RTSession.held_on,
            sa.and_(closed, RTSelfReflection.id.is_not(None)).label("counts"),
        )
        .outerjoin(RTSelfReflection, RTSelfReflection.session_id == RTSession.id)
        .where(scope.where(RTSession.case_owner_id))
    ).all()
    member = db.session.execute(
        sa.select(
            RTMember.user_id,
            RTSession.held_on,
            sa.and_(closed, RTReflection.id.is_not(None)).label("counts"),
        )
        .join(RTSession, RTMember.session_id == RTSession.id)
        .outerjoin(RTReflection, _reflection_of_member())
        .where(scope.where(RTMember.user_id))
    ).all()
    grouped = {}
    for role, rows in (("owner", owned), ("member", member)):
        for row in rows:
            grouped.setdefault(row.user_id, {"owner": [], "member": []})[role].append(row)
    need_owner = current_app.config["RT_MIN_AS_CASE_OWNER"]
    need_member = current_app.config["RT_MIN_AS_MEMBER"]
    ids = scope.ids if need_owner <= 0 and need_member <= 0 else grouped
    empty = {"owner": [], "member": []}
    label = str(LABEL)
    return {uid: _state(label, grouped.get(uid, empty), need_owner, need_member) for uid in ids}


def _state(label, rows, need_owner, need_member):
    """One person's step from their sessions."""
    owner = [r for r in rows["owner"] if r.counts]
    member = [r for r in rows["member"] if r.counts]
    describe = lambda: _texts(len(owner), len(member), need_owner, need_member)  # noqa: E731
    if len(owner) < need_owner or len(member) < need_member:
        return StepState("reflecting_team", label, STARTED, describe=describe)
    since = max((r.held_on for r in owner + member if r.held_on), default=None)
    return StepState("reflecting_team", label, DONE, as_datetime(since), describe=describe)


def _texts(owner, member, need_owner, need_member):
    """(source, progress, missing) of the reflecting-team step, in words."""
    # progress towards what is needed ("1 von 1", not "2 von 1"); the source counts them all
    progress = _(
        "als Fallgeberin / Fallgeber %(owner)s von %(need_owner)s, als Teammitglied %(member)s von %(need_member)s",
        owner=min(owner, need_owner),
        need_owner=need_owner,
        member=min(member, need_member),
        need_member=need_member,
    )
    source = ""
    if owner or member:
        source = ngettext(
            "%(num)s abgeschlossene Sitzung: %(owner)s als Fallgeberin / Fallgeber, %(member)s als Teammitglied",
            "%(num)s abgeschlossene Sitzungen: %(owner)s als Fallgeberin / Fallgeber, %(member)s als Teammitglied",
            owner + member,
            owner=owner,
            member=member,
        )
    gaps = []
    if owner < need_owner:
        gaps.append(
            ngettext(
                "noch %(num)s Sitzung als Fallgeberin / Fallgeber mit abschließender Selbstreflexion",
                "noch %(num)s Sitzungen als Fallgeberin / Fallgeber mit abschließender Selbstreflexion",
                need_owner - owner,
            )
        )
    if member < need_member:
        gaps.append(
            ngettext(
                "noch %(num)s Sitzung als Teammitglied",
                "noch %(num)s Sitzungen als Teammitglied",
                need_member - member,
            )
        )
    return source, progress, "; ".join(gaps)


def _reflection_of_member():
    """Join condition: the reflection a team member wrote in their session."""
    return sa.and_(
        RTReflection.session_id == RTMember.session_id, RTReflection.author_id == RTMember.user_id
    )


def prefilter(state, user_id_column):
    """Exact SQL for every state, as ``load`` decides it: done with enough closed sessions
    with the texts that make them count, begun with any session, else open.

    Grouped subqueries over joins, each run once (not correlated per person)."""
    need_owner = current_app.config["RT_MIN_AS_CASE_OWNER"]
    need_member = current_app.config["RT_MIN_AS_MEMBER"]
    if need_owner <= 0 and need_member <= 0:
        return sa.true() if state == DONE else sa.false()
    if state not in (OPEN, STARTED, DONE):
        return sa.false()
    conditions = []
    if need_owner > 0:
        owners = (
            sa.select(RTSession.case_owner_id)
            .join(RTSelfReflection, RTSelfReflection.session_id == RTSession.id)
            .where(RTSession.closed_at.is_not(None))
            .group_by(RTSession.case_owner_id)
            .having(sa.func.count() >= need_owner)
        )
        conditions.append(user_id_column.in_(owners))
    if need_member > 0:
        members = (
            sa.select(RTMember.user_id)
            .join(RTSession, RTMember.session_id == RTSession.id)
            .join(RTReflection, _reflection_of_member())
            .where(RTSession.closed_at.is_not(None))
            .group_by(RTMember.user_id)
            .having(sa.func.count() >= need_member)
        )
        conditions.append(user_id_column.in_(members))
    done = sa.and_(*conditions)
    if state == DONE:
        return done
    involved = sa.or_(
        user_id_column.in_(sa.select(RTSession.case_owner_id)),
        user_id_column.in_(sa.select(RTMember.user_id)),
    )
    return ~involved if state == OPEN else sa.and_(involved, ~done)


REQUIREMENT = Requirement(
    "reflecting_team",
    LABEL,
    load,
    60,
    "reflecting_team.index",
    _l("Zu meinen Sitzungen"),
    open_text=_l("Noch an keiner Sitzung teilgenommen."),
    prefilter=prefilter,
    exact=ALL_STATES,
    states=PROGRESS_STATES,
)
