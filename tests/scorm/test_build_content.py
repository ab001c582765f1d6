"""Content loading and checks of the SCORM build: each broken variant gives its file:line message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lotse_lms.scorm.build import ContentError, load_q1
from lotse_lms.scorm.build.markdown import slugify
from lotse_lms.scorm.build.yamlsrc import YamlProblem, load

FIXTURE = Path(__file__).resolve().parent / "content_fixture"
MODULE = "01-beispiel"


def _variant(tmp_path: Path, case: str | None) -> Path:
    """Copy the valid content to tmp_path and lay the broken variant's files over it."""
    root = tmp_path / "q1"
    shutil.copytree(FIXTURE / "valid", root)
    if case:
        overlay = FIXTURE / "broken" / case
        for file in overlay.rglob("*"):
            if file.is_file():
                shutil.copy(file, root / MODULE / file.relative_to(overlay))
    return root


def _messages(root: Path) -> list[str]:
    """The problems load_q1 reports, with paths relative to the content folder."""
    with pytest.raises(ContentError) as caught:
        load_q1(root)
    return [f"{p.path.relative_to(root)}:{p.line}: {p.message}" for p in caught.value.problems]


def test_valid_fixture_loads(tmp_path):
    """The valid module loads into dataclasses with everything the build needs."""
    (module,) = load_q1(_variant(tmp_path, None))
    assert (module.id, module.number, module.title) == ("beispiel", 1, "Beispielmodul")
    assert [lesson.stem for lesson in module.lessons] == ["01-erste-schritte", "02-vertiefung"]
    assert [lesson.minutes for lesson in module.lessons] == [10, 15]
    assert (
        module.lessons[0].objectives[0] == "Sie können erklären, wozu ein Experimentierraum dient."
    )
    assert "rollen-und-verantwortung" in module.lessons[0].anchors
    assert len(module.check.questions) == 10
    assert module.check.passing_score == 80
    assert module.check.questions[2].type == "multiple"
    assert module.check.questions[2].correct_indexes == [0, 1]
    assert [p.name for p in module.images()] == ["skizze.svg"]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("front-matter-missing", "02-vertiefung.md:1: Front Matter fehlt"),
        ("front-matter-malformed", "02-vertiefung.md:7: YAML-Fehler"),
        ("missing-key", "module.md:2: module.md: Pflichtfeld 'description' fehlt"),
        ("wrong-type", "02-vertiefung.md:6: Lektion: 'minutes' muss eine ganze Zahl sein"),
        ("broken-link", "02-vertiefung.md:15: Link-Ziel '03-gibt-es-nicht.md' nicht gefunden"),
        (
            "missing-anchor",
            "01-erste-schritte.md:37: Anker '#vereinbarung-treffen' gibt es in 02-vertiefung.md nicht "
            "(meinten Sie '#vereinbarungen-treffen'?)",
        ),
        ("missing-image", "01-erste-schritte.md:31: Bild 'images/fehlt.svg' nicht gefunden"),
        (
            "no-experimentierraum",
            "02-vertiefung.md:17: Die Lektion muss mit dem Abschnitt '## Für Ihren Experimentierraum' enden",
        ),
        (
            "minutes-mismatch",
            "module.md:5: estimated_minutes ist 35, aber Lektionen und Wissenscheck ergeben 30",
        ),
        (
            "no-correct-answer",
            "knowledge-check.yaml:8: Frage 'q01': eine single-Frage braucht genau eine richtige Antwort, hat 0",
        ),
        (
            "single-two-correct",
            "knowledge-check.yaml:21: Frage 'q02': eine single-Frage braucht genau eine richtige Antwort, hat 2",
        ),
        (
            "too-few-questions",
            "knowledge-check.yaml:4: Wissenscheck: mindestens 10 Fragen nötig, hat 9",
        ),
        (
            "missing-feedback",
            "knowledge-check.yaml:54: Frage 'q04', Antwort 3: Pflichtfeld 'feedback' fehlt",
        ),
        ("duplicate-id", "knowledge-check.yaml:57: Frage-id 'q04' doppelt (zuerst in Zeile 44)"),
    ],
)
def test_broken_variant_is_reported_with_file_and_line(tmp_path, case, expected):
    """Each broken variant is refused with a message naming the file and line of the problem."""
    messages = _messages(_variant(tmp_path, case))
    wanted = f"{MODULE}/{expected}"
    assert any(m.startswith(wanted) for m in messages), messages


def test_every_problem_is_listed_at_once(tmp_path):
    """Several problems in several files are all reported in one ContentError, sorted."""
    root = _variant(tmp_path, "broken-link")
    for case in ("missing-image", "duplicate-id"):
        for file in (FIXTURE / "broken" / case).iterdir():
            shutil.copy(file, root / MODULE / file.name)
    messages = _messages(root)
    assert len(messages) == 3
    assert messages == sorted(messages)
    assert str(ContentError([])) == ""


def test_multiple_without_correct_answer_and_unknown_key(tmp_path):
    """A multiple-choice question needs a correct answer; unknown keys are named (typos)."""
    root = _variant(tmp_path, None)
    path = root / MODULE / "knowledge-check.yaml"
    text = path.read_text(encoding="utf-8")
    q03 = text.index("  - id: q03")
    q03_end = text.index("  - id: q04")
    block = text[q03:q03_end].replace("correct: true", "correct: false")
    path.write_text(text[:q03] + block + text[q03_end:] + "pasing_score: 70\n", encoding="utf-8")
    messages = _messages(root)
    assert any(
        "knowledge-check.yaml:34: Frage 'q03': eine multiple-Frage braucht mindestens eine richtige"
        in m
        for m in messages
    ), messages
    assert any("unbekannter Schlüssel 'pasing_score'" in m for m in messages), messages


def test_lesson_rules_title_objectives_and_links_out_of_module(tmp_path):
    """A '#' title, too few objectives and a link leaving the module are refused."""
    root = _variant(tmp_path, None)
    path = root / MODULE / "02-vertiefung.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace('  - "Sie können eine Sitzung kurz und nützlich dokumentieren."\n', "")
    text = text.replace(
        "## Vereinbarungen treffen",
        "# Titel\n\n## Vereinbarungen treffen\n\n[x](../../anderes/01-a.md)",
    )
    path.write_text(text, encoding="utf-8")
    messages = _messages(root)
    assert any(
        m.startswith(f"{MODULE}/02-vertiefung.md:3: Lektion: 'objectives' braucht 2 bis 5")
        for m in messages
    ), messages
    assert any(
        m.startswith(f"{MODULE}/02-vertiefung.md:8: Keine '#'-Überschrift") for m in messages
    ), messages
    assert any(
        m.startswith(
            f"{MODULE}/02-vertiefung.md:12: Link '../../anderes/01-a.md' zeigt aus dem Modul"
        )
        for m in messages
    ), messages


def test_q1_total_must_match_across_modules(tmp_path):
    """q1_total_minutes is the same in every module and equals the sum of their estimates."""
    root = _variant(tmp_path, None)
    second = root / "02-zweites"
    shutil.copytree(root / MODULE, second)
    module_md = second / "module.md"
    module_md.write_text(
        module_md.read_text(encoding="utf-8").replace("id: beispiel", "id: zweites"),
        encoding="utf-8",
    )
    messages = _messages(root)
    assert (
        f"{MODULE}/module.md:6: q1_total_minutes ist 30, die Module ergeben zusammen 60 "
        f"(30 01-beispiel + 30 02-zweites)" in messages
    )
    module_md.write_text(
        module_md.read_text(encoding="utf-8").replace(
            "q1_total_minutes: 30", "q1_total_minutes: 60"
        ),
        encoding="utf-8",
    )
    assert any("q1_total_minutes ist nicht in allen Modulen gleich" in m for m in _messages(root))


def test_empty_or_missing_content_folder(tmp_path):
    """A missing folder and a folder without modules are content errors, not crashes."""
    assert _messages_for(tmp_path / "fehlt") == [
        f"{tmp_path / 'fehlt'}: Inhaltsordner nicht gefunden"
    ]
    (tmp_path / "leer").mkdir()
    assert "Keine Module gefunden" in _messages_for(tmp_path / "leer")[0]


def _messages_for(path: Path) -> list[str]:
    """ContentError messages for a folder, unmodified."""
    with pytest.raises(ContentError) as caught:
        load_q1(path)
    return caught.value.messages


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Die vier Ebenen", "die-vier-ebenen"),
        ("Für Ihren Experimentierraum", "fuer-ihren-experimentierraum"),
        ("Größe & Maß: Öl, Übung!", "groesse-mass-oel-uebung"),
        ("  5-Why – Ursachen finden ", "5-why-ursachen-finden"),
    ],
)
def test_slug_rule(heading, slug):
    """Anchors follow the rule of content/README.md."""
    assert slugify(heading) == slug


def test_yaml_keeps_lines_and_reports_syntax_errors():
    """YAML values remember their lines (with an offset); syntax errors carry a line."""
    data = load("a: 1\nb:\n  - x\n  - y\n", offset=10)
    assert (data.line_of("a"), data.line_of("b"), data["b"].item_lines) == (11, 12, [13, 14])
    with pytest.raises(YamlProblem) as caught:
        load("a: [1\n")
    assert caught.value.line == 2
