"""The Q1 step of the qualification path: every module of Q1_MODULES completed and not failed."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...qualification.state import DONE, STARTED, Requirement, StepState
from .models import PackageVersion, Registration, ScormPackage
from .packages import Q1_TITLES

LABEL = _l("Q1-Selbstlernmodule abgeschlossen und bestanden")


def _best(rows):
    """The registration that counts: passed, else completed, else the newest version's."""
    return max(rows, key=lambda r: (bool(r.passed), r.completed, r.number))


def _module_done(row):
    """A module counts once completed and not failed (passed, or without pass criterion)."""
    return row is not None and row.completed and row.passed is not False


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
            Registration.user_id,
            ScormPackage.module_key,
            Registration.completed,
            Registration.passed,
            Registration.score,
            Registration.completed_at,
            PackageVersion.number,
        )
        .join(PackageVersion, Registration.version_id == PackageVersion.id)
        .join(ScormPackage, PackageVersion.package_id == ScormPackage.id)
        .where(ScormPackage.module_key.in_(keys), scope.where(Registration.user_id))
    ).all()
    grouped = {}
    for row in rows:
        grouped.setdefault(row.user_id, {}).setdefault(row.module_key, []).append(row)
    return {
        uid: _state(keys, titles, {k: _best(v) for k, v in by_module.items()})
        for uid, by_module in grouped.items()
    }


def _state(keys, titles, best):
    """One person's Q1 step from the best registration per module."""
    modules = []
    for key in keys:
        row = best.get(key)
        modules.append(
            {
                "module_key": key,
                "title": titles.get(key) or Q1_TITLES.get(key, key),
                "done": _module_done(row),
                "completed": bool(row and row.completed),
                "passed": row.passed if row else None,
                "score": row.score if row else None,
                "completed_at": row.completed_at if row else None,
            }
        )
    done = [m for m in modules if m["done"]]
    source = "; ".join(
        _(
            "%(title)s: abgeschlossen am %(date)s",
            title=m["title"],
            date=format_date(m["completed_at"]),
        )
        + (_(" (%(score)s %%)", score=round(m["score"])) if m["score"] is not None else "")
        for m in done
        if m["completed_at"]
    )
    progress = ngettext(
        "%(done)s von %(num)s Modul bestanden",
        "%(done)s von %(num)s Modulen bestanden",
        len(modules),
        done=len(done),
    )
    extra = {"modules": modules}
    if modules and len(done) == len(modules):
        since = max((m["completed_at"] for m in done if m["completed_at"]), default=None)
        return StepState("q1", str(LABEL), DONE, since, source, progress, extra=extra)
    missing = "; ".join(
        _("%(title)s: nicht bestanden", title=m["title"])
        if m["passed"] is False
        else _("%(title)s: noch nicht abgeschlossen", title=m["title"])
        for m in modules
        if not m["done"]
    ) or _("Keine Q1-Module konfiguriert.")
    return StepState("q1", str(LABEL), STARTED, None, source, progress, missing, extra)


REQUIREMENT = Requirement(
    "q1",
    LABEL,
    load,
    30,
    "q1.catalogue",
    _l("Zu den Modulen"),
    open_text=_l("Noch kein Q1-Modul begonnen."),
)
