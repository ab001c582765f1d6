"""lotse_reflection in the workbench runtime: prompt, saved answer, completion, answer count."""

from __future__ import annotations

import json

import pytest
from lotse_xblock_helpers import Workbench, studio_messages
from lxml import html as lxml_html

from lotse_lms.xblocks import LotseReflectionBlock
from lotse_lms.xblocks.reflection_block import DEFAULT_PROMPT


def _json(response):
    return json.loads(response.body)


def test_student_view_shows_the_default_prompt(bench, german):
    block = bench.load("<lotse_reflection/>")
    page = bench.html(block)
    assert (
        DEFAULT_PROMPT
        == "Welche Methode aus dem Reflecting Team probieren Sie in Ihrem nächsten Experimentierraum aus?"
    )
    doc = lxml_html.fromstring(page)
    label = doc.cssselect("label.lotse-prompt")[0]
    assert label.text_content() == DEFAULT_PROMPT
    assert doc.get_element_by_id(label.get("for")).tag == "textarea"
    assert "Antwort speichern" in page
    assert "Für das Kursteam" not in page  # learners do not see the summary
    assert 'data-init="LotseReflectionBlock"' in page.replace("'", '"')


def test_custom_prompt_and_limit(bench, german):
    block = bench.load('<lotse_reflection prompt="Was nehmen Sie mit?" max_length="50"/>')
    page = bench.html(block)
    assert "Was nehmen Sie mit?" in page and 'maxlength="50"' in page and "0 von 50 Zeichen" in page


def test_saving_stores_the_answer_and_publishes_completion(bench):
    block = bench.load("<lotse_reflection/>")
    response = bench.call(
        block, "save_answer", {"answer": "  Fishbowl mit zwei Runden\r\nund Blitzlicht  "}
    )
    assert response.status_code == 200
    assert _json(response)["answer"] == "Fishbowl mit zwei Runden\nund Blitzlicht"
    assert bench.events == [("completion", {"completion": 1.0})]
    _, again = bench.reload(block)
    assert again.answer == "Fishbowl mit zwei Runden\nund Blitzlicht"
    assert again.answered_at.endswith("+00:00")
    assert "Fishbowl mit zwei Runden" in Workbench("student-1").html(again)
    _, other = bench.reload(block, "student-2")
    assert other.answer == ""
    assert "Fishbowl" not in Workbench("student-2").html(other)


def test_the_answer_is_escaped_when_shown(bench):
    block = bench.load("<lotse_reflection/>")
    bench.call(block, "save_answer", {"answer": "<script>alert(1)</script> & mehr"})
    page = Workbench("student-1").html(bench.reload(block)[1])
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mehr" in page


def test_the_answer_count_counts_each_learner_once(german):
    first = Workbench("student-1")
    block = first.load("<lotse_reflection/>")
    first.call(block, "save_answer", {"answer": "Erste Antwort"})
    first.call(block, "save_answer", {"answer": "Geänderte Antwort"})
    second, block2 = first.reload(block, "student-2")
    second.call(block2, "save_answer", {"answer": "Andere Person"})
    staff, staff_block = first.reload(block, "staff-1", staff=True)
    assert staff_block.answer_count == 2
    author = staff.html(staff_block, "author_view")
    assert "Bisher haben 2 Lernende geantwortet." in author
    assert DEFAULT_PROMPT in author
    page = staff.html(staff_block)
    assert "Für das Kursteam" in page and "Bisher haben 2 Lernende geantwortet." in page
    assert "Geänderte Antwort" not in author and "Andere Person" not in page  # counts, not answers
    learner_page = second.html(second.reload(block, "student-2")[1])
    assert "Bisher haben" not in learner_page


def test_author_summary_singular_and_english(bench, english):
    block = bench.load("<lotse_reflection/>")
    assert "So far 0 learners have answered." in bench.html(block, "author_view")
    bench.call(block, "save_answer", {"answer": "Reflecting Team"})
    _, again = bench.reload(block, "staff-2", staff=True)
    assert "So far 1 learner has answered." in Workbench("staff-2").html(again, "author_view")


def test_german_singular(bench, german):
    block = bench.load("<lotse_reflection/>")
    bench.call(block, "save_answer", {"answer": "Reflecting Team"})
    _, again = bench.reload(block, "staff-3", staff=True)
    assert "Bisher hat 1 lernende Person geantwortet." in Workbench("staff-3").html(
        again, "author_view"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"answer": ""}, "Bitte schreiben Sie eine Antwort."),
        ({"answer": " \n\t "}, "Bitte schreiben Sie eine Antwort."),
        ({"answer": "x" * 2001}, "Ihre Antwort ist zu lang: höchstens 2000 Zeichen (jetzt 2001)."),
        ({"answer": 42}, "Ungültige Anfrage: Antwort fehlt."),
        ({"answer": ["a"]}, "Ungültige Anfrage: Antwort fehlt."),
        ({}, "Ungültige Anfrage: Antwort fehlt."),
        ("Antwort", "Ungültige Anfrage: Antwort fehlt."),
    ],
)
def test_save_answer_refuses_invalid_input(bench, german, body, message):
    block = bench.load("<lotse_reflection/>")
    response = bench.call(block, "save_answer", body)
    assert response.status_code == 400
    assert _json(response) == {"error": message}
    assert block.answer == "" and block.answer_count == 0
    assert bench.events == []


def test_the_limit_is_the_authors_and_messages_follow_the_language(bench, english):
    block = bench.load('<lotse_reflection max_length="10"/>')
    assert bench.call(block, "save_answer", {"answer": "0123456789"}).status_code == 200
    response = bench.call(block, "save_answer", {"answer": "0123456789A"})
    assert _json(response) == {"error": "Your answer is too long: at most 10 characters (now 11)."}
    assert block.answer == "0123456789"


def test_not_json_is_refused(bench):
    block = bench.load("<lotse_reflection/>")
    assert bench.call(block, "save_answer", None, raw=b"answer=hallo").status_code == 400


def test_field_scopes():
    fields = LotseReflectionBlock.fields
    assert fields["prompt"].scope.name == "content"
    assert fields["max_length"].scope.name == "settings"
    assert fields["display_name"].scope.name == "settings"
    assert fields["answer"].scope.name == "user_state"
    assert fields["answered_at"].scope.name == "user_state"
    assert fields["answer_count"].scope.name == "user_state_summary"
    from lotse_lms.xblocks import LotseModuleBlock

    module_fields = LotseModuleBlock.fields
    assert module_fields["module_id"].scope.name == "content"
    assert {module_fields[n].scope.name for n in ("display_name", "weight")} == {"settings"}
    assert {
        module_fields[n].scope.name
        for n in ("lessons_seen", "answers", "score", "passed", "attempts")
    } == {"user_state"}


def test_studio_view_and_validation(bench, german):
    block = bench.load("<lotse_reflection/>")
    assert "Reflexionsfrage" in bench.html(block, "studio_view")

    assert studio_messages(block, prompt=" ", max_length=0) == [
        "Bitte geben Sie eine Reflexionsfrage ein.",
        "Die Höchstlänge muss zwischen 1 und 10000 Zeichen liegen.",
    ]


def test_workbench_scenarios_render(bench):
    for _description, xml in LotseReflectionBlock.workbench_scenarios():
        block = bench.load(xml)
        assert "lotse-reflection" in bench.html(block)
