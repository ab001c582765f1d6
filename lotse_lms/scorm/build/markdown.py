"""Markdown parsing and rendering for lessons: markdown-it-py, raw HTML off, heading anchors.

Anchors follow content/README.md: lower case, ä→ae, ö→oe, ü→ue, ß→ss, each run of other
characters → "-", no leading/trailing "-". A repeated slug on one page gets "-2", "-3", …
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import Heading

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_OTHER = re.compile(r"[^a-z0-9]+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def slugify(text: str) -> str:
    """Turn heading text into its anchor slug by the content/README.md rule."""
    return _OTHER.sub("-", text.lower().translate(_UMLAUTS)).strip("-")


def is_external(target: str) -> bool:
    """True for links with a scheme (https:, mailto:, …) or protocol-relative ones."""
    return bool(_SCHEME.match(target)) or target.startswith("//")


@dataclass
class Reference:
    """A link or image target found in a page, with its file line."""

    kind: str  # "link" or "image"
    target: str
    text: str
    line: int


def _inline_text(token: Token) -> str:
    """The plain text of an inline token (text and code spans), as a reader sees it."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child))
    return "".join(parts)


def _anchor_rule(state) -> None:
    """Core rule: give every heading an id from its slug, unique within the page."""
    seen: dict[str, int] = {}
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = slugify(_inline_text(tokens[i + 1])) or "abschnitt"
        seen[base] = seen.get(base, 0) + 1
        token.attrSet("id", base if seen[base] == 1 else f"{base}-{seen[base]}")


def make_parser() -> MarkdownIt:
    """A markdown-it parser: CommonMark, tables, no raw HTML, no typographer, anchors."""
    md = MarkdownIt(
        "commonmark", {"html": False, "typographer": False, "linkify": False, "xhtmlOut": False}
    )
    md.enable("table")
    md.core.ruler.push("lotse_anchors", _anchor_rule)
    return md


_PARSER = make_parser()


def parse(text: str) -> list[Token]:
    """Parse Markdown into tokens with heading ids assigned."""
    return _PARSER.parse(text, {})


def headings(tokens: list[Token], line_offset: int) -> list[Heading]:
    """The headings of a page; line_offset is the file line of the body's first line."""
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            line = line_offset + (token.map[0] if token.map else 0)
            found.append(
                Heading(
                    int(token.tag[1]),
                    _inline_text(tokens[i + 1]).strip(),
                    str(token.attrGet("id") or ""),  # _anchor_rule gave every heading one
                    line,
                )
            )
    return found


def references(tokens: list[Token], line_offset: int) -> list[Reference]:
    """Every link and image in a page, with the file line it is on."""
    found = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = line_offset + (token.map[0] if token.map else 0)
        open_link: Reference | None = None
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                open_link = Reference("link", str(child.attrGet("href") or ""), "", line)
                found.append(open_link)
            elif child.type == "link_close":
                open_link = None
            elif child.type == "image":
                found.append(
                    Reference("image", str(child.attrGet("src") or ""), _inline_text(child), line)
                )
            elif open_link is not None and child.type in ("text", "code_inline"):
                open_link.text += child.content
    return found


def _rewrite_links(tokens: list[Token], rewrite: Callable[[Token], None]) -> None:
    """Apply rewrite to every link_open and image token in the tree."""
    for token in tokens:
        if token.type in ("link_open", "image"):
            rewrite(token)
        if token.children:
            _rewrite_links(token.children, rewrite)


def render(tokens: list[Token], rewrite: Callable[[Token], None] | None = None) -> str:
    """Render tokens to HTML; rewrite may change link and image attributes first."""
    if rewrite is not None:
        _rewrite_links(tokens, rewrite)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    # Wide tables scroll inside a focusable region instead of breaking the layout.
    html = html.replace(
        "<table>", '<div class="table-wrap" tabindex="0" role="region" aria-label="Tabelle"><table>'
    )
    return html.replace("</table>", "</table></div>")


def render_inline(text: str) -> str:
    """Render one line of Markdown (question prompts, answers, feedback) to inline HTML."""
    return _PARSER.renderInline(text)
