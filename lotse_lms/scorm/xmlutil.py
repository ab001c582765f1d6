"""Small namespace-tolerant helpers for reading manifest XML with lxml."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def local(el: etree._Element) -> str:
    """Return the local name of an element (its tag without namespace)."""
    if not isinstance(el.tag, str):
        return ""
    return etree.QName(el).localname


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    """Return the direct child elements with that local name (case-insensitive)."""
    if el is None:
        return []
    wanted = name.lower()
    return [c for c in el if isinstance(c.tag, str) and local(c).lower() == wanted]


def child(el: etree._Element | None, name: str) -> etree._Element | None:
    """Return the first direct child element with that local name, or None."""
    found = children(el, name)
    return found[0] if found else None


def text_of(el: etree._Element | None) -> str | None:
    """Return the element's text with whitespace collapsed, or None if empty or absent."""
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    return text or None


def attr_by_local(el: etree._Element, name: str) -> str | None:
    """Return an attribute matched by local name in any namespace (case-insensitive)."""
    wanted = name.lower()
    for key, value in el.attrib.items():
        key_local = key.rsplit("}", 1)[-1] if key.startswith("{") else key.split(":")[-1]
        if key_local.lower() == wanted:
            return value
    return None


def join_base(base: str, ref: str | None) -> str:
    """Resolve a reference against an xml:base value as RFC 3986 says (empty base = as is)."""
    ref = (ref or "").strip()
    if not base:
        return ref
    if not ref:
        return base
    return urljoin(base, ref)


def parse_float(value: str | None) -> float | None:
    """Parse a decimal from manifest text, returning None when absent or not a number."""
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number


def parse_bool(value: str | None, default: bool) -> bool:
    """Parse an xs:boolean attribute ("true"/"false"/"1"/"0"), with a default."""
    if value is None:
        return default
    value = value.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    return default
