"""Read the <item> trees of an organization, including the per-item SCORM settings.

SCORM 1.2 puts adlcp:masteryscore, adlcp:maxtimeallowed, adlcp:timelimitaction,
adlcp:datafromlms and adlcp:prerequisites under an item; SCORM 2004 uses
adlcp:dataFromLMS, adlcp:timeLimitAction, adlcp:completionThreshold and IMS Simple
Sequencing (imsss:sequencing, possibly pointing into an imsss:sequencingCollection).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .errors import ManifestError
from .manifest_model import Item
from .sequencing.xmlparse import hide_lms_ui, merge_sequencing, progress_weight
from .xmlutil import child, children, parse_bool, parse_float, text_of

MAX_DEPTH = 64


def _threshold(item_el: etree._Element) -> tuple[float | None, bool]:
    """Return (completion threshold, completed by measure) of adlcp:completionThreshold."""
    el = child(item_el, "completionThreshold")
    if el is None:
        return None, False
    if el.get("minProgressMeasure") is not None or el.get("completedByMeasure") is not None:
        by_measure = parse_bool(el.get("completedByMeasure"), False)
        value = parse_float(el.get("minProgressMeasure"))
        if value is None:
            value = 1.0
        return _unit(value), by_measure
    value = _unit(parse_float(text_of(el)))
    return value, value is not None


def _unit(value: float | None) -> float | None:
    """Keep a value only if it lies in 0..1."""
    if value is None or not 0.0 <= value <= 1.0:
        return None
    return value


def sequencing_parts(
    item_el: etree._Element, collections: dict[str, etree._Element]
) -> list[etree._Element]:
    """Return the imsss:sequencing of an item (or organization) followed by the collection
    entry it references."""
    seq = child(item_el, "sequencing")
    if seq is None:
        return []
    parts = [seq]
    shared = collections.get((seq.get("IDRef") or "").strip())
    if shared is not None:
        parts.append(shared)
    return parts


def _passing_score(parts: list[etree._Element]) -> float | None:
    """Return minNormalizedMeasure of the primary objective if it is satisfied by measure."""
    for seq in parts:
        objectives = child(seq, "objectives")
        if objectives is None:
            continue
        primary = child(objectives, "primaryObjective")
        if primary is None or not parse_bool(primary.get("satisfiedByMeasure"), False):
            return None
        measure = parse_float(text_of(child(primary, "minNormalizedMeasure")))
        if measure is None:
            measure = 1.0
        return measure if -1.0 <= measure <= 1.0 else None
    return None


def _duration_limit(parts: list[etree._Element]) -> str | None:
    """Return imsss:limitConditions/@attemptAbsoluteDurationLimit, if any."""
    for seq in parts:
        limits = child(seq, "limitConditions")
        if limits is not None and limits.get("attemptAbsoluteDurationLimit"):
            return limits.get("attemptAbsoluteDurationLimit").strip()
    return None


def _mastery_score(item_el: etree._Element) -> float | None:
    """Return adlcp:masteryscore (SCORM 1.2, 0..100) or None."""
    value = parse_float(text_of(child(item_el, "masteryscore")))
    if value is None or not 0.0 <= value <= 100.0:
        return None
    return value


def _time_limit_action(item_el: etree._Element) -> str | None:
    """Return the normalised adlcp:timelimitaction, e.g. "exit,message"."""
    raw = text_of(child(item_el, "timelimitaction"))
    if raw is None:
        return None
    return ",".join(" ".join(part.split()) for part in raw.lower().split(","))


def _raw_text(item_el: etree._Element, name: str) -> str | None:
    """Return the exact text of a child element (launch data keeps its whitespace)."""
    el = child(item_el, name)
    if el is None:
        return None
    text = "".join(el.itertext())
    return text if text.strip() else None


def _parse_item(
    item_el: etree._Element,
    ids: set[str],
    collections: dict[str, etree._Element],
    claim: Callable[[str, set[str]], None],
    depth: int,
) -> Item:
    """Build one Item (and its children) from an <item> element."""
    if depth > MAX_DEPTH:
        raise ManifestError(
            "items_too_deep",
            f"Die Gliederung im Manifest ist tiefer als {MAX_DEPTH} Ebenen verschachtelt.",
        )
    identifier = (item_el.get("identifier") or "").strip()
    title = text_of(child(item_el, "title"))
    if not identifier:
        raise ManifestError(
            "item_without_identifier",
            f"Der Eintrag »{title or '(ohne Titel)'}« im Manifest hat keine Kennung (identifier).",
        )
    claim(identifier, ids)
    parts = sequencing_parts(item_el, collections)
    threshold, by_measure = _threshold(item_el)
    max_time = text_of(child(item_el, "maxtimeallowed")) or _duration_limit(parts)
    return Item(
        identifier=identifier,
        title=title or identifier,
        identifierref=(item_el.get("identifierref") or "").strip() or None,
        parameters=(item_el.get("parameters") or "").strip() or None,
        is_visible=parse_bool(item_el.get("isvisible"), True),
        children=[
            _parse_item(sub, ids, collections, claim, depth + 1)
            for sub in children(item_el, "item")
        ],
        mastery_score=_mastery_score(item_el),
        prerequisites=text_of(child(item_el, "prerequisites")),
        data_from_lms=_raw_text(item_el, "datafromlms"),
        time_limit_action=_time_limit_action(item_el),
        max_time_allowed=max_time,
        completion_threshold=threshold,
        completed_by_measure=by_measure,
        scaled_passing_score=_passing_score(parts),
        sequencing=merge_sequencing(parts),
        hide_lms_ui=hide_lms_ui(item_el),
        progress_weight=progress_weight(item_el),
    )


def parse_items(
    org_el: etree._Element,
    ids: set[str],
    collections: dict[str, etree._Element],
    claim: Callable[[str, set[str]], None],
) -> list[Item]:
    """Parse the top-level <item> elements of an organization into Item trees."""
    return [_parse_item(el, ids, collections, claim, 0) for el in children(org_el, "item")]
