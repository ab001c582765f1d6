"""Verbs on cohorts: create and change them, add and remove members, find people to add."""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import contains_eager, selectinload

from ..accounts.models import User, UserRole
from ..core import audit
from ..core.errors import Refusal, collect
from ..core.text import check_single_line
from ..core.timeutil import BERLIN
from ..extensions import db
from .models import MEMBER_ROLES, PARTICIPANT, Cohort, CohortMember


class CohortError(Refusal):
    """A request about a cohort that cannot be carried out."""


def today():
    """Today's date in Germany (a cohort's days are German calendar days)."""
    return datetime.now(BERLIN).date()


def _check(cohort_id, name, starts_on, ends_on):
    """Refuse every problem of a cohort's name and dates at once; returns the cleaned name."""
    name = (name or "").strip()
    with collect(CohortError) as refuse:
        refuse.check(check_single_line, name, "name", CohortError)
        if not name:
            refuse(_("Bitte geben Sie einen Namen an."), "name")
        elif db.session.scalar(
            sa.select(Cohort.id).where(Cohort.name == name, Cohort.id != (cohort_id or 0))
        ):
            refuse(_("Einen Durchgang mit diesem Namen gibt es bereits."), "name")
        if starts_on is None:
            refuse(_("Bitte geben Sie den Beginn an."), "starts_on")
        if ends_on is None:
            refuse(_("Bitte geben Sie das Ende an."), "ends_on")
        elif starts_on is not None and ends_on < starts_on:
            refuse(_("Das Ende liegt vor dem Beginn."), "ends_on")
    return name


def create_cohort(name, starts_on, ends_on, actor):
    """Create a cohort (flushed); refuses every bad field at once."""
    name = _check(None, name, starts_on, ends_on)
    cohort = Cohort(name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohorts.created", cohort, actor=actor, name=name, starts_on=starts_on)
    return cohort


def update_cohort(cohort, name, starts_on, ends_on, actor):
    """Change a cohort's name and dates (flushed); refuses every bad field at once."""
    name = _check(cohort.id, name, starts_on, ends_on)
    before = {"name": cohort.name, "starts_on": cohort.starts_on, "ends_on": cohort.ends_on}
    cohort.name, cohort.starts_on, cohort.ends_on = name, starts_on, ends_on
    after = {"name": name, "starts_on": starts_on, "ends_on": ends_on}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        audit.record("cohorts.changed", cohort, actor=actor, changed=changed)
    db.session.flush()
    return changed


def membership_problems(cohort, user, role, when=None):
    """The German reasons ``user`` cannot join ``cohort`` as ``role`` (empty: they can)."""
    return problems_of_many(cohort, [user], role, when)[user.id]


def problems_of_many(cohort, users, role, when=None):
    """``{user id: reasons}`` why each of ``users`` cannot join ``cohort`` as ``role``.

    Two queries for any number of people (the CSV import checks a whole file with it)."""
    if role not in MEMBER_ROLES:
        return {u.id: [_("Unbekannte Rolle im Durchgang.")] for u in users}
    ids = [u.id for u in users]
    already = set(
        db.session.scalars(
            sa.select(CohortMember.user_id).where(
                CohortMember.cohort_id == cohort.id,
                CohortMember.user_id.in_(ids),
                CohortMember.role == role,
            )
        )
    )
    elsewhere = {}
    if role == PARTICIPANT and cohort.is_current(when or today()):
        rows = db.session.execute(
            sa.select(CohortMember.user_id, Cohort.name)
            .join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(
                CohortMember.user_id.in_(ids),
                CohortMember.role == PARTICIPANT,
                Cohort.id != cohort.id,
                Cohort.ends_on >= (when or today()),
            )
        )
        for user_id, name in rows:
            elsewhere.setdefault(user_id, name)
    found = {}
    for user in users:
        problems = found[user.id] = []
        if not user.has_role(role):
            problems.append(
                _(
                    "%(name)s hat nicht die Rolle „%(role)s“.",
                    name=user.name,
                    role=MEMBER_ROLES[role],
                )
            )
        if user.id in already:
            problems.append(_("%(name)s gehört diesem Durchgang bereits an.", name=user.name))
        if user.id in elsewhere:
            problems.append(
                _(
                    "%(name)s nimmt bereits am laufenden Durchgang „%(cohort)s“ teil.",
                    name=user.name,
                    cohort=elsewhere[user.id],
                )
            )
    return found


def add_member(cohort, user, role, actor, when=None):
    """Add a person to the cohort in ``role`` (flushed); refuses with every reason at once."""
    problems = membership_problems(cohort, user, role, when)
    if problems:
        raise CohortError(errors=[("person", p) for p in problems])
    member = CohortMember(cohort=cohort, user=user, role=role)
    db.session.add(member)
    db.session.flush()
    audit.record("cohorts.member_added", cohort, actor=actor, subject=user, role=role)
    return member


def remove_member(member, actor):
    """Take a person out of a cohort (their records in the areas stay)."""
    audit.record(
        "cohorts.member_removed", member.cohort, actor=actor, subject=member.user, role=member.role
    )
    db.session.delete(member)
    db.session.flush()


def cohort_listing_select(listing):
    """Cohorts ``listing`` searches by name, with the number of participants per cohort."""
    count = (
        sa.select(sa.func.count(CohortMember.id))
        .where(CohortMember.cohort_id == Cohort.id, CohortMember.role == PARTICIPANT)
        .scalar_subquery()
        .label("participants")
    )
    return sa.select(Cohort, count).where(listing.matches(Cohort.name))


def page_of_cohorts(listing):
    """One page of cohorts as (cohort, participant count) rows."""
    return listing.fetch(cohort_listing_select(listing), Cohort.id)


def members_by_role(cohort):
    """``{role: [members by name]}`` of a cohort (one query)."""
    rows = db.session.scalars(
        sa.select(CohortMember)
        .join(User, User.id == CohortMember.user_id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.name, User.id)
    ).all()
    found = {role: [] for role in MEMBER_ROLES}
    for member in rows:
        found.setdefault(member.role, []).append(member)
    return found


def member_counts(cohort):
    """``{role: number of members}`` of a cohort (one query)."""
    rows = db.session.execute(
        sa.select(CohortMember.role, sa.func.count(CohortMember.id))
        .where(CohortMember.cohort_id == cohort.id)
        .group_by(CohortMember.role)
    ).all()
    return {role: 0 for role in MEMBER_ROLES} | dict(rows)


def page_of_members(cohort, role, listing):
    """One page of the cohort's members in ``role``, by name (their users loaded with them)."""
    query = (
        sa.select(CohortMember)
        .join(User, User.id == CohortMember.user_id)
        .options(contains_eager(CohortMember.user))
        .where(CohortMember.cohort_id == cohort.id, CohortMember.role == role)
    )
    return listing.fetch(query, User.id, scalars=True)


def register_use(app, find):
    """Let an area name what still relies on a cohort: ``find(cohort)`` returns the German
    reasons (empty when nothing does); a cohort is deleted only when no area names one."""
    app.extensions.setdefault("cohort_uses", []).append(find)


def deletion_problems(cohort):
    """Why ``cohort`` cannot be deleted: members first, then what the areas report."""
    count = sum(member_counts(cohort).values())
    problems = []
    if count:
        problems.append(
            ngettext(
                "Im Durchgang ist noch %(num)d Person; nehmen Sie zuerst alle Mitglieder heraus.",
                "Im Durchgang sind noch %(num)d Personen; nehmen Sie zuerst alle Mitglieder heraus.",
                count,
            )
        )
    for find in current_app.extensions.get("cohort_uses", []):
        problems.extend(find(cohort))
    return problems


def delete_cohort(cohort, actor):
    """Delete a cohort that has no members and nothing relying on it; refuses with every
    reason otherwise."""
    problems = deletion_problems(cohort)
    if problems:
        raise CohortError(errors=[(None, text) for text in problems])
    audit.record("cohorts.deleted", cohort, actor=actor, name=cohort.name)
    db.session.delete(cohort)
    db.session.flush()


def search_people(text, role, limit=20):
    """Active accounts holding ``role`` whose name or e-mail contains ``text`` (at most ``limit``)."""
    text = (text or "").strip().lower()
    if len(text) < 2 or role not in MEMBER_ROLES:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"
    return db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == role,
            User.active.is_(True),
            sa.or_(
                sa.func.lower(User.name).like(like, escape="\\"),
                sa.func.lower(User.email).like(like, escape="\\"),
            ),
        )
        .options(selectinload(User.role_rows))
        .order_by(User.name, User.id)
        .limit(limit)
    ).all()


def cohorts_of(user, when=None):
    """The current cohorts ``user`` is a member of, as (cohort, role) pairs, earliest first."""
    rows = db.session.execute(
        sa.select(Cohort, CohortMember.role)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id, Cohort.ends_on >= (when or today()))
        .order_by(Cohort.starts_on, Cohort.id)
    ).all()
    return [(cohort, role) for cohort, role in rows]


def all_cohorts():
    """Every cohort, newest start first (for the cohort filters; a handful per year)."""
    return db.session.scalars(
        sa.select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name)
    ).all()
