"""Build small valid and hostile SCORM ZIP archives in a temporary directory for the tests."""

from __future__ import annotations

import stat
import struct
import warnings
import zipfile
from pathlib import Path

INDEX_HTML = b"<!doctype html><title>SCO</title><p>Hallo</p>"


def manifest_12(href: str = "index.html", files: tuple[str, ...] = ("index.html",)) -> bytes:
    """Return a minimal valid SCORM 1.2 manifest with one SCO."""
    file_xml = "".join(f'<file href="{f}"/>' for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.pkg" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Testkurs</title>
      <item identifier="item" identifierref="res"><title>Lektion</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res" type="webcontent" adlcp:scormtype="sco" href="{href}">
      {file_xml}
    </resource>
  </resources>
</manifest>""".encode()


def write_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    """Write entries (name or ZipInfo, data) deflated into a ZIP, duplicates allowed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return path


def valid_zip(path: Path, extra: list[tuple[str | zipfile.ZipInfo, bytes]] = ()) -> Path:
    """A valid one-SCO package plus any extra entries."""
    base = [("imsmanifest.xml", manifest_12()), ("index.html", INDEX_HTML)]
    return write_zip(path, base + list(extra))


def symlink_info(name: str) -> zipfile.ZipInfo:
    """A ZipInfo marked as a Unix symbolic link."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def encrypted_zip(path: Path) -> Path:
    """A valid package whose extra entry is flagged as encrypted (local and central)."""
    valid_zip(path, [("secret.txt", b"geheim")])
    data = bytearray(path.read_bytes())
    record = _central_record(data, "secret.txt")
    local = struct.unpack_from("<L", data, record + 42)[0]
    for flag_at in (record + 8, local + 6):
        struct.pack_into("<H", data, flag_at, struct.unpack_from("<H", data, flag_at)[0] | 0x1)
    path.write_bytes(bytes(data))
    return path


def many_files_zip(path: Path, count: int) -> Path:
    """A valid package with ``count`` additional tiny files."""
    return valid_zip(path, [(f"assets/f{n}.txt", b"x") for n in range(count)])


def ratio_bomb_zip(path: Path, megabytes: int = 12) -> Path:
    """A package with one entry of zeros that compresses about a thousandfold."""
    return valid_zip(path, [("assets/zeros.bin", bytes(megabytes * 1024 * 1024))])


def _central_record(data: bytearray, name: str) -> int:
    """Return the offset of the central directory record of ``name``."""
    encoded = name.encode()
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == encoded:
            return pos
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise LookupError(name)


def lying_header_zip(path: Path, real_megabytes: int = 12, claimed: int = 10_000) -> Path:
    """A package whose central directory understates an entry's size (dodging ratio checks)."""
    ratio_bomb_zip(path, real_megabytes)
    data = bytearray(path.read_bytes())
    record = _central_record(data, "assets/zeros.bin")
    struct.pack_into("<L", data, record + 24, claimed)
    path.write_bytes(bytes(data))
    return path


def overlap_zip(path: Path) -> Path:
    """A package where two directory records point at the same local file data."""
    valid_zip(path, [("assets/a.txt", b"a" * 100), ("assets/b.txt", b"b" * 100)])
    data = bytearray(path.read_bytes())
    first = _central_record(data, "assets/a.txt")
    second = _central_record(data, "assets/b.txt")
    offset = struct.unpack_from("<L", data, first + 42)[0]
    struct.pack_into("<L", data, second + 42, offset)
    path.write_bytes(bytes(data))
    return path


def manifest_zip(path: Path, manifest: bytes) -> Path:
    """A package with the given manifest and an index.html."""
    return write_zip(path, [("imsmanifest.xml", manifest), ("index.html", INDEX_HTML)])


def xxe_manifest(secret: Path) -> bytes:
    """A manifest whose title pulls a local file in through an external entity."""
    return f"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY secret SYSTEM "file://{secret}">]>
<manifest identifier="x" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="o"><organization identifier="o"><title>&secret;</title>
  <item identifier="i" identifierref="r"><title>&secret;</title></item></organization>
  </organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco"
    href="index.html"/></resources>
</manifest>""".encode()


def billion_laughs_manifest() -> bytes:
    """A manifest with nested internal entities that would expand to gigabytes."""
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    return f"""<?xml version="1.0"?>
<!DOCTYPE manifest [{"".join(entities)}]>
<manifest identifier="x" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">
  <organizations default="o"><organization identifier="o"><title>&l9;</title>
  <item identifier="i" identifierref="r"><title>L</title></item></organization>
  </organizations>
  <resources><resource identifier="r" type="webcontent" href="index.html"/></resources>
</manifest>""".encode()


def directory_bomb_zip(path: Path, entries: int = 200, depth: int = 500) -> Path:
    """A valid package plus ``entries`` tiny files whose long names imply ``depth`` nested
    folders each, all different (the penetration test's 425 KB zip made 101,900 folders)."""
    extra = []
    for n in range(entries):
        folders = "/".join(f"{n % 36:x}" if i == 0 else "d" for i in range(depth))
        extra.append((f"{n}/{folders}/f.txt", b"x"))
    return valid_zip(path, extra)


def many_folders_zip(path: Path, folders: int) -> Path:
    """A valid package plus one tiny file in each of ``folders`` folders (depth 2)."""
    return valid_zip(path, [(f"a{n // 100}/b{n}/f.txt", b"x") for n in range(folders)])
