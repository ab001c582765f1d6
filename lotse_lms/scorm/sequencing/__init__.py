"""SCORM 2004 Sequencing and Navigation (4th edition semantics) as plain Python.

`build_tree(manifest)` turns a parsed manifest into a JSON-able activity tree with full
sequencing definitions; `Sequencer(tree, state, shared)` runs the SN processes on a
learner's JSON state: navigation requests, termination, rollup, sequencing and delivery,
plus the run-time data mapping (`report`). See /work/seq_contract.md for the API.
"""

from .definition import build_tree
from .engine import NavResult, Sequencer
from .navigation import NAV_REQUESTS

__all__ = ["NAV_REQUESTS", "NavResult", "Sequencer", "build_tree"]
