"""gunicorn settings for lotse_lms: `gunicorn -c deploy/gunicorn.conf.py` (see README, production).

Every value can be overridden by an environment variable of the same name in upper case
(GUNICORN_BIND, GUNICORN_WORKERS, ...), so one file serves every app server.
"""

import multiprocessing
import os


def _env(name, default):
    """A setting from GUNICORN_<NAME>, else the default."""
    return os.environ.get(f"GUNICORN_{name.upper()}", default)


wsgi_app = "lotse_lms.app:create_app()"
bind = _env("bind", "127.0.0.1:8001")
# Sync workers behind nginx, which buffers request and response bodies: a worker is busy
# only while the app computes, never while a slow client trickles bytes. Two per core plus
# one keeps the CPU busy while others wait on the database.
workers = int(_env("workers", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request may take this long (a big package is imported by the worker, not here).
timeout = int(_env("timeout", 60))
graceful_timeout = int(_env("graceful_timeout", 30))
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(_env("max_requests", 2000))
max_requests_jitter = 200
# Trust X-Forwarded-* only from the proxy on this machine.
forwarded_allow_ips = _env("forwarded_allow_ips", "127.0.0.1")
# Heartbeat files in memory (gunicorn's advice), not a temporary file anyone could guess.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = _env("accesslog", "-")
errorlog = _env("errorlog", "-")
proc_name = _env("proc_name", "lotse-lms")
