"""The Q1 step of the qualification path: every module of Q1_MODULES completed and not failed.

Only the package the foundation set for a module counts, and only while it is published
(``lifecycle.certificate_packages``): a draft's plays are previews, an archived package no
longer counts for the certificate."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...qualification.state import (
    ALL_STATES,
    DONE,
    OPEN,
    PROGRESS_STATES,
    STARTED,
    Requirement,
    StepState,
)
from .models import PUBLISHED, PackageVersion, ScormPackage, ScormRegistration
from .packages import Q1_TITLES
from .progress import estimated_minutes, implausibly_fast

LABEL = _l("Q1-Selbstlernmodule abgeschlossen und bestanden")


def _module_done(row):
    """A module counts once completed and not failed (passed, or without pass criterion)."""
    return row is not None and row.completed and row.passed is not False


def _counting(keys):
    """SQL condition: the package is the published one set for a module of ``keys``."""
    return sa.and_(ScormPackage.module_key.in_(keys), ScormPackage.status == PUBLISHED)


def load(scope):
    """The Q1 step of everyone in ``scope``: two queries, whatever the number of people."""
    keys = list(current_app.config["Q1_MODULES"])
    titles = dict(
        db.session.execute(
            sa.select(ScormPackage.module_key, ScormPackage.title).where(
                ScormPackage.module_key.in_(keys)
            )
        ).all()
    )
    rows = db.session.execute(
        sa.select(
            ScormRegistration.user_id,
            ScormPackage.module_key,
            ScormRegistration.completed,
            ScormRegistration.passed,
            ScormRegistration.score,
            ScormRegistration.completed_at,
            ScormRegistration.total_time_seconds,
            PackageVersion.number,
        )
        .join(PackageVersion, ScormRegistration.version_id == PackageVersion.id)
        .join(ScormPackage, PackageVersion.package_id == ScormPackage.id)
        .where(_counting(keys), scope.where(ScormRegistration.user_id))
    ).all()
    best = {}
    for row in rows:
        key = (row.user_id, row.module_key)
        kept = best.get(key)
        if kept is None or (bool(row.passed), row.completed, row.number) > (
            bool(kept.passed),
            kept.completed,
            kept.number,
        ):
            best[key] = row
    grouped = {}
    for (uid, module_key), row in best.items():
        grouped.setdefault(uid, {})[module_key] = row
    label = str(LABEL)
    return {uid: _state(label, keys, titles, by_module) for uid, by_module in grouped.items()}


def _state(label, keys, titles, best):
    """One person's Q1 step from the best registration per module."""
    done = [best[k] for k in keys if _module_done(best.get(k))]
    describe = lambda: _texts(*_modules(keys, titles, best))  # noqa: E731
    if keys and len(done) == len(keys):
        since = max((r.completed_at for r in done if r.completed_at), default=None)
        return StepState("q1", label, DONE, since, describe=describe)
    return StepState("q1", label, STARTED, describe=describe)


def _modules(keys, titles, best):
    """(every module as a dict, the done ones) for the texts."""
    modules = []
    for key in keys:
        row = best.get(key)
        modules.append(
            {
                "title": titles.get(key) or Q1_TITLES.get(key, key),
                "key": key,
                "row": row,
                "done": _module_done(row),
                "passed": row.passed if row else None,
                "score": row.score if row else None,
                "completed_at": row.completed_at if row else None,
            }
        )
    return modules, [m for m in modules if m["done"]]


def _texts(modules, done):
    """(source, progress, missing) of a Q1 step, in words."""
    source = "; ".join(
        _(
            "%(title)s: abgeschlossen am %(date)s",
            title=m["title"],
            date=format_date(m["completed_at"]),
        )
        + (_(" (%(score)s %%)", score=round(m["score"])) if m["score"] is not None else "")
        + _fast_note(m)
        for m in done
        if m["completed_at"]
    )
    progress = ngettext(
        "%(done)s von %(num)s Modul bestanden",
        "%(done)s von %(num)s Modulen bestanden",
        len(modules),
        done=len(done),
    )
    if modules and len(done) == len(modules):
        return source, progress, ""
    missing = "; ".join(
        _("%(title)s: nicht bestanden", title=m["title"])
        if m["passed"] is False
        else _("%(title)s: noch nicht abgeschlossen", title=m["title"])
        for m in modules
        if not m["done"]
    ) or _("Keine Q1-Module konfiguriert.")
    return source, progress, missing


def _fast_note(module):
    """A warning for staff when a module was passed in far less time than its estimate."""
    if not implausibly_fast(module["key"], module["row"]):
        return ""
    return _(
        " – auffällig schnell: %(minutes)s von geschätzten %(estimate)s Minuten "
        "Lernzeit, bitte prüfen",
        minutes=round((module["row"].total_time_seconds or 0) / 60),
        estimate=estimated_minutes(module["key"]),
    )


def _counting_versions(keys):
    """``{module_key: {version id: number}}`` of the packages that count (a handful of rows)."""
    rows = db.session.execute(
        sa.select(ScormPackage.module_key, PackageVersion.id, PackageVersion.number)
        .join(ScormPackage, PackageVersion.package_id == ScormPackage.id)
        .where(_counting(keys))
    ).all()
    versions = {}
    for module_key, version_id, number in rows:
        versions.setdefault(module_key, {})[version_id] = number
    return versions


def _best_counts(module_versions, top):
    """SQL aggregate, per person: 1 when the best registration of one module (``load``'s
    order: passed, completed, newest version) is completed and not failed, 0 when not, NULL
    without one.

    Each registration gets its place in that order as one number, ``load``'s key weighted
    (passed 4·top, completed 2·top, version number 2n with every n < top) plus 1 when it counts;
    the maximum is the best registration and its lowest bit says whether it counts. Keys
    never tie within a module: one package per module, one number per version of it, one
    registration per person and version."""
    reg = ScormRegistration
    counts = sa.and_(reg.completed.is_(True), sa.or_(reg.passed.is_(None), reg.passed.is_(True)))
    place = (
        sa.case((reg.passed.is_(True), 4 * top), else_=0)
        + sa.case((reg.completed.is_(True), 2 * top), else_=0)
        + 2 * sa.case(module_versions, value=reg.version_id)
        + sa.case((counts, 1), else_=0)
    )
    return sa.func.max(sa.case((reg.version_id.in_(list(module_versions)), place))) % 2


def prefilter(state, user_id_column):
    """Exact SQL for every state, as ``load`` decides it: open without a registration that
    counts; done when, for every module, the best registration (``load``'s order: passed,
    completed, newest version) is completed and not failed; else begun.

    One grouped pass over the registrations of the counting versions (their ids looked up
    first), run once, not once per person; the index on (user, version, completed, passed)
    covers it."""
    keys = list(current_app.config["Q1_MODULES"])
    if state not in (OPEN, STARTED, DONE):
        return sa.false()
    if state == OPEN:
        # A subquery, not the lookup below: the certificate asks for this condition to see
        # whether it is exact, without running it.
        counting = (
            sa.select(PackageVersion.id)
            .join(ScormPackage, PackageVersion.package_id == ScormPackage.id)
            .where(_counting(keys))
        )
        return ~user_id_column.in_(
            sa.select(ScormRegistration.user_id).where(ScormRegistration.version_id.in_(counting))
        )
    versions = _counting_versions(keys)
    if not versions:
        return sa.false()
    counting_ids = [version_id for by_id in versions.values() for version_id in by_id]
    registrations = sa.select(ScormRegistration.user_id).where(
        ScormRegistration.version_id.in_(counting_ids)
    )
    top = max(number for by_id in versions.values() for number in by_id.values()) + 1
    met = sum(sa.case((_best_counts(by_id, top) == 1, 1), else_=0) for by_id in versions.values())
    need = len(set(keys))
    per_person = registrations.group_by(ScormRegistration.user_id)
    return user_id_column.in_(per_person.having(met >= need if state == DONE else met < need))


def narrow(state, user_id_column):
    """A cheaper superset of "done" where steps are combined (the certificate): every module
    has some registration completed and not failed. Combined with the other steps' conditions
    it still beats the exact grouped pass (10,000 learners: the waiting list ~20 ms faster,
    where the few people left get their exact states computed)."""
    if state != DONE:
        return None
    keys = list(current_app.config["Q1_MODULES"])
    modules_done = (
        sa.select(sa.func.count(sa.distinct(ScormPackage.module_key)))
        .select_from(ScormRegistration)
        .join(PackageVersion, ScormRegistration.version_id == PackageVersion.id)
        .join(ScormPackage, PackageVersion.package_id == ScormPackage.id)
        .where(
            ScormRegistration.user_id == user_id_column,
            _counting(keys),
            ScormRegistration.completed.is_(True),
            sa.or_(ScormRegistration.passed.is_(None), ScormRegistration.passed.is_(True)),
        )
        .scalar_subquery()
    )
    return sa.and_(sa.true() if keys else sa.false(), modules_done >= len(set(keys)))


REQUIREMENT = Requirement(
    "q1",
    LABEL,
    load,
    30,
    "q1.catalogue",
    _l("Zu den Modulen"),
    open_text=_l("Noch kein Q1-Modul begonnen."),
    prefilter=prefilter,
    exact=ALL_STATES,
    states=PROGRESS_STATES,
    narrow=narrow,
)
