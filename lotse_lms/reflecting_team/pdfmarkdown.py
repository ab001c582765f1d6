"""Markdown to reportlab paragraphs: safe text for the PDF, never raw markup.

Everything the user typed is escaped for reportlab's paragraph mini-markup; only the tags
this module writes itself (<b>, <i>, <strike>, <font>, <br/>) reach reportlab.
"""

from xml.sax.saxutils import escape

from markdown_it import MarkdownIt
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer

from ..core import pdffonts

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MD.enable(["table", "strikethrough"])
_SHOWN_SCHEMES = ("http://", "https://", "mailto:")

_OPEN = {
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
    "s_open": "<strike>",
    "s_close": "</strike>",
}


def _inline(token):
    """Turn an inline token's children into escaped reportlab markup."""
    out, href = [], None
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            out.append(escape(child.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind in _OPEN:
            out.append(_OPEN[kind])
        elif kind == "code_inline":
            out.append(f'<font face="{pdffonts.MONO}">{escape(child.content)}</font>')
        elif kind == "link_open":
            href = child.attrGet("href") or ""
        elif kind == "link_close":
            # Links are not clickable in the PDF; a readable web address is printed after the text.
            if href and href.lower().startswith(_SHOWN_SCHEMES):
                out.append(f" ({escape(href)})")
            href = None
        elif kind == "image":
            out.append(escape(f"[{child.content or 'Bild'}]"))
        else:
            out.append(escape(child.content or ""))
    return "".join(out)


def markdown_flowables(text, styles):
    """Return reportlab flowables for Markdown ``text`` (styles: body, heading, code, bullet)."""
    if not text or not text.strip():
        return []
    tokens = _MD.parse(text)
    flow, lists, row = [], [], []
    pending_bullet, quote_depth, previous = None, 0, ""
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered, number = lists[-1]
            pending_bullet = f"{number}." if ordered else "•"
            lists[-1][1] += 1
        elif kind in ("blockquote_open", "blockquote_close"):
            quote_depth += 1 if kind == "blockquote_open" else -1
        elif kind == "inline" and previous in ("th_open", "td_open"):
            row.append(_inline(token))
        elif kind == "tr_close":
            flow.append(Paragraph(" | ".join(row), styles["body"]))
            row = []
        elif kind == "inline":
            markup = _inline(token)
            if markup.strip():
                style = styles["heading"] if previous == "heading_open" else styles["body"]
                if pending_bullet is not None:
                    style = styles["bullet"]
                indent = 14 * (max(len(lists) - 1, 0) + quote_depth)
                flow.append(_paragraph(markup, style, indent, pending_bullet))
                pending_bullet = None
        elif kind in ("fence", "code_block"):
            code = (
                escape(token.content.rstrip("\n")).replace("\n", "<br/>").replace("  ", "&nbsp; ")
            )
            flow.append(Paragraph(code, styles["code"]))
        elif kind == "hr":
            flow.append(Spacer(1, 6))
        previous = kind
    return flow


def _paragraph(markup, style, indent, bullet):
    """A paragraph, shifted right for nested lists and quotes."""
    if indent:
        style = ParagraphStyle(
            f"{style.name}-{indent}",
            parent=style,
            leftIndent=style.leftIndent + indent,
            bulletIndent=style.bulletIndent + indent,
        )
    return Paragraph(markup, style, bulletText=bullet)
