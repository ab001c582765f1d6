"""The method library: its file format, the real content, and the pages."""

from pathlib import Path

import pytest

from lotse_lms.reflecting_team.methods import (
    REQUIRED_SECTIONS,
    MethodFormatError,
    load_methods,
    parse_method,
)

from .conftest import sign_in

FIXTURES = Path(__file__).parent / "methods_fixture"
CONTENT = Path(__file__).resolve().parents[2] / "content" / "reflecting_team"


def test_fixture_library_is_read_in_file_order():
    methods = load_methods(FIXTURES / "good")
    assert [m.slug for m in methods] == ["blitzlicht", "stuhlkreis"]
    first = methods[0]
    assert (
        first.title == "Blitzlicht"
        and first.duration_minutes == 10
        and first.group_size == "3–15 Personen"
    )
    assert [h for h, _t in first.sections] == list(REQUIRED_SECTIONS)
    assert methods[1].sections[-1][0] == "Variante für Ihren Experimentierraum"


def test_missing_section_is_named(tmp_path):
    with pytest.raises(MethodFormatError, match="01-ohne-stolpersteine.md: section.*Stolpersteine"):
        load_methods(FIXTURES / "broken")


@pytest.mark.parametrize(
    "front, message",
    [
        ("title: ''\nsummary: s\nduration_minutes: 5\ngroup_size: g", "'title' is missing"),
        ("title: t\nsummary: s\nduration_minutes: fünf\ngroup_size: g", "duration_minutes"),
        ("title: t\nsummary: s\nduration_minutes: 0\ngroup_size: g", "duration_minutes"),
        ("title: t\nsummary: [unclosed\nduration_minutes: 5\ngroup_size: g", "not valid YAML"),
    ],
)
def test_bad_front_matter_is_named(tmp_path, front, message):
    body = "\n\n".join(f"## {s}\n\nText" for s in REQUIRED_SECTIONS)
    path = tmp_path / "07-test.md"
    path.write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")
    with pytest.raises(MethodFormatError, match=message):
        parse_method(path)


def test_file_without_front_matter_is_refused(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("## Zweck\n", encoding="utf-8")
    with pytest.raises(MethodFormatError, match="front matter"):
        parse_method(path)


def test_the_real_library_follows_the_format():
    methods = load_methods(CONTENT)
    assert len(methods) >= 3
    for method in methods:
        assert [h for h, _t in method.sections][:5] == list(REQUIRED_SECTIONS), method.slug


@pytest.mark.config(RT_METHODS_DIR=str(FIXTURES / "good"))
def test_pages_use_the_configured_library_and_render_no_raw_html(client, cast):
    sign_in(client, cast.members[1])
    listing = client.get("/reflecting-team/methods").get_data(as_text=True)
    assert (
        "Blitzlicht" in listing
        and "Stuhlkreis" in listing
        and "Reflecting Team nach Tom Andersen" not in listing
    )
    detail = client.get("/reflecting-team/methods/blitzlicht").get_data(as_text=True)
    assert "<script>alert" not in detail and "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert "<li>Reihum ein Satz.</li>" in detail
