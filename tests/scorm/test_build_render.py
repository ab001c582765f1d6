"""Rendering of lessons and the knowledge check: links, tables, escaping, quiz data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lotse_lms.scorm.build import load_q1
from lotse_lms.scorm.build.render import quiz_data, render_check, render_module, render_page

FIXTURE = Path(__file__).resolve().parent / "content_fixture" / "valid"


@pytest.fixture
def module(tmp_path):
    """The fixture module, copied so a test may change it."""
    shutil.copytree(FIXTURE, tmp_path / "q1")
    return load_q1(tmp_path / "q1")[0]


def test_lesson_page_structure(module):
    """A lesson page: German, skip link, title from front matter, objectives, anchors, end marker."""
    html = render_page(module.lessons[0], module, "1.2").html
    assert html.startswith('<!DOCTYPE html>\n<html lang="de" data-scorm="1.2" data-sco="lesson">')
    assert '<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>' in html
    assert '<main id="inhalt" tabindex="-1">' in html
    assert "<h1>Erste Schritte im Experimentierraum</h1>" in html
    assert "Lektion 1 von 2 · ca. 10 Minuten" in html
    assert "<li>Sie können erklären, wozu ein Experimentierraum dient.</li>" in html
    assert '<h2 id="rollen-und-verantwortung">Rollen und Verantwortung</h2>' in html
    assert '<li><a href="#rollen-und-verantwortung">Rollen und Verantwortung</a></li>' in html
    assert 'id="lotse_end"' in html and "Vertiefung: Ergebnisse sichern" in html
    assert '<div class="table-wrap" tabindex="0" role="region" aria-label="Tabelle"><table>' in html
    assert (
        '<img src="images/skizze.svg" alt="Skizze eines Experimentierraums mit drei Tischen" loading="lazy">'
        in html
    )
    assert '<link rel="stylesheet" href="shared/lotse.css">' in html
    assert '<script src="shared/quiz.js"' not in html


def test_links_between_lessons_open_reference_view(module):
    """A link to another lesson opens its page in reference view in a new window; same-page anchors stay."""
    html = render_page(module.lessons[0], module, "2004").html
    assert (
        '<a href="02-vertiefung.html?ansicht=referenz#vereinbarungen-treffen" target="_blank" rel="noopener"'
        in html
    )
    assert '<a href="#rollen-und-verantwortung">oben</a>' in html
    intro = render_page(module.intro, module, "2004")
    assert intro.name == "index.html"
    assert 'href="01-erste-schritte.html?ansicht=referenz"' in intro.html


def test_raw_html_and_external_links(module):
    """Raw HTML in Markdown is shown as text; external links open in a new tab without referrer."""
    lesson = module.lessons[1]
    path = lesson.path
    text = path.read_text(encoding="utf-8").replace(
        "## Dokumentieren",
        "<script>alert(1)</script> [OM](https://www.offensive-mittelstand.de)\n\n## Dokumentieren",
    )
    path.write_text(text, encoding="utf-8")
    module = load_q1(path.parents[1])[0]
    html = render_page(module.lessons[1], module, "1.2").html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert (
        '<a href="https://www.offensive-mittelstand.de" target="_blank" rel="noopener noreferrer">OM</a>'
        in html
    )


def test_quiz_page_and_data(module):
    """The check renders radios/checkboxes with hidden feedback and embeds the scoring data."""
    page = render_check(module, "2004")
    assert page.name == "wissenscheck.html"
    html = page.html
    assert (
        '<input type="radio" name="q01" id="q01-a" value="a" aria-describedby="q01-a-fb">' in html
    )
    assert (
        '<input type="checkbox" name="q03" id="q03-b" value="b" aria-describedby="q03-b-fb">'
        in html
    )
    assert (
        '<p class="feedback" id="q01-b-fb" hidden><span class="verdict"></span> Rückmeldung B zu Frage 1.</p>'
        in html
    )
    assert '<script src="shared/quiz.js" defer></script>' in html
    embedded = re.search(
        r'<script type="application/json" id="lotse_quiz_data">(.*?)</script>', html
    ).group(1)
    data = json.loads(embedded)
    assert data == quiz_data(module.check)
    assert data["passing_score"] == 80
    assert data["questions"][0]["correct"] == ["b"]
    assert data["questions"][2] | {"prompt": ""} == {
        "id": "q03",
        "type": "multiple",
        "prompt": "",
        "answers": ["a", "b", "c"],
        "correct": ["a", "b"],
    }


def test_script_end_tag_in_a_prompt_cannot_break_the_page(module):
    """Text that looks like a closing script tag stays inside the JSON data."""
    module.check.questions[0].prompt = "Was tut </script><b>x</b>?"
    html = render_check(module, "1.2").html
    embedded = re.search(
        r'<script type="application/json" id="lotse_quiz_data">(.*?)</script>', html
    ).group(1)
    assert json.loads(embedded)["questions"][0]["prompt"] == "Was tut </script><b>x</b>?"
    assert "Was tut &lt;/script&gt;&lt;b&gt;x&lt;/b&gt;?" in html


def test_render_module_pages_in_package_order(module):
    """Introduction, lessons, knowledge check, each naming the SCORM version."""
    pages = render_module(module, "2004")
    assert [p.name for p in pages] == [
        "index.html",
        "01-erste-schritte.html",
        "02-vertiefung.html",
        "wissenscheck.html",
    ]
    assert all('data-scorm="2004"' in p.html for p in pages)


def test_lesson_carries_minutes_and_the_reading_share(module, tmp_path):
    """sco.js counts a lesson done once its end is reached and the module's share of the
    lesson's estimated minutes was spent on it: both go into the page."""
    html = render_page(module.lessons[0], module, "2004").html
    assert '<article class="lesson" data-lotse-minutes="10" data-lotse-reading="50">' in html
    intro = render_page(module.intro, module, "2004").html
    assert "data-lotse-minutes" not in intro  # the introduction counts once read to its end
    module_md = tmp_path / "q1" / module.folder / "module.md"
    module_md.write_text(
        module_md.read_text(encoding="utf-8").replace("---\n", "---\nreading_percent: 20\n", 1),
        encoding="utf-8",
    )
    changed = load_q1(tmp_path / "q1")[0]
    assert 'data-lotse-reading="20"' in render_page(changed.lessons[0], changed, "2004").html
