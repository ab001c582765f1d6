"""Importing SCORM packages: upload page, CLI, refusals without trace, new versions."""

import io
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from q1_helpers import FIXTURES, INVALID, VALID, data_files, load_hostile_zips

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import errors, packages
from lotse_lms.modules.q1.models import PackageVersion, ScormPackage

hz = load_hostile_zips()

#: German messages the engine gives for the invalid fixtures (start of the text).
INVALID_MESSAGES = {
    "InvalidFileReferences_SCORM12": "Die Startdatei »content/nonexistent.html« der Ressource »resource_1« fehlt im Paket.",
    "InvalidMissingOrgIdentifier_SCORM20043rdEdition": "Eine Organisation im Manifest hat keine Kennung (identifier).",
    "ItemWithNonExistentResourceId_SCORM12": "Der Eintrag »Item 1« verweist auf die Ressource »non_existent_resource«",
    "MalformedXml_SCORM12": "Die Datei imsmanifest.xml ist kein gültiges XML",
    "MissingLaunchUrl_SCORM12": "Die SCO-Ressource »resource_1« hat keine Startdatei (href).",
}


def counts():
    """Number of package and version rows."""
    return (
        db.session.scalar(db.select(db.func.count(ScormPackage.id))),
        db.session.scalar(db.select(db.func.count(PackageVersion.id))),
    )


def toc_titles(version):
    """Titles of the TOC entries of a version."""
    return [entry["title"] for entry in version.toc]


@pytest.mark.parametrize("zip_path", VALID, ids=lambda p: p.stem)
def test_upload_page_imports_and_shows_toc(client, login_as, post_form, app, zip_path):
    login_as("trainer")
    response = post_form(
        "/q1/packages/new",
        {"file": (io.BytesIO(zip_path.read_bytes()), zip_path.name), "title": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.session.scalars(db.select(PackageVersion)).one()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for title in toc_titles(version):
        assert title.replace("&", "&amp;").replace("'", "&#39;") in page
    assert os.path.isfile(packages.version_root(version) / "imsmanifest.xml")
    assert data_files(app) and not any(f.startswith(".incoming") for f in data_files(app))


@pytest.mark.parametrize("zip_path", VALID, ids=lambda p: p.stem)
def test_cli_imports_and_prints_id(runner, zip_path):
    result = runner.invoke(args=["import-scorm", str(zip_path), "--title", "Golf"])
    assert result.exit_code == 0, result.output
    package_id = int(result.stdout.strip().splitlines()[-1])
    package = db.session.get(ScormPackage, package_id)
    assert package.title == "Golf" and package.current_version.entries()


def test_imported_structure_multi_sco_nested_parameters(import_fixture):
    version = import_fixture("SequencingForcedSequential_SCORM20043rdEdition")
    assert version.standard == "2004" and version.edition == "2004 3rd Edition"
    assert [e["launch"] for e in version.entries()][:2] == [
        "shared/launchpage.html?content=playing",
        "shared/launchpage.html?content=etiquette",
    ]
    nested = import_fixture("ContentPackagingOneFilePerSCO_SCORM20043rdEdition")
    depths = {e["depth"] for e in nested.toc}
    assert depths == {0, 1} and len(nested.entries()) == 18
    assert not any(e["launch"] for e in nested.toc if e["depth"] == 0)


@pytest.mark.parametrize("zip_path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_refused_on_upload_without_trace(
    client, login_as, post_form, app, zip_path
):
    login_as("admin")
    response = post_form(
        "/q1/packages/new",
        {"file": (io.BytesIO(zip_path.read_bytes()), zip_path.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    expected = INVALID_MESSAGES[zip_path.stem].replace("»", "&raquo;").replace("«", "&laquo;")
    assert INVALID_MESSAGES[zip_path.stem] in page or expected in page
    assert counts() == (0, 0)
    assert data_files(app) == []


@pytest.mark.parametrize("zip_path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_refused_by_cli(runner, app, zip_path):
    result = runner.invoke(args=["import-scorm", str(zip_path)])
    assert result.exit_code != 0
    assert "Das Paket wurde nicht importiert: " + INVALID_MESSAGES[zip_path.stem] in result.output
    assert counts() == (0, 0) and data_files(app) == []


HOSTILE = {
    "traversal": (lambda p: hz.valid_zip(p, [("../evil", b"boom")]), "übergeordnetes Verzeichnis"),
    "absolute": (lambda p: hz.valid_zip(p, [("/etc/x", b"boom")]), "absoluter Pfad"),
    "symlink": (
        lambda p: hz.valid_zip(p, [(hz.symlink_info("shared/link"), b"/etc/passwd")]),
        "symbolische Verknüpfung",
    ),
    "encrypted": (hz.encrypted_zip, None),
    "ratio_bomb": (hz.ratio_bomb_zip, None),
    "overlap": (hz.overlap_zip, None),
    "lying_header": (hz.lying_header_zip, "beschädigt"),
    "billion_laughs": (lambda p: hz.manifest_zip(p, hz.billion_laughs_manifest()), None),
    "outside_reference": (
        lambda p: hz.manifest_zip(p, hz.manifest_12(href="../x.html", files=())),
        "außerhalb des Pakets",
    ),
    "not_a_zip": (
        lambda p: (p.write_bytes(b"PK\x03\x04 kaputt"), p)[1],
        "kein gültiges ZIP-Archiv",
    ),
    "no_manifest": (lambda p: hz.write_zip(p, [("index.html", b"x")]), "kein imsmanifest.xml"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_zip_refused_without_trace(app, runner, tmp_path, kind):
    build, fragment = HOSTILE[kind]
    zip_path = build(tmp_path / f"{kind}.zip")
    with pytest.raises(errors.Q1Error) as err:
        packages.import_package(zip_path)
    assert err.value.message and err.value.code
    if fragment:
        assert fragment in err.value.message
    result = runner.invoke(args=["import-scorm", str(zip_path)])
    assert result.exit_code != 0 and err.value.message in result.output
    assert counts() == (0, 0) and data_files(app) == []


def test_xxe_manifest_refused_and_secret_not_shown(app, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("STRENG-GEHEIM")
    with pytest.raises(errors.Q1Error) as err:
        packages.import_package(hz.manifest_zip(tmp_path / "x.zip", hz.xxe_manifest(secret)))
    assert "STRENG-GEHEIM" not in err.value.message
    assert counts() == (0, 0) and data_files(app) == []


def test_database_failure_removes_extracted_files(app, monkeypatch):
    def boom(*args, **kwargs):
        """Fail like a database that refuses the rows."""
        raise RuntimeError("database down")

    monkeypatch.setattr("lotse_lms.modules.q1.packages.audit.record", boom)
    with pytest.raises(RuntimeError):
        packages.import_package(FIXTURES / "valid" / "RuntimeBasicCalls_SCORM12.zip")
    assert counts() == (0, 0) and data_files(app) == []


def test_upload_without_file_and_too_long_title(client, login_as, post_form):
    login_as("trainer")
    response = post_form(
        "/q1/packages/new", {"title": "x" * 201}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte wählen Sie eine ZIP-Datei aus." in page and "Höchstens 200 Zeichen." in page
    assert counts() == (0, 0)


def test_module_key_unique_and_known(import_fixture):
    import_fixture("RuntimeBasicCalls_SCORM12", module_key="technik")
    with pytest.raises(errors.Q1Error, match="bereits ein Paket"):
        import_fixture("RuntimeBasicCalls_SCORM20043rdEdition", module_key="technik")
    with pytest.raises(errors.Q1Error, match="Unbekanntes Q1-Modul"):
        import_fixture("RuntimeBasicCalls_SCORM20043rdEdition", module_key="astrologie")
    assert counts() == (1, 1)


def test_update_creates_version_and_keeps_attempts(
    client, login_as, post_form, import_fixture, launch
):
    trainer = login_as("trainer")
    first = import_fixture("RuntimeBasicCalls_SCORM12", actor=trainer)
    attempt, _token = launch(trainer, first)
    zip_path = FIXTURES / "valid" / "ContentPackagingSingleSCO_SCORM12.zip"
    response = post_form(
        f"/q1/packages/{first.package_id}/update",
        {"file": (io.BytesIO(zip_path.read_bytes()), zip_path.name), "title": "Golf 2"},
        page=f"/q1/packages/{first.package_id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    package = db.session.get(ScormPackage, first.package_id)
    assert package.title == "Golf 2" and package.current_version.number == 2
    assert package.current_version.id != first.id
    db.session.refresh(attempt)
    assert attempt.version_id == first.id
    assert os.path.isdir(packages.version_root(first))
    page = client.get(f"/q1/packages/{package.id}/report/{trainer.id}").get_data(as_text=True)
    assert re.search(r"<h2>Version 1 ", page) and re.search(r"<h2>Version 2 ", page) is None


def test_update_refused_keeps_current_version(client, login_as, post_form, import_fixture, app):
    login_as("admin")
    first = import_fixture("RuntimeBasicCalls_SCORM12")
    files_before = data_files(app)
    bad = INVALID[0]
    response = post_form(
        f"/q1/packages/{first.package_id}/update",
        {"file": (io.BytesIO(bad.read_bytes()), bad.name)},
        page=f"/q1/packages/{first.package_id}",
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert counts() == (1, 1) and data_files(app) == files_before


def test_wrapped_package_with_spaces_in_names(app, tmp_path):
    entries = [
        (
            "kurs/imsmanifest.xml",
            hz.manifest_12(href="start%20seite.html", files=("start seite.html",)),
        ),
        ("kurs/start seite.html", hz.INDEX_HTML),
    ]
    version = packages.import_package(hz.write_zip(tmp_path / "w.zip", entries))
    assert version.entries()[0]["launch"] == "start%20seite.html"
    assert zipfile.is_zipfile(tmp_path / "w.zip")


def _leftovers(app, age):
    """What a killed import leaves: an upload in .incoming and a half-extracted .part folder."""
    root = Path(app.config["DATA_DIR"]) / "scorm"
    (root / ".incoming").mkdir(parents=True, exist_ok=True)
    upload = root / ".incoming" / f"upload-{age}.zip"
    upload.write_bytes(b"PK")
    part = root / f".{age}abc.part"
    (part / "deep" / "er").mkdir(parents=True)
    (part / "deep" / "er" / "f.txt").write_bytes(b"x" * 1000)
    then = time.time() - age
    for path in (upload, part):
        os.utime(path, (then, then))
    return upload, part


def test_stale_staging_is_removed_at_the_next_import(app, tmp_path):
    stale = _leftovers(app, 3600)
    fresh = _leftovers(app, 10)  # may belong to an import running in another worker
    packages.import_package(hz.valid_zip(tmp_path / "p.zip"))
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in fresh)


def test_staging_clean_command(app, runner):
    stale = _leftovers(app, 3600)
    fresh = _leftovers(app, 10)
    result = runner.invoke(args=["clean-scorm-staging"])
    assert result.exit_code == 0 and "2 Überbleibsel entfernt" in result.output
    assert not any(p.exists() for p in stale) and all(p.exists() for p in fresh)
    result = runner.invoke(args=["clean-scorm-staging", "--max-age", "0"])
    assert "2 Überbleibsel entfernt" in result.output and data_files(app) == []
