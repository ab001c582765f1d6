"""Time helpers: the database keeps UTC; people see Europe/Berlin."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import format_datetime

BERLIN = ZoneInfo("Europe/Berlin")


def utcnow():
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as naive UTC and always returned as aware UTC, on every database."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert an aware datetime to naive UTC before storing it."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Attach UTC to the stored naive value."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def to_utc(local):
    """Turn a naive Europe/Berlin wall-clock time into aware UTC; None if it does not exist."""
    aware = local.replace(tzinfo=BERLIN)
    back = aware.astimezone(UTC).astimezone(BERLIN).replace(tzinfo=None)
    if back != local:
        return None  # a time skipped by the switch to summer time
    return aware.astimezone(UTC)


def to_berlin(value):
    """Aware UTC to aware Europe/Berlin."""
    return value.astimezone(BERLIN) if value else None


def berlin_text(value, fmt="EEE dd.MM.yyyy HH:mm"):
    """A time formatted in Berlin time for mails and CSV."""
    return format_datetime(value, fmt, rebase=True) if value else ""
