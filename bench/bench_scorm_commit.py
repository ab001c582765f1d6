"""Speed of the SCORM commit endpoint under gunicorn (2 workers), beside an empty baseline.

For SQLite and PostgreSQL, with 1, 8 and 32 concurrent simulated learners (each its own
SCO attempt and run-time token, committing location, 1 KB suspend data and session time in
a loop, as runtime-api.js does), it prints commits per second, p50/p95 latency and the
ratio to a baseline measured in the same run: the same server answering an empty JSON
POST. Loopback only; every run stops by itself after --seconds.

    python bench/bench_scorm_commit.py [--db sqlite,postgresql] [--seconds 4] [--levels 1,8,32]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/lotse_bench"
MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Bench</title>
    <item identifier="item" identifierref="res"><title>Bench-SCO</title></item>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormType="sco" href="sco.html">
    <file href="sco.html"/></resource></resources>
</manifest>"""
WSGI = '''
import json, os
from lotse_lms import create_app
from lotse_lms.extensions import csrf
app = create_app(json.loads(os.environ["BENCH_CONFIG"]), instance_path=os.environ["BENCH_INSTANCE"], environ={})

@app.post("/bench/empty")
@csrf.exempt
def bench_empty():
    """Baseline: the same app answering an empty JSON request."""
    return {}
'''


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(config, instance, learners):
    """Create the schema, learners, a package and one launched attempt per learner."""
    from lotse_lms import create_app
    from lotse_lms.accounts.operations import create_user
    from lotse_lms.extensions import db
    from lotse_lms.modules.q1 import operations
    from lotse_lms.modules.q1.tokens import runtime_token

    if config["DATABASE_URL"].startswith("postgresql"):
        ensure_pg_database(config["DATABASE_URL"])
    app = create_app(config, instance_path=instance, environ={})
    with app.app_context():
        db.drop_all()
        db.create_all()
        package = Path(config["DATA_DIR"]).parent / "bench.zip"
        with zipfile.ZipFile(package, "w") as zf:
            zf.writestr("imsmanifest.xml", MANIFEST)
            zf.writestr("sco.html", b"<!doctype html><title>SCO</title>")
        version = operations.import_package(package)
        attempts = []
        for index in range(learners):
            user = create_user(
                f"learner{index}@bench.example", f"Learner {index}", roles=["participant"]
            )
            started = operations.launch_item(user, version, "item")
            db.session.commit()
            state = started.attempt.state
            ATTEMPT_IDS[runtime_token(started.attempt)] = started.attempt.id
            attempts.append(
                (
                    runtime_token(started.attempt),
                    state["attempt"],
                    state["session"],
                    state["sequence"],
                )
            )
        db.engine.dispose()
    return attempts


#: Run-time token -> attempt row id, to check afterwards what the server stored.
ATTEMPT_IDS = {}


def check_stored(url, stored):
    """Fail loudly unless every learner's last accepted commit is what the row holds."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        for token, sequence in stored.items():
            row = conn.execute(
                sa.text("SELECT sequence, state FROM q1_sco_attempts WHERE id = :id"),
                {"id": ATTEMPT_IDS[token]},
            ).one()
            state = row.state if isinstance(row.state, dict) else json.loads(row.state)
            if sequence is not None and (row.sequence, state["sequence"]) != (sequence, sequence):
                raise SystemExit(f"commit {sequence} was answered 200 but not stored: {row}")
    engine.dispose()


def ensure_pg_database(url):
    """Create the bench database if it does not exist."""
    import sqlalchemy as sa

    server, _sep, name = url.rpartition("/")
    engine = sa.create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def request_bytes(host, path, body):
    """A complete HTTP/1.1 POST with Connection: close."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def send(port, data):
    """Send one request on a new connection; return the status code."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return int(b"".join(chunks)[9:12] or 0)


def learner_loop(port, kind, learner, until, out):
    """One simulated learner: commit (or hit the baseline) until the deadline."""
    token, attempt, session, sequence = learner
    latencies, errors, n, stored = [], 0, 0, None
    suspend = "s" * 1000
    while time.perf_counter() < until:
        n += 1
        if kind == "commit":
            sequence += 1
            body = json.dumps(
                {
                    "protocol": 1,
                    "version": "2004",
                    "attempt": attempt,
                    "session": session,
                    "sequence": sequence,
                    "terminated": False,
                    "unload": False,
                    "calls": [
                        ["cmi.location", f"seite-{n}"],
                        ["cmi.suspend_data", suspend + str(n)],
                        ["cmi.session_time", f"PT{n}S"],
                    ],
                }
            ).encode()
            data = request_bytes(f"localhost:{port}", f"/scorm-content/commit/{token}", body)
        else:
            data = request_bytes(f"127.0.0.1:{port}", "/bench/empty", b"{}")
        start = time.perf_counter()
        try:
            status = send(port, data)
        except OSError:
            status = 0
        latencies.append(time.perf_counter() - start)
        if status != 200:
            errors += 1
        elif kind == "commit":
            stored = sequence
    out.append((latencies, errors, (token, stored)))


def client_process(args):
    """A client process running its share of learners as threads."""
    port, kind, learners, until = args
    out, threads = [], []
    for learner in learners:
        thread = threading.Thread(target=learner_loop, args=(port, kind, learner, until, out))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return out


def measure(port, kind, learners, seconds):
    """Run len(learners) concurrent clients for ``seconds``; return rate, p50, p95, errors."""
    processes = min(len(learners), 2)
    until = time.perf_counter() + seconds + 0.5  # deadline in this process's clock ...
    shares = [learners[i::processes] for i in range(processes)]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(client_process, [(port, kind, share, until) for share in shares])
    elapsed = time.perf_counter() - start
    latencies = sorted(lat for part in results for lats, _e, _s in part for lat in lats)
    errors = sum(e for part in results for _l, e, _s in part)
    stored = dict(s for part in results for _l, _e, s in part)
    count = len(latencies)
    return {
        "rate": (count - errors) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(count * 0.95) - 1] * 1000,
        "errors": errors,
        "count": count,
        "stored": stored,
    }


def start_server(workdir, config, instance, port):
    """Start gunicorn with 2 sync workers and wait until it answers."""
    (workdir / "bench_wsgi.py").write_text(WSGI)
    env = dict(
        os.environ,
        BENCH_CONFIG=json.dumps(config),
        BENCH_INSTANCE=str(instance),
        PYTHONPATH=f"{ROOT}:{workdir}",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "bench_wsgi:app",
        ],
        cwd=workdir,
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if send(port, request_bytes(f"127.0.0.1:{port}", "/bench/empty", b"{}")) == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def bench_database(name, url, levels, seconds, overrides=None):
    """Prepare, serve and measure one database; print one line per level."""
    workdir = Path(tempfile.mkdtemp(prefix=f"lotse-bench-{name}-"))
    port = free_port()
    config = {
        "DATABASE_URL": url or f"sqlite:///{workdir / 'bench.db'}",
        "DATA_DIR": str(workdir / "data"),
        "SECRET_KEY": "bench-secret",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "CONTENT_BASE_URL": f"http://localhost:{port}",
        **(overrides or {}),
    }
    instance = workdir / "instance"
    all_learners = prepare(config, instance, sum(levels))
    proc = start_server(workdir, config, instance, port)
    try:
        offset = 0
        for level in levels:
            learners = all_learners[offset : offset + level]
            offset += level
            base = measure(port, "baseline", learners, seconds)
            commit = measure(port, "commit", learners, seconds)
            check_stored(config["DATABASE_URL"], commit["stored"])
            print(
                f"{name:<10} {level:>3} learners | commits {commit['rate']:7.0f}/s  p50 {commit['p50']:6.2f} ms"
                f"  p95 {commit['p95']:6.2f} ms  errors {commit['errors']:>3} | baseline {base['rate']:7.0f}/s"
                f"  p50 {base['p50']:6.2f} ms  p95 {base['p95']:6.2f} ms | ratio {commit['rate'] / base['rate']:.2f}",
                flush=True,
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _setting(text):
    """KEY=VALUE as a config pair (the value read as JSON if it is JSON)."""
    key, _sep, value = text.partition("=")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def main():
    """Parse the options and run the benchmark for each database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("LOTSE_BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a configuration value for the server, e.g. SCORM_COMMIT_CACHE_SIZE=0",
    )
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    print(
        f"SCORM commit endpoint, gunicorn 2 sync workers, {os.cpu_count()} CPUs, {args.seconds:.0f} s per run"
    )
    for name in args.db.split(","):
        url = None if name == "sqlite" else args.pg_url
        bench_database(name, url, levels, args.seconds, dict(_setting(s) for s in args.set))


if __name__ == "__main__":
    main()
