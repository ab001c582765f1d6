"""Assemble, validate and zip one package per module and SCORM version."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .content import load_q1
from .manifest import Sco, manifest_bytes
from .model import Module
from .render import CHECK_FILE, INTRO_FILE, page_file, render_module
from .schemas import SCHEMA_SETS, manifest_errors, schema_files
from .zipper import write_zip

STANDARDS = ("1.2", "2004")
STATIC = Path(__file__).resolve().parent / "static"
SHARED_STATIC = ("lotse.css", "quiz.js", "sco.js")
Progress = Callable[[str, str, str], None]


@dataclass(frozen=True)
class BuiltPackage:
    """A written package: module id, SCORM version, zip path, sha256, archive names and size."""

    module_id: str
    standard: str
    path: Path
    sha256: str
    files: tuple[str, ...]
    bytes: int


class BuildError(Exception):
    """A package failed its own checks (manifest invalid against the XSDs or inconsistent)."""


def package_name(module: Module, standard: str) -> str:
    """The zip file name, e.g. 01-tools-methoden-scorm12.zip."""
    return f"{module.folder}-scorm{'12' if standard == '1.2' else '2004'}.zip"


def scos(module: Module) -> list[Sco]:
    """The SCOs of a module in order: introduction, lessons, knowledge check."""
    items = [Sco("intro", f"Einführung: {module.title}", INTRO_FILE)]
    items += [Sco(lesson.stem, lesson.title, page_file(lesson)) for lesson in module.lessons]
    items.append(Sco("check", module.check.title, CHECK_FILE, is_check=True))
    return items


def _listed_files(manifest: bytes) -> set[str]:
    """Every file href the manifest lists."""
    root = etree.fromstring(manifest)
    return {node.get("href") for node in root.iter() if etree.QName(node).localname == "file"}


def package_entries(
    module: Module, standard: str, progress: Progress | None = None
) -> dict[str, bytes]:
    """All files of one package in memory (archive name → bytes), manifest validated."""
    if standard not in STANDARDS:
        raise ValueError(f"unknown SCORM version {standard!r}; use one of {', '.join(STANDARDS)}")
    report = progress or (lambda *_: None)
    report(module.id, standard, "render")
    entries = {page.name: page.html.encode("utf-8") for page in render_module(module, standard)}
    shared = [f"shared/{name}" for name in SHARED_STATIC]
    for name in SHARED_STATIC:
        entries[f"shared/{name}"] = (STATIC / name).read_bytes()
    for image in module.images():
        name = "images/" + image.relative_to(module.path / "images").as_posix()
        entries[name] = image.read_bytes()
        shared.append(name)
    report(module.id, standard, "manifest")
    manifest = manifest_bytes(module, standard, scos(module), shared)
    report(module.id, standard, "validate")
    errors = manifest_errors(manifest, standard)
    if errors:
        raise BuildError(
            f"{module.folder} SCORM {standard}: imsmanifest.xml invalid: " + "; ".join(errors)
        )
    listed = _listed_files(manifest)
    if listed != set(entries):
        raise BuildError(
            f"{module.folder} SCORM {standard}: manifest and files differ: "
            f"unlisted {sorted(set(entries) - listed)}, missing {sorted(listed - set(entries))}"
        )
    schema_dir = SCHEMA_SETS[standard].directory
    for name in schema_files(standard):
        entries[name] = (schema_dir / name).read_bytes()
    entries["imsmanifest.xml"] = manifest
    return entries


def build_module_package(
    module: Module, standard: str, out_dir: Path | str, progress: Progress | None = None
) -> BuiltPackage:
    """Build, check and zip one module for one SCORM version into out_dir."""
    entries = package_entries(module, standard, progress)
    if progress:
        progress(module.id, standard, "zip")
    path = Path(out_dir) / package_name(module, standard)
    sha256 = write_zip(path, entries)
    built = BuiltPackage(
        module.id, standard, path, sha256, tuple(sorted(entries)), path.stat().st_size
    )
    if progress:
        progress(module.id, standard, "done")
    return built


def build_packages(
    content_dir: Path | str,
    out_dir: Path | str,
    standards: Iterable[str] = STANDARDS,
    progress: Progress | None = None,
) -> list[BuiltPackage]:
    """Load and check all modules under content_dir, then write one zip per module and version.

    Raises ContentError (listing every problem as file:line: message) before writing anything.
    progress, if given, is called as progress(module_id, standard, step) for each step.
    """
    standards = tuple(dict.fromkeys(standards))
    unknown = [s for s in standards if s not in STANDARDS]
    if unknown or not standards:
        raise ValueError(f"unknown SCORM version {unknown!r}; use one of {', '.join(STANDARDS)}")
    modules = load_q1(content_dir)
    return [build_module_package(m, s, out_dir, progress) for m in modules for s in standards]
