"""Configuration: defaults, then the instance file ``lotse.toml``, then ``LOTSE_*`` variables.

Every key must be known: a typo in the instance file or the environment stops the start
with a message naming the key, instead of being silently ignored.
"""

import json
import os
import secrets
import tomllib
from email.utils import parseaddr
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from .areas import AREAS
from .core import files, jsontext

#: Defaults of the core; each area adds its own ``DEFAULTS``.
DEFAULTS = {
    "DATABASE_URL": None,  # None: SQLite file lotse.db in the instance folder
    "DATA_DIR": None,  # None: data/ in the instance folder (uploads, packages, certificates)
    "SECRET_KEY": None,  # None: generated once and kept in the instance folder
    # None: derived from the address `lotse-lms run` serves (FLASK_RUN_HOST/FLASK_RUN_PORT,
    # which `make run` sets from HOST/PORT), e.g. http://127.0.0.1:5000.
    "BASE_URL": None,
    #: Further host names the LMS answers to (e.g. an internal health-check name).
    "EXTRA_HOSTS": [],
    "SECURE_COOKIES": False,
    # SQLite in write-ahead-log mode with synchronous=NORMAL: commits without an fsync each,
    # readers never block the writer. A power cut may lose the last moments, never consistency.
    "SQLITE_WAL": True,
    "DEFAULT_LOCALE": "de",
    "ALLOW_REGISTRATION": True,
    "REGIONS": [
        "Baden-Württemberg",
        "Bayern",
        "Berlin-Brandenburg",
        "Hessen",
        "Lübeck/Westmecklenburg",
        "Niedersachsen-Bremen",
        "Rhein-Ruhr",
        "Rheinland-Pfalz",
        "Saarland",
        "Sachsen",
        "Schleswig-Holstein-Hamburg",
        "Thüringen",
    ],
    "MAIL_SERVER": "",  # empty: mails are written to the log instead of being sent
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    # From of every mail and ORGANIZER of every calendar invitation. Empty: noreply@ the host
    # of BASE_URL (a start that sends by SMTP refuses a sender at localhost or an IP address).
    "MAIL_SENDER": "",
    # Tries per mail before it is parked and shown to admins; the wait doubles after each
    # failure, starting at MAIL_RETRY_SECONDS. A sender holds a mail MAIL_CLAIM_SECONDS at most.
    "MAIL_MAX_ATTEMPTS": 8,
    "MAIL_RETRY_SECONDS": 60,
    "MAIL_CLAIM_SECONDS": 300,
    # Background jobs: empty = an embedded SQLite queue in the instance folder (one machine);
    # redis://host:6379/0 when several app servers share the work.
    "QUEUE_URL": "",
    "QUEUE_NAME": "lotse-lms",
    "WORKER_THREADS": 2,
    # A running job whose worker stayed silent this long is failed by the sweeper (every 5 min).
    "JOB_STALE_MINUTES": 15,
    # Package uploads of at least this size are imported by the worker (progress on /jobs/<id>).
    "IMPORT_IN_BACKGROUND_BYTES": 20 * 1024 * 1024,
    # Proxies in front of the app whose X-Forwarded-For/-Proto are trusted (nginx: 1), so the
    # rate limiter and the logs see the client's address, not the proxy's.
    "PROXY_COUNT": 0,
    # Where the rate limiter counts: memory:// (one process) or redis://host:6379/1 (shared).
    "RATELIMIT_STORAGE_URI": "memory://",
    "PASSWORD_MIN_LENGTH": 10,
    # zxcvbn's estimate (0 too guessable … 4 very unlikely guessable) a new password must reach.
    "PASSWORD_MIN_SCORE": 3,
    # The role a self-registered account gets (a Role value).
    "DEFAULT_ROLE": "participant",
    # Days without a sign-in after which staff see an account flagged "inaktiv" (0: never).
    "INACTIVE_ACCOUNT_DAYS": 730,
    # Werkzeug hash method; the default scrypt parameters cost ~0.1 s a check on purpose.
    "PASSWORD_HASH_METHOD": "scrypt",
    "PASSWORD_RESET_MAX_AGE": 3600,
    "INVITATION_MAX_AGE": 7 * 24 * 3600,
    # Rate limits (Flask-Limiter notation) on sign-in, password reset, registration and
    # password change: per client address, and per account (a browser that has signed in to
    # the account before counts apart, so strangers cannot lock its owner out).
    "LOGIN_LIMIT_PER_CLIENT": "20 per minute;200 per day",
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute;30 per hour",
    "PROOF_MAX_BYTES": 5 * 1024 * 1024,
    #: Request bodies of routes without a limit of their own (core.limits); uploads of
    #: packages, proofs and commits have theirs.
    "MAX_REQUEST_BYTES": 1024 * 1024,
}

#: Flask keys a test or an instance may set directly.
PASSTHROUGH = {"TESTING", "WTF_CSRF_ENABLED", "SERVER_NAME", "PREFERRED_URL_SCHEME", "DEBUG"}
#: LOTSE_* variables that are read elsewhere, not configuration.
NOT_CONFIG_ENV = {"LOTSE_TEST_DATABASE_URL", "LOTSE_SHARED_DIR"}
ENV_PREFIX = "LOTSE_"


class ConfigError(RuntimeError):
    """A configuration key is unknown or its value is unusable."""


def all_defaults():
    """Return the core defaults merged with every area's ``DEFAULTS``."""
    merged = dict(DEFAULTS)
    for name in AREAS:
        area = import_module(name)
        for key, value in getattr(area, "DEFAULTS", {}).items():
            if key in merged:
                raise ConfigError(f"configuration key {key} is defined twice (again in {name})")
            merged[key] = value
    return merged


def _coerce(key, raw, default):
    """Turn an environment string into the type of the key's default."""
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{ENV_PREFIX}{key} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a whole number, not {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}{key} must be a number, not {raw!r}") from None
    if isinstance(default, (list, dict)):
        if raw.strip().startswith(("[", "{")):
            try:
                return json.loads(raw)
            except ValueError as exc:
                raise ConfigError(f"{ENV_PREFIX}{key} is not valid JSON: {exc}") from None
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _check_known(source, keys, known):
    """Refuse keys that no default defines."""
    unknown = sorted(set(keys) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown configuration key(s) in {source}: {', '.join(unknown)}. "
            f"Known keys: {', '.join(sorted(known))}"
        )


def load(instance_path, test_config=None, environ=None):
    """Build the effective configuration dict from all sources, in order."""
    environ = os.environ if environ is None else environ
    defaults = all_defaults()
    known = set(defaults) | PASSTHROUGH
    values = dict(defaults)

    instance_file = Path(instance_path) / "lotse.toml"
    if instance_file.exists():
        try:
            from_file = tomllib.loads(instance_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{instance_file} is not valid TOML: {exc}") from None
        _check_known(instance_file, from_file, known)
        values.update(from_file)

    env_keys = {
        name[len(ENV_PREFIX) :]: raw
        for name, raw in environ.items()
        if name.startswith(ENV_PREFIX) and name not in NOT_CONFIG_ENV
    }
    _check_known("the environment (LOTSE_*)", env_keys, set(defaults))
    for key, raw in env_keys.items():
        values[key] = _coerce(key, raw, defaults[key])

    if test_config:
        _check_known("the test configuration", test_config, known)
        values.update(test_config)
    derive_urls(values, environ)
    derive_mail_sender(values)
    return values


def _mail_domain(address):
    """The domain of a mail address, lower case ('' without one)."""
    return parseaddr(address)[1].rpartition("@")[2].lower()


def _real_domain(domain):
    """True for a DNS name others can reach: not localhost, not .invalid, not an IP literal."""
    if not domain or "." not in domain or domain.startswith("["):
        return False
    if domain.rstrip(".").rsplit(".", 1)[-1] in ("localhost", "invalid", "local", "test"):
        return False
    return not all(part.isdigit() for part in domain.split("."))


def derive_mail_sender(values):
    """Fill MAIL_SENDER from BASE_URL's host; refuse a local sender where mail really goes out.

    The sender is the ORGANIZER of calendar invitations: calendar programs show it and
    send replies there, so noreply@localhost must never reach anyone.
    """
    if not values.get("MAIL_SENDER"):
        host = (urlsplit(values["BASE_URL"]).hostname or "").lower()
        domain = host if _real_domain(host) else "lotse-lms.invalid"
        values["MAIL_SENDER"] = f"OM-Lotsen-Qualifizierung <noreply@{domain}>"
    if values.get("MAIL_SERVER") and not _real_domain(_mail_domain(values["MAIL_SENDER"])):
        raise ConfigError(
            f"MAIL_SENDER ({values['MAIL_SENDER']!r}) has no domain people can reach, but "
            "MAIL_SERVER sends real mail: invitations would name it as organizer. Set "
            "LOTSE_MAIL_SENDER, e.g. 'OM-Lotsen-Qualifizierung <noreply@lms.example.org>'."
        )


#: Host names that mean "this machine" when the server is started.
LOOPBACK = {"", "0.0.0.0", "::", "localhost", "127.0.0.1"}  # noqa: S104 - compared, never bound


def _serving(environ):
    """The host and port `lotse-lms run` serves (Flask's FLASK_RUN_HOST/PORT; 127.0.0.1:5000)."""
    return environ.get("FLASK_RUN_HOST") or "127.0.0.1", environ.get("FLASK_RUN_PORT") or "5000"


def derive_urls(values, environ):
    """Fill BASE_URL and CONTENT_BASE_URL, where unset, from the address the server runs on.

    The LMS is http://127.0.0.1:PORT and content http://localhost:PORT: two origins on one
    machine, so package scripts never see the LMS cookie, on whatever port is chosen.
    A BASE_URL set to an address elsewhere (https://lms.example.org) gets no derived content
    URL: localhost would not reach the people using it, so the start asks for
    CONTENT_BASE_URL (hosts.check_content_host).
    """
    host, port = _serving(environ)
    derived = not values.get("BASE_URL")
    if derived:
        lms_host = "127.0.0.1" if host in LOOPBACK else host
        values["BASE_URL"] = f"http://{lms_host}:{port}"
    if "CONTENT_BASE_URL" in values and not values.get("CONTENT_BASE_URL"):
        lms_name = (urlsplit(values["BASE_URL"]).hostname or "").lower()
        if (derived or lms_name in LOOPBACK) and lms_name != "localhost":
            values["CONTENT_BASE_URL"] = f"http://localhost:{port}"


def _port_of(url):
    """The port of ``url`` (the scheme's default when none is given)."""
    parts = urlsplit(url)
    return str(parts.port or (443 if parts.scheme == "https" else 80))


def url_problems(config, environ):
    """Explain where BASE_URL or CONTENT_BASE_URL cannot reach the server started here.

    Only addresses on this machine are compared with the port served: behind a proxy the
    public address rightly differs from the app server's.
    """
    if not environ.get("FLASK_RUN_PORT"):
        return []
    _host, port = _serving(environ)
    problems = []
    for key in ("BASE_URL", "CONTENT_BASE_URL"):
        url = config.get(key)
        if not url or (urlsplit(url).hostname or "") not in LOOPBACK:
            continue
        if _port_of(url) != port:
            problems.append(
                f"{key} is {url}, but this server listens on port {port}: links in mails, "
                "feeds, QR codes and credentials point elsewhere and the player's content "
                f"frame is refused. Unset LOTSE_{key} (make run derives it from HOST and PORT) "
                "or set it to the address people use."
            )
    return problems


def secret_key(instance_path):
    """Read the instance's secret key, creating it on first start."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def apply(app, values):
    """Put the checked values into ``app.config`` and derive Flask's own keys."""
    instance = Path(app.instance_path)
    if not instance.exists():
        files.private_dir(instance)
    app.config.update(values)
    if not values.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'lotse.db'}"
    if not values.get("DATA_DIR"):
        app.config["DATA_DIR"] = str(instance / "data")
    if not Path(app.config["DATA_DIR"]).exists():
        files.private_dir(app.config["DATA_DIR"])
    if not values.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(instance)
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["DATABASE_URL"])
    _create_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    # No pre-ping: it costs a round trip per request; stale connections are recycled instead.
    # JSON columns are written and read by core.jsontext (equal data, equal text).
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_recycle": 1800,
        "json_serializer": jsontext.dumps,
        "json_deserializer": jsontext.loads,
    }
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Berlin"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = app.config["SECURE_COOKIES"]
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SECURE_COOKIES"]
    if app.config["SECURE_COOKIES"]:
        # __Host- cookies are HTTPS-only, without Domain, for this exact host: a page on a
        # sub-domain or a sibling host cannot set them (no cookie tossing, no login CSRF).
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["REMEMBER_COOKIE_NAME"] = "__Host-remember_token"
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["REMEMBER_COOKIE_PATH"] = "/"
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_BYTES"]


def _create_sqlite_file(uri):
    """Create a SQLite database file 0600 before SQLite does (it would use the umask)."""
    prefix = "sqlite:///"
    if uri.startswith(prefix) and ":memory:" not in uri and "?mode=memory" not in uri:
        path = uri[len(prefix) :].split("?", 1)[0]
        if path:
            files.touch_private(path)


def _normalise_db_url(url):
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
