"""available() and toc() answer exactly what the original algorithm answered.

The original available() ran navigate() as a dry run on a full copy of the state for every
simple request and for choice and jump on every item; toc() took "selectable" from it.
That algorithm is kept here (`old_available`, `old_toc`) and compared with the engine on
every tree the sequencing tests use, on randomly varied copies of them, and on the
generated 100-SCO course of the benchmark, in many learner states.
"""

from __future__ import annotations

import copy
import importlib.util
import random
import zipfile
from pathlib import Path

import pytest

from lotse_lms.scorm.build import build_packages
from lotse_lms.scorm.manifest import parse_manifest
from lotse_lms.scorm.sequencing import NAV_REQUESTS, Sequencer, build_tree, tracking
from lotse_lms.scorm.sequencing.rules import check_activity, hidden_from_choice
from lotse_lms.scorm.sequencing.state import Run, Tree
from tests.scorm.sequencing_fixtures import harness as h

ROOT = Path(__file__).resolve().parents[2]
SIMPLE = ("start", "resumeAll", "continue", "previous", "exit", "exitAll", "suspendAll")
SIMPLE += ("abandon", "abandonAll")
FIXTURES = sorted(path.stem for path in h.HERE.glob("*.xml"))
PACKAGES = [
    "SequencingForcedSequential_SCORM20043rdEdition",
    "ContentPackagingOneFilePerSCO_SCORM20043rdEdition",
    "ContentPackagingSingleSCO_SCORM20042ndEdition",
    "RuntimeBasicCalls_SCORM20043rdEdition",
]


def _bench_module():
    """bench/bench_sequencing.py, for the generated courses it measures."""
    spec = importlib.util.spec_from_file_location(
        "bench_sequencing", ROOT / "bench" / "bench_sequencing.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def items(tree: dict) -> list[str]:
    """The item activities in preorder, as the Sequencer lists them."""
    index = Tree(tree)
    return [ident for ident in index.order if ident != index.root]


def old_available(tree: dict, seq: Sequencer, shared: dict) -> dict:
    """The original available(): one navigate() per request and target, each on a fresh
    Sequencer over a copy of the state and the globals seen so far."""
    state = seq.state
    seen = {**shared, **seq.shared_changes}

    def accepted(name: str, target: str | None = None) -> bool:
        return Sequencer(tree, state, seen).navigate(name, target).ok

    result: dict = {name: accepted(name) for name in SIMPLE}
    for name in ("choice", "jump"):
        result[name] = {item: accepted(name, item) for item in items(tree)}
    return {name: result[name] for name in NAV_REQUESTS}


def old_toc(tree: dict, seq: Sequencer, shared: dict, available: dict) -> dict:
    """The original toc(), given the original available()."""
    index = Tree(tree)
    run = Run(index, seq.state, {**shared, **seq.shared_changes}, {})
    entries = {}
    for item in items(tree):
        hidden = not index.nodes[item]["visible"] or any(
            hidden_from_choice(run, step) for step in index.path_up(item)
        )
        entries[item] = {
            "hidden": hidden,
            "disabled": check_activity(run, item),
            "selectable": available["choice"][item],
            "completed": tracking.completed(run, item),
            "satisfied": tracking.satisfied(run, item),
        }
    return entries


def assert_same(tree: dict, seq: Sequencer, shared: dict) -> None:
    """The engine's available() and toc() equal the original's, on this Sequencer (with
    the globals it wrote in memory) and on a fresh one over the stored state; asking
    changes neither the state nor the written globals."""
    before = (seq.state, seq.shared_changes)
    expected = old_available(tree, seq, shared)
    expected_toc = old_toc(tree, seq, shared, expected)
    assert seq.available() == expected
    assert seq.toc() == expected_toc
    assert (seq.state, seq.shared_changes) == before
    fresh = Sequencer(h.roundtrip(tree), h.roundtrip(seq.state), {**shared, **seq.shared_changes})
    assert fresh.toc() == expected_toc
    assert fresh.available() == expected


def random_data(rng: random.Random, tree: dict, item: str) -> dict:
    """Run-time data a SCO might report, sometimes ending (or suspending) its session."""
    data: dict = {}
    if rng.random() < 0.7:
        data["completion_status"] = rng.choice(
            ["completed", "incomplete", "not attempted", "unknown"]
        )
    if rng.random() < 0.7:
        data["success_status"] = rng.choice(["passed", "failed", "unknown"])
    if rng.random() < 0.5:
        data["score_scaled"] = rng.choice([-0.5, 0.0, 0.3, 0.6, 0.8, 1.0, None])
    if rng.random() < 0.3:
        data["progress_measure"] = rng.choice([0.0, 0.5, 1.0, None])
    objectives = Tree(tree).seq(item)["objectives"]
    if len(objectives) > 1 and rng.random() < 0.5:
        entry = {"id": rng.choice(objectives)["id"]}
        entry["success_status"] = rng.choice(["passed", "failed", "unknown"])
        data["objectives"] = [entry]
    if rng.random() < 0.6:
        data["session_ended"] = True
        if rng.random() < 0.3:
            data["exit"] = "suspend"
    return data


def random_walk(tree: dict, seed: int, steps: int, shared: dict | None = None) -> None:
    """Drive one Sequencer with random navigation requests and reports, comparing after
    every step."""
    rng = random.Random(seed)
    shared = shared or {}
    seq = Sequencer(h.roundtrip(tree), None, shared)
    leaves = [ident for ident in items(tree) if Tree(tree).is_leaf(ident)]
    assert_same(tree, seq, shared)
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.45:
            name = rng.choice(NAV_REQUESTS)
            target = rng.choice(items(tree)) if name in ("choice", "jump") else None
            seq.navigate(name, target)
        elif roll < 0.85 and seq.current is not None:
            seq.report(seq.current, random_data(rng, tree, seq.current))
        elif leaves:
            item = rng.choice(leaves)
            seq.report(item, random_data(rng, tree, item))
        if rng.random() < 0.2:  # the LMS stores the state and builds a new Sequencer
            shared = {**shared, **seq.shared_changes}
            seq = Sequencer(h.roundtrip(tree), h.roundtrip(seq.state), shared)
        assert_same(tree, seq, shared)


def scripted(tree: dict, shared: dict | None = None) -> None:
    """The usual life of a learner: start, continue, choose, report, suspend, resume,
    exit all, and start again, comparing after each step."""
    shared = shared or {}
    seq = Sequencer(h.roundtrip(tree), None, shared)
    assert_same(tree, seq, shared)
    steps = [("start",), ("report", h.PASSED), ("continue",), ("report", h.FAILED)]
    steps += [("choice", -1), ("report", {"score_scaled": 0.9}), ("end", h.PASSED)]
    steps += [("continue",), ("suspendAll",), ("resumeAll",), ("choice", 0), ("end", {})]
    steps += [("previous",), ("exitAll",), ("start",), ("abandonAll",), ("start",)]
    for step in steps:
        name = step[0]
        if name in ("report", "end"):
            if seq.current is not None:
                ended = {"session_ended": True} if name == "end" else {}
                seq.report(seq.current, {**step[1], **ended})
        elif name == "choice":
            seq.navigate("choice", items(tree)[step[1]])
        else:
            seq.navigate(name)
        assert_same(tree, seq, shared)


_CONDITIONS = ["always", "satisfied", "completed", "attempted", "attemptLimitExceeded"]
_CONDITIONS += ["objectiveStatusKnown", "activityProgressKnown"]


def _rule(rng: random.Random, action: str) -> dict:
    """A random sequencing rule with that action."""
    return {
        "combination": rng.choice(["all", "any"]),
        "conditions": [
            {
                "condition": rng.choice(_CONDITIONS),
                "operator": rng.choice(["noOp", "not"]),
                "objective": None,
                "threshold": 0.0,
            }
        ],
        "action": action,
    }


def varied(tree: dict, seed: int) -> dict:
    """A copy of the tree with random control modes, constrained choice, attempt limits
    and sequencing rules."""
    rng = random.Random(seed)
    tree = copy.deepcopy(tree)
    stack = [tree["root"]]
    while stack:
        node = stack.pop()
        stack.extend(node["children"])
        seq = node["seq"]
        control = seq["controlMode"]
        control["choice"] = rng.random() < 0.8
        control["flow"] = rng.random() < 0.7
        control["forwardOnly"] = rng.random() < 0.2
        control["choiceExit"] = rng.random() < 0.8
        considerations = seq["constrainedChoiceConsiderations"]
        considerations["constrainChoice"] = rng.random() < 0.2
        considerations["preventActivation"] = rng.random() < 0.2
        seq["limitConditions"]["attemptLimit"] = rng.choice([None, None, 1, 2])
        rules = seq["sequencingRules"]
        for action in ("disabled", "hiddenFromChoice", "skip", "stopForwardTraversal"):
            if rng.random() < 0.15:
                rules["pre"].append(_rule(rng, action))
        for action in ("retry", "continue", "previous", "exitParent", "exitAll", "retryAll"):
            if rng.random() < 0.05:
                rules["post"].append(_rule(rng, action))
        if rng.random() < 0.1:
            rules["exit"].append(_rule(rng, "exit"))
        if rng.random() < 0.1:
            node["visible"] = False
    return tree


@pytest.fixture(scope="module")
def q1_trees(tmp_path_factory):
    """The activity trees of the Q1 modules and the fixture module (SCORM 2004)."""
    trees = []
    sources = [
        ROOT / "content" / "q1",
        Path(__file__).resolve().parent / "content_fixture" / "valid",
    ]
    for index, source in enumerate(sources):
        out = tmp_path_factory.mktemp(f"q1-fast-{index}")
        for package in build_packages(source, out, standards=("2004",)):
            with zipfile.ZipFile(package.path) as archive:
                trees.append(build_tree(parse_manifest(archive.read("imsmanifest.xml"))))
    return trees


def _all_small_trees() -> list[tuple[str, dict]]:
    """The hand-written fixture trees and the golf sample packages."""
    trees = [(name, h.fixture_tree(name)) for name in FIXTURES]
    trees += [(name, h.package_tree(name)) for name in PACKAGES]
    return trees


@pytest.mark.parametrize("name", FIXTURES + PACKAGES)
def test_scripted_learner(name):
    """Start, continue, choice, reports, suspend, resume, exit all on every test tree."""
    tree = dict(_all_small_trees())[name]
    scripted(tree)
    if tree.get("objectives_global_to_system", True):
        # globals another course wrote, as the LMS passes them in
        shared = {"g-other": {"satisfied": True, "measure": 0.9}}
        scripted(tree, shared)


@pytest.mark.parametrize("name", FIXTURES + PACKAGES)
def test_random_learner(name):
    """Random navigation and reports on every test tree."""
    tree = dict(_all_small_trees())[name]
    for seed in range(3):
        random_walk(tree, seed, steps=30)


@pytest.mark.parametrize("name", FIXTURES + PACKAGES)
def test_random_learner_on_varied_trees(name):
    """Random control modes, constrained choice, limits and rules, random learners."""
    tree = dict(_all_small_trees())[name]
    for seed in range(6):
        random_walk(varied(tree, seed), 100 + seed, steps=25)


def test_q1_modules(q1_trees):
    """The Q1 modules the project builds, scripted and random learners."""
    for index, tree in enumerate(q1_trees):
        scripted(tree)
        random_walk(tree, index, steps=20)
        random_walk(varied(tree, index), index, steps=15)


def test_generated_locked_courses():
    """The benchmark's generated courses (each SCO locked until the one before is
    satisfied): never started, halfway, suspended, resumed, exited, finished."""
    bench = _bench_module()
    small = build_tree(parse_manifest(bench.flat_manifest(25)))
    scripted(small)
    random_walk(small, 7, steps=30)
    tree = build_tree(parse_manifest(bench.flat_manifest(100)))
    seq = Sequencer(tree)
    assert_same(tree, seq, {})
    state, current = bench.halfway(tree)
    seq = Sequencer(tree, state)
    assert_same(tree, seq, {})
    seq.report(current, bench.PASSED)
    assert_same(tree, seq, {})
    seq.navigate("suspendAll")
    assert_same(tree, seq, {})
    seq.navigate("resumeAll")
    seq.navigate("choice", "i3")
    assert_same(tree, seq, {})
    seq.navigate("exitAll")
    assert_same(tree, seq, {})
    seq.navigate("start")
    for item in items(tree)[:-1]:
        seq.report(seq.current, bench.PASSED)
        assert seq.navigate("continue").deliver != item
    assert_same(tree, seq, {})
    seq.report(seq.current, bench.PASSED)
    assert_same(tree, seq, {})


def test_delivery_environment_check_of_a_dry_run():
    """A stored state whose current attempt is still active although the content ended it
    reaches DB.2's own refusal (the termination skips End Attempt): dry runs must refuse
    exactly where navigate() does."""
    tree = h.fixture_tree("forward_only")
    seq = Sequencer(tree)
    seq.navigate("start")
    state = seq.state
    state["ended"] = True
    seq = Sequencer(tree, state)
    assert seq.navigate("continue").error == "DB.2-1"
    assert_same(tree, Sequencer(tree, state), {})
    assert Sequencer(tree, state).available()["continue"] is False
