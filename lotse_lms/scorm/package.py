"""Safe import of SCORM packages (ZIP files with an imsmanifest.xml).

``inspect_zip`` looks only at the ZIP directory and imsmanifest.xml and refuses anything
unsafe or broken with a ``PackageError`` (German ``message_de`` for the uploader).
``extract_package`` validates the same way, then unpacks into a temporary directory next
to the target, counting the real bytes of every entry (a lying size header does not
help), and renames the finished directory into place. On any error nothing is left.

A manifest at the archive root is the standard; a package wrapped in one single
top-level folder containing imsmanifest.xml is accepted and unwrapped.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from .errors import ManifestError, PackageError
from .manifest import parse_manifest
from .manifest_model import Manifest
from .zipcheck import Entry, Limits, check_directory_record, check_entries, strip_wrapper

__all__ = [
    "ImportedPackage",
    "Limits",
    "ManifestError",
    "PackageError",
    "PackageInfo",
    "check_file_references",
    "extract_package",
    "inspect_zip",
]

_CHUNK = 64 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class PackageInfo:
    """What inspect_zip learned: the manifest and the archive's checked contents."""

    manifest: Manifest
    sha256: str  # of the ZIP file, to recognise re-imports of the same file
    files: int  # regular files that will be extracted
    uncompressed_bytes: int  # their declared total size
    archive_bytes: int
    wrapper: str  # "" or the top-level folder that was unwrapped, e.g. "course/"


@dataclass(frozen=True)
class ImportedPackage:
    """A package unpacked into ``root`` (which holds imsmanifest.xml)."""

    manifest: Manifest
    root: Path
    files: int
    bytes: int  # bytes actually written
    sha256: str


def _corrupt(exc: BaseException) -> PackageError:
    """Build the error for an archive that cannot be read."""
    return PackageError(
        "corrupt_zip", "Das ZIP-Archiv ist beschädigt und kann nicht gelesen werden.", str(exc)
    )


def _local_path(href: str) -> str | None:
    """Return the package-relative file path of an href, or None for an external URL."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path
    if path.startswith("/") or "\\" in path:
        raise PackageError(
            "unsafe_reference",
            f"Das Manifest verweist auf »{href}« außerhalb des Pakets.",
            href,
        )
    normal = posixpath.normpath(path) if path else ""
    if normal == ".." or normal.startswith("../"):
        raise PackageError(
            "unsafe_reference",
            f"Das Manifest verweist auf »{href}« außerhalb des Pakets.",
            href,
        )
    return "" if normal == "." else normal


def _present(path: str, names: set[str]) -> bool:
    """True if the href path names a file in the package (raw or percent-decoded)."""
    return path in names or unquote(path) in names


def _missing_list(paths: list[str]) -> str:
    """Format up to five missing paths for a message."""
    shown = ", ".join(f"»{p}«" for p in paths[:5])
    more = len(paths) - 5
    return shown + (f" und {more} weitere" if more > 0 else "")


def check_file_references(manifest: Manifest, names: set[str]) -> None:
    """Refuse the package if a launch href or a <file href> names no file in ``names``."""
    missing_launch = []
    for resource in manifest.resources.values():
        if not resource.href:
            continue
        path = _local_path(resource.href)
        if path is not None and not _present(path, names):
            missing_launch.append((resource.identifier, path))
    if missing_launch:
        ident, path = missing_launch[0]
        raise PackageError(
            "missing_launch_file",
            f"Die Startdatei »{path}« der Ressource »{ident}« fehlt im Paket.",
            "; ".join(f"{i}: {p}" for i, p in missing_launch),
        )
    missing = []
    for resource in manifest.resources.values():
        for href in resource.files:
            path = _local_path(href)
            if path is not None and not _present(path, names) and path not in missing:
                missing.append(path)
    if missing:
        raise PackageError(
            "missing_file",
            f"Im Paket fehlen Dateien, die das Manifest nennt: {_missing_list(missing)}.",
            ", ".join(missing),
        )


def _read_manifest(zf: zipfile.ZipFile, entry: Entry, limits: Limits) -> bytes:
    """Read imsmanifest.xml, never more than the limit, whatever its header says."""
    too_big = PackageError(
        "manifest_too_large",
        f"Die Datei imsmanifest.xml ist zu groß (höchstens "
        f"{limits.max_manifest_bytes // 1024} KB).",
    )
    if entry.info.file_size > limits.max_manifest_bytes:
        raise too_big
    try:
        with zf.open(entry.info) as src:
            data = src.read(limits.max_manifest_bytes + 1)
    except _ZIP_ERRORS as exc:
        raise _corrupt(exc) from None
    if len(data) > limits.max_manifest_bytes:
        raise too_big
    return data


def _sha256(fh: BinaryIO) -> str:
    """Hash a whole file from its start."""
    fh.seek(0)
    digest = hashlib.sha256()
    while chunk := fh.read(1024 * 1024):
        digest.update(chunk)
    fh.seek(0)
    return digest.hexdigest()


def _inspect_open(fh: BinaryIO, limits: Limits) -> tuple[PackageInfo, zipfile.ZipFile, list[Entry]]:
    """Validate an open package file; return the info, the open ZipFile and its entries."""
    size = os.fstat(fh.fileno()).st_size
    if size > limits.max_bytes:
        raise PackageError(
            "too_large",
            f"Das Paket ist zu groß ({size // (1024 * 1024)} MB; erlaubt sind höchstens "
            f"{limits.max_bytes // (1024 * 1024)} MB).",
        )
    digest = _sha256(fh)
    check_directory_record(fh, size, limits)
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
        raise PackageError(
            "not_a_zip", "Die Datei ist kein gültiges ZIP-Archiv.", str(exc)
        ) from None
    try:
        entries, wrapper = strip_wrapper(check_entries(zf, limits))
        manifest_entry = next(e for e in entries if e.path == "imsmanifest.xml" and not e.is_dir)
        manifest = parse_manifest(_read_manifest(zf, manifest_entry, limits))
        files = [e for e in entries if not e.is_dir]
        check_file_references(manifest, {e.path for e in files})
    except BaseException:
        zf.close()
        raise
    info = PackageInfo(
        manifest=manifest,
        sha256=digest,
        files=len(files),
        uncompressed_bytes=sum(e.info.file_size for e in files),
        archive_bytes=size,
        wrapper=wrapper,
    )
    return info, zf, entries


def inspect_zip(path: str | os.PathLike[str], limits: Limits | None = None) -> PackageInfo:
    """Check a package without extracting it; raise PackageError if it is refused."""
    with open(path, "rb") as fh:
        info, zf, _entries = _inspect_open(fh, limits or Limits())
        zf.close()
    return info


def _size_lie(entry: Entry) -> PackageError:
    """Build the error for an entry whose real size differs from its header."""
    return PackageError(
        "size_mismatch",
        "Das ZIP-Archiv ist beschädigt: eine Datei ist größer oder kleiner als angegeben.",
        entry.info.filename,
    )


def _copy_entry(zf: zipfile.ZipFile, entry: Entry, target: Path, budget: int) -> int:
    """Stream one entry to a new file, counting real bytes; return the bytes written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    written = 0
    with zf.open(entry.info) as src, os.fdopen(os.open(target, flags, 0o644), "wb") as out:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > entry.info.file_size:
                raise _size_lie(entry)
            if written > budget:
                raise PackageError(
                    "too_large_uncompressed", "Das Paket ist entpackt zu groß.", entry.path
                )
            out.write(chunk)
    if written != entry.info.file_size:
        raise _size_lie(entry)
    return written


def _extract_into(zf: zipfile.ZipFile, entries: list[Entry], tmp: Path, limits: Limits) -> int:
    """Write every entry below ``tmp``; return the total bytes written."""
    base = tmp.resolve()
    total = 0
    for entry in entries:
        target = base.joinpath(*entry.path.split("/"))
        if base not in target.parents:
            raise PackageError("path_traversal", "Unzulässiger Pfad im Paket.", entry.path)
        if entry.is_dir:
            target.mkdir(mode=0o755, parents=True, exist_ok=True)
            continue
        target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        try:
            total += _copy_entry(zf, entry, target, limits.max_uncompressed - total)
        except _ZIP_ERRORS as exc:
            raise _corrupt(exc) from None
    return total


def extract_package(
    zip_path: str | os.PathLike[str],
    dest_dir: str | os.PathLike[str],
    limits: Limits | None = None,
) -> ImportedPackage:
    """Validate and unpack a package atomically into ``dest_dir`` (which must not exist)."""
    limits = limits or Limits()
    dest = Path(dest_dir)
    if dest.exists() or dest.is_symlink():
        raise PackageError(
            "target_exists", "Das Zielverzeichnis für das Paket existiert bereits.", str(dest)
        )
    if not dest.parent.is_dir():
        raise FileNotFoundError(f"parent directory of {dest} does not exist")
    with open(zip_path, "rb") as fh:
        info, zf, entries = _inspect_open(fh, limits)
        with zf:
            tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent))
            try:
                written = _extract_into(zf, entries, tmp, limits)
                tmp.chmod(0o755)
                os.rename(tmp, dest)
            except OSError as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                raise PackageError(
                    "storage_error", "Das Paket konnte nicht gespeichert werden.", str(exc)
                ) from exc
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    return ImportedPackage(
        manifest=info.manifest, root=dest, files=info.files, bytes=written, sha256=info.sha256
    )
