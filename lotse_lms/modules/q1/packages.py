"""Importing SCORM packages: files and database rows together, or neither.

The engine (lotse_lms.scorm.package) validates the zip completely before it writes
anything and extracts atomically into DATA_DIR/scorm/<uuid>; only then are the rows
added and committed. If the database refuses, the extracted folder is removed again.
"""

import shutil
import time
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ...core import audit
from ...extensions import db
from ...scorm.package import Limits, PackageError, extract_package
from ...scorm.sequencing import build_tree
from .errors import Q1Error
from .models import PUBLISHED, PackageVersion, ScormPackage

#: Catalogue titles of the Q1 modules before their packages are imported.
Q1_TITLES = {"tools-methoden": "Tools & Methoden", "technik": "Technik", "megatrends": "Megatrends"}


def storage_root():
    """The folder holding one sub-folder per imported package version."""
    return Path(current_app.config["DATA_DIR"]) / "scorm"


def version_root(version):
    """The folder of a version's extracted files."""
    return storage_root() / version.folder


#: Staging older than this was left by an import that died (e.g. a worker killed at its
#: timeout): no import runs that long with the size limits in place.
STALE_STAGING_SECONDS = 15 * 60


def incoming_dir():
    """The folder uploads are written to before their import (DATA_DIR/scorm/.incoming)."""
    return storage_root() / ".incoming"


def clean_staging(max_age=STALE_STAGING_SECONDS, now=None):
    """Remove uploads and half-extracted folders older than ``max_age`` seconds; return how
    many. Fresh ones may belong to an import running in another worker and stay."""
    root = storage_root()
    now = time.time() if now is None else now
    leftovers = [*incoming_dir().glob("upload-*"), *root.glob(".*.part")]
    removed = 0
    for path in leftovers:
        try:
            if now - path.lstat().st_mtime < max_age:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:  # another worker cleaned it meanwhile
            continue
        removed += 1
    return removed


def scorm_limits():
    """The engine's limits from the configuration."""
    config = current_app.config
    return Limits(
        max_bytes=config["SCORM_MAX_UPLOAD_BYTES"],
        max_files=config["SCORM_MAX_FILES"],
        max_uncompressed=config["SCORM_MAX_UNCOMPRESSED_BYTES"],
        max_dirs=config["SCORM_MAX_DIRS"],
        max_depth=config["SCORM_MAX_DEPTH"],
    )


def toc_of(manifest):
    """Flatten the default organization into JSON-able TOC entries."""
    entries = []
    for entry in manifest.toc():
        resource = entry.resource
        entries.append(
            {
                "id": entry.item.identifier,
                "title": entry.item.title or entry.item.identifier,
                "depth": entry.depth,
                "launch": entry.launch_url,
                "sco": entry.is_sco and not resource.is_external,
                "external": bool(resource is not None and resource.is_external),
                "visible": entry.item.is_visible,
                "settings": entry.item.launch_settings(),
            }
        )
    return entries


def find_package(package_id):
    """Return a package by id or None."""
    return db.session.get(ScormPackage, package_id)


def package_by_module(module_key):
    """Return the package marked as Q1 module ``module_key``, or None."""
    return db.session.scalar(db.select(ScormPackage).where(ScormPackage.module_key == module_key))


def catalogue():
    """All packages with a current version: Q1 modules first (in their order), then by title."""
    order = {key: index for index, key in enumerate(current_app.config["Q1_MODULES"])}
    packages = db.session.scalars(
        db.select(ScormPackage).where(ScormPackage.current_version_id.is_not(None))
    ).all()
    return sorted(
        packages, key=lambda p: (order.get(p.module_key, len(order)), p.title.lower(), p.id)
    )


def versions_of(package):
    """All versions of a package, newest first."""
    return db.session.scalars(
        db.select(PackageVersion)
        .where(PackageVersion.package_id == package.id)
        .order_by(PackageVersion.number.desc())
    ).all()


def _check_title(title):
    """Strip the title and refuse one that is too long."""
    title = (title or "").strip()
    if len(title) > 200:
        raise Q1Error(_("Der Titel darf höchstens 200 Zeichen lang sein."), field="title")
    return title


def _check_module_key(module_key, package):
    """Refuse unknown module keys and a second package for the same Q1 module."""
    if not module_key:
        return None
    if module_key not in current_app.config["Q1_MODULES"]:
        raise Q1Error(_("Unbekanntes Q1-Modul „%(key)s“.", key=module_key), field="module_key")
    existing = package_by_module(module_key)
    if existing is not None and (package is None or existing.id != package.id):
        raise Q1Error(
            _(
                "Für das Q1-Modul „%(key)s“ gibt es bereits ein Paket; "
                "laden Sie eine neue Version dieses Pakets hoch.",
                key=module_key,
            ),
            field="module_key",
        )
    return module_key


def import_package(
    zip_path, *, title=None, module_key=None, actor=None, package=None, status=PUBLISHED
):
    """Validate, extract and record a zip as a new package, or as a new version of ``package``.

    A new package gets ``status`` (the upload page and the CLI pass "draft"; the demo
    seeder and tests that play at once keep "published"); a new version keeps its
    package's status.

    Commits on success and returns the new PackageVersion. Raises Q1Error (German message)
    and leaves neither files nor rows behind when the package or the database refuses.
    """
    title = _check_title(title)
    module_key = _check_module_key(module_key, package)
    root = storage_root()
    root.mkdir(parents=True, exist_ok=True)
    clean_staging()
    folder = uuid.uuid4().hex
    try:
        imported = extract_package(zip_path, root / folder, scorm_limits())
    except PackageError as exc:
        raise Q1Error(exc.message_de, code=exc.code, field="file") from None
    try:
        version = _record(imported, folder, title, module_key, actor, package, status)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        shutil.rmtree(root / folder, ignore_errors=True)
        raise
    return version


def _record(imported, folder, title, module_key, actor, package, status):
    """Add the rows of an extracted package (flushed, not committed)."""
    manifest = imported.manifest
    toc = toc_of(manifest)
    if not any(entry["launch"] for entry in toc):
        raise Q1Error(
            _("Das Paket enthält keine Lerneinheit, die gestartet werden kann."),
            code="nothing_to_launch",
            field="file",
        )
    organization = manifest.organization()
    if package is None:
        package = ScormPackage(
            title=title or manifest.title or organization.title or folder,
            module_key=module_key,
            status=status,
        )
        db.session.add(package)
        db.session.flush()
        number = 1
    else:
        number = 1 + (
            db.session.scalar(
                db.select(db.func.max(PackageVersion.number)).where(
                    PackageVersion.package_id == package.id
                )
            )
            or 0
        )
        if title:
            package.title = title
        if module_key:
            package.module_key = module_key
    version = PackageVersion(
        package_id=package.id,
        number=number,
        folder=folder,
        standard=manifest.standard,
        edition=manifest.edition or "",
        identifier=(manifest.identifier or "")[:255],
        manifest_title=(manifest.title or "")[:255],
        organization_title=(organization.title or "")[:255],
        toc=toc,
        warnings=list(manifest.warnings or []),
        activity_tree=build_tree(manifest),
        sha256=imported.sha256,
        files=imported.files,
        bytes=imported.bytes,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(version)
    db.session.flush()
    package.current_version_id = version.id
    audit.record(
        "q1.package_imported" if number == 1 else "q1.package_updated",
        package,
        actor=actor,
        version=number,
        standard=manifest.standard,
        sha256=imported.sha256,
        files=imported.files,
    )
    db.session.flush()
    return version


def update_package(package, zip_path, *, title=None, actor=None):
    """Import ``zip_path`` as the next version of ``package`` (earlier attempts stay)."""
    return import_package(zip_path, title=title, actor=actor, package=package)
