"""Demo data: build the Q1 modules from content/q1 and import them (idempotently)."""

import tempfile

from ...extensions import db
from ...scorm.build import BuildError, ContentError, build_packages
from ...scorm.build.content import q1_content_dir
from .errors import Q1Error
from .packages import import_package, package_by_module


def content_dir(app):
    """The Q1 content folder (config Q1_CONTENT_DIR, else the one the XBlocks read too)."""
    return q1_content_dir(app.config["Q1_CONTENT_DIR"])


def seed_q1(app, echo):
    """Build the Q1 packages (SCORM 2004) and import or update them as the Q1 modules."""
    source = content_dir(app)
    if not source.is_dir():
        echo(f"Q1-Pakete: {source} fehlt, übersprungen.")
        return
    wanted = app.config["Q1_MODULES"]
    with tempfile.TemporaryDirectory(prefix="lotse-q1-build-") as out:
        try:
            built = build_packages(source, out, standards=("2004",))
        except (ContentError, BuildError) as exc:
            echo(f"Q1-Pakete: Build fehlgeschlagen, übersprungen: {exc}")
            return
        echo("Q1-Selbstlernmodule:")
        for package in built:
            if package.module_id not in wanted:
                continue
            existing = package_by_module(package.module_id)
            current = existing.current_version if existing else None
            if current is not None and current.sha256 == package.sha256:
                echo(
                    f"  {package.module_id:<16} Paket {existing.id}, Version {current.number} (unverändert)"
                )
                continue
            try:
                version = import_package(
                    package.path, module_key=package.module_id, package=existing
                )
            except Q1Error as exc:
                db.session.rollback()
                echo(f"  {package.module_id:<16} nicht importiert: {exc.message}")
                continue
            echo(f"  {package.module_id:<16} Paket {version.package_id}, Version {version.number}")
