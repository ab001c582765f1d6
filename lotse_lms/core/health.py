"""What ``/healthz`` checks: the database answers, the data folder takes files, the queue answers."""

import os
import tempfile

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from . import jobs


def database_ok():
    """True when the database answers a query."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def data_dir_ok(path):
    """True when a file can be written to and removed from the data folder."""
    try:
        fd, name = tempfile.mkstemp(prefix=".healthz-", dir=path)
        os.write(fd, b"ok")
        os.close(fd)
        os.unlink(name)
    except OSError:
        return False
    return True


def check(app):
    """Each check's result, "ok" or "fail"."""
    results = {
        "database": database_ok(),
        "data_dir": data_dir_ok(app.config["DATA_DIR"]),
        "queue": jobs.reachable(app),
    }
    return {name: "ok" if ok else "fail" for name, ok in results.items()}
