"""Sign-in cost for known and unknown addresses (account enumeration by timing).

Signs in through the real login form (test client, SQLite, the production scrypt
parameters) with a wrong password for a known address and for an unknown one, and prints
milliseconds per attempt and their ratio; near 1.0 means the answer time does not tell
whether an account exists. The baseline is a GET of the login page in the same run.

    python bench/bench_login.py [-n 30]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lotse_lms import create_app  # noqa: E402
from lotse_lms.accounts.operations import create_user  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402


def _timed(fn, n):
    """Median milliseconds of ``n`` calls of ``fn``."""
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    """Run the bench and print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lotse-bench-login-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "SECRET_KEY": "bench",
            "DATA_DIR": str(tmp / "data"),
            "LOGIN_LIMIT_PER_CLIENT": "100000 per minute",
            "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        },
        instance_path=tmp / "instance",
        environ={},
    )
    with app.app_context():
        db.create_all()
        secret = "richtig-geheim"  # noqa: S105 - a bench account
        create_user("bekannt@example.org", "Bekannt", ["participant"], password=secret)
        db.session.commit()
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    def attempt(email):
        data = {"email": email, "password": "falsch-falsch", "csrf_token": token}
        return lambda: client.post("/login", data=data)

    page = _timed(lambda: client.get("/login"), args.n)
    known = _timed(attempt("bekannt@example.org"), args.n)
    unknown = _timed(attempt("unbekannt@example.org"), args.n)
    print(f"GET /login (baseline)          {page:8.1f} ms")
    print(f"wrong password, known address  {known:8.1f} ms")
    print(f"wrong password, unknown address{unknown:8.1f} ms")
    print(f"ratio unknown/known            {unknown / known:8.2f}")


if __name__ == "__main__":
    main()
