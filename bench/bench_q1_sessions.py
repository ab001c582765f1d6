"""Counting a Q1 report's sessions: the counted column against reading each attempt's state.

Runs, on an existing database (e.g. bench/national.py's), the report's session count for every
registration of every package two ways in the same process, each ``-n`` times:
- *state*: summing the session counter inside each attempt's JSON state (what the report and
  its CSV did before ``q1_sco_attempts.sessions``; on PostgreSQL every state is parsed);
- *column*: summing ``q1_sco_attempts.sessions`` (what they do now).
Prints p50 per way, the ratio, and whether both give the same counts.

    python bench/bench_q1_sessions.py --db postgresql://postgres@127.0.0.1/lotse_national [-n 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from lotse_lms.modules.q1.models import ScoAttempt  # noqa: E402


def counts(conn, measure):
    """{(registration, version, item): sessions} over every SCO attempt, summed by ``measure``."""
    query = (
        sa.select(
            ScoAttempt.registration_id,
            ScoAttempt.version_id,
            ScoAttempt.item_id,
            sa.func.sum(measure),
        )
        .where(ScoAttempt.is_asset.is_(False))
        .group_by(ScoAttempt.registration_id, ScoAttempt.version_id, ScoAttempt.item_id)
    )
    return {(r, v, i): n for r, v, i, n in conn.execute(query)}


def main():
    """Parse the options, time both ways, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (sqlite:///… or postgresql://…)")
    parser.add_argument("-n", type=int, default=5, help="runs per way")
    args = parser.parse_args()
    url = args.db.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url)
    ways = {
        "state": sa.func.coalesce(ScoAttempt.state["session"].as_integer(), 1),
        "column": ScoAttempt.sessions,
    }
    results, times = {}, {}
    with engine.connect() as conn:
        attempts = conn.execute(sa.select(sa.func.count()).select_from(ScoAttempt)).scalar()
        print(f"{engine.dialect.name}: {attempts} attempts, {args.n} runs per way")
        for name, measure in ways.items():
            runs = []
            for _ in range(args.n):
                started = time.perf_counter()
                results[name] = counts(conn, measure)
                runs.append(time.perf_counter() - started)
            times[name] = statistics.median(runs)
            print(f"  {name:<7} p50 {times[name] * 1000:9.1f} ms", flush=True)
    print(f"  column / state: {times['column'] / times['state']:.3f}")
    print(f"  same counts: {results['state'] == results['column']}")
    engine.dispose()


if __name__ == "__main__":
    main()
