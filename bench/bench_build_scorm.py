"""Speed of the SCORM build: all Q1 modules in both versions, N times.

Prints seconds per full build and per package, and a baseline measured in the same process:
zipping the same module source files (Markdown, YAML, images) deterministically without
loading, checking, rendering or validating anything. The ratio says what the build adds.

    python bench/bench_build_scorm.py [--content content/q1] [-n 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lotse_lms.scorm.build import STANDARDS, build_packages, load_q1  # noqa: E402
from lotse_lms.scorm.build.zipper import write_zip  # noqa: E402


def baseline(content: Path, out: Path) -> int:
    """Zip each module's source files once per standard without any processing; return the count."""
    count = 0
    for module in sorted(p for p in content.iterdir() if (p / "module.md").exists()):
        entries = {
            f.relative_to(module).as_posix(): f.read_bytes()
            for f in sorted(module.rglob("*"))
            if f.is_file()
        }
        for standard in STANDARDS:
            write_zip(out / f"{module.name}-{standard}.zip", entries)
            count += 1
    return count


def timed(func, runs: int) -> list[float]:
    """Wall-clock seconds of each of runs calls of func."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content" / "q1")
    parser.add_argument("-n", "--runs", type=int, default=5)
    args = parser.parse_args(argv)
    modules = load_q1(args.content)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        packages = build_packages(args.content, out / "cold")
        cold = time.perf_counter() - start  # includes loading the XSDs once
        build = timed(lambda: build_packages(args.content, out / "warm"), args.runs)
        count = len(packages)
        base = timed(lambda: baseline(args.content, out / "base"), args.runs)
    size = sum(p.bytes for p in packages)
    b, z = statistics.median(build), statistics.median(base)
    print(
        f"SCORM build: {len(modules)} modules × {len(STANDARDS)} versions = {count} packages, {size / 1024:.0f} KiB"
    )
    print(f"first build (loads the XSDs): {cold:.3f} s")
    print(
        f"full build, median of {args.runs}: {b:.3f} s  ({b / count * 1000:.1f} ms per package; "
        f"min {min(build):.3f} s, max {max(build):.3f} s)"
    )
    print(
        f"baseline (zip the sources only), median: {z:.3f} s  ({z / count * 1000:.1f} ms per package)"
    )
    print(f"ratio build / baseline: {b / z:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
