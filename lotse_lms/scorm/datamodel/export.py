"""Export the element tables as JSON for runtime-api.js.

python -m lotse_lms.scorm.datamodel.export          # rewrite the JSON files
python -m lotse_lms.scorm.datamodel.export --check  # exit 1 when they are stale
"""

import json
import sys
from pathlib import Path

from .tables import TABLES

STATIC = Path(__file__).resolve().parent.parent / "static"
FILES = {"1.2": "datamodel-12.json", "2004": "datamodel-2004.json"}


def table_json(version):
    """Return the element table of version as deterministic JSON text."""
    return json.dumps(TABLES[version], indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def stale_files(directory=STATIC):
    """Return the JSON files in directory whose content differs from the Python tables."""
    stale = []
    for version, filename in FILES.items():
        path = Path(directory) / filename
        if not path.exists() or path.read_text(encoding="utf-8") != table_json(version):
            stale.append(path)
    return stale


def write_files(directory=STATIC):
    """Write both JSON tables into directory; return the paths written."""
    paths = []
    for version, filename in FILES.items():
        path = Path(directory) / filename
        path.write_text(table_json(version), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None):
    """Command line entry: write the tables, or check them with --check."""
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path}")
        return 1 if stale else 0
    for path in write_files():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
