"""The sequencing engine on the SCORM 2004 packages the project builds for Q1."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lotse_lms.scorm.build import build_packages
from lotse_lms.scorm.manifest import parse_manifest
from lotse_lms.scorm.sequencing import build_tree
from tests.scorm.sequencing_fixtures import harness as h

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "content" / "q1", Path(__file__).resolve().parent / "content_fixture" / "valid"]
CHECK = "item-check"
DONE = {"completion_status": "completed"}


@pytest.fixture(scope="module")
def q1_trees(tmp_path_factory):
    """The activity trees of every Q1 module (and the fixture module), SCORM 2004 only."""
    trees = {}
    for index, source in enumerate(SOURCES):
        out = tmp_path_factory.mktemp(f"q1-{index}")
        for package in build_packages(source, out, standards=("2004",)):
            with zipfile.ZipFile(package.path) as archive:
                manifest = parse_manifest(archive.read("imsmanifest.xml"))
            assert manifest.edition == "2004 4th Edition"
            trees[package.module_id] = build_tree(manifest)
    assert {"beispiel", "tools-methoden", "technik", "megatrends"} <= set(trees)
    return trees


def _items(tree: dict) -> list[str]:
    """The module's items in order (the check comes last)."""
    return [child["item"] for child in tree["root"]["children"]]


def _passing(tree: dict) -> float:
    """The check's minNormalizedMeasure (passing score / 100)."""
    check = next(c for c in tree["root"]["children"] if c["item"] == CHECK)
    (primary, *_others) = check["seq"]["objectives"]
    assert primary["satisfiedByMeasure"] is True
    return primary["minNormalizedMeasure"]


def test_q1_tree_shape(q1_trees):
    """The built Q1 manifests give the expected sequencing definitions."""
    for tree in q1_trees.values():
        items = _items(tree)
        assert items[0] == "item-intro" and items[-1] == CHECK
        control = tree["root"]["seq"]["controlMode"]
        assert control["choice"] and control["flow"]
        lesson = tree["root"]["children"][1]["seq"]
        assert lesson["rollupRules"]["rollupObjectiveSatisfied"] is False
        assert lesson["deliveryControls"]["completionSetByContent"] is True
        assert 0 < _passing(tree) <= 1


@pytest.mark.parametrize("module", ["beispiel", "tools-methoden", "technik", "megatrends"])
def test_q1_choice_continue_and_rollup(q1_trees, module):
    """Q1 modules: choice and continue work, the check decides satisfaction, all items completion."""
    tree = q1_trees[module]
    items = _items(tree)
    passing = _passing(tree)
    lea = h.Learner(tree)
    assert lea.selectable() == items
    assert lea.nav("start").deliver == "item-intro"
    assert lea.nav("continue").deliver == items[1]
    assert lea.available()["previous"] is True

    # the check decides satisfaction: failed first, then passed on a new attempt
    assert lea.nav("choice", CHECK).deliver == CHECK
    lea.finish(CHECK, {**DONE, "success_status": "passed", "score_scaled": passing - 0.05})
    assert lea.root()["satisfied"] is False
    assert lea.root()["measure"] == pytest.approx(passing - 0.05)
    assert lea.nav("choice", CHECK).deliver == CHECK
    lea.finish(CHECK, {**DONE, "success_status": "passed", "score_scaled": passing})
    assert lea.root()["satisfied"] is True
    assert lea.root()["completed"] is None  # the lessons are not completed yet

    # completion needs every item completed
    assert lea.nav("choice", "item-intro").deliver == "item-intro"
    for item in items[:-1]:
        assert lea.current == item
        assert lea.root()["completed"] is not True
        lea.finish(item, DONE)
        assert lea.nav("continue").deliver == items[items.index(item) + 1]
    assert lea.root() == {"completed": True, "satisfied": True, "measure": pytest.approx(passing)}
    end = lea.nav("continue")
    assert (end.ok, end.ended) == (True, True)


def test_q1_suspended_lesson_resumes_its_attempt(q1_trees):
    """A suspended Q1 lesson resumes in its attempt."""
    tree = q1_trees["beispiel"]
    lea = h.Learner(tree)
    lea.nav("start")
    lea.finish("item-intro", {"completion_status": "incomplete"}, exit="suspend")
    assert lea.toc()["item-intro"]["completed"] is False
    assert lea.nav("suspendAll").ended
    assert lea.nav("resumeAll").deliver == "item-intro"
    assert lea.activity("item-intro")["attempts"] == 1
