"""Build the Q1 Markdown modules (content/q1) into SCORM 1.2 and SCORM 2004 4th Edition zips.

Package design (one zip per module and standard):

- Multi-SCO. The module introduction, every lesson and the knowledge check are each one
  SCO and one item of the single organization. The LMS's table of contents then lists the
  lessons, every lesson keeps its own bookmark and completion (resume works per lesson), and
  a learner can leave after any lesson. A single SCO with its own navigation would hide the
  structure from the LMS and mix all bookmarks into one suspend-data string.
- One asset resource ("res-shared") holds what all pages share: shared/lotse.css,
  shared/sco.js, shared/quiz.js and the module's images; every SCO resource lists its own
  HTML page and depends on the asset. No file is loaded from outside the package.
- The knowledge check scores itself in the browser and reports raw/min/max (and scaled in
  2004), passed/failed and one choice interaction per question. SCORM 1.2 gets
  adlcp:masteryscore on the check's item; SCORM 2004 gets a primary objective that is
  satisfied by measure (minNormalizedMeasure = passing score / 100); lessons are left out of
  the satisfaction rollup so the module's success is the check's.
- Links between lessons open the target page in a new window in "reference view"
  (?ansicht=referenz): a SCO must not replace itself with another SCO, and the reference
  page does not open a second LMS session.
- Every manifest is validated against the shipped XSDs during the build; the schema files
  the manifest names (and what they import) sit at the package root.
- Zips are deterministic (sorted entries, fixed time stamps and modes, fixed compression),
  so the same content gives byte-identical packages and a stable sha256.

Entry points: `build_packages(...)`, `load_q1(...)`, and `python -m lotse_lms.scorm.build`.
"""

from .content import load_module, load_q1
from .model import ContentError, Problem
from .packaging import STANDARDS, BuildError, BuiltPackage, build_module_package, build_packages

__all__ = [
    "STANDARDS",
    "BuildError",
    "BuiltPackage",
    "ContentError",
    "Problem",
    "build_module_package",
    "build_packages",
    "load_module",
    "load_q1",
]
