"""Addresses and headers of the LMS origin (BASE_URL) and of the content origins.

Every package version has an origin of its own, ``<version folder>.<CONTENT_BASE_URL host>``
(``http://0f3c….localhost:5000`` in the demo): a package's scripts cannot reach into the
frames, run-time API or token of another package's player, even in a popup.
"""

from urllib.parse import urlsplit

from flask import current_app, url_for

from ...core import CSP


def origin_of(url):
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def lms_origin():
    """The origin learners use the LMS at (BASE_URL)."""
    return origin_of(current_app.config["BASE_URL"])


def version_key(version):
    """The DNS label of a package version's origin: its folder name (a random uuid4 hex)."""
    return version.folder.lower()


def content_origin(version):
    """The origin a package version's content is served from: ``<key>.<content host>``."""
    parts = urlsplit(current_app.config["CONTENT_BASE_URL"])
    return f"{parts.scheme}://{version_key(version)}.{parts.netloc.lower()}"


def content_url(version, endpoint, **values):
    """An absolute URL of a content-origin route of a package version."""
    return content_origin(version) + url_for(endpoint, **values)


def package_url(version, ctoken, launch):
    """Absolute URL of a package file from its launch href (kept as the manifest encodes it)."""
    prefix = url_for("q1_content.package_file", ctoken=ctoken, filename="x")[:-1]
    return content_origin(version) + prefix + launch


def player_csp(version):
    """The LMS CSP plus permission to frame the package version's content origin."""
    return f"{CSP}; frame-src 'self' {content_origin(version)}"


def content_csp():
    """CSP of package files: their own scripts and styles, framed only by LMS and content."""
    return (
        "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
        "img-src 'self' data: blob:; media-src 'self' data: blob:; object-src 'self'; "
        f"base-uri 'self'; form-action 'self'; frame-ancestors {lms_origin()} 'self'"
    )


def launch_csp(extra_frame_src=""):
    """CSP of the run-time host page: only its own scripts; framed only by the LMS."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self'; frame-src 'self' {extra_frame_src}".rstrip()
        + f"; base-uri 'none'; form-action 'none'; frame-ancestors {lms_origin()}"
    )


def content_headers(response, csp):
    """Headers of every content-origin response (set before core's defaults)."""
    response.headers["Content-Security-Policy"] = csp
    # Obsolete but harmless; modern browsers follow CSP frame-ancestors instead.
    response.headers["X-Frame-Options"] = f"ALLOW-FROM {lms_origin()}"
    response.headers["Referrer-Policy"] = "no-referrer"
    # LMS pages isolate themselves (same-origin); package windows keep their openers, which
    # SCOs opened in a window of their own look through for the run-time API.
    response.headers["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response
