"""The privacy registry: each area declares, exports and erases the personal data it holds.

As Moodle's privacy providers do, every area that stores something about a person registers
in its ``init_app``::

    register_privacy(app, "q1", _l("Lernmodule (Q1)"), export=export_q1, erase=erase_q1,
                     kept=_l("…what stays and why…"))

``export(user)`` returns a :class:`Part` (JSON-ready data and the person's files);
``erase(user)`` deletes or anonymises the area's rows of ``user`` in the current transaction
and returns the files to remove once that transaction is committed (so a failed erasure
leaves every file in place). Areas added later (cohorts, …) register the same way.

``register_retention(app, name, fn)`` adds a clean-up that the periodic retention job runs:
``fn(now)`` deletes what is older than the area's configured period and returns a count.

The core knows no area: it only calls what was registered.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

PROVIDERS_KEY = "lotse_privacy_providers"
RETENTION_KEY = "lotse_privacy_retention"


@dataclass
class Part:
    """What one area holds about a person: JSON-ready ``data`` and ``files`` (name, path)."""

    data: object
    files: list = field(default_factory=list)


@dataclass(frozen=True)
class Provider:
    """One area's export and erasure of personal data."""

    name: str
    label: str
    export: object
    erase: object
    #: What the area keeps after an erasure and on which legal basis ('' when nothing).
    kept: str = ""
    order: int = 50


def register_privacy(app, name, label, *, export, erase, kept="", order=50):
    """Declare area ``name``'s personal data: how to export and how to erase it."""
    providers = app.extensions.setdefault(PROVIDERS_KEY, {})
    if name in providers:
        raise ValueError(f"privacy provider {name!r} is registered twice")
    providers[name] = Provider(name, label, export, erase, kept, order)


def providers(app=None):
    """The registered providers in their order."""
    registered = (app or current_app).extensions.get(PROVIDERS_KEY, {})
    return sorted(registered.values(), key=lambda p: (p.order, p.name))


def register_retention(app, name, fn):
    """Add ``fn(now)`` to the retention job; it deletes expired items and returns a count."""
    app.extensions.setdefault(RETENTION_KEY, {})[name] = fn


def retention_tasks(app=None):
    """The registered retention clean-ups, by name."""
    return dict((app or current_app).extensions.get(RETENTION_KEY, {}))


def days_ago(now, key):
    """The moment ``config[key]`` days before ``now``, or None when the period is 0 (keep)."""
    days = current_app.config[key]
    return now - dt.timedelta(days=days) if days else None


def jsonable(value):
    """``value`` with dates as ISO text, ready for JSON."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value


def row(obj, exclude=()):
    """The columns of model instance ``obj`` as a JSON-ready dict (minus ``exclude``)."""
    columns = sa.inspect(obj).mapper.column_attrs
    return {c.key: jsonable(getattr(obj, c.key)) for c in columns if c.key not in exclude}


def rows(objs, exclude=()):
    """:func:`row` for each of ``objs``."""
    return [row(obj, exclude) for obj in objs]
