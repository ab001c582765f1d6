"""lotse_module in the workbench runtime: rendering, lessons, knowledge check, state and events."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from lotse_xblock_helpers import Workbench, studio_messages
from lxml import html as lxml_html
from xblock.scorable import Score

from lotse_lms.scorm.build import render as scorm_render
from lotse_lms.xblocks import LotseModuleBlock, q1

MODULE_IDS = ["tools-methoden", "technik", "megatrends"]


def _module(module_id: str) -> q1.Q1Module:
    return q1.get_module(module_id)


def _correct(module_id: str) -> dict[str, list[str]]:
    return {
        q.id: [q1.LETTERS[i] for i in q.correct_indexes] for q in _module(module_id).check.questions
    }


def _wrong(question, count: int = 1) -> list[str]:
    """A wrong answer to a question: the first incorrect letter (single) or all letters (multiple)."""
    letters = [q1.LETTERS[i] for i in range(len(question.answers))]
    if question.type == "single":
        return [next(q1.LETTERS[i] for i, a in enumerate(question.answers) if not a.correct)]
    wrong = [q1.LETTERS[i] for i, a in enumerate(question.answers) if not a.correct]
    return sorted(set([q1.LETTERS[question.correct_indexes[0]], *wrong])) if wrong else letters[:1]


def _answers_with_wrong(module_id: str, wrong: int) -> dict[str, list[str]]:
    """All answers right except the first `wrong` questions."""
    answers = _correct(module_id)
    for question in _module(module_id).check.questions[:wrong]:
        answers[question.id] = _wrong(question)
    return answers


def _json(response):
    return json.loads(response.body)


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


# --- rendering ---------------------------------------------------------------------------------


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_student_view_shows_every_lesson_and_the_check(bench, german, module_id):
    block = bench.load(f'<lotse_module module_id="{module_id}"/>')
    page = bench.html(block)
    module = _module(module_id)
    doc = lxml_html.fromstring(page)
    assert f"Modul {module.module.number}: {module.module.title}" in _text(doc)
    lesson_titles = [_text(s.find("h3")) for s in doc.cssselect("section.lotse-lesson")]
    assert lesson_titles == [lesson.title for lesson in module.module.lessons]
    for lesson in module.module.lessons:
        section = doc.get_element_by_id(f"{block.element_prefix()}-{lesson.stem}")
        headings = [_text(h) for h in section.cssselect(".lotse-content h4")]
        assert headings == [h.text for h in lesson.headings if h.level == 2]
        assert [_text(li) for li in section.cssselect(".lotse-objectives li")] == lesson.objectives
    questions = doc.cssselect("fieldset.lotse-question")
    assert [q.get("data-question") for q in questions] == [q.id for q in module.check.questions]
    for fieldset, question in zip(questions, module.check.questions, strict=True):
        assert len(fieldset.cssselect("input")) == len(question.answers)
        assert {i.get("type") for i in fieldset.cssselect("input")} == {
            "radio" if question.type == "single" else "checkbox"
        }
    assert "Antworten prüfen" in page
    assert 'data-init="LotseModuleBlock"' in page.replace("'", '"')


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_student_view_does_not_reveal_the_solution(bench, german, module_id):
    page = bench.html(bench.load(f'<lotse_module module_id="{module_id}"/>'))
    module = _module(module_id).module
    for question in module.check.questions:
        for answer in question.answers:
            assert q1.markdown.render_inline(answer.feedback) not in page
    assert '"correct"' not in page and "correct:" not in page


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_lesson_text_is_the_same_as_in_the_scorm_package(bench, module_id):
    block = bench.load(f'<lotse_module module_id="{module_id}"/>')
    doc = lxml_html.fromstring(bench.html(block))
    module = _module(module_id).module
    for page in [module.intro, *module.lessons]:
        scorm = lxml_html.fromstring(
            scorm_render.render_page(page, module, "2004").html.encode("utf-8")
        )
        scorm_text = _text(scorm.cssselect("main .content")[0])
        key = q1.INTRO if page is module.intro else page.stem
        ours = doc.get_element_by_id(f"{block.element_prefix()}-{key}").cssselect(".lotse-content")[
            0
        ]
        assert _text(ours) == scorm_text, page.path.name
        assert len(ours.cssselect("img")) == len(scorm.cssselect("main .content img"))


def test_check_prompts_and_answers_are_the_same_as_in_the_scorm_package(bench):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    doc = lxml_html.fromstring(bench.html(block))
    module = _module("megatrends").module
    scorm = lxml_html.fromstring(scorm_render.render_check(module, "2004").html.encode("utf-8"))
    assert [_text(e) for e in doc.cssselect(".lotse-prompt")] == [
        _text(e) for e in scorm.cssselect(".prompt")
    ]
    assert [_text(e) for e in doc.cssselect(".lotse-answer label")] == [
        _text(e) for e in scorm.cssselect(".answer label")
    ]


def test_ids_are_unique_prefixed_and_links_stay_in_the_block(bench):
    block = bench.load('<lotse_module module_id="tools-methoden"/>')
    page = bench.html(block)
    assert q1.ID_PLACEHOLDER not in page
    doc = lxml_html.fromstring(page)
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    prefix = block.element_prefix()
    assert all(i.startswith(prefix) for i in ids)
    links = doc.cssselect(".lotse-content a[data-lotse-page]")
    assert links, "the Tools & Methoden lessons link to each other"
    for link in links:
        assert link.get("href")[1:] in ids, link.get("href")
    for image in doc.cssselect(".lotse-content img"):
        assert image.get("src").startswith("data:image/svg+xml;base64,")
        assert image.get("alt")


def test_two_blocks_on_one_page_get_different_prefixes(bench):
    first = bench.load('<lotse_module module_id="technik"/>')
    second = bench.load('<lotse_module module_id="technik"/>')
    assert first.element_prefix() != second.element_prefix()


def test_english_interface(bench, english):
    page = bench.html(bench.load('<lotse_module module_id="technik"/>'))
    assert "Check answers" in page and "Lesson 1 of 6" in page and "Learning objectives" in page
    assert "Antworten prüfen" not in page
    assert "Künstliche Intelligenz" in page  # the content itself stays German


def test_author_view_shows_the_outline(bench, german):
    block = bench.load('<lotse_module module_id="megatrends" weight="2"/>')
    page = bench.html(block, "author_view")
    for lesson in _module("megatrends").module.lessons:
        assert lesson.title in page
    assert "12 Fragen · bestanden ab 80 % · Gewichtung 2.0" in page


def test_studio_view_offers_the_three_modules(bench):
    block = bench.load("<lotse_module/>")
    page = bench.html(block, "studio_view")
    for choice in q1.module_choices():
        assert choice["value"] in page
    assert block.module_id == "tools-methoden"


def test_unknown_module_shows_a_german_message(bench, german):
    block = bench.load('<lotse_module module_id="gibt-es-nicht"/>')
    assert "Das Modul „gibt-es-nicht“ gibt es nicht." in bench.html(block)
    response = bench.call(block, "mark_lesson_seen", {"lesson": "01-x"})
    assert response.status_code == 404
    assert block.max_score() == 0


def test_broken_content_is_reported_with_details_for_staff_only(tmp_path, monkeypatch, german):
    broken = tmp_path / "q1"
    shutil.copytree(q1.content_dir(), broken, symlinks=False)
    (broken / "02-technik" / "knowledge-check.yaml").write_text(
        "title: [kaputt\n", encoding="utf-8"
    )
    monkeypatch.setenv(q1.ENV_VAR, str(broken))
    learner = Workbench("student-1")
    block = learner.load('<lotse_module module_id="technik"/>')
    page = learner.html(block)
    assert "Die Inhalte des Moduls sind fehlerhaft." in page and "knowledge-check.yaml" not in page
    staff = Workbench("staff-1", staff=True)
    assert "knowledge-check.yaml" in staff.html(staff.runtime.get_block(block.scope_ids.usage_id))
    assert learner.call(block, "submit_check", {"answers": {}}).status_code == 503


# --- lessons -------------------------------------------------------------------------------------


def test_marking_lessons_stores_progress_and_publishes_completion(bench):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    lessons = _module("megatrends").lesson_keys
    response = bench.call(block, "mark_lesson_seen", {"lesson": lessons[1]})
    assert response.status_code == 200
    assert _json(response)["seen"] == [lessons[1]]
    bench.call(block, "mark_lesson_seen", {"lesson": lessons[0]})
    bench.call(block, "mark_lesson_seen", {"lesson": lessons[0]})  # twice: counted once
    assert block.lessons_seen == [lessons[1], lessons[0]]
    steps = len(lessons) + 1
    assert bench.events_of("completion") == [
        {"completion": round(1 / steps, 4)},
        {"completion": round(2 / steps, 4)},
        {"completion": round(2 / steps, 4)},
    ]
    assert bench.events_of("grade") == []
    _, again = bench.reload(block)
    assert again.lessons_seen == [lessons[1], lessons[0]]
    page = Workbench("student-1").html(again)
    assert "2 von 5 Lektionen gelesen" in page or "2 of 5 lessons read" in page


def test_progress_is_per_learner(bench):
    block = bench.load('<lotse_module module_id="technik"/>')
    bench.call(block, "mark_lesson_seen", {"lesson": _module("technik").lesson_keys[0]})
    _, other = bench.reload(block, "student-2")
    assert other.lessons_seen == []
    assert other.score is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"lesson": "99-gibt-es-nicht"}, "Diese Lektion gibt es in diesem Modul nicht."),
        ({"lesson": ""}, "Ungültige Anfrage: Lektion fehlt."),
        ({"lesson": 3}, "Ungültige Anfrage: Lektion fehlt."),
        ({"lesson": "x" * 500}, "Ungültige Anfrage: Lektion fehlt."),
        ({}, "Ungültige Anfrage: Lektion fehlt."),
        (["01-megatrends-verstehen"], "Ungültige Anfrage: Lektion fehlt."),
    ],
)
def test_mark_lesson_seen_refuses_invalid_input(bench, german, body, message):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    response = bench.call(block, "mark_lesson_seen", body)
    assert response.status_code == 400
    assert _json(response) == {"error": message}
    assert block.lessons_seen == []
    assert bench.events == []


def test_handlers_refuse_a_body_that_is_not_json(bench):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    assert bench.call(block, "mark_lesson_seen", None, raw=b"lesson=01").status_code == 400


def test_error_messages_follow_the_language(bench, english):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    response = bench.call(block, "mark_lesson_seen", {"lesson": "99-x"})
    assert _json(response) == {"error": "This module has no such lesson."}


# --- knowledge check -----------------------------------------------------------------------------


def test_all_correct_answers_pass_and_publish_grade_and_completion(bench):
    block = bench.load('<lotse_module module_id="technik"/>')
    total = len(_module("technik").check.questions)
    response = bench.call(block, "submit_check", {"answers": _correct("technik")})
    assert response.status_code == 200
    result = _json(response)["result"]
    assert (result["right"], result["total"], result["percent"], result["passed"]) == (
        total,
        total,
        100.0,
        True,
    )
    assert all(q["correct"] for q in result["questions"])
    first = result["questions"][0]["answers"]
    assert all(a["feedback"] for a in first)  # feedback for every answer, after submitting
    assert bench.events_of("grade") == [
        {"value": float(total), "max_value": float(total), "only_if_higher": None}
    ]
    steps = len(_module("technik").lessons) + 1
    assert bench.events_of("completion") == [{"completion": round(1 / steps, 4)}]
    assert (block.score, block.passed, block.attempts) == (total, True, 1)
    _, again = bench.reload(block)
    assert (again.score, again.passed, again.attempts, again.answers) == (
        total,
        True,
        1,
        _correct("technik"),
    )


def test_failing_then_passing(bench):
    module = _module("tools-methoden")
    total = len(module.check.questions)
    block = bench.load('<lotse_module module_id="tools-methoden"/>')
    failing = _answers_with_wrong("tools-methoden", 3)  # 9 of 12 = 75 % < 80 %
    result = _json(bench.call(block, "submit_check", {"answers": failing}))["result"]
    assert (result["right"], result["passed"]) == (total - 3, False)
    assert [q["correct"] for q in result["questions"]][:4] == [False, False, False, True]
    assert (block.score, block.passed) == (total - 3, False)
    passing = _answers_with_wrong("tools-methoden", 2)  # 10 of 12 = 83.33 %
    result = _json(bench.call(block, "submit_check", {"answers": passing}))["result"]
    assert (result["right"], result["percent"], result["passed"], result["attempts"]) == (
        total - 2,
        83.33,
        True,
        2,
    )
    assert [e["value"] for e in bench.events_of("grade")] == [total - 3, total - 2]
    assert {e["max_value"] for e in bench.events_of("grade")} == {total}


def test_after_passing_no_further_attempt(bench, german):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    bench.call(block, "submit_check", {"answers": _correct("megatrends")})
    response = bench.call(block, "submit_check", {"answers": _answers_with_wrong("megatrends", 5)})
    assert response.status_code == 409
    assert _json(response) == {"error": "Sie haben den Wissenscheck bereits bestanden."}
    assert block.score == len(_module("megatrends").check.questions)
    assert len(bench.events_of("grade")) == 1


def test_a_score_sent_by_the_client_is_ignored(bench):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    body = {
        "answers": _answers_with_wrong("megatrends", 12),
        "score": 12,
        "passed": True,
        "right": 12,
    }
    result = _json(bench.call(block, "submit_check", body))["result"]
    assert (result["right"], result["passed"]) == (0, False)
    assert bench.events_of("grade")[0]["value"] == 0


def _invalid_cases():
    check = _module("megatrends").check
    single = next(q for q in check.questions if q.type == "single")
    number = check.questions.index(single) + 1
    correct = _correct("megatrends")
    missing = {
        k: v for k, v in correct.items() if k not in (check.questions[1].id, check.questions[4].id)
    }
    return [
        ({"answers": {**correct, "q99": ["a"]}}, "Unbekannte Frage: q99."),
        (
            {"answers": {**correct, single.id: ["z"]}},
            f"Frage {number}: Die Antwort „z“ gibt es nicht.",
        ),
        (
            {"answers": {**correct, single.id: ["a", "b"]}},
            f"Frage {number}: Bitte wählen Sie genau eine Antwort.",
        ),
        (
            {"answers": {**correct, single.id: ["a", "a"]}},
            f"Frage {number}: Jede Antwort darf nur einmal gewählt werden.",
        ),
        ({"answers": {**correct, single.id: [1]}}, f"Frage {number}: Ungültige Antwort."),
        ({"answers": {**correct, single.id: {"a": True}}}, f"Frage {number}: Ungültige Antwort."),
        ({"answers": missing}, "Bitte beantworten Sie alle Fragen. Noch offen: Frage 2, 5."),
        (
            {"answers": {}},
            "Bitte beantworten Sie alle Fragen. Noch offen: Frage "
            + ", ".join(str(i + 1) for i in range(len(check.questions)))
            + ".",
        ),
        ({"answers": ["a"]}, "Ungültige Anfrage: Antworten fehlen."),
        ({}, "Ungültige Anfrage: Antworten fehlen."),
    ]


@pytest.mark.parametrize("case", range(10))
def test_submit_check_refuses_invalid_answers(bench, german, case):
    body, message = _invalid_cases()[case]
    block = bench.load('<lotse_module module_id="megatrends"/>')
    response = bench.call(block, "submit_check", body)
    assert response.status_code == 400
    assert _json(response) == {"error": message}
    assert (block.score, block.attempts, block.answers) == (None, 0, {})
    assert bench.events == []


def test_a_single_choice_answer_may_be_a_string(bench):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    answers = {k: (v[0] if len(v) == 1 else v) for k, v in _correct("megatrends").items()}
    assert (
        _json(bench.call(block, "submit_check", {"answers": answers}))["result"]["passed"] is True
    )


def test_the_last_result_is_shown_again(bench, german):
    block = bench.load('<lotse_module module_id="technik"/>')
    bench.call(block, "submit_check", {"answers": _answers_with_wrong("technik", 4)})
    page = Workbench("student-1").html(bench.reload(block)[1])
    args = json.loads(lxml_html.fromstring(page).cssselect("script.xblock_json_init_args")[0].text)
    assert args["progress"]["result"]["right"] == len(_module("technik").check.questions) - 4
    assert args["progress"]["result"]["passed"] is False
    assert args["strings"]["questionRight"] == "Richtig beantwortet."


def test_completion_reaches_one_after_all_lessons_and_the_check(bench):
    block = bench.load('<lotse_module module_id="megatrends"/>')
    for key in _module("megatrends").lesson_keys:
        bench.call(block, "mark_lesson_seen", {"lesson": key})
    bench.call(block, "submit_check", {"answers": _correct("megatrends")})
    assert bench.events_of("completion")[-1] == {"completion": 1.0}
    assert block.completion_ratio(_module("megatrends")) == 1.0


# --- scoring interface -------------------------------------------------------------------------


def test_scoring_interface(bench):
    block = bench.load('<lotse_module module_id="technik" weight="3"/>')
    total = len(_module("technik").check.questions)
    assert LotseModuleBlock.has_score is True
    assert block.weight == 3.0
    assert block.max_score() == total
    assert block.has_submitted_answer() is False
    bench.call(block, "submit_check", {"answers": _answers_with_wrong("technik", 1)})
    assert block.has_submitted_answer() is True
    assert block.get_score() == Score(float(total - 1), float(total))
    assert block.calculate_score() == Score(float(total - 1), float(total))
    block.set_score(Score(5.0, float(total)))
    assert block.score == 5
    bench.events.clear()
    block.rescore(only_if_higher=False)
    assert bench.events_of("grade") == [
        {"value": float(total - 1), "max_value": float(total), "only_if_higher": False}
    ]


def test_studio_validation(bench, german):
    block = bench.load("<lotse_module/>")

    assert studio_messages(block, module_id="gibt-es-nicht", weight=-1) == [
        "Das Modul „gibt-es-nicht“ gibt es nicht.",
        "Die Gewichtung darf nicht negativ sein.",
    ]


def test_workbench_scenarios_render(bench):
    for _description, xml in LotseModuleBlock.workbench_scenarios():
        block = bench.load(xml)
        assert "lotse-xblock" in bench.html(block)
