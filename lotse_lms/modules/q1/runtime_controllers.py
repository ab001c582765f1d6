"""Handlers of the content origin: run-time host page, commit endpoint, package files.

None of them looks at the session cookie (the content host never receives the LMS
cookie anyway): the run-time page and the commit endpoint are authorised by the signed
run-time token of one SCO attempt, package files by a signed content token.
"""

import json
import mimetypes
import os
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app, g, make_response, render_template, request, send_file
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.security import safe_join

from ...core import jsontext
from ...extensions import csrf, db
from ...scorm import datamodel
from . import links
from .commits import CommitRefused, base_for, commit_attempt
from .hosts import require_version_host
from .models import PackageVersion, ScoAttempt
from .packages import version_root
from .tokens import TokenError, content_token, read_content_token, read_runtime_token

SCORM_STATIC = Path(__file__).resolve().parents[2] / "scorm" / "static"
OWN_STATIC = Path(__file__).resolve().parent / "static"
IN_MEMORY_MAX = 2 * 1024 * 1024
RUNTIME_FILES = {
    "runtime-types.js": SCORM_STATIC,
    "runtime-model.js": SCORM_STATIC,
    "runtime-api.js": SCORM_STATIC,
    "launch.js": OWN_STATIC,
    "launch.css": OWN_STATIC,
}
#: Types of files SCORM packages contain, independent of the system's mime.types.
MIME_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".dtd": "application/xml-dtd",
    ".txt": "text/plain",
    ".vtt": "text/vtt",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".bmp": "image/bmp",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".wav": "audio/wav",
    ".swf": "application/x-shockwave-flash",
    ".pdf": "application/pdf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
}


def mimetype_for(filename):
    """The Content-Type of a package file by its extension."""
    ext = os.path.splitext(filename)[1].lower()
    return MIME_TYPES.get(ext) or mimetypes.guess_type(filename)[0] or "application/octet-stream"


@lru_cache(maxsize=2)
def _table(version):
    """The data model table JSON the browser runtime needs (read once)."""
    name = "datamodel-12.json" if version == "1.2" else "datamodel-2004.json"
    return json.loads((SCORM_STATIC / name).read_text(encoding="utf-8"))


def _plain_error(status, message):
    """A small German error page for the content origin (no LMS layout there)."""
    response = make_response(render_template("q1/content_error.html", message=message), status)
    return links.content_headers(response, "default-src 'none'; style-src 'self'")


def launch_page(token):
    """The run-time host page: installs window.API / API_1484_11, then frames the SCO."""
    try:
        ident = read_runtime_token(token)
    except TokenError as exc:
        return _plain_error(
            403,
            _("Dieser Startlink ist abgelaufen. Bitte starten Sie die Lerneinheit im Modul erneut.")
            if exc.reason == "expired"
            else _("Dieser Startlink ist ungültig."),
        )
    attempt_id, user_id, version_id, item_id, _number = ident
    attempt = db.session.get(ScoAttempt, attempt_id)
    if (
        attempt is None
        or attempt.state is None
        or (attempt.user_id, attempt.version_id, attempt.item_id) != (user_id, version_id, item_id)
    ):
        return _plain_error(403, _("Dieser Startlink ist ungültig."))
    version = db.session.get(PackageVersion, version_id)
    require_version_host(version)
    entry = version.entry(item_id)
    state = datamodel.client_state(attempt.state)
    config = {
        "version": version.standard,
        "state": state,
        "base": base_for(jsontext.dumps(attempt.state)),
        "table": _table(version.standard),
        "commitUrl": links.content_url(version, "q1_content.commit", token=token),
        "contentUrl": links.package_url(
            version, content_token(user_id, version_id), entry["launch"]
        ),
        "lmsOrigin": links.lms_origin(),
        "item": item_id,
        "autoCommitSeconds": current_app.config["SCORM_AUTOCOMMIT_SECONDS"],
        "messages": {"refused": _("Ihre Eingaben konnten nicht gespeichert werden.")},
    }
    response = make_response(render_template("q1/launch.html", config=config, title=entry["title"]))
    response.headers["Cache-Control"] = "no-store"
    return links.content_headers(response, links.launch_csp())


@csrf.exempt
def commit(token):
    """Store a commit of the run-time (a JSON body, also when sent as text/plain)."""
    try:
        ident = read_runtime_token(token)
    except TokenError as exc:
        refused = CommitRefused(401 if exc.reason == "expired" else 403, f"token_{exc.reason}")
        return _json(refused.result, refused.status)
    if _version_key(ident[2]) != g.q1_content_key:  # another package's origin
        return _json(CommitRefused(403, "token_invalid").result, 403)
    try:  # the route's body limit (SCORM_COMMIT_MAX_BYTES) stops reading at the limit
        raw = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _json(CommitRefused(413, "too_large").result, 413)
    try:
        payload = jsontext.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _json(CommitRefused(400, "bad_payload", "the body is not JSON").result, 400)
    try:
        result = commit_attempt(ident, payload)
    except CommitRefused as exc:
        return _json(exc.result, exc.status)
    return _json(result, 200)


def _version_key(version_id):
    """The origin key of a package version, kept per process (folders never change)."""
    keys = current_app.extensions.setdefault("lotse_q1_version_keys", {})
    key = keys.get(version_id)
    if key is None:
        version = db.session.get(PackageVersion, version_id)
        if version is None:
            return None
        if len(keys) >= 4096:
            keys.clear()
        key = keys[version_id] = links.version_key(version)
    return key


def _json(body, status):
    """A JSON answer that is never cached."""
    return current_app.response_class(
        jsontext.dumps(body),
        status=status,
        mimetype="application/json",
        headers={"Cache-Control": "no-store"},
    )


def runtime_file(name):
    """The run-time scripts and styles of the host page, from the content origin."""
    folder = RUNTIME_FILES.get(name)
    if folder is None:
        abort(404)
    response = send_file(folder / name, mimetype=mimetype_for(name), max_age=3600)
    response.headers["Content-Type"] = mimetype_for(name)
    return links.content_headers(response, "default-src 'none'")


def package_file(ctoken, filename):
    """A file of a package version, for holders of a content token; no directory listings."""
    try:
        version_id, _user_id = read_content_token(ctoken)
    except TokenError:
        abort(404)
    version = db.get_or_404(PackageVersion, version_id)
    require_version_host(version)
    root = str(version_root(version))
    path = safe_join(root, filename)
    if path is None or not os.path.isfile(path):
        abort(404)
    mimetype = mimetype_for(filename)
    size = os.stat(path).st_size
    if size <= IN_MEMORY_MAX:  # small files: no open file handle outlives an aborted request
        response = _small_file(path, mimetype)
    else:
        response = send_file(path, mimetype=mimetype, max_age=3600, conditional=True, etag=True)
    response.headers["Content-Type"] = mimetype  # no charset: documents declare their own
    response.headers["Cache-Control"] = "private, max-age=3600"
    return links.content_headers(response, links.content_csp())


def _small_file(path, mimetype):
    """A conditional response with the whole file in memory."""
    info = os.stat(path)
    with open(path, "rb") as fh:
        data = fh.read()
    response = current_app.response_class(data, mimetype=mimetype)
    response.last_modified = info.st_mtime
    response.set_etag(f"{info.st_mtime_ns:x}-{info.st_size:x}")
    return response.make_conditional(request)
