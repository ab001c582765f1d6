"""Content checks: links, anchors and images of a module's pages; the knowledge-check YAML."""

from __future__ import annotations

import difflib
from pathlib import Path
from urllib.parse import unquote

from . import markdown
from .fields import Reader
from .model import Answer, KnowledgeCheck, Page, Problem, Question
from .yamlsrc import YamlList, YamlMap, YamlProblem, load

IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
CHECK_KEYS = {"title", "passing_score", "minutes", "questions"}
QUESTION_KEYS = {"id", "type", "prompt", "answers"}
ANSWER_KEYS = {"text", "correct", "feedback"}
MIN_QUESTIONS = 10
MIN_ANSWERS = 3


def split_target(target: str) -> tuple[str, str]:
    """Split a link target into (unquoted path, anchor)."""
    path, _, anchor = target.partition("#")
    return unquote(path), unquote(anchor)


def _close(anchor: str, anchors: set[str]) -> str:
    """A hint naming the nearest existing anchor, if any."""
    near = difflib.get_close_matches(anchor, sorted(anchors), n=1)
    return f" (meinten Sie '#{near[0]}'?)" if near else ""


def _check_link(
    page: Page, ref: markdown.Reference, module_dir: Path, pages: dict[Path, Page], reader: Reader
) -> None:
    """Check one link: same-page anchor, lesson file (+ anchor) or a file under images/."""
    if not ref.target.strip():
        reader.add(ref.line, f"Link '{ref.text}' hat kein Ziel")
        return
    if markdown.is_external(ref.target):
        return
    path, anchor = split_target(ref.target)
    if not path:
        if anchor and anchor not in page.anchors:
            reader.add(
                ref.line,
                f"Anker '#{anchor}' gibt es in {page.path.name} nicht{_close(anchor, page.anchors)}",
            )
        return
    resolved = (page.path.parent / path).resolve()
    if module_dir.resolve() not in resolved.parents:
        reader.add(
            ref.line,
            f"Link '{ref.target}' zeigt aus dem Modul heraus; im SCORM-Paket gibt es dieses Ziel nicht",
        )
        return
    if resolved.suffix == ".md":
        target = pages.get(resolved)
        if target is None:
            reader.add(ref.line, f"Link-Ziel '{path}' nicht gefunden")
        elif anchor and anchor not in target.anchors:
            reader.add(
                ref.line,
                f"Anker '#{anchor}' gibt es in {target.path.name} nicht{_close(anchor, target.anchors)}",
            )
        return
    if (module_dir.resolve() / "images") not in resolved.parents:
        reader.add(
            ref.line,
            f"Link-Ziel '{path}' wird nicht ins Paket übernommen: nur Lektionen und Dateien unter images/",
        )
    elif not resolved.is_file():
        reader.add(ref.line, f"Link-Ziel '{path}' nicht gefunden")


def _check_image(ref: markdown.Reference, page: Page, module_dir: Path, reader: Reader) -> None:
    """Check one image: exists under images/, has a known type and a description."""
    if not ref.text.strip():
        reader.add(
            ref.line,
            f"Bild '{ref.target}' braucht eine Beschreibung: ![Beschreibung]({ref.target})",
        )
    if markdown.is_external(ref.target):
        reader.add(
            ref.line,
            f"Bild '{ref.target}' muss im Modul liegen (images/), externe Bilder werden nicht geladen",
        )
        return
    path, _ = split_target(ref.target)
    resolved = (page.path.parent / path).resolve()
    if (module_dir.resolve() / "images") not in resolved.parents:
        reader.add(ref.line, f"Bild '{path}' muss unter images/ liegen")
    elif not resolved.is_file():
        reader.add(ref.line, f"Bild '{path}' nicht gefunden")
    elif resolved.suffix.lower() not in IMAGE_SUFFIXES:
        reader.add(
            ref.line, f"Bild '{path}': Dateityp {resolved.suffix} nicht erlaubt (SVG oder PNG)"
        )


def check_module_pages(module_dir: Path, pages: list[Page], problems: list[Problem]) -> None:
    """Check every link and image of the module's pages (introduction and lessons)."""
    by_path = {page.path.resolve(): page for page in pages}
    for page in pages:
        reader = Reader(page.path, problems)
        for ref in markdown.references(page.tokens or markdown.parse(page.body), page.body_line):
            if ref.kind == "image":
                _check_image(ref, page, module_dir, reader)
            else:
                _check_link(page, ref, module_dir, by_path, reader)


def _answer(data: object, line: int, where: str, reader: Reader) -> Answer | None:
    """Read one answer mapping."""
    data = reader.mapping(data, line, where)
    if data is None:
        return None
    reader.unknown_keys(data, ANSWER_KEYS, where)
    text = reader.text(data, "text", where)
    correct = reader.boolean(data, "correct", where)
    feedback = reader.text(data, "feedback", where)
    return (
        Answer(text, bool(correct), feedback) if text and correct is not None and feedback else None
    )


def _question(data: object, line: int, index: int, reader: Reader) -> Question | None:
    """Read one question and check its answers."""
    data = reader.mapping(data, line, f"Frage {index}")
    if data is None:
        return None
    qid = data.get("id") if isinstance(data.get("id"), str) else None
    where = f"Frage '{qid}'" if qid else f"Frage {index}"
    reader.unknown_keys(data, QUESTION_KEYS, where)
    qid = reader.identifier(data, "id", where)
    qtype = reader.text(data, "type", where)
    if qtype and qtype not in ("single", "multiple"):
        reader.add(
            data.line_of("type"),
            f"{where}: type muss 'single' oder 'multiple' sein, nicht '{qtype}'",
        )
    prompt = reader.text(data, "prompt", where)
    raw = data.get("answers")
    if not isinstance(raw, YamlList):
        reader.add(data.line_of("answers"), f"{where}: 'answers' fehlt oder ist keine Liste")
        return None
    if len(raw) < MIN_ANSWERS:
        reader.add(
            data.line_of("answers"),
            f"{where}: mindestens {MIN_ANSWERS} Antworten nötig, hat {len(raw)}",
        )
    answers = [
        _answer(item, raw.item_lines[i], f"{where}, Antwort {i + 1}", reader)
        for i, item in enumerate(raw)
    ]
    correct = sum(1 for item in raw if isinstance(item, dict) and item.get("correct") is True)
    if qtype == "single" and correct != 1:
        reader.add(
            data.line_of("answers"),
            f"{where}: eine single-Frage braucht genau eine richtige Antwort, hat {correct}",
        )
    if qtype == "multiple" and correct < 1:
        reader.add(
            data.line_of("answers"),
            f"{where}: eine multiple-Frage braucht mindestens eine richtige Antwort",
        )
    valid = [answer for answer in answers if answer is not None]
    if not (qid and qtype in ("single", "multiple") and prompt) or len(valid) < len(answers):
        return None
    return Question(qid, qtype, prompt, valid)


def check_knowledge_check(path: Path, problems: list[Problem]) -> KnowledgeCheck | None:
    """Load knowledge-check.yaml and check every rule of content/README.md."""
    reader = Reader(path, problems)
    if not path.is_file():
        reader.add(0, "knowledge-check.yaml fehlt")
        return None
    try:
        data = load(path.read_text(encoding="utf-8"))
    except YamlProblem as exc:
        reader.add(exc.line, exc.message)
        return None
    data = reader.mapping(data, 1, "knowledge-check.yaml")
    if data is None:
        return None
    reader.unknown_keys(data, CHECK_KEYS, "Wissenscheck")
    title = reader.text(data, "title", "Wissenscheck")
    passing = reader.integer(data, "passing_score", "Wissenscheck", low=1, high=100, default=80)
    minutes = reader.integer(data, "minutes", "Wissenscheck")
    raw = data.get("questions")
    if not isinstance(raw, YamlList):
        reader.add(
            data.line_of("questions"), "Wissenscheck: 'questions' fehlt oder ist keine Liste"
        )
        return None
    if len(raw) < MIN_QUESTIONS:
        reader.add(
            data.line_of("questions"),
            f"Wissenscheck: mindestens {MIN_QUESTIONS} Fragen nötig, hat {len(raw)}",
        )
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        question = _question(item, raw.item_lines[i], i + 1, reader)
        if isinstance(item, YamlMap) and isinstance(item.get("id"), str):
            qid = item["id"]
            if qid in seen:
                reader.add(
                    item.line_of("id"), f"Frage-id '{qid}' doppelt (zuerst in Zeile {seen[qid]})"
                )
            else:
                seen[qid] = item.line_of("id")
        if question is not None:
            questions.append(question)
    if not title or not minutes or len(questions) != len(raw):
        return None
    return KnowledgeCheck(path, title, passing, minutes, questions)
