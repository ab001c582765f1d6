"""Read IMS Simple Sequencing (imsss), adlseq and adlnav XML into plain dicts.

Each element of an imsss:sequencing is read into its own key, with the attribute defaults
of the imsss_v1p0 / adlseq_v1p3 schemas applied, so that an item's own sequencing and the
sequencingCollection entry it references (IDRef) can be merged element by element. The
dicts hold only JSON types; :mod:`lotse_lms.scorm.sequencing.definition` fills in the
elements that are absent.
"""

from __future__ import annotations

from lxml import etree

from ..xmlutil import child, children, local, parse_bool, parse_float, text_of


def collapse(value: str | None) -> str:
    """An xs:anyURI attribute (objectiveID, targetObjectiveID, referencedObjective) after
    the schema's whitespace facet "collapse": no leading or trailing whitespace, inner runs
    as one space. Objective IDs are compared in this form."""
    return " ".join((value or "").split())


_RULE_KINDS = {
    "preconditionrule": "pre",
    "exitconditionrule": "exit",
    "postconditionrule": "post",
}


def _elements(el: etree._Element) -> list[etree._Element]:
    """Return the element children of an element (comments and PIs left out)."""
    return [c for c in el if isinstance(c.tag, str)]


def _is_adl(el: etree._Element) -> bool:
    """True if the element belongs to an ADL namespace (adlseq, adlnav)."""
    return "adl" in (etree.QName(el).namespace or "").lower()


def _bool(el: etree._Element, name: str, default: bool) -> bool:
    """Read a boolean attribute with its schema default."""
    return parse_bool(el.get(name), default)


def _int(value: str | None) -> int | None:
    """Parse a non-negative integer attribute, None when absent or invalid."""
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if number >= 0 else None


def _number(value: str | None, default: float) -> float:
    """Parse a decimal attribute, falling back to the default."""
    number = parse_float(value)
    return default if number is None else number


def _control_mode(el: etree._Element) -> dict:
    """imsss:controlMode with its defaults."""
    return {
        "choice": _bool(el, "choice", True),
        "choiceExit": _bool(el, "choiceExit", True),
        "flow": _bool(el, "flow", False),
        "forwardOnly": _bool(el, "forwardOnly", False),
        "useCurrentAttemptObjectiveInfo": _bool(el, "useCurrentAttemptObjectiveInfo", True),
        "useCurrentAttemptProgressInfo": _bool(el, "useCurrentAttemptProgressInfo", True),
    }


def _rule(el: etree._Element) -> dict | None:
    """One pre/exit/post condition rule: conditions, combination and action."""
    action_el = child(el, "ruleAction")
    action = (action_el.get("action") or "").strip() if action_el is not None else ""
    if not action:
        return None
    conds_el = child(el, "ruleConditions")
    conditions = []
    for cond in children(conds_el, "ruleCondition"):
        conditions.append(
            {
                "condition": (cond.get("condition") or "").strip(),
                "operator": (cond.get("operator") or "noOp").strip(),
                "objective": collapse(cond.get("referencedObjective")) or None,
                "threshold": _number(cond.get("measureThreshold"), 0.0),
            }
        )
    combination = "all"
    if conds_el is not None:
        combination = (conds_el.get("conditionCombination") or "all").strip()
    return {"combination": combination, "conditions": conditions, "action": action}


def _sequencing_rules(el: etree._Element) -> dict:
    """imsss:sequencingRules split into pre, exit and post condition rules (in order)."""
    rules: dict[str, list] = {"pre": [], "exit": [], "post": []}
    for rule_el in _elements(el):
        kind = _RULE_KINDS.get(local(rule_el).lower())
        rule = _rule(rule_el) if kind else None
        if kind is not None and rule is not None:
            rules[kind].append(rule)
    return rules


def _limit_conditions(el: etree._Element) -> dict:
    """imsss:limitConditions (only the attempt limit is applied by the engine)."""
    duration = (el.get("attemptAbsoluteDurationLimit") or "").strip() or None
    return {"attemptLimit": _int(el.get("attemptLimit")), "attemptAbsoluteDurationLimit": duration}


def _rollup_rules(el: etree._Element) -> dict:
    """imsss:rollupRules: the contribution flags, the measure weight and the rules."""
    rules = []
    for rule_el in children(el, "rollupRule"):
        action_el = child(rule_el, "rollupAction")
        action = (action_el.get("action") or "").strip() if action_el is not None else ""
        if not action:
            continue
        conds_el = child(rule_el, "rollupConditions")
        rules.append(
            {
                "childActivitySet": (rule_el.get("childActivitySet") or "all").strip(),
                "minimumCount": _int(rule_el.get("minimumCount")) or 0,
                "minimumPercent": _number(rule_el.get("minimumPercent"), 0.0),
                "combination": (
                    (conds_el.get("conditionCombination") or "any").strip()
                    if conds_el is not None
                    else "any"
                ),
                "conditions": [
                    {
                        "condition": (c.get("condition") or "").strip(),
                        "operator": (c.get("operator") or "noOp").strip(),
                    }
                    for c in children(conds_el, "rollupCondition")
                ],
                "action": action,
            }
        )
    return {
        "rollupObjectiveSatisfied": _bool(el, "rollupObjectiveSatisfied", True),
        "rollupProgressCompletion": _bool(el, "rollupProgressCompletion", True),
        "objectiveMeasureWeight": _number(el.get("objectiveMeasureWeight"), 1.0),
        "rules": rules,
    }


def _imsss_map(el: etree._Element) -> dict:
    """An imsss:mapInfo (satisfied status and normalized measure)."""
    return {
        "target": collapse(el.get("targetObjectiveID")),
        "readSatisfiedStatus": _bool(el, "readSatisfiedStatus", True),
        "readNormalizedMeasure": _bool(el, "readNormalizedMeasure", True),
        "writeSatisfiedStatus": _bool(el, "writeSatisfiedStatus", False),
        "writeNormalizedMeasure": _bool(el, "writeNormalizedMeasure", False),
    }


def _objective(el: etree._Element, primary: bool) -> dict:
    """An imsss:primaryObjective or imsss:objective with its map infos."""
    measure = parse_float(text_of(child(el, "minNormalizedMeasure")))
    return {
        "id": collapse(el.get("objectiveID")),
        "primary": primary,
        "satisfiedByMeasure": _bool(el, "satisfiedByMeasure", False),
        "minNormalizedMeasure": 1.0 if measure is None else max(-1.0, min(1.0, measure)),
        "maps": [_imsss_map(m) for m in children(el, "mapInfo") if m.get("targetObjectiveID")],
    }


def _objectives(el: etree._Element) -> list[dict]:
    """imsss:objectives: the primary objective first, then the others in order."""
    found = [_objective(o, True) for o in children(el, "primaryObjective")[:1]]
    found += [_objective(o, False) for o in children(el, "objective") if o.get("objectiveID")]
    return found


def _adl_objectives(el: etree._Element) -> list[dict]:
    """adlseq:objectives: 4th edition map infos for completion status and progress measure."""
    found = []
    for obj in children(el, "objective"):
        maps = []
        for m in children(obj, "mapInfo"):
            if not m.get("targetObjectiveID"):
                continue
            maps.append(
                {
                    "target": collapse(m.get("targetObjectiveID")),
                    "readCompletionStatus": _bool(m, "readCompletionStatus", True),
                    "readProgressMeasure": _bool(m, "readProgressMeasure", True),
                    "writeCompletionStatus": _bool(m, "writeCompletionStatus", False),
                    "writeProgressMeasure": _bool(m, "writeProgressMeasure", False),
                }
            )
        if obj.get("objectiveID"):
            found.append({"id": collapse(obj.get("objectiveID")), "maps": maps})
    return found


def _randomization(el: etree._Element) -> dict:
    """imsss:randomizationControls (parsed only; the engine does not apply them)."""
    return {
        "randomizationTiming": (el.get("randomizationTiming") or "never").strip(),
        "selectCount": _int(el.get("selectCount")),
        "reorderChildren": _bool(el, "reorderChildren", False),
        "selectionTiming": (el.get("selectionTiming") or "never").strip(),
    }


def _delivery(el: etree._Element) -> dict:
    """imsss:deliveryControls with its defaults."""
    return {
        "tracked": _bool(el, "tracked", True),
        "completionSetByContent": _bool(el, "completionSetByContent", False),
        "objectiveSetByContent": _bool(el, "objectiveSetByContent", False),
    }


def _constrained(el: etree._Element) -> dict:
    """adlseq:constrainedChoiceConsiderations with its defaults."""
    return {
        "preventActivation": _bool(el, "preventActivation", False),
        "constrainChoice": _bool(el, "constrainChoice", False),
    }


def _considerations(el: etree._Element) -> dict:
    """adlseq:rollupConsiderations with its defaults."""
    values = {
        name: (el.get(name) or "always").strip()
        for name in (
            "requiredForSatisfied",
            "requiredForNotSatisfied",
            "requiredForCompleted",
            "requiredForIncomplete",
        )
    }
    values["measureSatisfactionIfActive"] = _bool(el, "measureSatisfactionIfActive", True)
    return values


_READERS = {
    "controlmode": ("controlMode", _control_mode),
    "sequencingrules": ("sequencingRules", _sequencing_rules),
    "limitconditions": ("limitConditions", _limit_conditions),
    "rolluprules": ("rollupRules", _rollup_rules),
    "randomizationcontrols": ("randomizationControls", _randomization),
    "deliverycontrols": ("deliveryControls", _delivery),
    "constrainedchoiceconsiderations": ("constrainedChoiceConsiderations", _constrained),
    "rollupconsiderations": ("rollupConsiderations", _considerations),
}


def parse_sequencing(seq_el: etree._Element) -> dict:
    """Read one imsss:sequencing element into a dict keyed by the elements it contains."""
    parsed: dict = {}
    for el in _elements(seq_el):
        name = local(el).lower()
        if name == "objectives":
            if _is_adl(el):
                parsed["adlObjectives"] = _adl_objectives(el)
            else:
                parsed["objectives"] = _objectives(el)
        elif name in _READERS:
            key, reader = _READERS[name]
            parsed[key] = reader(el)
    return parsed


def merge_sequencing(parts: list[etree._Element]) -> dict | None:
    """Merge an item's imsss:sequencing (first) with its collection entry, element by element.

    An element present in the item's own sequencing wins; the others come from the
    referenced sequencingCollection entry. None when there is no sequencing at all.
    """
    if not parts:
        return None
    merged: dict = {}
    for part in reversed(parts):
        merged.update(parse_sequencing(part))
    return merged


def hide_lms_ui(item_el: etree._Element) -> list[str]:
    """Return the adlnav:presentation/navigationInterface/hideLMSUI values of an item."""
    nav = child(child(item_el, "presentation"), "navigationInterface")
    return sorted({v for v in (text_of(h) for h in children(nav, "hideLMSUI")) if v})


def progress_weight(item_el: etree._Element) -> float:
    """Return adlcp:completionThreshold/@progressWeight (4th edition, default 1.0)."""
    el = child(item_el, "completionThreshold")
    weight = parse_float(el.get("progressWeight")) if el is not None else None
    return 1.0 if weight is None or weight < 0 else weight
