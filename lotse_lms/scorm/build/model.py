"""Dataclasses for a loaded Q1 module and the error that lists every content problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One content problem, located as file and line (line 0 means the whole file)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        """Render as "file:line: message" for authors."""
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


class ContentError(Exception):
    """Raised when content breaks the rules of content/README.md; lists every problem."""

    def __init__(self, problems: list[Problem]):
        """Keep the problems sorted by file and line."""
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def messages(self) -> list[str]:
        """The problems as "file:line: message" strings."""
        return [str(p) for p in self.problems]


@dataclass
class Heading:
    """A heading of a Markdown page with its anchor slug."""

    level: int
    text: str
    slug: str
    line: int


@dataclass
class Page:
    """A Markdown page (the module introduction or a lesson) with its parsed parts."""

    path: Path
    title: str
    body: str
    body_line: int  # file line (1-based) of the first body line
    headings: list[Heading] = field(default_factory=list)
    tokens: list = field(default_factory=list, repr=False, compare=False)  # parsed once, reused

    @property
    def stem(self) -> str:
        """The file name without .md (e.g. "01-fuehrung-kultur-werte")."""
        return self.path.stem

    @property
    def anchors(self) -> set[str]:
        """All heading slugs of the page."""
        return {h.slug for h in self.headings}


@dataclass
class Lesson(Page):
    """One lesson file of a module."""

    objectives: list[str] = field(default_factory=list)
    minutes: int = 0
    number: int = 0


@dataclass
class Answer:
    """One answer option of a question."""

    text: str
    correct: bool
    feedback: str


@dataclass
class Question:
    """One knowledge-check question (single or multiple choice)."""

    id: str
    type: str
    prompt: str
    answers: list[Answer]

    @property
    def correct_indexes(self) -> list[int]:
        """Indexes of the correct answers."""
        return [i for i, a in enumerate(self.answers) if a.correct]


@dataclass
class KnowledgeCheck:
    """The knowledge check that ends a module."""

    path: Path
    title: str
    passing_score: int
    minutes: int
    questions: list[Question]


@dataclass
class Module:
    """A Q1 module: its metadata, introduction, lessons and knowledge check."""

    path: Path
    number: int
    id: str
    title: str
    description: str
    estimated_minutes: int
    q1_total_minutes: int
    intro: Page
    lessons: list[Lesson]
    check: KnowledgeCheck
    lines: dict[str, int] = field(default_factory=dict)  # front matter key -> line in module.md
    #: Share (percent) of a lesson's estimated minutes a learner spends on it before the
    #: lesson counts as done, besides reaching its end (module.md reading_percent).
    reading_percent: int = 50

    @property
    def folder(self) -> str:
        """The module folder's name, e.g. "01-tools-methoden"."""
        return self.path.name

    def images(self) -> list[Path]:
        """All files under the module's images/ folder, sorted."""
        root = self.path / "images"
        if not root.is_dir():
            return []
        return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
