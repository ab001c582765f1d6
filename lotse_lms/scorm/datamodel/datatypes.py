"""Value validators of the SCORM 1.2 and 2004 data types.

Every validator takes the value (a str) and the element spec (a dict from the element
table) and returns None when the value is valid, "type" for a type or vocabulary
mismatch, or "range" for a number outside the element's range. runtime-types.js holds
the same validators; tests/scorm/cases/types_*.json drives both.
"""

import re

DECIMAL_12 = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)\Z", re.ASCII)
SINTEGER_12 = re.compile(r"^-?\d+\Z", re.ASCII)
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?\Z", re.ASCII)
TIMESPAN_12 = re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?\Z", re.ASCII)
REAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)\Z", re.ASCII)
DURATION = re.compile(
    r"^P(?=.)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?\Z", re.ASCII
)
TIMESTAMP = re.compile(
    r"^(\d{4})(-(\d{2})(-(\d{2})(T([01]\d|2[0-3])(:([0-5]\d)(:([0-5]\d)(\.\d{1,2})?"
    r"(Z|[+-]([01]\d|2[0-3])(:[0-5]\d)?)?)?)?)?)?)?\Z",
    re.ASCII,
)
LANGUAGE = re.compile(r"^([A-Za-z]{2,3}|[iIxX])(-[A-Za-z0-9]{1,8})*\Z", re.ASCII)
URN = re.compile(
    r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[^\s\x00-\x1f\x7f\x85\ufeff]+\Z", re.IGNORECASE
)
NO_SPACE = re.compile(r"^[^\s\x00-\x1f\x7f\x85\ufeff]+\Z")
LANG_PREFIX = re.compile(r"^\{lang=([^}]*)\}")


def length(value):
    """Return the length of value in characters as the SPM counts them (UTF-16 units)."""
    return len(value.encode("utf-16-le")) // 2


def in_range(number, spec):
    """Return "range" when number lies outside spec["range"] ([min, max], None = open)."""
    low, high = spec.get("range") or (None, None)
    if low is not None and number < low:
        return "range"
    if high is not None and number > high:
        return "range"
    return None


def check_spm(value, spec):
    """Return "type" when value is longer than the element's SPM (or configured limit)."""
    spm = spec.get("spm")
    return "type" if spm is not None and length(value) > spm else None


def v_string(value, spec):
    """CMIString255/4096 and characterstring: any text up to the SPM."""
    return check_spm(value, spec)


def v_identifier_12(value, spec):
    """CMIIdentifier: 1..255 printable characters without white space."""
    return None if NO_SPACE.match(value) and length(value) <= 255 else "type"


def v_decimal_12(value, spec):
    """CMIDecimal (with CMIBlank when spec["blank"]) inside the optional range."""
    if value == "" and spec.get("blank"):
        return None
    if not DECIMAL_12.match(value):
        return "type"
    return "type" if in_range(float(value), spec) else None


def v_sinteger_12(value, spec):
    """CMISInteger (-32768..32767) inside the optional range; out of range is a type error."""
    if not SINTEGER_12.match(value) or not -32768 <= int(value) <= 32767:
        return "type"
    return "type" if in_range(int(value), spec) else None


def v_time_12(value, spec):
    """CMITime: HH:MM:SS with up to two decimals of seconds."""
    return None if TIME_12.match(value) else "type"


def v_timespan_12(value, spec):
    """CMITimespan: HHHH:MM:SS.SS (hours 2-4 digits, optional 1-2 decimals)."""
    return None if TIMESPAN_12.match(value) else "type"


def v_vocab(value, spec):
    """A restricted vocabulary token."""
    return None if value in spec["vocab"] else "type"


def v_result_12(value, spec):
    """1.2 interaction result: vocabulary or CMIDecimal."""
    return None if value in spec["vocab"] or DECIMAL_12.match(value) else "type"


def v_real(value, spec):
    """real(10,7): a decimal number inside the optional range (407 outside)."""
    if not REAL.match(value):
        return "type"
    return in_range(float(value), spec)


def v_result_2004(value, spec):
    """2004 interaction result: vocabulary or real(10,7)."""
    return None if value in spec["vocab"] or REAL.match(value) else "type"


def v_timeinterval(value, spec):
    """timeinterval(second,10,2): ISO 8601 duration, at most two decimals of seconds."""
    return None if DURATION.match(value) else "type"


def days_in_month(year, month):
    """Return the number of days of month in year (Gregorian)."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def v_time(value, spec):
    """time(second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], years 1970..2038."""
    match = TIMESTAMP.match(value)
    if not match:
        return "type"
    year = int(match.group(1))
    if not 1970 <= year <= 2038:
        return "type"
    if match.group(3) is not None:
        month = int(match.group(3))
        if not 1 <= month <= 12:
            return "type"
        if match.group(5) is not None:
            day = int(match.group(5))
            if not 1 <= day <= days_in_month(year, month):
                return "type"
    return None


def is_language(value):
    """language_type: ISO 639 code with optional subtags, or i-/x- forms."""
    if length(value) > 250 or not LANGUAGE.match(value):
        return False
    return value.lower() not in ("i", "x")


def v_language(value, spec):
    """language_type; the empty string is allowed."""
    return None if value == "" or is_language(value) else "type"


def split_lang(value):
    """Split a "{lang=xx}" prefix off value; return (lang or None, rest) or None if bad."""
    match = LANG_PREFIX.match(value)
    if not match:
        return None, value
    if not is_language(match.group(1)):
        return None
    return match.group(1), value[match.end() :]


def v_localized(value, spec):
    """localized_string_type: optional {lang=xx} prefix; the SPM counts the text only."""
    parts = split_lang(value)
    if parts is None:
        return "type"
    return check_spm(parts[1], spec)


def is_identifier(value, spm):
    """long/short_identifier_type: non-empty URI-like text without spaces; urn: needs NID."""
    if value == "" or length(value) > spm or not NO_SPACE.match(value):
        return False
    if value.lower().startswith("urn:"):
        return bool(URN.match(value))
    return True


def v_long_identifier(value, spec):
    """long_identifier_type with SPM 4000."""
    return None if is_identifier(value, spec.get("spm", 4000)) else "type"


def v_short_identifier(value, spec):
    """short_identifier_type with SPM 250."""
    return None if is_identifier(value, 250) else "type"


VALIDATORS = {
    "CMIString": v_string,
    "CMIIdentifier": v_identifier_12,
    "CMIDecimal": v_decimal_12,
    "CMISInteger": v_sinteger_12,
    "CMITime": v_time_12,
    "CMITimespan": v_timespan_12,
    "CMIVocabulary": v_vocab,
    "CMIResult": v_result_12,
    "characterstring": v_string,
    "localized_string": v_localized,
    "language": v_language,
    "long_identifier": v_long_identifier,
    "short_identifier": v_short_identifier,
    "real": v_real,
    "time": v_time,
    "timeinterval": v_timeinterval,
    "state": v_vocab,
    "result": v_result_2004,
}


def validate(value, spec):
    """Validate value against spec["type"]; return None, "type" or "range"."""
    return VALIDATORS[spec["type"]](value, spec)
