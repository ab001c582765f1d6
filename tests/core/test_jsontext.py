"""core.jsontext: the one JSON text of stored data."""

import math

import pytest

from lotse_lms.core import jsontext


@pytest.mark.parametrize(
    "value",
    [
        {"cmi.location": "Seite 2 – Übung", "n": 3, "scaled": 0.25, "open": True, "exit": None},
        {"suspend": "\ud800 lone surrogate"},  # the standard library takes what orjson refuses
        {"sequence": 2**63 - 1},
        [],
    ],
)
def test_text_reads_back_and_is_written_alike_again(value):
    text = jsontext.dumps(value)
    assert isinstance(text, str)
    assert jsontext.loads(text) == value
    assert jsontext.dumps(jsontext.loads(text)) == text


def test_text_is_compact_and_keeps_umlauts():
    assert jsontext.dumps({"a": "ä", "b": [1, 2]}) == '{"a":"ä","b":[1,2]}'


def test_reads_bytes_and_what_only_the_standard_library_reads():
    assert jsontext.loads(b'{"x": 1}') == {"x": 1}
    assert jsontext.loads('"\\ud800"') == "\ud800"
    assert math.isnan(jsontext.loads("NaN"))


@pytest.mark.parametrize("text", ["", "nope", "{", b"\xff\xfe{"])
def test_no_json_is_a_value_error(text):
    with pytest.raises(ValueError):
        jsontext.loads(text)
