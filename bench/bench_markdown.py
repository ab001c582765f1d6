"""Rendering Markdown that people type: pathological texts against ordinary prose.

Prints the time of one first rendering (HTML and PDF tokens) of three fields of
10,000 "![" (the penetration test's reflecting-team case) and of other marker floods,
as a ratio to ordinary prose of the same length, and the time of a second rendering.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lotse_lms.core import markdown  # noqa: E402

PROSE = "Ein ganz normaler Absatz mit **fett**, einem [Link](https://x.de) und _kursiv_.\n\n"


def timed(function, text):
    """Seconds of one call."""
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def main():
    """Print one line per text."""
    size = 20_000
    baseline_text = (PROSE * (size // len(PROSE) + 1))[:size]
    base = timed(markdown.render_safe, baseline_text)
    print(f"ordinary prose, {size} chars: {base * 1000:.0f} ms (baseline)")
    for marker in ("![", "[", "*a", "[a](", "_a"):
        text = (marker * size)[:size]
        first = timed(markdown.render_safe, text)
        pdf = timed(markdown.parse, text)
        again = timed(markdown.render_safe, text)
        print(
            f"{marker!r:8} x{size // len(marker):>6}: first {first * 1000:6.0f} ms "
            f"(ratio {first / base:4.2f}), tokens for the PDF {pdf * 1000:5.0f} ms, "
            f"again {again * 1e6:5.0f} us"
        )


if __name__ == "__main__":
    main()
