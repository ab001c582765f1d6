"""Verbs on personal data: export a person's data, erase a person, run the retention job."""

import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import User
from ..accounts.roles import Role
from ..core import audit, jobs, mail
from ..core.errors import Refusal
from ..core.files import private_dir
from ..core.privacy import providers, retention_tasks
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from .archive import write_archive
from .models import DataExport

#: Who may export or erase another person's data (on that person's request).
STAFF = (Role.ADMIN, Role.FOUNDATION)


class PrivacyError(Refusal):
    """A request about personal data that cannot be carried out."""


def check_may_act_for(person, actor):
    """Refuse unless ``actor`` is ``person`` or foundation staff / an admin."""
    if actor.id != person.id and not actor.has_role(*STAFF):
        raise PrivacyError(_("Sie dürfen nur Ihre eigenen Daten abrufen."))


def start_export(person, actor):
    """Record an export of ``person``'s data and hand it to the worker; returns the job."""
    check_may_act_for(person, actor)
    if person.erased_at is not None:
        raise PrivacyError(_("Die Daten dieser Person wurden bereits gelöscht."))
    export = DataExport(id=secrets.token_urlsafe(24), user_id=person.id, requested_by_id=actor.id)
    db.session.add(export)
    audit.record("privacy.export_started", export, actor=actor, subject=person)
    job = jobs.start(
        "privacy.export", export.id, actor=actor, message=_("Die Daten werden zusammengestellt.")
    )
    export.job_id = job.id
    db.session.commit()
    return job


def exports_dir():
    """The folder of the export ZIPs (created 0700)."""
    return private_dir(Path(current_app.config["DATA_DIR"]) / "exports")


def build_export(export_id):
    """The job: write the ZIP (one JSON file per area plus the person's files)."""
    export = db.session.get(DataExport, export_id)
    if export is None:
        raise PrivacyError(_("Diesen Datenexport gibt es nicht mehr."))
    person = db.session.get(User, export.user_id)
    registered = providers()
    parts = {}
    for done, provider in enumerate(registered):
        jobs.progress(done, len(registered), _("Bereich: %(area)s", area=provider.label))
        parts[provider.name] = provider.export(person)
    path = exports_dir() / f"{export.id}.zip"
    write_archive(path, person, parts, {p.name: str(p.label) for p in registered})
    export.path = f"exports/{path.name}"
    export.size = path.stat().st_size
    export.expires_at = utcnow() + timedelta(hours=current_app.config["EXPORT_VALID_HOURS"])
    jobs.progress(len(registered), len(registered), _("Fertig."))
    return jobs.path_for("privacy.download", export_id=export.id)


def export_for_download(export_id, user):
    """The export ``user`` may download (the person, or who asked for it), and its file."""
    export = db.session.get(DataExport, export_id)
    if export is None or user.id not in (export.user_id, export.requested_by_id):
        return None, None
    if not export.path or export.expires_at is None or export.expires_at <= utcnow():
        return export, None
    path = Path(current_app.config["DATA_DIR"]) / export.path
    return export, (path if path.is_file() else None)


def exports_of(person):
    """The person's exports, newest first."""
    return db.session.scalars(
        db.select(DataExport)
        .where(DataExport.user_id == person.id)
        .order_by(DataExport.created_at.desc())
        .limit(10)
    ).all()


def request_erasure(person):
    """The person asks for their data to be erased; foundation staff carry it out."""
    if person.erasure_requested_at is None:
        person.erasure_requested_at = utcnow()
        audit.record("privacy.erasure_requested", person, actor=person, subject=person)


def withdraw_erasure(person):
    """The person withdraws their request before it was carried out."""
    if person.erasure_requested_at is not None:
        person.erasure_requested_at = None
        audit.record("privacy.erasure_withdrawn", person, actor=person, subject=person)


def pending_erasures():
    """People who asked for erasure, oldest request first."""
    return db.session.scalars(
        db.select(User)
        .where(User.erasure_requested_at.is_not(None), User.erased_at.is_(None))
        .order_by(User.erasure_requested_at)
    ).all()


def erase_person(person, actor):
    """Erase ``person``'s data in every area in one transaction, then tell them.

    Each area deletes or anonymises its rows; files are removed only after the commit, so a
    failure leaves everything as it was. Returns the number of files removed.
    """
    if not actor.has_role(*STAFF):
        raise PrivacyError(_("Nur die Stiftung oder die Administration kann Daten löschen."))
    if person.id == actor.id:
        raise PrivacyError(_("Ihr eigenes Konto kann nur eine andere Person löschen."))
    if person.erased_at is not None:
        raise PrivacyError(_("Die Daten dieser Person wurden bereits gelöscht."))
    address, name = person.email, person.name
    exports = db.session.scalars(db.select(DataExport).where(DataExport.user_id == person.id))
    files = []
    for export in exports.all():
        files.append(exports_dir() / f"{export.id}.zip")
        db.session.delete(export)
    for provider in providers():
        files.extend(provider.erase(person) or [])
    audit.record("privacy.erased", person, actor=actor, subject=person)
    mail.queue(
        address,
        _("Ihre Daten wurden gelöscht"),
        _(
            "Guten Tag %(name)s,\n\nwie von Ihnen gewünscht, haben wir Ihr Konto und Ihre "
            "Daten auf der Lernplattform der OM-Lotsen-Qualifizierung gelöscht. Was wir aus "
            "rechtlichen Gründen aufbewahren (z. B. ausgestellte Zertifikate), steht in der "
            "Datenschutzerklärung:\n\n%(notice)s",
            name=name,
            notice=external_url("privacy.notice"),
        ),
    )
    db.session.commit()
    for path in files:
        Path(path).unlink(missing_ok=True)
    return len(files)


def expire_exports(now):
    """Delete export ZIPs whose download period is over."""
    old = db.session.scalars(db.select(DataExport).where(DataExport.expires_at < now)).all()
    for export in old:
        if export.path:
            (Path(current_app.config["DATA_DIR"]) / export.path).unlink(missing_ok=True)
        db.session.delete(export)
    return len(old)


def run_retention():
    """The periodic job: every registered clean-up, in one transaction; returns the counts."""
    now = utcnow()
    counts = {name: fn(now) for name, fn in sorted(retention_tasks().items())}
    current_app.logger.info("Retention: %s", counts)
    return counts
