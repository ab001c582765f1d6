"""Which host answers what: the LMS host, and one content origin per package version.

Package content runs on ``<version key>.<content host>`` (links.py). Requests for a content
route are answered only there, LMS routes never on the content host or its sub-domains. At
start-up a content host that shares the LMS's host name is refused: cookies ignore ports, so
a package could toss cookies into the LMS (login CSRF).
"""

import ipaddress
import re
from urllib.parse import urlsplit

from flask import abort, current_app, g, request
from publicsuffixlist import PublicSuffixList

from ...config import ConfigError

#: A version key as links.version_key makes it (a uuid4 hex), as one DNS label.
KEY = re.compile(r"^[0-9a-f]{32}$")

_suffixes = None


def _netloc(url):
    """host[:port] of a URL, lower-case."""
    return urlsplit(url or "").netloc.lower()


def _hostname(url):
    """The host name of a URL without port, lower-case."""
    return (urlsplit(url or "").hostname or "").lower()


def registrable_domain(host):
    """The registrable domain of a host name (example.org for lms.example.org); an IP itself."""
    global _suffixes
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if _suffixes is None:
        _suffixes = PublicSuffixList()  # the bundled list; nothing is fetched
    return _suffixes.privatesuffix(host) or host


def check_content_host(app):
    """Refuse a content host that shares the LMS's host; warn when it shares its domain."""
    lms = _hostname(app.config["BASE_URL"])
    content = _hostname(app.config["CONTENT_BASE_URL"])
    if not content or content == lms:
        raise ConfigError(
            f"CONTENT_BASE_URL ({app.config['CONTENT_BASE_URL']!r}) must name another host than "
            f"BASE_URL ({app.config['BASE_URL']!r}): a port of its own is not enough, cookies "
            "ignore ports. Use e.g. http://localhost:5000 beside http://127.0.0.1:5000, or "
            "https://lotse-content.example beside https://lms.example.org."
        )
    if content.endswith("." + lms) or registrable_domain(content) == registrable_domain(lms):
        app.logger.warning(
            "CONTENT_BASE_URL (%s) shares the registrable domain of BASE_URL (%s): packages "
            "can set cookies for the whole domain. Keep LOTSE_SECURE_COOKIES on (the session "
            "cookie is then __Host- prefixed) or, better, use a domain of its own for content.",
            app.config["CONTENT_BASE_URL"],
            app.config["BASE_URL"],
        )


def content_side(host):
    """For a request's Host: (on the content host or a sub-domain, the version key or None)."""
    host = host.lower()
    domain = _netloc(current_app.config["CONTENT_BASE_URL"])
    if host == domain:
        return True, None
    if host.endswith("." + domain):
        label = host[: -len(domain) - 1]
        return True, label if KEY.match(label) else None
    return False, None


def separate_hosts():
    """Answer content routes only on a version's content origin, LMS routes never there."""
    on_content, key = content_side(request.host)
    if request.blueprint == "q1_content":
        if key is None:
            abort(404)
        g.q1_content_key = key
    elif on_content:
        abort(404)


def require_version_host(version):
    """404 unless the request came to this package version's own origin."""
    if version is None or g.get("q1_content_key") != version.folder.lower():
        abort(404)
