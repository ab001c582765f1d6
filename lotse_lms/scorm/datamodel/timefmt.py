"""Conversions between SCORM time spans and centiseconds (integers, no float drift).

SCORM 1.2 uses CMITimespan "HHHH:MM:SS.SS"; SCORM 2004 uses ISO 8601 durations
("PT1H2M3.45S"). A year counts 365 days and a month 30 days when a duration uses them.
"""

from .datatypes import DURATION, TIMESPAN_12

MAX_TIMESPAN_CS = (9999 * 3600 + 59 * 60 + 59) * 100 + 99


def centiseconds(seconds_text):
    """Convert "12" or "12.5" (seconds, up to two decimals) to centiseconds."""
    whole, _, frac = seconds_text.partition(".")
    return int(whole or "0") * 100 + int((frac + "00")[:2])


def parse_timespan(value):
    """CMITimespan -> centiseconds; ValueError when malformed."""
    if not TIMESPAN_12.match(value):
        raise ValueError(f"not a CMITimespan: {value!r}")
    hours, minutes, seconds = value.split(":")
    return (int(hours) * 3600 + int(minutes) * 60) * 100 + centiseconds(seconds)


def format_timespan(cs):
    """Centiseconds -> CMITimespan "HHHH:MM:SS.SS" (capped at 9999:59:59.99)."""
    cs = min(int(cs), MAX_TIMESPAN_CS)
    hours, rest = divmod(cs, 360000)
    minutes, rest = divmod(rest, 6000)
    seconds, frac = divmod(rest, 100)
    return f"{hours:04d}:{minutes:02d}:{seconds:02d}.{frac:02d}"


def parse_duration(value):
    """ISO 8601 duration (timeinterval) -> centiseconds; ValueError when malformed."""
    match = DURATION.match(value)
    if not match:
        raise ValueError(f"not a timeinterval: {value!r}")
    years, months, days, _t, hours, minutes, seconds, _f = match.groups()

    def num(text):
        """The number before the designator letter, 0 when absent."""
        return int(text[:-1]) if text else 0

    total = ((num(years) * 365 + num(months) * 30 + num(days)) * 24 + num(hours)) * 3600
    total = (total + num(minutes) * 60) * 100
    return total + (centiseconds(seconds[:-1]) if seconds else 0)


def format_duration(cs):
    """Centiseconds -> ISO 8601 duration "PT#H#M#S" with up to two decimals."""
    hours, rest = divmod(int(cs), 360000)
    minutes, rest = divmod(rest, 6000)
    seconds, frac = divmod(rest, 100)
    sec = f"{seconds}.{frac:02d}".rstrip("0").rstrip(".") if frac else str(seconds)
    return f"PT{hours}H{minutes}M{sec}S"


def parse_span(version, value):
    """Parse a session/total time of the given SCORM version to centiseconds."""
    return parse_timespan(value) if version == "1.2" else parse_duration(value)


def format_span(version, cs):
    """Format centiseconds as a time span of the given SCORM version."""
    return format_timespan(cs) if version == "1.2" else format_duration(cs)
