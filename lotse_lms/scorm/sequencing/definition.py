"""Build the activity tree of an organization with complete sequencing definitions.

The tree is a JSON-able dict: every activity carries its sequencing definition with the
SCORM 2004 defaults filled in for every element the manifest (and the sequencingCollection
entry it references) left out. Randomization and selection controls are parsed and kept
in the definition, but the engine does not apply them: the available children of a
cluster are always all of its children in manifest order.
"""

from __future__ import annotations

import copy

from ..manifest_model import Item, Manifest, Organization

TREE_VERSION = 1

DEFAULTS: dict = {
    "controlMode": {
        "choice": True,
        "choiceExit": True,
        "flow": False,
        "forwardOnly": False,
        "useCurrentAttemptObjectiveInfo": True,
        "useCurrentAttemptProgressInfo": True,
    },
    "sequencingRules": {"pre": [], "exit": [], "post": []},
    "limitConditions": {"attemptLimit": None, "attemptAbsoluteDurationLimit": None},
    "rollupRules": {
        "rollupObjectiveSatisfied": True,
        "rollupProgressCompletion": True,
        "objectiveMeasureWeight": 1.0,
        "rules": [],
    },
    "randomizationControls": {
        "randomizationTiming": "never",
        "selectCount": None,
        "reorderChildren": False,
        "selectionTiming": "never",
    },
    "deliveryControls": {
        "tracked": True,
        "completionSetByContent": False,
        "objectiveSetByContent": False,
    },
    "constrainedChoiceConsiderations": {"preventActivation": False, "constrainChoice": False},
    "rollupConsiderations": {
        "requiredForSatisfied": "always",
        "requiredForNotSatisfied": "always",
        "requiredForCompleted": "always",
        "requiredForIncomplete": "always",
        "measureSatisfactionIfActive": True,
    },
}

_MAP_FLAGS = (
    "readSatisfiedStatus",
    "readNormalizedMeasure",
    "writeSatisfiedStatus",
    "writeNormalizedMeasure",
    "readCompletionStatus",
    "readProgressMeasure",
    "writeCompletionStatus",
    "writeProgressMeasure",
)


def _map(raw: dict) -> dict:
    """A map info with every read/write flag present (absent flags are False)."""
    return {"target": raw["target"], **{flag: bool(raw.get(flag, False)) for flag in _MAP_FLAGS}}


def _objectives(raw: dict) -> tuple[list[dict], str]:
    """Return the activity's objectives (primary first) and the primary objective's key.

    Every activity has a primary objective, the one rollup writes to; when the manifest
    names none, an anonymous one (key "") stands in. The adlseq:objectives map infos of
    the 4th edition (completion status, progress measure) join the objective they name.
    """
    objectives = [copy.deepcopy(o) for o in raw.get("objectives", [])]
    if not objectives or not objectives[0]["primary"]:
        objectives.insert(
            0,
            {
                "id": "",
                "primary": True,
                "satisfiedByMeasure": False,
                "minNormalizedMeasure": 1.0,
                "maps": [],
            },
        )
    seen = set()
    unique = []
    for objective in objectives:
        # a later objective with the primary's ID would shadow it in the state; keep the first
        if objective["id"] in seen:
            continue
        seen.add(objective["id"])
        objective["maps"] = [_map(m) for m in objective["maps"]]
        unique.append(objective)
    by_id = {o["id"]: o for o in unique}
    for extra in raw.get("adlObjectives", []):
        target = by_id.get(extra["id"])
        if target is not None:
            target["maps"] += [_map(m) for m in extra["maps"]]
    return unique, unique[0]["id"]


def definition(raw: dict | None) -> dict:
    """Return a complete sequencing definition from a parsed (possibly partial) one."""
    raw = raw or {}
    full = {key: copy.deepcopy(raw.get(key, value)) for key, value in DEFAULTS.items()}
    full["objectives"], full["primary"] = _objectives(raw)
    return full


def _completion(item: Item | None) -> dict:
    """The completion threshold settings of an item (4th edition semantics)."""
    if item is None:
        return {"threshold": None, "byMeasure": False, "progressWeight": 1.0}
    return {
        "threshold": item.completion_threshold,
        "byMeasure": bool(item.completed_by_measure and item.completion_threshold is not None),
        "progressWeight": item.progress_weight,
    }


def _node(item: Item) -> dict:
    """One activity (and its descendants) of the tree."""
    return {
        "id": item.identifier,
        "item": item.identifier,
        "title": item.title,
        "visible": item.is_visible,
        "resource": item.identifierref,
        "seq": definition(item.sequencing),
        "completion": _completion(item),
        "hideLMSUI": list(item.hide_lms_ui),
        "children": [_node(sub) for sub in item.children],
    }


def _root(org: Organization) -> dict:
    """The root activity: the organization itself."""
    return {
        "id": org.identifier,
        "item": None,
        "title": org.title,
        "visible": True,
        "resource": None,
        "seq": definition(org.sequencing),
        "completion": _completion(None),
        "hideLMSUI": [],
        "children": [_node(item) for item in org.items],
    }


def build_tree(manifest: Manifest, organization: str | None = None) -> dict | None:
    """Return the JSON-able activity tree of an organization, or None for SCORM 1.2."""
    if manifest.standard != "2004":
        return None
    org = manifest.organization(organization)
    return {
        "version": TREE_VERSION,
        "organization": org.identifier,
        "title": org.title,
        "edition": manifest.edition,
        "objectives_global_to_system": org.objectives_global_to_system,
        "shared_data_global_to_system": org.shared_data_global_to_system,
        "root": _root(org),
    }
