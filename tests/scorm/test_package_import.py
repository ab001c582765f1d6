"""Tests for lotse_lms.scorm.package: real fixtures, hostile archives and atomic extraction."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import zipfile
from pathlib import Path

import pytest

from lotse_lms.scorm.package import (
    Limits,
    ManifestError,
    PackageError,
    extract_package,
    inspect_zip,
)
from tests.shared_dir import SCORM_FIXTURES


def _load_helper():
    """Import hostile_zips.py from this folder (tests is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "hostile_zips", Path(__file__).with_name("hostile_zips.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hz = _load_helper()
FIXTURES = SCORM_FIXTURES


def refused(
    zip_path: Path, tmp_path: Path, code: str, limits: Limits | None = None
) -> PackageError:
    """Assert that both inspect and extract refuse with ``code`` and leave no trace."""
    with pytest.raises(PackageError) as inspected:
        inspect_zip(zip_path, limits)
    assert inspected.value.code == code
    target_parent = tmp_path / "store"
    target_parent.mkdir(exist_ok=True)
    with pytest.raises(PackageError) as extracted:
        extract_package(zip_path, target_parent / "pkg", limits)
    assert extracted.value.code == code
    assert extracted.value.message_de
    assert os.listdir(target_parent) == []
    return extracted.value


@pytest.mark.parametrize(
    ("name", "standard", "edition", "files", "launch_urls"),
    [
        ("RuntimeBasicCalls_SCORM12", "1.2", "1.2", 44, ["shared/launchpage.html"]),
        ("ContentPackagingSingleSCO_SCORM12", "1.2", "1.2", 44, ["shared/launchpage.html"]),
        (
            "ContentPackagingSingleSCO_SCORM20042ndEdition",
            "2004",
            "2004 2nd Edition",
            79,
            ["shared/launchpage.html"],
        ),
        (
            "RuntimeBasicCalls_SCORM20043rdEdition",
            "2004",
            "2004 3rd Edition",
            69,
            ["shared/launchpage.html"],
        ),
        (
            "SequencingForcedSequential_SCORM20043rdEdition",
            "2004",
            "2004 3rd Edition",
            69,
            [
                f"shared/launchpage.html?content={c}"
                for c in ("playing", "etiquette", "handicapping", "havingfun", "assessment")
            ],
        ),
        ("ContentPackagingOneFilePerSCO_SCORM20043rdEdition", "2004", "2004 3rd Edition", 69, []),
    ],
)
def test_valid_fixtures_extract(tmp_path, name, standard, edition, files, launch_urls):
    zip_path = FIXTURES / "valid" / f"{name}.zip"
    info = inspect_zip(zip_path)
    assert (info.manifest.standard, info.manifest.edition, info.files, info.wrapper) == (
        standard,
        edition,
        files,
        "",
    )
    assert info.sha256 == hashlib.sha256(zip_path.read_bytes()).hexdigest()
    pkg = extract_package(zip_path, tmp_path / "pkg")
    assert (pkg.root, pkg.files, pkg.sha256) == (tmp_path / "pkg", files, info.sha256)
    assert pkg.manifest.default_organization == "golf_sample_default_org"
    assert [e.launch_url for e in pkg.manifest.scos()] == launch_urls
    with zipfile.ZipFile(zip_path) as zf:
        expected = {i.filename: i.file_size for i in zf.infolist() if not i.is_dir()}
    written = {
        str(p.relative_to(pkg.root)): p.stat().st_size for p in pkg.root.rglob("*") if p.is_file()
    }
    assert written == expected
    assert pkg.bytes == sum(expected.values())
    for entry in pkg.manifest.launchable():
        assert (pkg.root / entry.resource.href.split("?")[0]).is_file()
    assert os.listdir(tmp_path) == ["pkg"]


def test_one_file_per_sco_launches_assets(tmp_path):
    pkg = extract_package(
        FIXTURES / "valid" / "ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip", tmp_path / "p"
    )
    urls = [e.launch_url for e in pkg.manifest.launchable()]
    assert len(urls) == 18
    assert urls[0] == "Playing/Playing.html"
    assert urls.count("shared/assessmenttemplate.html?questions=Etiquette") == 1


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        (
            "InvalidFileReferences_SCORM12",
            "missing_launch_file",
            "Die Startdatei »content/nonexistent.html« der Ressource »resource_1« fehlt im Paket.",
        ),
        (
            "InvalidMissingOrgIdentifier_SCORM20043rdEdition",
            "organization_without_identifier",
            "Eine Organisation im Manifest hat keine Kennung (identifier).",
        ),
        (
            "ItemWithNonExistentResourceId_SCORM12",
            "missing_resource",
            "Der Eintrag »Item 1« verweist auf die Ressource »non_existent_resource«, die im Manifest fehlt.",
        ),
        (
            "MalformedXml_SCORM12",
            "malformed_xml",
            "Die Datei imsmanifest.xml ist kein gültiges XML (Zeile 27: Opening and ending tag mismatch",
        ),
        (
            "MissingLaunchUrl_SCORM12",
            "missing_launch_url",
            "Die SCO-Ressource »resource_1« hat keine Startdatei (href).",
        ),
    ],
)
def test_invalid_fixtures_refused(tmp_path, name, code, message):
    err = refused(FIXTURES / "invalid" / f"{name}.zip", tmp_path, code)
    assert err.message_de.startswith(message)


def test_missing_listed_files_refused(tmp_path):
    manifest = hz.manifest_12(files=("index.html", "img/a.png", "img/b%20c.png", "img/d.png"))
    zip_path = hz.write_zip(
        tmp_path / "p.zip",
        [("imsmanifest.xml", manifest), ("index.html", b"x"), ("img/b c.png", b"x")],
    )
    err = refused(zip_path, tmp_path, "missing_file")
    assert (
        err.message_de
        == "Im Paket fehlen Dateien, die das Manifest nennt: »img/a.png«, »img/d.png«."
    )


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ("../evil", "path_traversal"),
        ("assets/../../evil", "path_traversal"),
        ("/etc/x", "absolute_path"),
        ("C:\\x", "drive_letter"),
        ("C:/x", "drive_letter"),
        ("assets\\x.js", "backslash"),
        ("assets/\x01x", "bad_name"),
        ("index.html", "duplicate_name"),
        ("imsmanifest.xml/x", "duplicate_name"),
    ],
)
def test_hostile_names_refused(tmp_path, entry, code):
    refused(hz.valid_zip(tmp_path / "h.zip", [(entry, b"boom")]), tmp_path, code)


def test_symlink_entry_refused(tmp_path):
    err = refused(
        hz.valid_zip(tmp_path / "s.zip", [(hz.symlink_info("shared/link"), b"/etc/passwd")]),
        tmp_path,
        "symlink",
    )
    assert "symbolische Verknüpfung" in err.message_de


def test_encrypted_entry_refused(tmp_path):
    refused(hz.encrypted_zip(tmp_path / "e.zip"), tmp_path, "encrypted")


def test_ratio_bomb_refused(tmp_path):
    refused(hz.ratio_bomb_zip(tmp_path / "b.zip"), tmp_path, "zip_bomb")


def test_overlapping_entries_refused(tmp_path):
    refused(hz.overlap_zip(tmp_path / "o.zip"), tmp_path, "zip_bomb")


def test_too_many_files_refused(tmp_path):
    zip_path = hz.many_files_zip(tmp_path / "m.zip", 9)
    assert inspect_zip(zip_path, Limits(max_files=11)).files == 11
    err = refused(zip_path, tmp_path, "too_many_files", Limits(max_files=10))
    assert "höchstens 10" in err.message_de


def test_size_limits_refused(tmp_path):
    zip_path = hz.valid_zip(tmp_path / "v.zip", [("assets/a.bin", os.urandom(5000))])
    refused(zip_path, tmp_path, "too_large", Limits(max_bytes=1000))
    refused(zip_path, tmp_path, "too_large_uncompressed", Limits(max_uncompressed=4000))
    big_manifest = hz.write_zip(
        tmp_path / "bm.zip",
        [("imsmanifest.xml", hz.manifest_12() + b" " * 3000), ("index.html", b"x")],
    )
    refused(big_manifest, tmp_path, "manifest_too_large", Limits(max_manifest_bytes=2000))


def test_lying_size_header_refused_without_trace(tmp_path):
    zip_path = hz.lying_header_zip(tmp_path / "l.zip", real_megabytes=12, claimed=10_000)
    info = inspect_zip(zip_path)  # the directory alone looks harmless ...
    assert info.uncompressed_bytes < 20_000
    store = tmp_path / "store"
    store.mkdir()
    with pytest.raises(PackageError) as err:  # ... but extraction never trusts it
        extract_package(zip_path, store / "pkg")
    assert err.value.code == "corrupt_zip"
    assert os.listdir(store) == []


def test_xxe_manifest_refused_and_file_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("STRENG-GEHEIM")
    err = refused(
        hz.manifest_zip(tmp_path / "x.zip", hz.xxe_manifest(secret)), tmp_path, "manifest_doctype"
    )
    assert isinstance(err, ManifestError)
    assert "STRENG-GEHEIM" not in str(err)


def test_billion_laughs_refused(tmp_path):
    refused(
        hz.manifest_zip(tmp_path / "bl.zip", hz.billion_laughs_manifest()),
        tmp_path,
        "manifest_doctype",
    )


@pytest.mark.parametrize("href", ["../outside.html", "/etc/passwd", "a/../../x.html"])
def test_references_outside_package_refused(tmp_path, href):
    zip_path = hz.manifest_zip(tmp_path / "r.zip", hz.manifest_12(href=href, files=()))
    refused(zip_path, tmp_path, "unsafe_reference")


def test_not_a_zip_and_missing_manifest(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip file")
    refused(junk, tmp_path, "not_a_zip")
    empty = hz.write_zip(tmp_path / "e.zip", [("index.html", b"x")])
    err = refused(empty, tmp_path, "missing_manifest")
    assert err.message_de == "Das Paket enthält kein imsmanifest.xml."
    nested = hz.write_zip(
        tmp_path / "n.zip", [("a/b/imsmanifest.xml", hz.manifest_12()), ("x.txt", b"x")]
    )
    refused(nested, tmp_path, "missing_manifest")


def test_wrapper_folder_and_macos_metadata_are_tolerated(tmp_path):
    entries = [
        ("kurs/", b""),
        (
            "kurs/imsmanifest.xml",
            hz.manifest_12(href="start%20seite.html", files=("start seite.html",)),
        ),
        ("kurs/start seite.html", hz.INDEX_HTML),
        ("__MACOSX/kurs/._imsmanifest.xml", b"\x00\x05"),
    ]
    zip_path = hz.write_zip(tmp_path / "w.zip", entries)
    assert inspect_zip(zip_path).wrapper == "kurs/"
    pkg = extract_package(zip_path, tmp_path / "pkg")
    assert sorted(os.listdir(pkg.root)) == ["imsmanifest.xml", "start seite.html"]
    assert pkg.manifest.scos()[0].launch_url == "start%20seite.html"


def test_external_launch_url_needs_no_file(tmp_path):
    zip_path = hz.manifest_zip(
        tmp_path / "x.zip", hz.manifest_12(href="https://example.org/sco.html", files=())
    )
    assert inspect_zip(zip_path).manifest.scos()[0].launch_url == "https://example.org/sco.html"


def test_existing_target_is_not_touched(tmp_path):
    zip_path = hz.valid_zip(tmp_path / "v.zip")
    target = tmp_path / "pkg"
    target.mkdir()
    (target / "keep.txt").write_text("alt")
    with pytest.raises(PackageError) as err:
        extract_package(zip_path, target)
    assert err.value.code == "target_exists"
    assert os.listdir(target) == ["keep.txt"]
    first = extract_package(zip_path, tmp_path / "pkg2")
    second = extract_package(zip_path, tmp_path / "pkg3")
    assert first.sha256 == second.sha256 == hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert (first.files, first.bytes) == (2, len(hz.manifest_12()) + len(hz.INDEX_HTML))


def test_directory_bomb_refused_before_anything_is_written(tmp_path):
    bomb = hz.directory_bomb_zip(tmp_path / "bomb.zip")
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(PackageError) as err:
        extract_package(bomb, tmp_path / "out")
    assert err.value.code == "too_deep" and "zu tief verschachtelte Ordner" in err.value.message_de
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.zip"]


def test_implied_folders_are_counted(tmp_path):
    limits = Limits(max_dirs=300)
    within = hz.many_folders_zip(tmp_path / "ok.zip", 290)  # 290 folders b<n> + 3 folders a<n>
    assert inspect_zip(within, limits).files == 292  # with manifest and index.html
    over = hz.many_folders_zip(tmp_path / "over.zip", 400)
    with pytest.raises(PackageError) as err:
        inspect_zip(over, limits)
    assert err.value.code == "too_many_dirs" and "zu viele Ordner" in err.value.message_de
    shallow = hz.directory_bomb_zip(
        tmp_path / "deep.zip", entries=2, depth=31
    )  # 33 path components
    with pytest.raises(PackageError, match="33 Ebenen"):
        inspect_zip(shallow)
    assert inspect_zip(hz.directory_bomb_zip(tmp_path / "d.zip", entries=2, depth=30)).files == 4
