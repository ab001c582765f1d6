"""Speed of the SCORM 2004 sequencing engine per request, beside a JSON baseline.

The player asks the engine on every navigation, every status refresh and every commit
that changes a SCO's status: what is allowed now (available(), toc()), a navigation
(continue) and a report. Measured on a Q1 module built from content/q1 and on generated
flat courses of 25 and 100 SCOs with flow, choice and a "previous one satisfied"
precondition on every item. The baseline is what the LMS pays anyway per request: the
sequencing state loaded from and stored as JSON.

    python bench/bench_sequencing.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lotse_lms.scorm.manifest import parse_manifest  # noqa: E402
from lotse_lms.scorm.sequencing import Sequencer, build_tree  # noqa: E402

PASSED = {"completion_status": "completed", "success_status": "passed", "session_ended": True}


def flat_manifest(count: int) -> bytes:
    """A SCORM 2004 4th edition manifest: ``count`` SCOs, each locked until the one before
    is satisfied (a global objective per SCO), flow and choice on."""
    items, resources = [], []
    for n in range(count):
        rule = ""
        if n:
            rule = (
                "<imsss:sequencingRules><imsss:preConditionRule>"
                '<imsss:ruleConditions conditionCombination="any">'
                '<imsss:ruleCondition referencedObjective="prev" operator="not" condition="satisfied"/>'
                '</imsss:ruleConditions><imsss:ruleAction action="disabled"/>'
                "</imsss:preConditionRule></imsss:sequencingRules>"
            )
        objectives = (
            f'<imsss:objectives><imsss:primaryObjective objectiveID="p{n}">'
            f'<imsss:mapInfo targetObjectiveID="g{n}" writeSatisfiedStatus="true"/>'
            "</imsss:primaryObjective>"
            + (
                f'<imsss:objective objectiveID="prev"><imsss:mapInfo targetObjectiveID="g{n - 1}"'
                ' readSatisfiedStatus="true"/></imsss:objective>'
                if n
                else ""
            )
            + "</imsss:objectives>"
        )
        items.append(
            f'<item identifier="i{n}" identifierref="r{n}"><title>SCO {n}</title>'
            f"<imsss:sequencing>{rule}{objectives}</imsss:sequencing></item>"
        )
        resources.append(
            f'<resource identifier="r{n}" type="webcontent" adlcp:scormType="sco" '
            f'href="sco{n}.html"><file href="sco{n}.html"/></resource>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest identifier="bench" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
        'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
        'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
        'xmlns:imsss="http://www.imsglobal.org/xsd/imsss">'
        "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>"
        '</metadata><organizations default="org">'
        '<organization identifier="org" adlseq:objectivesGlobalToSystem="false"><title>Bench</title>'
        + "".join(items)
        + '<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>'
        "</organization></organizations><resources>"
        + "".join(resources)
        + "</resources></manifest>"
    ).encode()


def q1_tree() -> dict:
    """The activity tree of the first Q1 module as the project builds it."""
    import zipfile

    from lotse_lms.scorm.build import build_packages

    out = Path(tempfile.mkdtemp(prefix="lotse-bench-seq-"))
    built = build_packages(ROOT / "content" / "q1", out, standards=("2004",))
    with zipfile.ZipFile(built[0].path) as archive:
        return build_tree(parse_manifest(archive.read("imsmanifest.xml")))


def halfway(tree: dict) -> tuple[dict, str]:
    """A learner's state halfway through a course (each SCO passed in turn) and the
    item being delivered now."""
    seq = Sequencer(tree)
    result = seq.navigate("start")
    leaves = [result.deliver]
    while len(leaves) < max(2, len(_leaves(tree)) // 2):
        seq.report(leaves[-1], PASSED)
        result = seq.navigate("continue")
        leaves.append(result.deliver)
    return json.loads(json.dumps(seq.state)), leaves[-1]


def _leaves(node: dict) -> list[str]:
    """The item identifiers of a tree's leaves in order."""
    children = node.get("children") or []
    if "root" in node:
        return _leaves(node["root"])
    if not children:
        return [node["item"]] if node.get("item") else []
    return [leaf for child in children for leaf in _leaves(child)]


def per_call(fn, repeat: int) -> float:
    """Median milliseconds of ``repeat`` calls of fn()."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def bench(name: str, tree: dict, repeat: int) -> None:
    """Print one line of figures for one course."""
    state, current = halfway(tree)
    text = json.dumps(state)
    baseline = per_call(lambda: json.dumps(json.loads(text)), repeat)
    figures = {
        "load": per_call(lambda: Sequencer(tree, json.loads(text)), repeat),
        "available": per_call(lambda: Sequencer(tree, json.loads(text)).available(), repeat),
        "toc": per_call(lambda: Sequencer(tree, json.loads(text)).toc(), repeat),
        "report": per_call(
            lambda: Sequencer(tree, json.loads(text)).report(current, PASSED), repeat
        ),
        "continue": per_call(lambda: _report_continue(tree, text, current), repeat),
    }
    line = "  ".join(f"{key} {value:7.2f} ms" for key, value in figures.items())
    slowest = max(figures.values())
    print(
        f"{name:<22} {len(_leaves(tree)):>3} SCOs | {line} | JSON baseline {baseline:6.3f} ms"
        f" | slowest/baseline {slowest / baseline:7.0f}x",
        flush=True,
    )


def _report_continue(tree: dict, text: str, current: str) -> None:
    """A SCO reports passed, then the learner goes on."""
    seq = Sequencer(tree, json.loads(text))
    seq.report(current, PASSED)
    seq.navigate("continue")


def main() -> None:
    """Run the benchmark on the Q1 module and the generated courses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print("SCORM 2004 sequencing, median per request (state loaded from JSON each time)")
    bench("Q1 Tools & Methoden", q1_tree(), args.repeat)
    for count in (25, 100):
        bench("generated, locked", build_tree(parse_manifest(flat_manifest(count))), args.repeat)


if __name__ == "__main__":
    main()
