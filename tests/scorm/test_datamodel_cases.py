"""Table-driven tests: every case of tests/scorm/cases/api_*.json on the Python model."""

import importlib.util
from pathlib import Path

import pytest

from lotse_lms.scorm.datamodel.datatypes import validate
from lotse_lms.scorm.datamodel.responses import check_learner_response, check_pattern


def _caselib():
    """Import tests/scorm/cases/caselib.py (tests is not a package)."""
    path = Path(__file__).with_name("cases") / "caselib.py"
    spec = importlib.util.spec_from_file_location("scorm_caselib", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


caselib = _caselib()
api_cases, expected, load, run_python = (
    caselib.api_cases,
    caselib.expected,
    caselib.load,
    caselib.run_python,
)

CASES = list(api_cases())


@pytest.mark.parametrize("version,state,calls", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_api_case(version, state, calls):
    """Each call returns the expected value and leaves the expected error code."""
    results = run_python(state, calls)
    for call, got, want in zip(calls, results, expected(calls), strict=True):
        assert got == want, f"{call[0]}{tuple(call[1])}"


TYPE_CASES = load("types.json")["cases"]


@pytest.mark.parametrize(
    "spec,value,want",
    [(c[0], c[1], c[2]) for c in TYPE_CASES],
    ids=[f"{c[0]['type']}:{c[1]!r}"[:60] for c in TYPE_CASES],
)
def test_type_case(spec, value, want):
    """The validators agree with the shared type cases."""
    assert validate(value, spec) == want


RESPONSE_CASES = load("responses.json")["cases"]


@pytest.mark.parametrize(
    "kind,field,value,want",
    RESPONSE_CASES,
    ids=[f"{c[0]}:{c[1]}:{c[2]!r}"[:60] for c in RESPONSE_CASES],
)
def test_response_case(kind, field, value, want):
    """Interaction patterns and learner responses agree with the shared cases."""
    check = check_pattern if field == "pattern" else check_learner_response
    assert check(kind, value) is want


@pytest.mark.parametrize(
    ("version", "state", "calls"),
    [case[1:] for case in caselib.count_limit_cases()],
    ids=[case[0] for case in caselib.count_limit_cases()],
)
def test_collections_stop_at_their_spm(version, state, calls):
    assert caselib.run_python(state, calls) == caselib.expected(calls), version
