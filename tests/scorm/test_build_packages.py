"""Built packages: valid manifests, exactly the listed files, schema files, determinism, CLI."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from lotse_lms.scorm.build import ContentError, build_packages
from lotse_lms.scorm.build.__main__ import main
from lotse_lms.scorm.build.schemas import manifest_errors, schema_files

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "content_fixture"
REAL = ROOT / "content" / "q1"
SCHEMAVERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}
SCORMTYPE = {
    "1.2": "{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype",
    "2004": "{http://www.adlnet.org/xsd/adlcp_v1p3}scormType",
}
LOCAL_REF = re.compile(r'(?:href|src)="([^"#?]+)[^"]*"')


@pytest.fixture(scope="module")
def fixture_packages(tmp_path_factory):
    """Both packages of the fixture module, built once for this file."""
    return build_packages(FIXTURE / "valid", tmp_path_factory.mktemp("dist"))


def _local(name: str) -> str:
    """The local name of an lxml element or attribute tag."""
    return etree.QName(name).localname


def check_package(path: Path, standard: str) -> None:
    """Assert everything a conformant package of this version must satisfy."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = archive.read("imsmanifest.xml")
        pages = {
            n: archive.read(n).decode("utf-8")
            for n in names
            if n.endswith((".html", ".css", ".js"))
        }
    assert manifest_errors(manifest, standard) == []
    root = etree.fromstring(manifest)
    assert [e.text for e in root.iter() if _local(e.tag) == "schemaversion"] == [
        SCHEMAVERSION[standard]
    ]
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids)), "identifiers must be unique"
    orgs = next(e for e in root.iter() if _local(e.tag) == "organizations")
    assert orgs.get("default") in {o.get("identifier") for o in orgs}
    resources = {e.get("identifier"): e for e in root.iter() if _local(e.tag) == "resource"}
    for item in (e for e in root.iter() if _local(e.tag) == "item"):
        assert item.get("identifierref") in resources
    types = {r.get(SCORMTYPE[standard]) for r in resources.values()}
    assert types == {"sco", "asset"}
    listed = {e.get("href") for e in root.iter() if _local(e.tag) == "file"}
    named = set(root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()[1::2])
    assert named <= names, "the schema files the manifest names sit at the package root"
    assert names - listed == {"imsmanifest.xml", *schema_files(standard)}
    assert listed <= names
    for dep in (e for e in root.iter() if _local(e.tag) == "dependency"):
        assert dep.get("identifierref") in resources
    for name, text in pages.items():
        if name.endswith(".html"):
            assert '<html lang="de"' in text and 'class="skip-link"' in text
            assert f'data-scorm="{standard}"' in text
            for ref in LOCAL_REF.findall(text):
                if not re.match(r"^[a-z]+:", ref):
                    assert ref in names, f"{name} refers to missing {ref}"
        assert not re.search(r'(?:src|@import|url\()\s*=?\s*["\']?(?:https?:)?//', text), (
            f"{name} loads from outside"
        )


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_fixture_package_is_conformant(fixture_packages, standard):
    """The fixture module's package validates and lists exactly the files it carries."""
    (package,) = [p for p in fixture_packages if p.standard == standard]
    assert package.module_id == "beispiel"
    assert package.path.name == f"01-beispiel-scorm{'12' if standard == '1.2' else '2004'}.zip"
    assert package.sha256 == hashlib.sha256(package.path.read_bytes()).hexdigest()
    assert package.bytes == package.path.stat().st_size
    check_package(package.path, standard)
    with zipfile.ZipFile(package.path) as archive:
        assert tuple(sorted(archive.namelist())) == package.files
        assert {
            "index.html",
            "01-erste-schritte.html",
            "02-vertiefung.html",
            "wissenscheck.html",
            "images/skizze.svg",
            "shared/sco.js",
        } <= set(archive.namelist())


def test_sequencing_and_mastery(fixture_packages):
    """1.2 carries masteryscore on the check; 2004 a primary objective satisfied by measure."""
    by_standard = {
        p.standard: zipfile.ZipFile(p.path).read("imsmanifest.xml") for p in fixture_packages
    }
    m12 = etree.fromstring(by_standard["1.2"])
    assert [e.text for e in m12.iter("{*}masteryscore")] == ["80"]
    m04 = etree.fromstring(by_standard["2004"])
    (primary,) = list(m04.iter("{http://www.imsglobal.org/xsd/imsss}primaryObjective"))
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext("{http://www.imsglobal.org/xsd/imsss}minNormalizedMeasure") == "0.8"
    assert primary.getparent().getparent().getparent().get("identifier") == "item-check"
    (mode,) = [e for e in m04.iter("{http://www.imsglobal.org/xsd/imsss}controlMode")]
    assert (mode.get("choice"), mode.get("flow")) == ("true", "true")


def test_validation_catches_broken_manifests(fixture_packages):
    """The schema check is real: misplaced or misspelled elements are refused."""
    for package in fixture_packages:
        manifest = zipfile.ZipFile(package.path).read("imsmanifest.xml")
        broken = manifest.replace(b"<schemaversion>", b"<schemaVersion>").replace(
            b"</schemaversion>", b"</schemaVersion>"
        )
        assert manifest_errors(broken, package.standard)
        no_org_id = re.sub(rb'<organization identifier="[^"]+"', b"<organization", manifest)
        assert manifest_errors(no_org_id, package.standard)


def test_build_is_deterministic(tmp_path):
    """Building the same content twice gives byte-identical zips with fixed metadata."""
    first = build_packages(FIXTURE / "valid", tmp_path / "a")
    second = build_packages(FIXTURE / "valid", tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes()
        assert one.sha256 == two.sha256
        with zipfile.ZipFile(one.path) as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_progress_and_standard_selection(tmp_path):
    """progress sees every step; one standard builds one package; unknown standards are refused."""
    steps = []
    built = build_packages(
        FIXTURE / "valid", tmp_path, standards=("2004",), progress=lambda *a: steps.append(a)
    )
    assert [p.standard for p in built] == ["2004"]
    assert [s for _, _, s in steps] == ["render", "manifest", "validate", "zip", "done"]
    assert {(m, s) for m, s, _ in steps} == {("beispiel", "2004")}
    with pytest.raises(ValueError):
        build_packages(FIXTURE / "valid", tmp_path, standards=("1.3",))


def test_content_error_writes_nothing(tmp_path):
    """Broken content raises ContentError before any package is written."""
    root = tmp_path / "q1"
    shutil.copytree(FIXTURE / "valid", root)
    shutil.copy(FIXTURE / "broken" / "missing-image" / "01-erste-schritte.md", root / "01-beispiel")
    with pytest.raises(ContentError):
        build_packages(root, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_main(tmp_path, capsys):
    """main() prints progress and the packages; on content errors it exits 1 with file:line."""
    assert (
        main(
            [
                "--content",
                str(FIXTURE / "valid"),
                "--out",
                str(tmp_path / "out"),
                "--standard",
                "1.2",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "[beispiel · SCORM 1.2] Manifest prüfen" in out and "01-beispiel-scorm12.zip" in out
    root = tmp_path / "q1"
    shutil.copytree(FIXTURE / "valid", root)
    shutil.copy(FIXTURE / "broken" / "duplicate-id" / "knowledge-check.yaml", root / "01-beispiel")
    assert main(["--content", str(root), "--out", str(tmp_path / "bad")]) == 1
    err = capsys.readouterr().err
    assert "knowledge-check.yaml:57: Frage-id 'q04' doppelt" in err


def test_real_q1_content_builds(tmp_path):
    """content/q1 builds into conformant packages for both versions (skipped only while empty)."""
    if not REAL.is_dir() or not any(
        (d / "module.md").exists() for d in REAL.iterdir() if d.is_dir()
    ):
        pytest.skip("content/q1 has no modules yet")
    try:
        built = build_packages(REAL, tmp_path)
    except ContentError as exc:
        pytest.fail("content/q1 breaks the content rules:\n" + "\n".join(exc.messages))
    modules = [d for d in REAL.iterdir() if (d / "module.md").exists()]
    assert len(built) == 2 * len(modules)
    for package in built:
        check_package(package.path, package.standard)
