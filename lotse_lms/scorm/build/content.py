"""Load Q1 modules from content/q1/<NN>-<slug>/ (see content/README.md) and check them.

`load_q1(dir)` and `load_module(dir)` return dataclasses or raise ContentError listing every
problem found (not only the first) as "file:line: message".
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from . import markdown
from .checks import check_knowledge_check, check_module_pages
from .fields import Reader
from .model import ContentError, Lesson, Module, Page, Problem
from .yamlsrc import YamlMap, YamlProblem, load

MODULE_DIR = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_FILE = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
MODULE_KEYS = {
    "id",
    "title",
    "description",
    "estimated_minutes",
    "q1_total_minutes",
    "reading_percent",
}
LESSON_KEYS = {"title", "objectives", "minutes"}


def q1_content_dir(configured: Path | str | None = None) -> Path:
    """The Q1 Markdown sources: ``configured`` if given, else the copy shipped in the package
    (``lotse_lms/xblocks/q1_content``: a link to content/q1 in a checkout, a real folder in
    the wheel), else content/q1 beside the package. The LMS seeder and the XBlocks both ask here.
    """
    if configured:
        return Path(configured)
    package = Path(str(resources.files("lotse_lms")))
    shipped = package / "xblocks" / "q1_content"
    return shipped if shipped.is_dir() else package.parent / "content" / "q1"


def split_front_matter(text: str, reader: Reader) -> tuple[YamlMap | None, str, int]:
    """Split "---" front matter from the body; return (data, body, file line of body start)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        reader.add(1, "Front Matter fehlt: die Datei muss mit einer Zeile '---' beginnen")
        return None, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        reader.add(1, "Front Matter nicht abgeschlossen: die schließende Zeile '---' fehlt")
        return None, "", len(lines) + 1
    try:
        data = load("".join(lines[1:end]), offset=1)
    except YamlProblem as exc:
        reader.add(exc.line, exc.message)
        return None, "".join(lines[end + 1 :]), end + 2
    body = "".join(lines[end + 1 :])
    if data is None:
        reader.add(1, "Front Matter ist leer")
        return None, body, end + 2
    return reader.mapping(data, 2, "Front Matter"), body, end + 2


def _page(
    path: Path, problems: list[Problem], keys: set[str], what: str
) -> tuple[YamlMap | None, Page | None]:
    """Read a Markdown file with front matter into a Page (title from the front matter)."""
    reader = Reader(path, problems)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        reader.add(0, "Datei ist nicht UTF-8-kodiert")
        return None, None
    data, body, body_line = split_front_matter(text, reader)
    title = ""
    if data is not None:
        reader.unknown_keys(data, keys, what)
        title = reader.text(data, "title", what)
    tokens = markdown.parse(body)
    page = Page(path, title, body, body_line, markdown.headings(tokens, body_line), tokens)
    return data, page


def _lesson(path: Path, number: int, problems: list[Problem]) -> Lesson | None:
    """Load one lesson file and check its front matter and section structure."""
    data, page = _page(path, problems, LESSON_KEYS, "Lektion")
    if page is None:
        return None
    reader = Reader(path, problems)
    lesson = Lesson(
        page.path, page.title, page.body, page.body_line, page.headings, page.tokens, number=number
    )
    if data is not None:
        lesson.objectives = reader.texts(data, "objectives", "Lektion", 2, 5)
        lesson.minutes = reader.integer(data, "minutes", "Lektion")
    for heading in page.headings:
        if heading.level == 1:
            reader.add(
                heading.line,
                "Keine '#'-Überschrift verwenden: den Titel setzt der Build aus dem Front Matter",
            )
    sections = [h for h in page.headings if h.level == 2]
    if not sections or sections[-1].text != "Für Ihren Experimentierraum":
        line = sections[-1].line if sections else page.body_line
        reader.add(
            line, "Die Lektion muss mit dem Abschnitt '## Für Ihren Experimentierraum' enden"
        )
    return lesson


def load_module(path: Path | str, problems: list[Problem] | None = None) -> Module | None:
    """Load and check one module folder; raise ContentError unless a problem list is passed."""
    path = Path(path)
    own = problems is None
    if problems is None:
        problems = []
    reader = Reader(path, problems)
    match = MODULE_DIR.match(path.name)
    if not match:
        reader.add(0, "Modulordner muss '<NN>-<slug>' heißen (z. B. 01-tools-methoden)")
    module_md = path / "module.md"
    data = intro = None
    if module_md.is_file():
        data, intro = _page(module_md, problems, MODULE_KEYS, "module.md")
    else:
        reader.add(0, "module.md fehlt")
    lessons = []
    numbers: dict[int, Path] = {}
    for file in sorted(path.glob("*.md")):
        if file.name == "module.md":
            continue
        lesson_match = LESSON_FILE.match(file.name)
        if not lesson_match:
            Reader(file, problems).add(
                0, "Lektionsdatei muss '<NN>-<slug>.md' heißen (a-z, 0-9, '-')"
            )
            continue
        number = int(lesson_match.group(1))
        if number in numbers:
            Reader(file, problems).add(
                0, f"Nummer {number:02d} doppelt (auch {numbers[number].name})"
            )
        numbers[number] = file
        lesson = _lesson(file, number, problems)
        if lesson is not None:
            lessons.append(lesson)
    if not lessons and not numbers:
        reader.add(0, "Das Modul hat keine Lektion ('<NN>-<slug>.md')")
    check = check_knowledge_check(path / "knowledge-check.yaml", problems)
    module = None
    if data is not None and intro is not None and check is not None:
        mreader = Reader(module_md, problems)
        module = Module(
            path=path,
            number=int(match.group(1)) if match else 0,
            id=mreader.identifier(data, "id", "module.md"),
            title=intro.title,
            description=mreader.text(data, "description", "module.md"),
            estimated_minutes=mreader.integer(data, "estimated_minutes", "module.md"),
            q1_total_minutes=mreader.integer(data, "q1_total_minutes", "module.md"),
            intro=intro,
            lessons=lessons,
            check=check,
            lines=dict(data.key_lines),
            reading_percent=mreader.integer(
                data, "reading_percent", "module.md", low=0, high=100, default=50
            ),
        )
        parts = [lesson.minutes for lesson in lessons] + [check.minutes]
        if module.estimated_minutes and all(parts) and sum(parts) != module.estimated_minutes:
            detail = " + ".join(f"{lesson.minutes} ({lesson.path.name})" for lesson in lessons)
            mreader.add(
                data.line_of("estimated_minutes"),
                f"estimated_minutes ist {module.estimated_minutes}, aber Lektionen und Wissenscheck "
                f"ergeben {sum(parts)}: {detail} + {parts[-1]} (knowledge-check.yaml)",
            )
    pages = ([intro] if intro else []) + lessons
    check_module_pages(path, pages, problems)
    if own and problems:
        raise ContentError(problems)
    return module


def load_q1(content_dir: Path | str) -> list[Module]:
    """Load every module under content_dir (content/q1); raise ContentError listing all problems."""
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    if not content_dir.is_dir():
        raise ContentError([Problem(content_dir, 0, "Inhaltsordner nicht gefunden")])
    folders = sorted(
        p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )
    modules = [m for m in (load_module(folder, problems) for folder in folders) if m is not None]
    if not folders:
        problems.append(Problem(content_dir, 0, "Keine Module gefunden ('<NN>-<slug>/module.md')"))
    _check_across(modules, problems)
    if problems:
        raise ContentError(problems)
    return modules


def _check_across(modules: list[Module], problems: list[Problem]) -> None:
    """Module ids unique; q1_total_minutes equal in every module and equal to the modules' sum."""
    seen: dict[str, Module] = {}
    for module in modules:
        if module.id and module.id in seen:
            problems.append(
                Problem(
                    module.intro.path,
                    module.lines.get("id", 0),
                    f"Modul-id '{module.id}' doppelt (auch {seen[module.id].folder})",
                )
            )
        seen.setdefault(module.id, module)
    totals = {m.q1_total_minutes for m in modules if m.q1_total_minutes}
    if len(totals) > 1:
        for module in modules:
            problems.append(
                Problem(
                    module.intro.path,
                    module.lines.get("q1_total_minutes", 0),
                    "q1_total_minutes ist nicht in allen Modulen gleich: "
                    + ", ".join(f"{m.folder}={m.q1_total_minutes}" for m in modules),
                )
            )
    elif totals and all(m.estimated_minutes for m in modules):
        total = totals.pop()
        summed = sum(m.estimated_minutes for m in modules)
        if summed != total:
            for module in modules:
                problems.append(
                    Problem(
                        module.intro.path,
                        module.lines.get("q1_total_minutes", 0),
                        f"q1_total_minutes ist {total}, die Module ergeben "
                        f"zusammen {summed} ("
                        + " + ".join(f"{m.estimated_minutes} {m.folder}" for m in modules)
                        + ")",
                    )
                )
