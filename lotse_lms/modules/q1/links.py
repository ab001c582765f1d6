"""Addresses and headers of the two origins: the LMS (BASE_URL) and content (CONTENT_BASE_URL)."""

from urllib.parse import urlsplit

from flask import current_app, request, url_for

from ...core import CSP


def origin_of(url):
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def lms_origin():
    """The origin learners use the LMS at (BASE_URL)."""
    return origin_of(current_app.config["BASE_URL"])


def content_origin():
    """The origin package content is served from (CONTENT_BASE_URL, else the LMS's own)."""
    configured = current_app.config["CONTENT_BASE_URL"]
    return origin_of(configured) if configured else origin_of(request.host_url)


def content_url(endpoint, **values):
    """An absolute URL of a content-origin route."""
    return content_origin() + url_for(endpoint, **values)


def package_url(ctoken, launch):
    """Absolute URL of a package file from its launch href (kept as the manifest encodes it)."""
    prefix = url_for("q1_content.package_file", ctoken=ctoken, filename="x")[:-1]
    return content_origin() + prefix + launch


def player_csp():
    """The LMS CSP plus permission to frame the content origin."""
    return f"{CSP}; frame-src 'self' {content_origin()}"


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
    return response
