"""Test harness for the sequencing engine: trees from manifests and a simulated LMS."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from lotse_lms.scorm.manifest import parse_manifest
from lotse_lms.scorm.sequencing import NavResult, Sequencer, build_tree
from tests.shared_dir import SCORM_FIXTURES

HERE = Path(__file__).resolve().parent
PACKAGES = SCORM_FIXTURES / "valid"
PASSED = {"completion_status": "completed", "success_status": "passed"}
FAILED = {"completion_status": "completed", "success_status": "failed"}


def fixture_tree(name: str) -> dict:
    """The activity tree of a hand-written manifest in this folder."""
    return build_tree(parse_manifest((HERE / f"{name}.xml").read_bytes()))


def package_tree(name: str) -> dict | None:
    """The activity tree of a fixture package (None for SCORM 1.2)."""
    with zipfile.ZipFile(PACKAGES / f"{name}.zip") as archive:
        return build_tree(parse_manifest(archive.read("imsmanifest.xml")))


def roundtrip(value: object) -> object:
    """Pass a value through JSON, as the LMS does between two requests."""
    return json.loads(json.dumps(value))


class Learner:
    """Drives a fresh Sequencer per call, storing state and globals as JSON in between."""

    def __init__(self, tree: dict, shared: dict | None = None) -> None:
        """Start a learner who never launched the course."""
        self.tree = roundtrip(tree)
        self.state: dict | None = None
        self.shared = roundtrip(shared or {})
        self.written: dict = {}

    def sequencer(self) -> Sequencer:
        """A Sequencer over the stored state, like the LMS builds one per request."""
        return Sequencer(self.tree, roundtrip(self.state), roundtrip(self.shared))

    def _store(self, seq: Sequencer) -> None:
        """Store the state and the written system-wide globals (as JSON)."""
        self.state = roundtrip(seq.state)
        changes = roundtrip(seq.shared_changes)
        self.shared.update(changes)
        self.written.update(changes)

    def nav(self, request: str, target: str | None = None) -> NavResult:
        """Send a navigation request; a refused one must leave the state untouched."""
        seq = self.sequencer()
        before = json.dumps(seq.state, sort_keys=True)
        result = seq.navigate(request, target)
        if not result.ok:
            assert json.dumps(seq.state, sort_keys=True) == before
            assert seq.shared_changes == {}
            assert result.error
        self._store(seq)
        return result

    def report(self, item: str, **data: object) -> None:
        """Report run-time data of the delivered SCO (a commit)."""
        seq = self.sequencer()
        seq.report(item, data)
        self._store(seq)

    def finish(self, item: str, data: dict | None = None, **more: object) -> None:
        """Report the SCO's final data and Terminate (session ended)."""
        self.report(item, **(data or {}), **more, session_ended=True)

    def available(self) -> dict:
        """What navigation requests are valid now."""
        return self.sequencer().available()

    def selectable(self) -> list[str]:
        """The items a choice request would deliver now, in tree order."""
        return [item for item, ok in self.available()["choice"].items() if ok]

    def toc(self) -> dict:
        """The table of contents state."""
        return self.sequencer().toc()

    def root(self) -> dict:
        """The course's rolled-up status."""
        return self.sequencer().root_status()

    @property
    def current(self) -> str | None:
        """The current activity's item id."""
        return self.sequencer().current

    def activity(self, item: str) -> dict:
        """The stored tracking record of an activity."""
        return self.state["activities"][item]
