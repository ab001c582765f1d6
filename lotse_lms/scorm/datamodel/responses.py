"""SCORM 2004 interaction response formats: correct_responses patterns and learner_response.

The format of both depends on cmi.interactions.n.type. Each checker returns True when
the value is well formed. runtime-types.js mirrors these rules.
"""

import re

from .datatypes import REAL, is_identifier, length, split_lang

PATTERN_LIMITS = {
    "true-false": 1,
    "choice": 10,
    "fill-in": 5,
    "long-fill-in": 5,
    "likert": 1,
    "matching": 5,
    "performance": 5,
    "sequencing": 5,
    "numeric": 1,
    "other": 1,
}
FLAG = re.compile(r"^\{(case_matters|order_matters)=(true|false)\}")


def take_flags(value, allowed):
    """Strip leading {case_matters=..}/{order_matters=..} delimiters; None if misused."""
    seen = set()
    while True:
        match = FLAG.match(value)
        if not match:
            return value
        if match.group(1) not in allowed or match.group(1) in seen:
            return None
        seen.add(match.group(1))
        value = value[match.end() :]


def short_ids(value, limit, allow_empty=False, unique=False):
    """A "[,]"-separated list of short_identifier_type, at most limit entries."""
    if value == "":
        return allow_empty
    items = value.split("[,]")
    if len(items) > limit or not all(is_identifier(item, 250) for item in items):
        return False
    return not unique or len(set(items)) == len(items)


def localized_items(value, limit, spm):
    """A "[,]"-separated list of localized strings (each text at most spm long)."""
    items = value.split("[,]")
    if len(items) > limit:
        return False
    for item in items:
        parts = split_lang(item)
        if parts is None or length(parts[1]) > spm:
            return False
    return True


def long_text(value):
    """long-fill-in: one localized string of at most 4000 characters."""
    parts = split_lang(value)
    return parts is not None and length(parts[1]) <= 4000


def is_real(value):
    """True when value is a real(10,7) literal."""
    return bool(REAL.match(value))


def numeric_range(value):
    """ "min[:]max" with optional bounds and min <= max."""
    if "[:]" not in value:
        return False
    low, _, high = value.partition("[:]")
    if (low and not is_real(low)) or (high and not is_real(high)):
        return False
    return not (low and high and float(low) > float(high))


def pairs(value, limit):
    """matching: "source[.]target" pairs separated by "[,]"."""
    items = value.split("[,]")
    if value == "" or len(items) > limit:
        return False
    for item in items:
        source, sep, target = item.partition("[.]")
        if not sep or not is_identifier(source, 250) or not is_identifier(target, 250):
            return False
    return True


def steps(value, pattern):
    """performance: "name[.]answer" steps separated by "[,]" (at most 125)."""
    items = value.split("[,]")
    if value == "" or len(items) > 125:
        return False
    for item in items:
        name, sep, answer = item.partition("[.]")
        if not sep or (name == "" and answer == ""):
            return False
        if name and not is_identifier(name, 250):
            return False
        if length(answer) > 250:
            return False
        if pattern and "[:]" in answer and not numeric_range(answer):
            return False
    return True


def check_pattern(kind, value):
    """True when value is a valid correct_responses.n.pattern for interaction type kind."""
    if kind == "true-false":
        return value in ("true", "false")
    if kind == "choice":
        return short_ids(value, 36, allow_empty=True, unique=True)
    if kind == "fill-in":
        rest = take_flags(value, ("case_matters", "order_matters"))
        return rest is not None and localized_items(rest, 10, 250)
    if kind == "long-fill-in":
        rest = take_flags(value, ("case_matters",))
        return rest is not None and long_text(rest)
    if kind == "likert":
        return is_identifier(value, 250)
    if kind == "matching":
        return pairs(value, 36)
    if kind == "performance":
        rest = take_flags(value, ("order_matters",))
        return rest is not None and steps(rest, True)
    if kind == "sequencing":
        return short_ids(value, 36)
    if kind == "numeric":
        return numeric_range(value) or is_real(value)
    if kind == "other":
        return length(value) <= 4000
    return False


def check_learner_response(kind, value):
    """True when value is a valid learner_response for interaction type kind."""
    if kind == "true-false":
        return value in ("true", "false")
    if kind == "choice":
        return short_ids(value, 36, allow_empty=True, unique=True)
    if kind == "fill-in":
        return localized_items(value, 10, 250)
    if kind == "long-fill-in":
        return long_text(value)
    if kind == "likert":
        return is_identifier(value, 250)
    if kind == "matching":
        return pairs(value, 36)
    if kind == "performance":
        return steps(value, False)
    if kind == "sequencing":
        return short_ids(value, 36)
    if kind == "numeric":
        return is_real(value)
    if kind == "other":
        return length(value) <= 4000
    return False
