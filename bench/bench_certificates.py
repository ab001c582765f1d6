"""Speed of certification: issuing N certificates in bulk (PDF + signed credential each) and
verifications per second, each with a baseline measured in the same run and printed as a ratio.

Baselines: for issuing, writing N bare certificate rows (no rules, PDF or signature) in the same
chunks; for verification, the bare Ed25519 check of the same JWS bytes (no parsing, claims or
database). Eligibility uses the two accounts rules (CERT_RULES=authorisation,workshop) so the
bench does not depend on the other areas' data.

    python bench/bench_certificates.py [-n 1000] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lotse_lms import create_app  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402


def make_people(n, staff):
    """N participants with verified authorisation and workshop records (no passwords: fast)."""
    from lotse_lms.accounts.models import (
        ConsultantAuthorisation,
        User,
        UserRole,
        WorkshopAttendance,
    )
    from lotse_lms.core.timeutil import utcnow

    now = utcnow()
    for i in range(n):
        user = User(
            email=f"lotse{i:05d}@bench.example",
            name=f"Lotsin Nummer {i:05d}",
            role_rows=[UserRole(role="participant")],
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(
            ConsultantAuthorisation(
                user_id=user.id,
                number=f"OM-{i}",
                issued_on=date(2025, 1, 1),
                proof_name="a.pdf",
                proof_path="x",
                proof_mime="application/pdf",
                proof_size=1,
                status="verified",
                reviewed_at=now,
                reviewed_by_id=staff.id,
            )
        )
        db.session.add(
            WorkshopAttendance(
                user_id=user.id,
                attended_on=date(2025, 2, 1),
                place="Köln",
                status="verified",
                reviewed_at=now,
                reviewed_by_id=staff.id,
            )
        )
    db.session.commit()


def baseline_rows(n, chunk):
    """Insert N bare certificate rows in chunks; return seconds."""
    from lotse_lms.certification.models import Certificate
    from lotse_lms.certification.numbers import new_number
    from lotse_lms.core.timeutil import utcnow

    user_ids = db.session.scalars(db.select(db.text("id")).select_from(db.text("users"))).all()
    start = time.perf_counter()
    for i in range(n):
        db.session.add(
            Certificate(
                number=new_number(),
                credential_id=f"urn:bench:{i}",
                user_id=user_ids[i % len(user_ids)],
                holder_name="x",
                issued_at=utcnow(),
                evidence={},
            )
        )
        if (i + 1) % chunk == 0:
            db.session.commit()
    db.session.commit()
    elapsed = time.perf_counter() - start
    db.session.execute(db.delete(Certificate))
    db.session.commit()
    return elapsed


def bench_verify(tokens, seconds=3.0):
    """Verifications per second: full (signature, claims, database) and bare Ed25519."""
    from lotse_lms.certification.signing import active_key, b64url_decode
    from lotse_lms.certification.verify import verify_credential, verify_number

    public = active_key()[1].public_key()

    def rate(fn, items=tokens):
        """Calls of fn (cycling through ``items``) per second over about ``seconds``."""
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            fn(items[count % len(items)])
            count += 1
        return count / (time.perf_counter() - start)

    def bare(token):
        """Only the signature check."""
        head, body, sig = token.split(".")
        public.verify(b64url_decode(sig), f"{head}.{body}".encode())

    def full(token):
        """The verification page's check of an uploaded credential."""
        assert verify_credential(token).state == "valid"

    from lotse_lms.certification.models import Certificate

    numbers = db.session.scalars(db.select(Certificate.number)).all()
    by_number = rate(lambda number: verify_number(number).state == "valid", numbers)
    return rate(full), rate(bare), by_number


def breakdown(sample=100):
    """Milliseconds per certificate for the parts without database: QR code, PDF, signature."""
    from lotse_lms.certification import credential, pdf
    from lotse_lms.certification.models import Certificate
    from lotse_lms.certification.signing import sign_jwt
    from lotse_lms.certification.statuslist import status_list_credential

    certs = db.session.scalars(db.select(Certificate).limit(sample)).all()
    parts = {}
    for name, fn in [
        (
            "QR code",
            lambda c: pdf.qr_image(f"https://lotsen.example.org/verify/{c.number}"),
        ),
        (
            "PDF incl. QR",
            lambda c: pdf.render(c, "Stiftung", f"https://lotsen.example.org/verify/{c.number}"),
        ),
        (
            "PDF incl. QR, DejaVu and attached credential",
            lambda c: pdf.render(c, "Stiftung", "https://lotsen.example.org"),
        ),
        ("credential build + Ed25519 sign", lambda c: sign_jwt(credential.build(c))),
        ("Data Integrity proof (pyld RDFC-1.0 + sign)", credential.data_integrity),
        ("status list credential (131,072 bits, signed)", lambda c: status_list_credential()),
    ]:
        start = time.perf_counter()
        for cert in certs:
            fn(cert)
        parts[name] = (time.perf_counter() - start) / len(certs) * 1000
    return parts


def server_cpu():
    """CPU seconds used so far by the PostgreSQL backends of this database (local server, read
    from /proc); None on SQLite or when the server is not on this machine."""
    if db.engine.dialect.name != "postgresql":
        return None
    pids = db.session.scalars(
        db.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    ).all()
    db.session.rollback()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def main():
    """Run the bench and print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "DATA_DIR": str(tmp / "data"),
            "SECRET_KEY": "bench",
            "BASE_URL": "https://lotsen.example.org",
            "CONTENT_BASE_URL": "https://lotse-content.example.org",
            "CERT_RULES": ["authorisation", "workshop"],
            "CERT_BULK_CHUNK": args.chunk,
        },
        instance_path=tmp / "instance",
        environ={},
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        from lotse_lms.accounts.operations import create_user
        from lotse_lms.certification.bulk import issue_bulk
        from lotse_lms.certification.signing import init_keys

        init_keys(app)
        staff = create_user("stiftung@bench.example", "Sabine Stiftung", roles=["foundation"])
        db.session.commit()
        make_people(args.n, staff)
        base = baseline_rows(args.n, args.chunk)
        from lotse_lms.core import jobs

        server_before = server_cpu()
        start, cpu_start = time.perf_counter(), time.process_time()
        job = issue_bulk(staff, chunk=args.chunk, via="bench")
        jobs.run_pending(app, limit=args.n)  # the PDFs, which the worker renders after issuing
        full, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        server = server_cpu()
        server = server - server_before if server is not None and server_before is not None else 0
        assert job.issued == args.n, job.messages[:3]
        pdfs = list((tmp / "data" / "certificates").glob("*.pdf"))
        from lotse_lms.certification.models import Certificate

        tokens = db.session.scalars(db.select(Certificate.credential_jwt)).all()
        verify_full, verify_bare, verify_number = bench_verify(tokens)
        print(f"database: {db.engine.dialect.name}")
        print(
            f"issue {args.n} in bulk (rules + PDF + VC-JWT + audit + mail, chunks of {args.chunk}): "
            f"{full:.2f} s = {full / args.n * 1000:.1f} ms each; {len(pdfs)} PDFs, "
            f"{sum(p.stat().st_size for p in pdfs) / len(pdfs) / 1024:.0f} KB average"
        )
        print(
            f"CPU of issuing: this process {cpu:.2f} s"
            + (f", PostgreSQL backends {server:.2f} s" if server else "")
            + f" = {(cpu + server) / args.n * 1000:.1f} ms per certificate "
            f"(wall time on a machine shared with other work is longer; load {os.getloadavg()[0]:.1f})"
        )
        print(
            f"baseline: {args.n} bare certificate rows: {base:.2f} s; ratio full/baseline {full / base:.1f}x"
        )
        print(
            f"verify uploaded credential: {verify_full:.0f}/s; bare Ed25519: {verify_bare:.0f}/s; "
            f"ratio {verify_bare / verify_full:.1f}x slower than bare"
        )
        print(f"verify by number (database lookup + status): {verify_number:.0f}/s")
        print(
            "per certificate, without database: "
            + "; ".join(f"{name} {ms:.1f} ms" for name, ms in breakdown().items())
        )
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
