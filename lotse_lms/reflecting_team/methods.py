"""The method library: one German Markdown file per method in ``content/reflecting_team/``.

Plain Python (no Flask) so the CLI check and the tests can use it directly.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: Sections every method must have, in this order.
REQUIRED_SECTIONS = ("Zweck", "Ablauf", "Zeitbedarf", "Rollen", "Stolpersteine")
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class MethodFormatError(ValueError):
    """A method file does not follow the format of content/README.md."""


@dataclass(frozen=True)
class Method:
    """One method of the library."""

    slug: str
    title: str
    summary: str
    duration_minutes: int
    group_size: str
    body: str
    sections: tuple = field(default_factory=tuple)  # (heading, markdown) pairs, in order


def _slug_of(path):
    """``03-after-action-review.md`` -> ``after-action-review`` (the order prefix is not part of it)."""
    return re.sub(r"^\d+[-_]", "", path.stem).lower()


def _sections(body):
    """Split the body at its ``##`` headings into (heading, text) pairs."""
    parts = re.split(r"^## +(.+?)\s*$", body, flags=re.M)
    return tuple((parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2))


def parse_method(path):
    """Read one method file; raise MethodFormatError naming the file and the problem."""
    path = Path(path)
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise MethodFormatError(f"{path.name}: front matter between '---' lines is missing")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise MethodFormatError(f"{path.name}: front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise MethodFormatError(f"{path.name}: front matter must be a mapping")
    for key in ("title", "summary", "group_size"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise MethodFormatError(f"{path.name}: '{key}' is missing or empty")
    minutes = meta.get("duration_minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        raise MethodFormatError(f"{path.name}: 'duration_minutes' must be a positive whole number")
    body = match.group(2).strip()
    sections = _sections(body)
    headings = [h for h, _t in sections]
    missing = [s for s in REQUIRED_SECTIONS if s not in headings]
    if missing:
        raise MethodFormatError(f"{path.name}: section(s) missing: {', '.join(missing)}")
    slug = _slug_of(path)
    if not SLUG.match(slug):
        raise MethodFormatError(f"{path.name}: file name gives no usable slug ({slug!r})")
    return Method(
        slug,
        meta["title"].strip(),
        meta["summary"].strip(),
        minutes,
        meta["group_size"].strip(),
        body,
        sections,
    )


_CACHE = {}


def load_methods(directory):
    """Return the library's methods in file order; re-read only when a file changed."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    files = sorted(directory.glob("*.md"))
    key = (str(directory), tuple((f.name, f.stat().st_mtime_ns) for f in files))
    if key not in _CACHE:
        methods = [parse_method(f) for f in files if f.name.lower() != "readme.md"]
        slugs = [m.slug for m in methods]
        duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
        if duplicates:
            raise MethodFormatError(f"slug used twice: {', '.join(duplicates)}")
        _CACHE.clear()
        _CACHE[key] = methods
    return _CACHE[key]


def find_method(directory, slug):
    """Return the method with ``slug``, or None."""
    return next((m for m in load_methods(directory) if m.slug == slug), None)
