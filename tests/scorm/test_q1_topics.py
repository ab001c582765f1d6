"""The Q1 modules cover every topic the qualification names, each in a section of its own."""

import re
from pathlib import Path

import pytest

from lotse_lms.scorm.build import load_q1

CONTENT = Path(__file__).resolve().parents[2] / "content" / "q1"

MEGATRENDS = [
    "Globalisierung",
    "Gesundheit",
    "Neo-Ökologie",
    "Urbanisierung",
    "Konnektivität",
    "Gender Shift",
    "Sicherheit",
    "Silver Society",
    "Individualisierung",
    "New Work",
    "Mobilität",
    "Wissenskultur",
]
#: Technology topics: the lesson title must name the topic and carry the five parts.
TECHNOLOGIES = [
    "digitale Transformation",
    "Künstliche Intelligenz",
    "Maschinelles Lernen",
    "Internet der Dinge",
    "Virtual",
]
TECH_PARTS = [
    "Was (ist|sind) ",
    "für ein KMU bedeute",
    "Beispiel",
    "Risiken",
    "So eröffnen Sie das Thema",
]
#: Tools & Methoden: a heading for each topic the module must teach.
MODERATION = [
    "Führung",
    "Kultur",
    "Werte",
    "Thematische Ebene",
    "Methodische Ebene",
    "Verhaltensebene",
    "Beziehungsebene",
    "Steuerungsinstrumente",
    "Einstieg und Eröffnung",
    "Vereinbarungen",
    "Nachbereitung und Follow-up",
]
#: At least two concrete techniques of each kind, each a section of its own.
TECHNIQUES = {
    "Problemlösetechniken": ["5-Why", "Ishikawa", "Kopfstand", "Design-Thinking"],
    "Motivationstechniken": ["wertschätzende Interview", "Zeitungsartikel", "Quick Wins"],
    "Visualisierungstechniken": ["Kartenabfrage", "Flipchart", "Whiteboard", "Kanban"],
}


@pytest.fixture(scope="module")
def modules():
    """The real Q1 modules, loaded and checked like the build does."""
    return {module.id: module for module in load_q1(CONTENT)}


def _headings(module, level=2):
    """(lesson title, heading text) for every heading of ``level`` in the module's lessons."""
    return [
        (lesson.title, h.text)
        for lesson in module.lessons
        for h in lesson.headings
        if h.level == level
    ]


def test_each_megatrend_has_its_own_section(modules):
    texts = [text for _lesson, text in _headings(modules["megatrends"])]
    for trend in MEGATRENDS:
        assert texts.count(trend) == 1, f"Megatrend {trend!r}: expected one section of its own"


def test_each_technology_has_its_own_lesson_with_the_five_parts(modules):
    lessons = modules["technik"].lessons
    for topic in TECHNOLOGIES:
        matching = [lesson for lesson in lessons if topic.lower() in lesson.title.lower()]
        assert len(matching) == 1, f"technology {topic!r}: expected one lesson"
        headings = " | ".join(h.text for h in matching[0].headings)
        for part in TECH_PARTS:
            assert re.search(part, headings), f"{topic}: section {part!r} missing"


def test_the_moderation_topics_have_their_sections(modules):
    texts = " | ".join(text for _lesson, text in _headings(modules["tools-methoden"]))
    titles = " | ".join(lesson.title for lesson in modules["tools-methoden"].lessons)
    for topic in MODERATION:
        assert topic in texts or topic in titles, f"moderation topic {topic!r} has no section"


@pytest.mark.parametrize("kind", sorted(TECHNIQUES))
def test_techniques_come_at_least_two_each_in_their_own_section(modules, kind):
    lesson = next(lesson for lesson in modules["tools-methoden"].lessons if lesson.title == kind)
    texts = [h.text for h in lesson.headings if h.level == 2]
    found = [name for name in TECHNIQUES[kind] if any(name in text for text in texts)]
    assert len(found) >= 2, f"{kind}: only {found}"
    # Each technique says when not to use it.
    assert lesson.body.count("nicht einsetzen sollten") >= len(found)


def test_every_lesson_ends_with_a_question_for_the_experimentierraum(modules):
    for module in modules.values():
        for lesson in module.lessons:
            assert lesson.headings[-1].text == "Für Ihren Experimentierraum", lesson.path
            assert "?" in lesson.body.rsplit("## Für Ihren Experimentierraum", 1)[1]


def test_q1_fits_the_five_day_budget(modules):
    total = sum(module.estimated_minutes for module in modules.values())
    assert total == 840 and all(m.q1_total_minutes == total for m in modules.values())
    assert total / 60 <= 5 * 8 / 2, "Q1 self-study should take at most half of the five days"
