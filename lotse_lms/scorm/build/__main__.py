"""Command line: python -m lotse_lms.scorm.build [--content DIR] [--out DIR] [--standard 1.2|2004|all]."""

from __future__ import annotations

import argparse
import sys

from .model import ContentError
from .packaging import STANDARDS, BuildError, build_packages

STEPS = {
    "render": "Seiten erzeugen",
    "manifest": "Manifest schreiben",
    "validate": "Manifest prüfen",
    "zip": "Paket packen",
    "done": "fertig",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="lotse-lms build-scorm",
        description="Baut die Q1-Module als SCORM-1.2- und SCORM-2004-Pakete.",
    )
    parser.add_argument(
        "--content", default="content/q1", help="Ordner mit den Modulen (Standard: content/q1)"
    )
    parser.add_argument(
        "--out", default="dist/scorm", help="Zielordner der Pakete (Standard: dist/scorm)"
    )
    parser.add_argument(
        "--standard",
        choices=[*STANDARDS, "all"],
        default="all",
        help="SCORM-Version (Standard: all)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the packages, print progress; return 1 with file:line messages on content errors."""
    args = parse_args(argv)
    standards = STANDARDS if args.standard == "all" else (args.standard,)

    def progress(module_id: str, standard: str, step: str) -> None:
        """Print one progress line."""
        print(f"[{module_id} · SCORM {standard}] {STEPS.get(step, step)}", flush=True)

    try:
        built = build_packages(args.content, args.out, standards, progress)
    except ContentError as exc:
        print(f"Der Inhalt hat {len(exc.problems)} Fehler:", file=sys.stderr)
        for message in exc.messages:
            print(message, file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"Paket fehlerhaft: {exc}", file=sys.stderr)
        return 2
    for package in built:
        print(f"{package.path}  {package.bytes} Bytes  sha256 {package.sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
