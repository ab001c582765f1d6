"""A learner driving a small SCORM 2004 package built in the test (conftest registers this
module as ``conformance``): navigation requests through sequencing.navigate(), the SCO's
API calls through the Python run-time (the twin of runtime-api.js) and its commits
through the real commit path, as the player, the host page and the SCO do."""

import zipfile

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import commits, packages, sequencing
from lotse_lms.modules.q1.models import GlobalObjective, ScoAttempt
from lotse_lms.scorm.datamodel import Runtime, client_state

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{ident}" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"{org_attrs}><title>Kurs</title>
"""
TAIL = """  </organization></organizations>
  <resources><resource identifier="sco-res" type="webcontent" adlcp:scormType="sco" href="sco.html">
    <file href="sco.html"/></resource></resources>
</manifest>"""
SCO = "<!doctype html><title>SCO</title><script>/* minimal SCO */</script>"


def item(ident, sequencing_xml="", children="", title=None, extra=""):
    """An <item>: a SCO leaf (no children) or a cluster; ``extra`` goes before its
    sequencing (adlcp:completionThreshold, ...)."""
    ref = "" if children else ' identifierref="sco-res"'
    seq = f"<imsss:sequencing>{sequencing_xml}</imsss:sequencing>" if sequencing_xml else ""
    head = f'<item identifier="{ident}"{ref}><title>{title or ident}</title>'
    return f"{head}{children}{extra}{seq}</item>"


def build(tmp_path, ident, body, org_sequencing="", org_attrs=""):
    """Import a package whose organization holds ``body`` (items) and ``org_sequencing``."""
    manifest = HEAD.format(ident=ident, org_attrs=org_attrs) + body
    if org_sequencing:
        manifest += f"<imsss:sequencing>{org_sequencing}</imsss:sequencing>"
    manifest += TAIL
    path = tmp_path / f"{ident}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr("sco.html", SCO)
    return packages.import_package(path)


class Learner:
    """One learner in one package: navigation, the delivered SCO's run-time, commits."""

    def __init__(self, user, version):
        """No SCO launched yet."""
        self.user, self.version = user, version
        self.attempt = None
        self.runtime = None
        self.sequence = None

    def nav(self, request, target=None):
        """Send a navigation request like the player; returns the delivered item or None
        (and the Navigation as .outcome). A delivered SCO is initialised (Initialize)."""
        self.outcome = sequencing.navigate(self.user, self.version, request, target)
        db.session.commit()
        assert self.outcome.ok, self.outcome.message
        if self.outcome.launch is None:
            self.attempt = self.runtime = None
            return None
        self.attempt = self.outcome.launch.attempt
        state = self.attempt.state
        self.runtime = Runtime(client_state(state))
        assert self.runtime.call("Initialize", "") == "true"
        self.sequence = state["sequence"]
        return self.attempt.item_id

    def get(self, name):
        """GetValue of the launched SCO."""
        return self.runtime.call("GetValue", name)

    def set(self, *pairs):
        """SetValue calls of the launched SCO (each must succeed)."""
        for name, value in pairs:
            assert self.runtime.call("SetValue", name, value) == "true", (name, value)

    def commit(self, terminated=False):
        """Send what the SCO set since the last commit through the commit path."""
        state = self.attempt.state
        self.sequence += 1
        payload = {
            "protocol": 1,
            "version": "2004",
            "attempt": state["attempt"],
            "session": state["session"],
            "sequence": self.sequence,
            "calls": self.runtime.calls,
            "terminated": terminated,
            "unload": False,
        }
        row = self.attempt
        ident = (row.id, row.user_id, row.version_id, row.item_id, row.attempt)
        result = commits.commit_attempt(ident, payload)
        self.runtime.calls = []
        db.session.expire_all()
        return result

    def terminate(self, *pairs):
        """SetValue the pairs, Terminate and commit (the host page's last commit)."""
        self.set(*pairs)
        assert self.runtime.call("Terminate", "") == "true"
        return self.commit(terminated=True)

    def objectives(self):
        """cmi.objectives as the SCO reads it: [(id, success, completion, scaled), ...]."""
        count = int(self.get("cmi.objectives._count"))
        rows = []
        for n in range(count):
            scaled = self.runtime.call("GetValue", f"cmi.objectives.{n}.score.scaled")
            rows.append(
                (
                    self.get(f"cmi.objectives.{n}.id"),
                    self.get(f"cmi.objectives.{n}.success_status"),
                    self.get(f"cmi.objectives.{n}.completion_status"),
                    scaled or None,
                )
            )
        return rows

    def sequencer(self):
        """The learner's Sequencer as stored now."""
        db.session.expire_all()
        return sequencing.sequencer_for(self.user, self.version)

    def status(self, item_id):
        """(completed, satisfied) of an activity from the sequencer's TOC; None = unknown."""
        entry = self.sequencer().toc()[item_id]
        return entry["completed"], entry["satisfied"]

    def root(self):
        """The course's rolled-up status."""
        return self.sequencer().root_status()

    def attempts(self, item_id):
        """The run-time attempt rows of an item: [(attempt number, entry), ...]."""
        rows = db.session.scalars(
            db.select(ScoAttempt)
            .where(ScoAttempt.user_id == self.user.id, ScoAttempt.item_id == item_id)
            .order_by(ScoAttempt.attempt)
        ).all()
        return [r.attempt for r in rows]

    def global_objective(self, objective_id):
        """The learner's stored system-wide global objective (satisfied, measure) or None."""
        row = db.session.scalar(
            db.select(GlobalObjective).where(
                GlobalObjective.user_id == self.user.id,
                GlobalObjective.objective_id == objective_id,
            )
        )
        return None if row is None else (row.satisfied, row.measure)
