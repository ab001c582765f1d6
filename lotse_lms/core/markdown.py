"""Safe Markdown for text people type: no raw HTML, no script or data links."""

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _is_safe_url(url):
    """Allow relative links and a short list of schemes, nothing else."""
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    if ":" not in cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True
    return cleaned.startswith(_SAFE_SCHEMES)


def _parser():
    """A CommonMark parser with HTML off, tables and strikethrough on."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _is_safe_url
    return md


_MD = _parser()


def render_safe(text):
    """Render user Markdown to HTML that is safe to put into a page."""
    if not text:
        return Markup("")
    html = _MD.render(text)
    html = html.replace("<a href=", '<a rel="nofollow noopener" href=')
    return Markup(html)  # noqa: S704 - html comes from markdown-it with raw HTML disabled
