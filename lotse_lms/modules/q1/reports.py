"""Trainer reports: one row per learner and package version, details per SCO, CSV export."""

import csv
import io

from flask_babel import gettext as _

from ...extensions import db
from .models import PackageVersion, Registration, ScoAttempt
from .progress import implausibly_fast


def status_label(completed, passed):
    """A short German status of a learner's result."""
    if passed is True:
        return _("bestanden")
    if passed is False:
        return _("nicht bestanden")
    return _("abgeschlossen") if completed else _("begonnen")


def package_report(package):
    """Rows (dicts) for every learner who launched any version of the package."""
    registrations = db.session.scalars(
        db.select(Registration)
        .join(PackageVersion, Registration.version_id == PackageVersion.id)
        .where(PackageVersion.package_id == package.id)
        .order_by(PackageVersion.number.desc(), Registration.id)
    ).all()
    counts = dict(
        db.session.execute(
            db.select(ScoAttempt.registration_id, db.func.count(ScoAttempt.id))
            .where(
                ScoAttempt.registration_id.in_([r.id for r in registrations] or [0]),
                ScoAttempt.is_asset.is_(False),
            )
            .group_by(ScoAttempt.registration_id)
        ).all()
    )
    rows = []
    for reg in registrations:
        rows.append(
            {
                "registration": reg,
                "user": reg.user,
                "version": reg.version.number,
                "status": status_label(reg.completed, reg.passed),
                "completed": reg.completed,
                "passed": reg.passed,
                "score": reg.score,
                "total_time_seconds": reg.total_time_seconds,
                "implausible": implausibly_fast(package.module_key, reg),
                "attempts": counts.get(reg.id, 0),
                "last_accessed": reg.last_accessed,
                "completed_at": reg.completed_at,
            }
        )
    rows.sort(key=lambda r: (r["user"].name.lower(), -r["version"]))
    return rows


def learner_report(package, user):
    """Per version the learner played: the registration and every attempt per item."""
    result = []
    for reg in db.session.scalars(
        db.select(Registration)
        .join(PackageVersion, Registration.version_id == PackageVersion.id)
        .where(PackageVersion.package_id == package.id, Registration.user_id == user.id)
        .order_by(PackageVersion.number.desc())
    ).all():
        attempts = db.session.scalars(
            db.select(ScoAttempt)
            .where(ScoAttempt.registration_id == reg.id)
            .order_by(ScoAttempt.id)
        ).all()
        titles = {e["id"]: e["title"] for e in reg.version.toc}
        items = [
            (entry, [a for a in attempts if a.item_id == entry["id"]])
            for entry in reg.version.entries()
        ]
        result.append({"registration": reg, "items": items, "titles": titles})
    return result


def _hours(seconds):
    """Seconds as h:mm:ss text."""
    seconds = int(round(seconds or 0))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def report_csv(package):
    """The package report as CSV text (semicolon-separated, as German spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("E-Mail"),
            _("Version"),
            _("Status"),
            _("Abgeschlossen"),
            _("Bestanden"),
            _("Punktzahl (%)"),
            _("Lernzeit"),
            _("Versuche"),
            _("Zuletzt geöffnet"),
        ]
    )
    yes_no = {True: _("ja"), False: _("nein"), None: ""}
    for row in package_report(package):
        writer.writerow(
            [
                _safe_cell(row["user"].name),
                row["user"].email,
                row["version"],
                row["status"],
                yes_no[row["completed"]],
                yes_no[row["passed"]],
                "" if row["score"] is None else f"{row['score']:.1f}".replace(".", ","),
                _hours(row["total_time_seconds"]),
                row["attempts"],
                row["last_accessed"].isoformat(timespec="seconds") if row["last_accessed"] else "",
            ]
        )
    return out.getvalue()


def _safe_cell(text):
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
