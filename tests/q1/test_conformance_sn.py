"""SCORM 2004 4th Edition sequencing conformance in Q1 (issue 18, points 6-15). Each test
builds a small package and drives it like a learner through navigation, the SCO's API
calls and the commit path, and checks delivered activities, statuses and rollup."""

import pytest
from conformance import Learner, build, item

FLOW = '<imsss:controlMode choice="true" flow="true"/>'
PASSED = (("cmi.completion_status", "completed"), ("cmi.success_status", "passed"))
FAILED = (("cmi.completion_status", "completed"), ("cmi.success_status", "failed"))


def primary(ident, maps="", others=""):
    """imsss:objectives with a primary objective (its map infos) and further objectives."""
    return (
        f'<imsss:objectives><imsss:primaryObjective objectiveID="{ident}">{maps}'
        f"</imsss:primaryObjective>{others}</imsss:objectives>"
    )


def map_info(target, *flags):
    """An imsss:mapInfo; every read/write flag off except the ones named."""
    names = (
        "readSatisfiedStatus",
        "readNormalizedMeasure",
        "writeSatisfiedStatus",
        "writeNormalizedMeasure",
    )
    attrs = "".join(f' {name}="{"true" if name in flags else "false"}"' for name in names)
    return f'<imsss:mapInfo targetObjectiveID="{target}"{attrs}/>'


@pytest.fixture
def user(make_user):
    """A participant."""
    return make_user("participant", name="Lena Lotsin")


def course(tmp_path, user, body, org_sequencing=FLOW, org_attrs="", name="kurs"):
    """A learner of a package built from ``body``."""
    return Learner(user, build(tmp_path, name, body, org_sequencing, org_attrs))


def test_6_a_global_objective_change_rolls_up_the_readers_clusters(tmp_path, user):
    writes = primary("pa", map_info("urn:g", "writeSatisfiedStatus"))
    reads = primary("pb", map_info("urn:g", "readSatisfiedStatus"))
    body = item("A", FLOW, item("a1", writes)) + item("B", FLOW, item("b1", reads))
    lea = course(tmp_path, user, body)
    assert lea.nav("start") == "a1"
    lea.terminate(*PASSED)
    # b1 reads the global a1 wrote: B (never entered) and the root roll up at once
    assert lea.status("b1") == (None, True)
    assert lea.status("B") == (None, True)
    assert lea.root()["satisfied"] is True
