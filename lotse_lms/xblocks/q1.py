"""The Q1 modules for the XBlocks: where the content is, loading, rendering and grading.

Loading and Markdown rendering are the SCORM build's (lotse_lms.scorm.build.content and
.markdown), so a block shows the same text as the SCORM packages. Differences are only
where a unit page needs them: heading ids carry a per-block prefix (several blocks may share
a page), headings are shifted down two levels (the page and the block own h1/h2), links
between lessons jump to the lesson inside the block, and images are inlined as data: URIs
(a block cannot serve files from the content folder).

Nothing here imports XBlock or Flask: plain Python, tested through the blocks.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lotse_lms.scorm.build import markdown
from lotse_lms.scorm.build.checks import split_target
from lotse_lms.scorm.build.content import load_q1, q1_content_dir
from lotse_lms.scorm.build.model import ContentError, KnowledgeCheck, Module, Page, Problem

from .i18n import _

ENV_VAR = "LOTSE_Q1_CONTENT"

ID_PLACEHOLDER = "__LOTSE__"  # replaced by the block's element id prefix when rendering
HEADING_SHIFT = 2  # "##" sections become h4 below the block title (h2) and the lesson title (h3)
LETTERS = "abcdefghijklmnopqrstuvwxyz"
INTRO = "einfuehrung"  # page key of the module introduction
IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def content_dir() -> Path:
    """The content/q1 folder: $LOTSE_Q1_CONTENT, else the packaged copy, else the repository's."""
    return q1_content_dir(os.environ.get(ENV_VAR))


# --- rendered module -------------------------------------------------------------------------


@dataclass
class RenderedPage:
    """The introduction or one lesson as HTML with the id placeholder."""

    key: str  # INTRO or the lesson file stem, e.g. "01-fuehrung-kultur-werte"
    title: str
    html: str
    number: int = 0  # lesson number, 0 for the introduction
    minutes: int = 0
    objectives: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(
        default_factory=list
    )  # (anchor id, text) of the h2 sections


@dataclass
class RenderedAnswer:
    """One answer option as the learner sees it (no correctness, no feedback)."""

    letter: str
    html: str


@dataclass
class RenderedQuestion:
    """One question as the learner sees it."""

    id: str
    type: str
    prompt_html: str
    answers: list[RenderedAnswer]


@dataclass
class Q1Module:
    """A loaded module and its rendered pages; `module` keeps the answers for grading."""

    module: Module
    intro: RenderedPage
    lessons: list[RenderedPage]
    questions: list[RenderedQuestion]
    feedback_html: dict[str, list[str]]  # question id -> rendered feedback per answer

    @property
    def id(self) -> str:
        """The module id from module.md (e.g. "tools-methoden")."""
        return self.module.id

    @property
    def check(self) -> KnowledgeCheck:
        """The knowledge check."""
        return self.module.check

    @property
    def lesson_keys(self) -> list[str]:
        """The lesson keys in order."""
        return [lesson.key for lesson in self.lessons]


def _signature(root: Path) -> tuple:
    """File names, sizes and modification times under root: reload when content changes."""
    if not root.is_dir():
        return ()
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def modules() -> dict[str, Q1Module]:
    """All Q1 modules by id, in order; raises ContentError if the content is broken."""
    root = content_dir()
    return _load(str(root), _signature(root))


def module_choices() -> list[dict[str, str]]:
    """The modules as Studio choices ({"display_name", "value"}); empty if the content is broken."""
    try:
        return [
            {"display_name": f"{m.module.number}. {m.module.title}", "value": m.id}
            for m in modules().values()
        ]
    except ContentError:
        return []


def get_module(module_id: str) -> Q1Module | None:
    """One module by id, None if there is none (ContentError if the content is broken)."""
    return modules().get(module_id)


@lru_cache(maxsize=4)
def _load(root: str, signature: tuple) -> dict[str, Q1Module]:
    """Load and render every module under root (cached per content state)."""
    del signature  # only part of the cache key
    if not Path(root).is_dir():
        raise ContentError([Problem(Path(root), 0, "Inhaltsordner nicht gefunden")])
    return {module.id: _render_module(module) for module in load_q1(root)}


def _data_uri(path: Path) -> str:
    """An image file as a data: URI."""
    kind = (
        IMAGE_TYPES.get(path.suffix.lower())
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _page_key(page: Page) -> str:
    """INTRO for module.md, else the lesson's file stem."""
    return INTRO if page.path.name == "module.md" else page.stem


def _render_page(page: Page, module: Module) -> tuple[str, list[tuple[str, str]]]:
    """Render a page's Markdown body; return the HTML and its h2 sections (id, text)."""
    key = _page_key(page)
    module_dir = module.path.resolve()
    tokens = markdown.parse(page.body)  # fresh tokens: the loader's stay untouched
    sections = [
        (f"{ID_PLACEHOLDER}-{key}-{h.slug}", h.text)
        for h in markdown.headings(tokens, 0)
        if h.level == 2
    ]
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
            if token.type == "heading_open":
                token.attrSet("id", f"{ID_PLACEHOLDER}-{key}-{token.attrGet('id')}")

    def rewrite(token) -> None:
        """Links to lessons jump inside the block; images become data: URIs."""
        if token.type == "image":
            src = str(token.attrGet("src") or "")
            path, _ = split_target(src)
            target = (page.path.parent / path).resolve()
            if not markdown.is_external(src) and target.is_file() and module_dir in target.parents:
                token.attrSet("src", _data_uri(target))
            token.attrSet("loading", "lazy")
            return
        href = str(token.attrGet("href") or "")
        if markdown.is_external(href):
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener noreferrer")
            return
        path, anchor = split_target(href)
        if not path:
            target_key = key
        else:
            target = (page.path.parent / path).resolve()
            if target.suffix != ".md" or target.parent != module_dir:
                return
            target_key = INTRO if target.name == "module.md" else target.stem
        token.attrSet("href", f"#{ID_PLACEHOLDER}-{target_key}" + (f"-{anchor}" if anchor else ""))
        token.attrSet("data-lotse-page", target_key)

    html = markdown.render(tokens, rewrite)
    return html, sections


def _render_module(module: Module) -> Q1Module:
    """Render the introduction, the lessons and the check's learner-facing parts."""
    intro_html, intro_sections = _render_page(module.intro, module)
    intro = RenderedPage(INTRO, module.intro.title, intro_html, sections=intro_sections)
    lessons = []
    for lesson in module.lessons:
        html, sections = _render_page(lesson, module)
        lessons.append(
            RenderedPage(
                lesson.stem,
                lesson.title,
                html,
                lesson.number,
                lesson.minutes,
                list(lesson.objectives),
                sections,
            )
        )
    questions = []
    feedback = {}
    for question in module.check.questions:
        questions.append(
            RenderedQuestion(
                question.id,
                question.type,
                markdown.render_inline(question.prompt),
                [
                    RenderedAnswer(LETTERS[i], markdown.render_inline(a.text))
                    for i, a in enumerate(question.answers)
                ],
            )
        )
        feedback[question.id] = [markdown.render_inline(a.feedback) for a in question.answers]
    return Q1Module(module, intro, lessons, questions, feedback)


# --- grading ---------------------------------------------------------------------------------


class AnswerError(ValueError):
    """Invalid answers from the client: a German message (msgid) and its format values."""

    def __init__(self, message: str, **values):
        """Keep the untranslated message and its values; str() gives the German text."""
        self.message = message
        self.values = values
        super().__init__(message.format(**values))


def validate_answers(check: KnowledgeCheck, raw: object) -> dict[str, list[str]]:
    """Check submitted answers against the questions; return {question id: sorted letters}.

    Accepts {"<question id>": ["a", "c"], ...}; a single-choice answer may also be a string.
    Every question must be answered; unknown questions, unknown letters, repeated letters and
    more than one answer to a single-choice question are refused.
    """
    if not isinstance(raw, dict):
        raise AnswerError(_("Ungültige Anfrage: Antworten fehlen."))
    by_id = {q.id: (n, q) for n, q in enumerate(check.questions, start=1)}
    for key in raw:
        if key not in by_id:
            shown = str(key)[:40]
            raise AnswerError(_("Unbekannte Frage: {question}."), question=shown)
    answers: dict[str, list[str]] = {}
    missing = []
    for qid, (number, question) in by_id.items():
        value = raw.get(qid)
        if isinstance(value, str):
            value = [value]
        if value is None or value == []:
            missing.append(number)
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnswerError(_("Frage {number}: Ungültige Antwort."), number=number)
        allowed = LETTERS[: len(question.answers)]
        for letter in value:
            if len(letter) != 1 or letter not in allowed:
                raise AnswerError(
                    _("Frage {number}: Die Antwort „{answer}“ gibt es nicht."),
                    number=number,
                    answer=letter[:10],
                )
        if len(set(value)) != len(value):
            raise AnswerError(
                _("Frage {number}: Jede Antwort darf nur einmal gewählt werden."), number=number
            )
        if question.type == "single" and len(value) != 1:
            raise AnswerError(
                _("Frage {number}: Bitte wählen Sie genau eine Antwort."), number=number
            )
        answers[qid] = sorted(value)
    if missing:
        raise AnswerError(
            _("Bitte beantworten Sie alle Fragen. Noch offen: Frage {numbers}."),
            numbers=", ".join(str(n) for n in missing),
        )
    return answers


@dataclass
class Result:
    """The graded knowledge check."""

    right: int
    total: int
    percent: float  # 0–100, rounded to two decimals
    passed: bool
    per_question: dict[str, bool]


def grade(check: KnowledgeCheck, answers: dict[str, list[str]]) -> Result:
    """Grade like the SCORM quiz: a question counts when exactly its correct answers are chosen."""
    per_question = {}
    for question in check.questions:
        correct = {LETTERS[i] for i in question.correct_indexes}
        per_question[question.id] = set(answers.get(question.id) or []) == correct
    right = sum(per_question.values())
    total = len(check.questions)
    percent = 100 * right / total if total else 0.0
    return Result(
        right, total, round(percent, 2), percent + 1e-9 >= check.passing_score, per_question
    )


def verdicts(q1: Q1Module, answers: dict[str, list[str]], result: Result) -> list[dict]:
    """Per question: right or not, and per answer whether chosen, whether correct, its feedback.

    Only sent after a submission, like the SCORM quiz shows it after checking.
    """
    out = []
    for question in q1.check.questions:
        chosen = set(answers.get(question.id) or [])
        out.append(
            {
                "id": question.id,
                "correct": result.per_question[question.id],
                "answers": [
                    {
                        "letter": LETTERS[i],
                        "chosen": LETTERS[i] in chosen,
                        "correct": answer.correct,
                        "feedback": q1.feedback_html[question.id][i],
                    }
                    for i, answer in enumerate(question.answers)
                ],
            }
        )
    return out
