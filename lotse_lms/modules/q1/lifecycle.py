"""A package's lifecycle and who sees it: Entwurf → veröffentlicht → archiviert.

A new upload is a draft: only staff (trainers, admins, foundation) see it and play it as
a preview. Preview data is kept apart from learners' data: while a package is a draft
only staff can play it, and publishing deletes what the previews recorded, so reports
and the certificate only ever read learners' attempts. A published package has an
audience; ``AUDIENCES`` is the one place a new kind (a cohort, with a cohort id column
beside ``audience``) is added. An archived package leaves the catalogue; its attempts
and reports stay. Only a package nobody has attempted can be deleted.

Which packages count for the certificate is the foundation's setting (the package's Q1
module, set on its detail page), read through ``certificate_packages()``.
"""

import shutil

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ...accounts.roles import Role
from ...cohorts.models import PARTICIPANT, Cohort, CohortMember
from ...core import audit
from ...extensions import db
from .errors import Q1Error
from .models import (
    ARCHIVED,
    DRAFT,
    PUBLISHED,
    PackageVersion,
    ScoAttempt,
    ScormPackage,
    ScormRegistration,
    package_cohorts,
)
from .packages import Q1_TITLES, package_by_module, storage_root

STATUS_LABELS = {DRAFT: _l("Entwurf"), PUBLISHED: _l("veröffentlicht"), ARCHIVED: _l("archiviert")}
#: The audience key of packages for the participants of chosen cohorts.
COHORTS = "cohorts"
#: Who a published package is for: audience key -> (label, roles that see it).
AUDIENCES = {
    "participants": (_l("alle Teilnehmenden"), (Role.PARTICIPANT,)),
    "staff": (_l("nur Mitarbeitende (Training, Stiftung, Administration)"), ()),
    COHORTS: (_l("Teilnehmende ausgewählter Durchgänge"), (Role.PARTICIPANT,)),
}
#: Roles that see every package (drafts as preview) and its reports.
STAFF_ROLES = (Role.TRAINER, Role.ADMIN, Role.FOUNDATION)
#: Roles that manage packages (upload, publish, archive, delete).
MANAGER_ROLES = (Role.TRAINER, Role.ADMIN)
#: Roles that decide which package counts for the certificate.
CERTIFICATE_ROLES = (Role.FOUNDATION, Role.ADMIN)


def audience_label(package):
    """Who a published package is for, in German (the cohorts named)."""
    label = AUDIENCES.get(package.audience, (package.audience,))[0]
    if package.audience == COHORTS:
        return f"{label}: {', '.join(c.name for c in package.cohorts)}"
    return str(label)


def is_staff(user):
    """True if the user sees every package and its reports."""
    return user.has_role(*STAFF_ROLES)


def is_preview(package):
    """True while plays of the package are previews (a draft)."""
    return package.status == DRAFT


def cohort_ids_of(user):
    """Ids of the cohorts ``user`` is a participant of (one query)."""
    return set(
        db.session.scalars(
            db.select(CohortMember.cohort_id).where(
                CohortMember.user_id == user.id, CohortMember.role == PARTICIPANT
            )
        )
    )


def can_open(package, user, cohort_ids=None):
    """True if ``user`` may open the package in the player (``cohort_ids``: the user's
    cohorts when the caller already has them)."""
    if is_staff(user):
        return True
    if package.status != PUBLISHED:
        return False
    roles = AUDIENCES.get(package.audience, (None, ()))[1]
    if not (roles and user.has_role(*roles)):
        return False
    if package.audience == COHORTS:
        mine = cohort_ids_of(user) if cohort_ids is None else cohort_ids
        return any(c.id in mine for c in package.cohorts)
    return True


def takes_part(user):
    """True if the user takes part in Q1 at all (a learner of some audience, or staff)."""
    return is_staff(user) or any(user.has_role(*roles) for _label, roles in AUDIENCES.values())


def _ordered(packages):
    """Q1 modules first (in their configured order), then by title."""
    order = {key: index for index, key in enumerate(current_app.config["Q1_MODULES"])}
    return sorted(
        packages, key=lambda p: (order.get(p.module_key, len(order)), p.title.lower(), p.id)
    )


def catalogue_for(user):
    """The packages the user's catalogue lists: learners the published ones of their
    audience; staff also drafts. Archived packages are never in the catalogue."""
    rows = db.session.scalars(
        db.select(ScormPackage)
        .where(ScormPackage.current_version_id.is_not(None), ScormPackage.status != ARCHIVED)
        .options(selectinload(ScormPackage.cohorts))
    ).all()
    mine = None if is_staff(user) else cohort_ids_of(user)
    return _ordered([p for p in rows if can_open(p, user, mine)])


def archived_packages():
    """Archived packages, for the staff's list below the catalogue."""
    rows = db.session.scalars(
        db.select(ScormPackage).where(
            ScormPackage.current_version_id.is_not(None), ScormPackage.status == ARCHIVED
        )
    ).all()
    return _ordered(rows)


def certificate_packages():
    """The packages the foundation set to count for the certificate: {module key: package}
    for every key of Q1_MODULES, None where no published package is set."""
    keys = list(current_app.config["Q1_MODULES"])
    packages = db.session.scalars(
        db.select(ScormPackage).where(ScormPackage.module_key.in_(keys))
    ).all()
    by_key = {p.module_key: p for p in packages}  # module_key is unique: one package per key
    found = {}
    for key in keys:
        package = by_key.get(key)
        found[key] = package if package is not None and package.status == PUBLISHED else None
    return found


def _attempt_count(package):
    """How many SCO attempts exist in any version of the package."""
    return db.session.scalar(
        db.select(db.func.count(ScoAttempt.id))
        .join(PackageVersion, ScoAttempt.version_id == PackageVersion.id)
        .where(PackageVersion.package_id == package.id)
    )


def _registration_ids(package):
    """Ids of every registration in any version of the package."""
    return db.session.scalars(
        db.select(ScormRegistration.id)
        .join(PackageVersion, ScormRegistration.version_id == PackageVersion.id)
        .where(PackageVersion.package_id == package.id)
    ).all()


def _delete_plays(package):
    """Delete every registration and attempt of the package (flushed)."""
    ids = _registration_ids(package)
    if ids:
        db.session.execute(db.delete(ScoAttempt).where(ScoAttempt.registration_id.in_(ids)))
        db.session.execute(db.delete(ScormRegistration).where(ScormRegistration.id.in_(ids)))
    return len(ids)


def publish(package, actor, audience="participants", cohort_ids=()):
    """Publish a draft (or an archived package again) for ``audience`` (for "cohorts": the
    cohorts ``cohort_ids``); a draft's preview data is deleted. Commits."""
    if audience not in AUDIENCES:
        raise Q1Error(_("Bitte wählen Sie, für wen das Paket bestimmt ist."), field="audience")
    cohorts = []
    if audience == COHORTS:
        wanted = {int(i) for i in cohort_ids}
        cohorts = db.session.scalars(db.select(Cohort).where(Cohort.id.in_(wanted))).all()
        if not wanted or len(cohorts) != len(wanted):
            raise Q1Error(_("Bitte wählen Sie mindestens einen Durchgang."), field="cohorts")
    previews = _delete_plays(package) if package.status == DRAFT else 0
    before = package.status
    package.status = PUBLISHED
    package.audience = audience
    package.cohorts = cohorts
    audit.record(
        "q1.package_published",
        package,
        actor=actor,
        before=before,
        audience=audience,
        cohorts=[c.id for c in cohorts],
        previews_deleted=previews,
    )
    db.session.commit()


def archive(package, actor):
    """Take a package out of the catalogue; its attempts and reports stay. Commits."""
    if package.status == DRAFT:
        raise Q1Error(_("Ein Entwurf kann nicht archiviert werden; löschen Sie ihn stattdessen."))
    package.status = ARCHIVED
    audit.record("q1.package_archived", package, actor=actor)
    db.session.commit()


def delete_package(package, actor):
    """Delete a package nobody but staff in a preview has attempted, with its files. Commits."""
    if package.status != DRAFT and _attempt_count(package):
        raise Q1Error(
            _(
                "Dieses Paket hat bereits Versuche von Lernenden und kann nicht gelöscht "
                "werden. Archivieren Sie es stattdessen."
            )
        )
    _delete_plays(package)
    versions = db.session.scalars(
        db.select(PackageVersion).where(PackageVersion.package_id == package.id)
    ).all()
    folders = [v.folder for v in versions]
    audit.record("q1.package_deleted", package, actor=actor, title=package.title)
    package.current_version_id = None
    db.session.flush()
    for version in versions:
        db.session.delete(version)
    db.session.flush()
    db.session.delete(package)
    db.session.commit()
    for folder in folders:
        shutil.rmtree(storage_root() / folder, ignore_errors=True)


def can_delete(package):
    """True if the package may be deleted (a draft, or nobody has attempted it)."""
    return package.status == DRAFT or not _attempt_count(package)


def set_certificate_module(package, module_key, actor):
    """The foundation's setting: the package counts for the certificate as Q1 module
    ``module_key`` ("" = it does not count). Commits."""
    module_key = module_key or None
    if module_key is not None and module_key not in current_app.config["Q1_MODULES"]:
        raise Q1Error(_("Unbekanntes Q1-Modul „%(key)s“.", key=module_key), field="module_key")
    holder = package_by_module(module_key) if module_key else None
    if holder is not None and holder.id != package.id:
        holder.module_key = None  # one package per module: the new choice replaces the old
        db.session.flush()
    before = package.module_key
    package.module_key = module_key
    audit.record(
        "q1.certificate_module_set",
        package,
        actor=actor,
        before=before,
        module=module_key,
        replaced=holder.id if holder is not None and holder.id != package.id else None,
    )
    db.session.commit()


def module_choices():
    """(key, title) of the Q1 modules, for the foundation's setting."""
    return [(k, Q1_TITLES.get(k, k)) for k in current_app.config["Q1_MODULES"]]


def cohort_uses(cohort):
    """Why a cohort cannot be deleted from Q1's side: the packages published for it."""
    titles = db.session.scalars(
        db.select(ScormPackage.title)
        .join(package_cohorts, package_cohorts.c.package_id == ScormPackage.id)
        .where(package_cohorts.c.cohort_id == cohort.id)
        .order_by(ScormPackage.title)
    ).all()
    return [
        _(
            "Das Q1-Paket „%(title)s“ richtet sich an diesen Durchgang; ändern Sie zuerst sein Publikum.",
            title=title,
        )
        for title in titles
    ]
