"""JSON text of stored data: one serializer for the database and the commit path.

Everything lotse_lms stores in JSON columns is written by ``dumps`` (the engine's
json_serializer), so equal data always gives equal text. The SCORM commit path relies on
that: it compares a state's text with what the row holds (modules/q1/commits.py).

orjson does the work (with the standard library, the commit path's JSON took about as
long as its replay). What orjson refuses, the standard library still does: writing and
reading strings with lone surrogates, reading NaN and Infinity, writing integers beyond
64 bits. Such integers read back as floats, and orjson writes NaN and Infinity as null;
nothing lotse_lms stores has either (the standard library wrote NaN, which PostgreSQL
refuses).
"""

import json

import orjson


def dumps(value):
    """Compact JSON text of ``value`` (str); the same text for equal values."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError included
        return json.dumps(value, separators=(",", ":"))


def loads(text):
    """The value of JSON ``text`` (str or bytes); ValueError if it is not JSON."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
