"""Serving package files from the content origin: types, headers, no listings, no escapes."""

import pytest
from q1_helpers import load_hostile_zips, origin

from lotse_lms.modules.q1 import packages
from lotse_lms.modules.q1.runtime_controllers import mimetype_for
from lotse_lms.modules.q1.tokens import TokenError, content_token, read_content_token

hz = load_hostile_zips()


@pytest.fixture
def served(app, tmp_path, make_user):
    """A package with files of many types and a content token for it."""
    files = {
        "index.html": hz.INDEX_HTML,
        "a/app.js": b"var x=1;",
        "a/s.css": b"p{}",
        "a/i.svg": b"<svg/>",
        "a/v.mp4": b"\x00\x00",
        "a/f.woff2": b"wOF2",
        "a/m.swf": b"FWS",
        "a/d.xml": b"<x/>",
        "a/f.woff": b"wOFF",
        "a/leer.unbekannt": b"?",
    }
    manifest = hz.manifest_12(files=tuple(files))
    zip_path = hz.write_zip(
        tmp_path / "t.zip", [("imsmanifest.xml", manifest)] + list(files.items())
    )
    version = packages.import_package(zip_path)
    return version, content_token(make_user().id, version.id)


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("index.html", "text/html"),
        ("a/app.js", "text/javascript"),
        ("a/s.css", "text/css"),
        ("a/i.svg", "image/svg+xml"),
        ("a/v.mp4", "video/mp4"),
        ("a/f.woff2", "font/woff2"),
        ("a/f.woff", "font/woff"),
        ("a/m.swf", "application/x-shockwave-flash"),
        ("a/d.xml", "application/xml"),
        ("a/leer.unbekannt", "application/octet-stream"),
    ],
)
def test_types_and_headers(content, served, name, mime):
    _version, token = served
    response = content.get(f"/scorm-content/p/{token}/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == mime
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors http://localhost 'self'" in response.headers["Content-Security-Policy"]
    assert "private" in response.headers["Cache-Control"] and response.headers.get("ETag")


def test_conditional_request(content, served):
    _version, token = served
    first = content.get(f"/scorm-content/p/{token}/index.html")
    again = content.get(
        f"/scorm-content/p/{token}/index.html", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "",
        "a",
        "a/",
        "../imsmanifest.xml",
        "a/../../x",
        "%2e%2e/secret",
        "fehlt.html",
        "/etc/passwd",
    ],
)
def test_no_listing_no_escape(content, served, path):
    _version, token = served
    assert content.get(f"/scorm-content/p/{token}/{path}").status_code == 404


def test_bad_and_old_content_tokens(content, served):
    version, token = served
    assert content.get("/scorm-content/p/forged/index.html").status_code == 404
    old = content_token(1, version.id, now=0)
    assert content.get(f"/scorm-content/p/{old}/index.html").status_code == 404
    with pytest.raises(TokenError):
        read_content_token(old)
    assert read_content_token(token)[0] == version.id


def test_runtime_files(content, served):
    on_version = {"base_url": origin(served[0])}
    for name, mime in (
        ("runtime-api.js", "text/javascript"),
        ("launch.js", "text/javascript"),
        ("launch.css", "text/css"),
    ):
        response = content.get(f"/scorm-content/runtime/{name}", **on_version)
        assert response.status_code == 200 and response.headers["Content-Type"] == mime
    assert content.get("/scorm-content/runtime/..%2Fpackage.py", **on_version).status_code == 404
    assert content.get("/scorm-content/runtime/datamodel-12.json", **on_version).status_code == 404
    # the bare content host serves nothing: every file comes from a version's own origin
    assert content.get("/scorm-content/runtime/launch.js").status_code == 404


def test_mimetype_for():
    assert mimetype_for("A.HTM") == "text/html" and mimetype_for("x.mjs") == "text/javascript"
