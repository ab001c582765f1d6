"""Deterministic zip files: the same entries give byte-identical archives on every machine."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
FILE_MODE = 0o100644  # regular file, rw-r--r--
COMPRESS_LEVEL = 9


def write_zip(path: Path, entries: dict[str, bytes]) -> str:
    """Write entries (archive name → bytes) sorted, with fixed time, mode and compression.

    Returns the archive's sha256. The file is written next to its target and renamed into
    place, so a failed build never leaves a half-written package under the final name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode bits below mean the same everywhere
            info.external_attr = FILE_MODE << 16
            archive.writestr(
                info,
                entries[name],
                compress_type=zipfile.ZIP_DEFLATED,
                compresslevel=COMPRESS_LEVEL,
            )
    tmp.replace(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()
