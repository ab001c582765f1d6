"""Where the team's shared folder is: ``../shared`` beside the repository (as in CI),
or the folder LOTSE_SHARED_DIR names."""

import os
from pathlib import Path

SHARED = Path(os.environ.get("LOTSE_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
SCORM_FIXTURES = SHARED / "fixtures" / "scorm"
