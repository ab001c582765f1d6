"""Render a module's pages (introduction, lessons, knowledge check) to HTML with Jinja2.

Every page names the SCORM version in <html data-scorm> so the one shared SCO script
(static/sco.js) talks to the right API. Links to other lessons become links to their pages
in "reference view" (new tab, no LMS session), because each lesson is its own SCO and a
SCO must not navigate the LMS's frame to another SCO.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import markdown
from .checks import split_target
from .model import KnowledgeCheck, Lesson, Module, Page

TEMPLATES = Path(__file__).resolve().parent / "templates"
INTRO_FILE = "index.html"
CHECK_FILE = "wissenscheck.html"
REFERENCE_QUERY = "ansicht=referenz"
LETTERS = "abcdefghijklmnopqrstuvwxyz"

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _trusted(html: str) -> Markup:
    """Mark HTML from markdown-it as safe: raw HTML is off there and text is escaped."""
    return Markup(html)  # noqa: S704 - produced by markdown-it with html=False, not by input


def page_file(page: Page) -> str:
    """The package file name of a page: index.html for module.md, <stem>.html for lessons."""
    return INTRO_FILE if page.path.name == "module.md" else f"{page.stem}.html"


@dataclass
class RenderedFile:
    """One HTML page of a package: its file name and text."""

    name: str
    html: str


def _rewriter(page: Page, module: Module):
    """Return a token rewriter: .md links → .html reference view, external links → new tab."""
    module_dir = module.path.resolve()

    def rewrite(token) -> None:
        """Rewrite the href/src of one link or image token."""
        if token.type == "image":
            token.attrSet("loading", "lazy")
            return
        href = str(token.attrGet("href") or "")
        if markdown.is_external(href):
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener noreferrer")
            return
        path, anchor = split_target(href)
        if not path:
            return
        target = (page.path.parent / path).resolve()
        if target.suffix == ".md" and target.parent == module_dir:
            name = INTRO_FILE if target.name == "module.md" else f"{target.stem}.html"
            token.attrSet("href", f"{name}?{REFERENCE_QUERY}" + (f"#{anchor}" if anchor else ""))
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener")
            token.attrSet("title", "Öffnet die Lektion zum Nachlesen in einem neuen Fenster")

    return rewrite


def _common(module: Module, standard: str, kind: str, title: str) -> dict:
    """Template values shared by all pages."""
    return {
        "standard": standard,
        "kind": kind,
        "title": title,
        "module": module,
        "css": "shared/lotse.css",
        "scripts": ["shared/sco.js"] + (["shared/quiz.js"] if kind == "quiz" else []),
    }


def render_page(page: Page, module: Module, standard: str) -> RenderedFile:
    """Render the introduction or a lesson to a SCO page."""
    # The rewrite is idempotent, so the tokens parsed at load time serve every SCORM version.
    body = _trusted(
        markdown.render(page.tokens or markdown.parse(page.body), _rewriter(page, module))
    )
    lesson = page if isinstance(page, Lesson) else None
    pages = [module.intro, *module.lessons]
    index = pages.index(page)
    following = pages[index + 1] if index + 1 < len(pages) else None
    context = _common(module, standard, "lesson", page.title)
    context.update(
        page=page,
        lesson=lesson,
        body=body,
        position=index,
        lesson_count=len(module.lessons),
        sections=[h for h in page.headings if h.level == 2],
        next_title=following.title if following else module.check.title,
    )
    return RenderedFile(page_file(page), _env.get_template("page.html").render(context))


def quiz_data(check: KnowledgeCheck) -> dict:
    """The scoring data the quiz script needs: question ids, types and correct answer letters."""
    return {
        "passing_score": check.passing_score,
        "questions": [
            {
                "id": q.id,
                "type": q.type,
                "prompt": q.prompt[:200],
                "answers": [LETTERS[i] for i in range(len(q.answers))],
                "correct": [LETTERS[i] for i in q.correct_indexes],
            }
            for q in check.questions
        ],
    }


def render_check(module: Module, standard: str) -> RenderedFile:
    """Render the knowledge check to its SCO page (a form scored in the browser)."""
    check = module.check
    questions = [
        {
            "id": q.id,
            "type": q.type,
            "prompt": _trusted(markdown.render_inline(q.prompt)),
            "answers": [
                {
                    "letter": LETTERS[i],
                    "text": _trusted(markdown.render_inline(a.text)),
                    "feedback": _trusted(markdown.render_inline(a.feedback)),
                }
                for i, a in enumerate(q.answers)
            ],
        }
        for q in check.questions
    ]
    context = _common(module, standard, "quiz", check.title)
    context.update(
        check=check,
        questions=questions,
        # No "<" at all inside the script element ("</script>", "<!--"); JSON reads \u003c back.
        data=_trusted(
            json.dumps(quiz_data(check), ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        ),
    )
    return RenderedFile(CHECK_FILE, _env.get_template("quiz.html").render(context))


def render_module(module: Module, standard: str) -> list[RenderedFile]:
    """All HTML pages of a module for one SCORM version, in package order."""
    pages = [render_page(p, module, standard) for p in (module.intro, *module.lessons)]
    return pages + [render_check(module, standard)]
