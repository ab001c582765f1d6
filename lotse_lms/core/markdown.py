"""Safe Markdown for text people type: no raw HTML, no script or data links.

Rendering costs time: markdown-it tries a link or an emphasis at every "[", "*" and "_", so
a text of 10,000 "![" took 4 s to render. A text with more of them than any prose has is
rendered with links, images and emphasis off (the characters stay as typed), and every
rendering is kept, so a page shows a text again without rendering it again.
"""

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _is_safe_url(url):
    """Allow relative links and a short list of schemes, nothing else."""
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    if ":" not in cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True
    return cleaned.startswith(_SAFE_SCHEMES)


def _parser(bounded=False):
    """A CommonMark parser with HTML off, tables and strikethrough on; ``bounded`` also
    without links, images and emphasis (for texts full of their markers)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    if bounded:
        md.disable(["link", "image", "emphasis"])
    md.validateLink = _is_safe_url
    return md


_MD = _parser()
_MD_BOUNDED = _parser(bounded=True)
#: More link or emphasis markers than this and a text is rendered without them.
MAX_MARKERS = 500


def parser_for(text):
    """The parser a text is rendered with: the full one unless it has too many markers."""
    markers = text.count("[") + text.count("*") + text.count("_")
    return _MD_BOUNDED if markers > MAX_MARKERS else _MD


def parse(text):
    """The markdown-it tokens of a text (for renderers other than HTML, e.g. the PDF)."""
    return parser_for(text).parse(text)


def render_safe(text):
    """Render user Markdown to HTML that is safe to put into a page."""
    if not text:
        return Markup("")
    return _render(str(text))


@lru_cache(maxsize=512)
def _render(text):
    """render_safe of a non-empty text, kept for the next page that shows it."""
    html = parser_for(text).render(text)
    html = html.replace("<a href=", '<a rel="nofollow noopener" href=')
    return Markup(html)  # noqa: S704 - html comes from markdown-it with raw HTML disabled
