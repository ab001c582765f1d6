"""A national-scale database: the demo data plus N learners and everything around them.

Builds the demo (``seed-demo``) on an empty database, then takes a few template learners
through the real Q1 player path (sequencing navigation and run-time commits shaped like the
packages' own sco.js and quiz.js write them) and copies their rows, with the learner's id and
name put in, to N generated learners in bulk (COPY on PostgreSQL, executemany on SQLite).
Around them: trainers, mentors and reflecting-team members, verification records, Q2
sessions with registrations and attendance, mentor assignments, feedback and recommendations,
reflecting-team sessions with cases and reflections, certificates, audit entries and outbox
mails. The demo accounts (``trainer@``, ``mentorin@``, ``reflecting@``, ``stiftung@``,
``admin@lotse.example``; password ``demo-passwort``) get a national share of the work, e.g.
the demo mentor 61 mentees. Every generated account has the demo password too.

At 10,000 learners: 10,266 users, ~30k Q1 registrations, ~220k SCO attempts, 400 Q2 sessions
with ~20k registrations, 5,000 feedback entries, 800 reflecting-team sessions, 3,000
certificates, 100k audit entries, 52k outbox mails.

    python bench/national.py [--learners 10000] [--database-url URL] [--dir DIR]

Without --database-url a SQLite file in DIR. ``--learners 0`` builds the demo only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.national_q1 import Q1Templates  # noqa: E402
from lotse_lms import create_app  # noqa: E402
from lotse_lms.core import jsontext  # noqa: E402
from lotse_lms.core.seed import run_seeders  # noqa: E402
from lotse_lms.extensions import db  # noqa: E402

FIRST = (
    "Anna Ben Clara David Emma Felix Greta Hannah Ilse Jan Karl Lea Lukas Marie Mia Noah Ole "
    "Paula Quirin Rosa Sophie Tim Ute Valentin Wiebke Xaver Yvonne Zoe Ayşe Łucja Mehmet Jörg "
    "Björn Sönke Käthe Frieda Heinz Petra Sabine Thomas Andrea Stefan Katrin Jürgen Birgit"
).split()
LAST = (
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
    "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt "
    "Werner Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber "
    "Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther Yılmaz"
).split()
PLACES = ["Stuttgart", "München", "Berlin", "Hamburg", "Köln", "Leipzig", "Hannover", "Kassel"]
AUDIT_ACTIONS = [
    "accounts.login",
    "accounts.profile_changed",
    "accounts.record_submitted",
    "accounts.record_verified",
    "q2.enrolled",
    "q2.attendance_recorded",
    "mentoring.feedback_created",
    "mentoring.assigned",
    "reflecting_team.case_saved",
    "certification.issued",
]


def scale(learners):
    """The population sizes for ``learners`` learners (the figures of issue 17 at 10,000)."""
    f = learners / 10_000
    return {
        "trainers": max(2, round(60 * f)),
        "mentors": max(2, round(150 * f)),
        "reflectors": max(2, round(50 * f)),
        "foundation": max(1, round(6 * f)),
        "q2_sessions": max(2, round(400 * f)),
        "feedback": round(5_000 * f),
        "rt_sessions": max(1, round(800 * f)),
        "certificates": round(3_000 * f),
        "audit": round(100_000 * f),
        "outbox": round(52_000 * f),
    }


class Bulk:
    """Bulk inserts of plain rows with explicit ids, on a raw DBAPI connection."""

    def __init__(self, engine):
        """Open a raw connection; read each table's next id."""
        self.pg = engine.dialect.name == "postgresql"
        self.raw = engine.raw_connection()
        self.next_ids = {}
        self.counts = {}

    def next_id(self, table):
        """The next free id of ``table`` (ids are given by the generator, not the database)."""
        if table not in self.next_ids:
            cur = self.raw.cursor()
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - our table names
            self.next_ids[table] = cur.fetchone()[0] + 1
        value = self.next_ids[table]
        self.next_ids[table] += 1
        return value

    def _adapt(self, value):
        """A Python value as the DBAPI takes it (JSON as text, UTC times naive)."""
        if isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)
            return value if self.pg else value.strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, date):
            return value if self.pg else value.isoformat()
        if isinstance(value, dict | list):
            return jsontext.dumps(value)
        if isinstance(value, bool) and not self.pg:
            return int(value)
        return value

    def insert(self, table, columns, rows):
        """Insert ``rows`` (tuples in ``columns`` order; JSON values may be given as text)."""
        rows = [tuple(self._adapt(v) for v in row) for row in rows]
        if not rows:
            return
        names = ", ".join(columns)
        cur = self.raw.cursor()
        if self.pg:
            with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def finish(self):
        """Commit, move PostgreSQL's id sequences past the given ids, and analyse."""
        cur = self.raw.cursor()
        if self.pg:
            for table in self.next_ids:
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608, E501
                cur.execute(sql)
        self.raw.commit()
        if self.pg:
            self.raw.driver_connection.autocommit = True
            self.raw.driver_connection.execute("VACUUM ANALYZE")
        else:
            self.raw.cursor().execute("ANALYZE")
            self.raw.commit()
        self.raw.close()


def rand_time(rng, now, days_back, days_ahead=0):
    """A random aware UTC time between ``days_back`` days ago and ``days_ahead`` days ahead."""
    return now + timedelta(seconds=rng.uniform(-days_back * 86400, days_ahead * 86400))


class National:
    """The generator: one instance per database build."""

    def __init__(self, app, learners, seed=17):
        """Prepare the generator for ``learners`` learners."""
        self.app, self.learners, self.rng = app, learners, random.Random(seed)
        self.sizes = scale(learners)
        self.now = datetime.now(UTC)
        self.bulk = Bulk(db.engine)
        self.demo = {}
        self.password_hash = None

    def demo_user(self, email):
        """The id of a demo account."""
        return self.demo[email]

    # --- people ----------------------------------------------------------------------

    def users(self):
        """Learners and staff with their roles; returns nothing, fills the id lists."""
        rng, bulk = self.rng, self.bulk
        rows, roles = [], []
        regions = self.app.config["REGIONS"]

        def person(prefix, n, role):
            uid = bulk.next_id("users")
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            created = rand_time(rng, self.now, 400)
            rows.append(
                (
                    uid,
                    f"{prefix}{n:05d}@national.example",
                    name,
                    self.password_hash,
                    "de",
                    f"{rng.choice(LAST)} Beratung GmbH",
                    rng.choice(regions),
                    "",
                    True,
                    created,
                    rand_time(rng, self.now, 30),
                )
            )
            roles.append((uid, role, created))
            return uid, name

        self.learner_ids = [person("lotse", n, "participant") for n in range(self.learners)]
        self.trainer_ids = [self.demo_user("trainer@lotse.example")]
        self.trainer_ids += [
            person("trainer", n, "trainer")[0] for n in range(self.sizes["trainers"] - 1)
        ]
        self.mentor_ids = [self.demo_user("mentorin@lotse.example")]
        self.mentor_ids += [
            person("mentor", n, "mentor")[0] for n in range(self.sizes["mentors"] - 1)
        ]
        self.reflector_ids = [self.demo_user("reflecting@lotse.example")]
        self.reflector_ids += [
            person("reflecting", n, "reflecting_team")[0]
            for n in range(self.sizes["reflectors"] - 1)
        ]
        self.staff_ids = [self.demo_user("stiftung@lotse.example")]
        self.staff_ids += [
            person("stiftung", n, "foundation")[0] for n in range(self.sizes["foundation"] - 1)
        ]
        self.bulk.insert(
            "users",
            (
                "id",
                "email",
                "name",
                "password_hash",
                "locale",
                "organisation",
                "region",
                "phone",
                "active",
                "created_at",
                "last_login_at",
            ),
            rows,
        )
        self.bulk.insert("user_roles", ("user_id", "role", "granted_at"), roles)

    def records(self):
        """Authorisation and workshop records: most verified, some waiting, some rejected."""
        rng, auth, work = self.rng, [], []
        staff = self.staff_ids
        for uid, _name in self.learner_ids:
            if rng.random() < 0.95:
                status = rng.choices(["verified", "submitted", "rejected"], [0.94, 0.04, 0.02])[0]
                submitted = rand_time(rng, self.now, 300)
                reviewed = submitted + timedelta(days=2) if status != "submitted" else None
                auth.append(
                    (
                        self.bulk.next_id("consultant_authorisations"),
                        uid,
                        f"OM-{rng.randint(2015, 2025)}-{rng.randint(1, 9999):04d}",
                        date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
                        "autorisierung.pdf",
                        f"proofs/{uid}/autorisierung.pdf",
                        "application/pdf",
                        48_000,
                        rng.choice(staff) if reviewed else None,
                        status,
                        "Nachweis unleserlich." if status == "rejected" else "",
                        submitted,
                        reviewed,
                    )
                )
            if rng.random() < 0.93:
                status = rng.choices(["verified", "submitted", "rejected"], [0.95, 0.04, 0.01])[0]
                submitted = rand_time(rng, self.now, 300)
                reviewed = submitted + timedelta(days=3) if status != "submitted" else None
                work.append(
                    (
                        self.bulk.next_id("workshop_attendances"),
                        uid,
                        date(2025, 1, 1) + timedelta(days=rng.randint(0, 300)),
                        rng.choice(PLACES),
                        rng.choice(staff) if reviewed else None,
                        status,
                        "Datum passt nicht zum Workshop." if status == "rejected" else "",
                        submitted,
                        reviewed,
                    )
                )
        common = ("reviewed_by_id", "status", "reason", "submitted_at", "reviewed_at")
        self.bulk.insert(
            "consultant_authorisations",
            ("id", "user_id", "number", "issued_on", "proof_name", "proof_path", "proof_mime")
            + ("proof_size",)
            + common,
            auth,
        )
        self.bulk.insert(
            "workshop_attendances", ("id", "user_id", "attended_on", "place") + common, work
        )

    # --- Q1 ----------------------------------------------------------------------------

    def q1(self):
        """Registrations and SCO attempts copied from the template learners, in chunks."""
        templates = self.templates
        self.q1_profile = {}
        chunk = []
        for uid, name in self.learner_ids:
            chosen = templates.choose(self.rng)
            self.q1_profile[uid] = chosen
            chunk.append((uid, name, chosen))
            if len(chunk) == 300:
                templates.write(self.bulk, chunk, self.rng, self.now)
                chunk = []
        templates.write(self.bulk, chunk, self.rng, self.now)

    # --- Q2 ----------------------------------------------------------------------------

    def q2(self):
        """Sessions over the past and coming months; ~50 registrations each, attendance for past."""
        rng, bulk, cfg = self.rng, self.bulk, self.app.config
        topics = [t[0] for t in cfg["Q2_TOPICS"]]
        sessions, dates, trainers, regs = [], [], [], []
        learners = [uid for uid, _n in self.learner_ids]
        demo_trainer = self.trainer_ids[0]
        for n in range(self.sizes["q2_sessions"]):
            sid = bulk.next_id("q2_sessions")
            start = (self.now + timedelta(days=rng.randint(-300, 120))).replace(
                hour=8, minute=0, second=0, microsecond=0
            )
            fmt = rng.choice(["in_person", "virtual", "hybrid"])
            topic = rng.choice(topics)
            capacity = rng.choice([20, 30, 40, 50])
            sessions.append(
                (
                    sid,
                    f"Praxiswerkstatt {n + 1}: {topic}",
                    topic,
                    "Ein Tag mit Fällen aus der Region, Übungen und Austausch.",
                    fmt,
                    "" if fmt == "virtual" else "Musterstraße 1, 70173 Stuttgart",
                    "" if fmt == "virtual" else rng.choice(cfg["REGIONS"]),
                    "" if fmt == "in_person" else "https://meet.example/q2",
                    capacity,
                    start - timedelta(days=2),
                    start - timedelta(days=3),
                    [],
                    "cancelled" if rng.random() < 0.03 else "scheduled",
                    f"national-{sid:06d}",
                    0,
                    demo_trainer,
                    start - timedelta(days=60),
                    start - timedelta(days=60),
                )
            )
            days = rng.choice([1, 1, 2])
            for d in range(days):
                day = start + timedelta(days=d)
                date_id = bulk.next_id("q2_session_dates")
                uid = f"q2-bench-{date_id}@lotse-lms"
                dates.append((date_id, sid, day, day + timedelta(hours=6), uid))
            team = {demo_trainer if rng.random() < 0.06 else rng.choice(self.trainer_ids)}
            if rng.random() < 0.3:
                team.add(rng.choice(self.trainer_ids))
            trainers += [(sid, t) for t in team]
            past = start < self.now
            people = rng.sample(learners, min(len(learners), capacity + rng.randint(0, 20)))
            for q, uid in enumerate(people, start=1):
                if q <= capacity:
                    status = "cancelled" if rng.random() < 0.08 else "enrolled"
                else:
                    status = "waiting"
                attendance = None
                if past and status == "enrolled":
                    attendance = rng.choices(["present", "absent", "excused"], [0.85, 0.05, 0.1])[0]
                requested = start - timedelta(days=rng.randint(5, 50))
                regs.append(
                    (
                        bulk.next_id("q2_registrations"),
                        sid,
                        uid,
                        status,
                        q,
                        requested,
                        requested if status != "waiting" else None,
                        requested + timedelta(days=1) if status == "cancelled" else None,
                        attendance,
                        days * 360 if attendance == "present" else 0,
                        demo_trainer if attendance else None,
                        start + timedelta(hours=7) if attendance else None,
                    )
                )
        bulk.insert(
            "q2_sessions",
            (
                "id",
                "title",
                "topic",
                "description",
                "format",
                "venue",
                "region",
                "meeting_url",
                "capacity",
                "enrol_deadline",
                "cancel_deadline",
                "prerequisites",
                "status",
                "uid",
                "sequence",
                "created_by_id",
                "created_at",
                "updated_at",
            ),
            sessions,
        )
        bulk.insert("q2_session_dates", ("id", "session_id", "starts_at", "ends_at", "uid"), dates)
        bulk.insert("q2_session_trainers", ("session_id", "user_id"), trainers)
        bulk.insert(
            "q2_registrations",
            (
                "id",
                "session_id",
                "user_id",
                "status",
                "queue_no",
                "requested_at",
                "enrolled_at",
                "cancelled_at",
                "attendance",
                "attended_minutes",
                "attendance_by_id",
                "attendance_at",
            ),
            regs,
        )

    # --- mentoring ---------------------------------------------------------------------

    def mentoring(self):
        """~86 % of learners assigned (the demo mentor 61), feedback, replies, recommendations."""
        rng, bulk = self.rng, self.bulk
        assignments, entries, replies, recs = [], [], [], []
        learners = [uid for uid, _n in self.learner_ids]
        rng.shuffle(learners)
        assigned = learners[: int(len(learners) * 0.86)]
        demo_mentor, others = self.mentor_ids[0], self.mentor_ids[1:] or self.mentor_ids
        self.mentor_of = {}
        for i, uid in enumerate(assigned):
            mentor = demo_mentor if i < 61 else others[i % len(others)]
            self.mentor_of[uid] = mentor
            started = rand_time(rng, self.now, 250)
            if rng.random() < 0.05:  # an earlier mentor, changed
                assignments.append(
                    (
                        bulk.next_id("mentor_assignments"),
                        uid,
                        rng.choice(others),
                        self.staff_ids[0],
                        "Gleiche Region.",
                        started - timedelta(days=60),
                        started,
                        self.staff_ids[0],
                        "Wechsel auf Wunsch.",
                    )
                )
            assignments.append(
                (
                    bulk.next_id("mentor_assignments"),
                    uid,
                    mentor,
                    self.staff_ids[0],
                    "Gleiche Region; passende Erfahrung.",
                    started,
                    None,
                    None,
                    "",
                )
            )
        for n in range(self.sizes["feedback"]):
            uid = assigned[n % len(assigned)] if n >= 150 else assigned[n % 61]
            created = rand_time(rng, self.now, 200)
            eid = bulk.next_id("feedback_entries")
            shared = rng.random() < 0.7
            entries.append(
                (
                    eid,
                    uid,
                    self.mentor_of[uid],
                    1,
                    created,
                    created,
                    created.date(),
                    rng.choice(["q2_session", "own_experimentierraum", "mentoring_talk"]),
                    "",
                    "Sie hat die Runde sicher eröffnet und die Betriebe gut zu Wort kommen lassen. "
                    * 3,
                    "Beim nächsten Treffen die eigene Rolle zu Beginn benennen.",
                    "shared" if shared else "private",
                )
            )
            if shared and rng.random() < 0.3:
                replies.append(
                    (
                        bulk.next_id("feedback_replies"),
                        eid,
                        uid,
                        "Danke, das nehme ich mit.",
                        created + timedelta(days=1),
                    )
                )
        for uid in assigned:
            if self.q1_profile.get(uid) == "passed" and rng.random() < 0.6:
                recs.append(
                    (
                        bulk.next_id("mentor_recommendations"),
                        uid,
                        self.mentor_of[uid],
                        "recommended" if rng.random() < 0.9 else "not_yet",
                        "Eigenständig und sicher in der Moderation.",
                        rand_time(rng, self.now, 100),
                    )
                )
        bulk.insert(
            "mentor_assignments",
            (
                "id",
                "mentee_id",
                "mentor_id",
                "assigned_by_id",
                "reason",
                "started_at",
                "ended_at",
                "ended_by_id",
                "end_reason",
            ),
            assignments,
        )
        bulk.insert(
            "feedback_entries",
            (
                "id",
                "mentee_id",
                "mentor_id",
                "version",
                "created_at",
                "updated_at",
                "occurred_on",
                "occasion",
                "occasion_other",
                "observations",
                "next_steps",
                "visibility",
            ),
            entries,
        )
        bulk.insert(
            "feedback_replies", ("id", "entry_id", "author_id", "body", "created_at"), replies
        )
        bulk.insert(
            "mentor_recommendations",
            ("id", "mentee_id", "mentor_id", "status", "reason", "created_at"),
            recs,
        )

    # --- reflecting team ---------------------------------------------------------------

    def reflecting_team(self):
        """Sessions with a case owner, four members, case, reflections; closed when past."""
        rng, bulk = self.rng, self.bulk
        sessions, members, cases, refl, selfs = [], [], [], [], []
        learners = [uid for uid, _n in self.learner_ids]
        text = "Die Betriebe sprechen viel über Technik und wenig über ihre Kundschaft. " * 2
        for n in range(self.sizes["rt_sessions"]):
            sid = bulk.next_id("rt_sessions")
            held = (self.now + timedelta(days=rng.randint(-300, 60))).date()
            closed = held < self.now.date() and rng.random() < 0.9
            trainer = self.trainer_ids[0] if rng.random() < 0.05 else rng.choice(self.trainer_ids)
            owner = rng.choice(learners)
            created = datetime(held.year, held.month, held.day, tzinfo=UTC) - timedelta(days=14)
            when = created + timedelta(days=15)
            sessions.append(
                (
                    sid,
                    f"Fall {n + 1}: Kooperation im Gewerbegebiet",
                    held,
                    "reflecting-team-andersen",
                    "Reflecting Team nach Andersen",
                    trainer,
                    owner,
                    when if closed else None,
                    trainer if closed else None,
                    created,
                )
            )
            team = rng.sample(learners, 3) + [
                self.reflector_ids[0] if rng.random() < 0.05 else rng.choice(self.reflector_ids)
            ]
            for uid in dict.fromkeys(team):
                if uid == owner:
                    continue
                members.append((bulk.next_id("rt_members"), sid, uid, created))
                if held < self.now.date():
                    refl.append(
                        (bulk.next_id("rt_reflections"), sid, uid, text, text, text, when, when)
                    )
            if held < self.now.date() + timedelta(days=14):
                cases.append((bulk.next_id("rt_cases"), sid, owner, text, text, text, when, when))
            if closed:
                selfs.append(
                    (bulk.next_id("rt_self_reflections"), sid, owner, text, text, when, when)
                )
        bulk.insert(
            "rt_sessions",
            (
                "id",
                "title",
                "held_on",
                "method_slug",
                "method_title",
                "trainer_id",
                "case_owner_id",
                "closed_at",
                "closed_by_id",
                "created_at",
            ),
            sessions,
        )
        bulk.insert("rt_members", ("id", "session_id", "user_id", "added_at"), members)
        times = ("created_at", "updated_at")
        bulk.insert(
            "rt_cases",
            ("id", "session_id", "author_id", "situation", "firms", "question") + times,
            cases,
        )
        bulk.insert(
            "rt_reflections",
            ("id", "session_id", "author_id", "observations", "hypotheses", "ideas") + times,
            refl,
        )
        bulk.insert(
            "rt_self_reflections",
            ("id", "session_id", "author_id", "takeaways", "next_steps") + times,
            selfs,
        )

    # --- certificates, audit, outbox ---------------------------------------------------

    def certificates(self):
        """Certificates for learners who passed Q1 (a few revoked)."""
        rng, bulk, rows = self.rng, self.bulk, []
        passed = [(u, n) for u, n in self.learner_ids if self.q1_profile.get(u) == "passed"]
        jwt = "eyJhbGciOiJFZERTQSJ9." + "A" * 1800 + "." + "B" * 86
        for uid, name in passed[: self.sizes["certificates"]]:
            cid = bulk.next_id("certificates")
            issued = rand_time(rng, self.now, 200)
            revoked = rng.random() < 0.01
            number = "OML-" + "-".join(
                "".join(rng.choice("23456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(4))
                for _ in range(4)
            )
            rows.append(
                (
                    cid,
                    number,
                    f"urn:uuid:00000000-0000-4000-8000-{cid:012d}",
                    uid,
                    name,
                    issued,
                    issued + timedelta(days=3 * 365),
                    self.staff_ids[0],
                    self.evidence_snapshot,
                    jwt,
                    "national-key",
                    "",
                    issued + timedelta(days=10) if revoked else None,
                    self.staff_ids[0] if revoked else None,
                    "Irrtümlich ausgestellt." if revoked else "",
                )
            )
        bulk.insert(
            "certificates",
            (
                "id",
                "number",
                "credential_id",
                "user_id",
                "holder_name",
                "issued_at",
                "valid_until",
                "issued_by_id",
                "evidence",
                "credential_jwt",
                "key_id",
                "pdf_path",
                "revoked_at",
                "revoked_by_id",
                "revocation_reason",
            ),
            rows,
        )

    def audit_and_outbox(self):
        """Audit entries and outbox mails (all but a few sent)."""
        rng, bulk = self.rng, self.bulk
        learners = [uid for uid, _n in self.learner_ids]
        staff = self.staff_ids + self.trainer_ids + self.mentor_ids
        audit = []
        for _ in range(self.sizes["audit"]):
            action = rng.choice(AUDIT_ACTIONS)
            subject = rng.choice(learners)
            audit.append(
                (
                    bulk.next_id("audit_entries"),
                    rand_time(rng, self.now, 365),
                    rng.choice(staff) if rng.random() < 0.6 else subject,
                    action,
                    action.split(".")[0],
                    str(rng.randint(1, 30000)),
                    subject,
                    {"old": "eingereicht", "new": "bestätigt"},
                )
            )
            if len(audit) == 20_000:
                bulk.insert("audit_entries", AUDIT_COLUMNS, audit)
                audit = []
        bulk.insert("audit_entries", AUDIT_COLUMNS, audit)
        mails = []
        body = "Guten Tag,\n\nIhre Anmeldung zur Praxiswerkstatt ist bestätigt.\n" * 6
        for n in range(self.sizes["outbox"]):
            created = rand_time(rng, self.now, 365)
            sent = n >= 40
            mails.append(
                (
                    bulk.next_id("outbox_mails"),
                    created,
                    f"lotse{rng.randint(0, max(0, self.learners - 1)):05d}@national.example",
                    "Anmeldung bestätigt: Praxiswerkstatt",
                    body,
                    created + timedelta(minutes=1) if sent else None,
                    1 if sent else 0,
                )
            )
        bulk.insert(
            "outbox_mails",
            ("id", "created_at", "recipient", "subject", "body", "sent_at", "attempts"),
            mails,
        )

    def build(self, echo=print):
        """Everything after the demo data; prints the time of each part."""
        users = db.metadata.tables["users"]
        with db.engine.connect() as conn:
            rows = conn.execute(sa.select(users.c.id, users.c.email, users.c.password_hash))
            for uid, email, password_hash in rows:
                self.demo[email] = uid
                if email == "teilnehmerin@lotse.example":
                    self.password_hash = password_hash
        self.evidence_snapshot = self.evidence()
        started = time.perf_counter()
        # Before any bulk insert: the templates go through the app's own sessions.
        self.templates = Q1Templates(self.app)
        self.templates.build()
        echo(f"  {'q1 templates':<16} {time.perf_counter() - started:6.1f} s")
        for part in (
            self.users,
            self.records,
            self.q1,
            self.q2,
            self.mentoring,
            self.reflecting_team,
            self.certificates,
            self.audit_and_outbox,
        ):
            started = time.perf_counter()
            part()
            echo(
                f"  {getattr(part, '__name__', 'certificates'):<16} {time.perf_counter() - started:6.1f} s"
            )
        started = time.perf_counter()
        self.bulk.finish()
        echo(f"  {'analyse':<16} {time.perf_counter() - started:6.1f} s")

    def evidence(self):
        """The evidence snapshot of the demo's eligible Lotsin (the shape the app stores)."""
        # Imported here: only the generator needs the certification rules, after seeding.
        from lotse_lms.accounts.models import User
        from lotse_lms.certification import rules

        erika = db.session.get(User, self.demo["erika.bereit@lotse.example"])
        snapshot, _results = rules.evidence_snapshot(erika)
        db.session.rollback()
        return snapshot


AUDIT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "subject_id",
    "details",
)


def ensure_pg_database(url, fresh=True):
    """Create (or re-create) the PostgreSQL database of ``url``."""
    server, _sep, name = url.rpartition("/")
    engine = sa.create_engine(
        server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as conn:
        if fresh:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def config_for(url, workdir):
    """The app configuration of a bench database in ``workdir``."""
    return {
        "DATABASE_URL": url or f"sqlite:///{Path(workdir) / 'lotse.db'}",
        "DATA_DIR": str(Path(workdir) / "data"),
        "SECRET_KEY": "bench-secret",
    }


def build(url, workdir, learners, echo=print):
    """Build the demo plus ``learners`` learners into ``url`` (None: SQLite in ``workdir``).

    Returns the app configuration to serve it with."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    config = config_for(url, workdir)
    # The build commits often (template learners); a lost build is simply built again.
    pgoptions = os.environ.get("PGOPTIONS")
    os.environ["PGOPTIONS"] = "-c synchronous_commit=off"
    try:
        _build(url, workdir, config, learners, echo)
    finally:
        if pgoptions is None:
            os.environ.pop("PGOPTIONS")
        else:
            os.environ["PGOPTIONS"] = pgoptions
    return config


def _build(url, workdir, config, learners, echo):
    """The build of build()."""
    if url and url.startswith("postgresql"):
        ensure_pg_database(url)
    else:
        Path(workdir / "lotse.db").unlink(missing_ok=True)
    app = create_app(config, instance_path=str(workdir / "instance"), environ={})
    with app.app_context():
        started = time.perf_counter()
        db.create_all()
        run_seeders(app, lambda _text: None)
        db.session.commit()
        echo(f"  {'demo data':<16} {time.perf_counter() - started:6.1f} s")
        if learners:
            National(app, learners).build(echo)
        db.session.remove()
        db.engine.dispose()


def main():
    """Parse the options and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--dir", default="instance/national", help="data and SQLite folder")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"national database, {args.learners} learners, {args.database_url or 'SQLite'}")
    config = build(args.database_url, args.dir, args.learners)
    print(f"done in {time.perf_counter() - started:.0f} s: {config['DATABASE_URL']}")


if __name__ == "__main__":
    main()
