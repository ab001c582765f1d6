"""Addresses that leave the request: external links, trusted hosts and redirect targets.

Links that end up in mails, feeds, QR codes and credentials are built from ``BASE_URL``,
never from the Host header of the request that happens to cause them (a forged Host would
otherwise put an attacker's address into a genuine password-reset mail). As Indico does, the
URL map is bound to the configured base instead of to the request.
"""

from urllib.parse import urlsplit

from flask import current_app, url_for

from .text import has_control_characters


def _adapter(app):
    """The app's URL map bound to BASE_URL (host, scheme and path prefix)."""
    base = urlsplit(app.config["BASE_URL"])
    return app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "http"
    )


def external_url(endpoint, *, app=None, _anchor=None, **values):
    """The absolute address of ``endpoint`` under BASE_URL; works with or without a request."""
    app = app or current_app
    url = _adapter(app).build(endpoint, values, force_external=True)
    return f"{url}#{_anchor}" if _anchor else url


def host_of(url):
    """The lower-case host name of ``url`` without port (empty when it has none)."""
    return (urlsplit(url or "").hostname or "").lower()


def trusted_hosts(config):
    """Host names requests may be addressed to: the LMS and the content host with its sub-domains.

    Package versions are served from sub-domains of the content host (one origin each), so
    ``.<content host>`` is trusted too. Ports are not part of the check (Werkzeug ignores them).
    """
    hosts = []
    lms = host_of(config.get("BASE_URL"))
    if lms:
        hosts.append(lms)
    content = host_of(config.get("CONTENT_BASE_URL"))
    if content:
        hosts += [content, f".{content}"]
    return list(dict.fromkeys(hosts + list(config.get("EXTRA_HOSTS") or [])))


def is_local_target(target):
    """True if ``target`` is a path on this site: no scheme, no host, however it is disguised.

    Browsers drop tabs and line breaks inside URLs and read backslashes as slashes, so
    ``/\\t/evil.example`` and ``/\\\\evil.example`` lead off-site although they start with one
    slash; such targets are refused outright rather than cleaned.
    """
    if not target or not isinstance(target, str) or has_control_characters(target):
        return False
    normalised = target.strip().replace("\\", "/")
    if normalised != target.replace("\\", "/") or not normalised.startswith("/"):
        return False
    if normalised.startswith("//"):
        return False
    parts = urlsplit(normalised)
    return not parts.scheme and not parts.netloc


def safe_redirect_target(target, fallback_endpoint="core.index"):
    """``target`` if it stays on this site, else the address of ``fallback_endpoint``."""
    return target if is_local_target(target) else url_for(fallback_endpoint)
