"""Checks on a ZIP archive's directory before anything is read or written.

Only the central directory is looked at here: entry names (no traversal, no absolute
paths, no drive letters, no backslashes, no control characters), entry types (no symbolic
links or device files), encryption, compression methods, sizes, counts, compression ratio
and overlapping entries (the "overlap" zip bomb).
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from .errors import PackageError

MiB = 1024 * 1024
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
IGNORED_PREFIXES = ("__MACOSX/",)
_DRIVE = re.compile(r"^[A-Za-z]:")
_LOCAL_HEADER = 30


@dataclass(frozen=True)
class Limits:
    """Upper bounds for an uploaded package; the defaults suit course packages."""

    max_bytes: int = 500 * MiB  # size of the ZIP file itself
    max_files: int = 20_000  # entries in the archive, directories included
    max_ratio: float = 100.0  # uncompressed / compressed, per entry and overall
    max_uncompressed: int = 2048 * MiB  # sum of all uncompressed sizes
    max_manifest_bytes: int = 8 * MiB  # imsmanifest.xml
    ratio_min_bytes: int = 1 * MiB  # entries smaller than this are not ratio-checked
    max_dirs: int = 5_000  # folders, those that entry names imply included
    max_depth: int = 32  # path components of an entry name


@dataclass(frozen=True)
class Entry:
    """One checked archive entry with its safe, package-relative path."""

    info: zipfile.ZipInfo
    path: str  # normalised POSIX path without the wrapper folder, no trailing slash
    is_dir: bool


def _refuse_name(code: str, name: str, reason: str) -> PackageError:
    """Build the error for an unsafe entry name."""
    shown = name.encode("unicode_escape").decode("ascii")[:200]
    return PackageError(
        code, f"Das Paket enthält einen unzulässigen Dateinamen »{shown}«: {reason}.", name
    )


def safe_name(name: str) -> str:
    """Validate an entry name and return it as a normalised relative POSIX path."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise _refuse_name("bad_name", name, "Steuerzeichen im Namen")
    if name.startswith("/"):
        raise _refuse_name("absolute_path", name, "absoluter Pfad")
    if _DRIVE.match(name):
        raise _refuse_name("drive_letter", name, "Laufwerksbuchstabe im Pfad")
    if "\\" in name:
        raise _refuse_name("backslash", name, "umgekehrter Schrägstrich (\\) im Pfad")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise _refuse_name(
            "path_traversal", name, "Verweis auf ein übergeordnetes Verzeichnis (..)"
        )
    if not parts:
        raise _refuse_name("bad_name", name, "leerer Name")
    if len(name.encode("utf-8")) > 1024 or any(len(p.encode("utf-8")) > 255 for p in parts):
        raise _refuse_name("name_too_long", name, "Name zu lang")
    return "/".join(parts)


def check_directory_record(fh: BinaryIO, size: int, limits: Limits) -> None:
    """Refuse an oversized central directory before zipfile loads it into memory."""
    tail = min(size, 65_535 + 22)
    fh.seek(size - tail)
    data = fh.read(tail)
    pos = data.rfind(b"PK\x05\x06")
    if pos < 0 or len(data) - pos < 22:
        return  # zipfile will decide whether this is a ZIP at all
    _sig, _disk, _cd_disk, _n_disk, count, cd_size, _cd_off, _clen = struct.unpack(
        "<4s4H2LH", data[pos : pos + 22]
    )
    if count != 0xFFFF and count > limits.max_files:
        raise too_many_files(count, limits)
    if cd_size != 0xFFFFFFFF and cd_size > limits.max_files * 1024 + 65_536:
        raise too_many_files(cd_size // 46, limits)


def too_many_files(count: int, limits: Limits) -> PackageError:
    """Build the error for an archive with too many entries."""
    return PackageError(
        "too_many_files",
        f"Das Paket enthält zu viele Dateien ({count}; erlaubt sind höchstens {limits.max_files}).",
    )


def _check_entry_type(info: zipfile.ZipInfo) -> None:
    """Refuse links, device files, encrypted entries and unknown compression methods."""
    mode = info.external_attr >> 16
    if mode and stat.S_IFMT(mode):
        if stat.S_ISLNK(mode):
            raise _refuse_name("symlink", info.filename, "symbolische Verknüpfung")
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise _refuse_name("special_file", info.filename, "keine gewöhnliche Datei")
    if info.flag_bits & 0x1 or info.flag_bits & 0x40:
        raise PackageError(
            "encrypted",
            "Das Paket enthält verschlüsselte Dateien; bitte ohne Passwort packen.",
            info.filename,
        )
    if info.compress_type not in ZIP_METHODS:
        raise PackageError(
            "unsupported_compression",
            "Das Paket nutzt ein nicht unterstütztes Kompressionsverfahren.",
            f"{info.filename}: method {info.compress_type}",
        )


def _bomb(detail: str) -> PackageError:
    """Build the error for a suspicious compression ratio or overlapping entries."""
    return PackageError(
        "zip_bomb",
        "Das Paket ist verdächtig stark komprimiert oder beschädigt (mögliche ZIP-Bombe) "
        "und wird nicht entpackt.",
        detail,
    )


def check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Check counts, declared uncompressed size and compression ratios."""
    if len(infos) > limits.max_files:
        raise too_many_files(len(infos), limits)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > limits.max_uncompressed:
        raise PackageError(
            "too_large_uncompressed",
            f"Das Paket ist entpackt zu groß ({total // MiB} MB; erlaubt sind höchstens "
            f"{limits.max_uncompressed // MiB} MB).",
        )
    for info in infos:
        if info.file_size > limits.ratio_min_bytes and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise _bomb(f"{info.filename}: {info.file_size} from {info.compress_size} bytes")
    if total > limits.ratio_min_bytes and total > limits.max_ratio * max(packed, 1):
        raise _bomb(f"total {total} from {packed} bytes")


def _encoded_name_length(info: zipfile.ZipInfo) -> int:
    """Return the byte length of an entry name as stored in its local header."""
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return len(info.orig_filename.encode(encoding))
    except UnicodeEncodeError:
        return len(info.orig_filename.encode("utf-8"))


def check_overlaps(zf: zipfile.ZipFile) -> None:
    """Refuse entries whose data overlaps another entry or the central directory."""
    infos = sorted(zf.infolist(), key=lambda i: i.header_offset)
    end_of_data = getattr(zf, "start_dir", None)
    for index, info in enumerate(infos):
        end = info.header_offset + _LOCAL_HEADER + _encoded_name_length(info) + info.compress_size
        limit = infos[index + 1].header_offset if index + 1 < len(infos) else end_of_data
        if limit is not None and end > limit:
            raise _bomb(f"{info.filename}: entry data overlaps the next record")


def check_entries(zf: zipfile.ZipFile, limits: Limits) -> list[Entry]:
    """Run every directory check and return the entries with safe, unique paths."""
    infos = zf.infolist()
    check_sizes(infos, limits)
    check_overlaps(zf)
    entries = []
    for info in infos:
        _check_entry_type(info)
        entries.append(Entry(info, safe_name(info.filename), info.is_dir()))
    check_directories(entries, limits)
    return entries


def _add_parents(path: str, end: int, known: set[str]) -> int:
    """Add the folders ``path[:end]`` and above to ``known``; return how many were new.

    Stops at the first folder already known (its parents are known too), so all entries
    together cost time linear in the length of their names.
    """
    added = 0
    while end > 0:
        folder = path[:end]
        if folder in known:
            break
        known.add(folder)
        added += 1
        end = path.rfind("/", 0, end)
    return added


def check_directories(entries: list[Entry], limits: Limits) -> None:
    """Refuse too deep paths and too many folders, counting those that names only imply
    (200 entries with long names could otherwise create 100,000 folders)."""
    folders: set[str] = set()
    for entry in entries:
        depth = entry.path.count("/") + 1
        if depth > limits.max_depth:
            raise PackageError(
                "too_deep",
                f"Das Paket enthält zu tief verschachtelte Ordner ({depth} Ebenen; erlaubt "
                f"sind höchstens {limits.max_depth}).",
                entry.info.filename[:200],
            )
        end = len(entry.path) if entry.is_dir else entry.path.rfind("/")
        _add_parents(entry.path, end, folders)
        if len(folders) > limits.max_dirs:
            raise PackageError(
                "too_many_dirs",
                f"Das Paket enthält zu viele Ordner (mehr als {limits.max_dirs}).",
            )


def strip_wrapper(entries: list[Entry]) -> tuple[list[Entry], str]:
    """Find imsmanifest.xml and drop ignorable entries and a single wrapping folder.

    The manifest belongs at the archive root. A package whose every entry sits inside one
    top-level folder that holds imsmanifest.xml (a common result of zipping the folder
    instead of its contents) is accepted; that folder is removed from all paths.
    Entries under __MACOSX/ (Finder metadata) are dropped.
    """
    kept = [e for e in entries if not (e.path + "/").startswith(IGNORED_PREFIXES)]
    paths = {e.path for e in kept if not e.is_dir}
    prefix = ""
    if "imsmanifest.xml" not in paths:
        tops = {e.path.split("/", 1)[0] for e in kept}
        candidate = next(iter(tops)) + "/" if len(tops) == 1 else ""
        if not candidate or candidate + "imsmanifest.xml" not in paths:
            deeper = sorted(p for p in paths if p.rsplit("/", 1)[-1].lower() == "imsmanifest.xml")
            raise PackageError(
                "missing_manifest",
                "Das Paket enthält kein imsmanifest.xml.",
                f"manifest found at {deeper[:3]}" if deeper else None,
            )
        prefix = candidate
    result = []
    for entry in kept:
        if entry.path + "/" == prefix:
            continue
        result.append(Entry(entry.info, entry.path[len(prefix) :], entry.is_dir))
    _check_unique(result)
    return result, prefix


def _check_unique(entries: list[Entry]) -> None:
    """Refuse duplicate paths and a path used both as a file and as a folder."""
    files: set[str] = set()
    dirs: set[str] = set()
    for entry in entries:
        if entry.is_dir:
            _add_parents(entry.path, len(entry.path), dirs)
            continue
        if entry.path in files:
            raise _refuse_name("duplicate_name", entry.info.filename, "der Name kommt doppelt vor")
        files.add(entry.path)
        _add_parents(entry.path, entry.path.rfind("/"), dirs)
    clash = files & dirs
    if clash:
        name = sorted(clash)[0]
        raise _refuse_name("duplicate_name", name, "Name ist zugleich Datei und Ordner")
