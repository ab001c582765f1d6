"""Q1 rows for the national database: template learners through the real player path, copied.

Each template learner goes through every Q1 module as the player and the packages' sco.js and
quiz.js do it: a sequencing navigation ("start", then "continue") launches each SCO; a lesson
commits its bookmark (location, JSON suspend data), "incomplete", then on reaching the end
"completed", session time and a normal exit; the knowledge check commits one choice
interaction per question, the score and passed/failed. The rows the app wrote (registration
with its sequencing state, SCO attempts with their data model state, global objectives) are
then copied to the generated learners with their own ids, name and times.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from lotse_lms.accounts.operations import create_user
from lotse_lms.core import jsontext
from lotse_lms.extensions import db
from lotse_lms.modules.q1 import sequencing
from lotse_lms.modules.q1.commits import finish_attempt
from lotse_lms.modules.q1.packages import package_by_module, version_root

#: Where a learner stands in each module, with its share of learners.
PROFILES = {
    "none": 0.02,  # never opened the module
    "started": 0.06,  # two lessons, the third half read
    "half": 0.08,  # half of the lessons
    "lessons": 0.07,  # every lesson, the check opened only
    "failed": 0.07,  # every lesson, check failed
    "passed": 0.50,  # passed at the first try
    "retried": 0.20,  # failed once, then passed (24 interactions)
}


def quiz_questions(version):
    """The questions of a version's knowledge check (from its wissenscheck.html)."""
    for page in Path(version_root(version)).glob("*.html"):
        match = re.search(
            r'id="lotse_quiz_data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S
        )
        if match:
            return jsontext.loads(match.group(1))["questions"]
    return []


def lesson_calls(done, section):
    """What sco.js sends for a lesson: bookmark, then on reaching the end completion."""
    calls = [
        ["cmi.completion_status", "incomplete"],
        ["cmi.location", section],
        ["cmi.suspend_data", jsontext.dumps({"s": section, "o": 412})],
    ]
    if done:
        calls += [
            ["cmi.suspend_data", jsontext.dumps({"s": section, "o": 0, "done": 1})],
            ["cmi.completion_status", "completed"],
        ]
    calls += [
        ["cmi.session_time", "PT18M24S" if done else "PT7M3S"],
        ["cmi.exit", "normal" if done else "suspend"],
    ]
    return calls


def check_calls(questions, right, offset, stamp):
    """What quiz.js sends for one go at the check: interactions, score, status."""
    raw = round(100 * right / len(questions), 2) if questions else 0
    passed = raw >= 80
    calls = [["cmi.score.min", "0"], ["cmi.score.max", "100"], ["cmi.score.raw", str(raw)]]
    for n, q in enumerate(questions):
        p = f"cmi.interactions.{offset + n}."
        correct = n < right
        calls += [
            [p + "id", q["id"]],
            [p + "type", "choice"],
            [p + "weighting", "1"],
            [p + "correct_responses.0.pattern", "[,]".join(q["correct"])],
            [p + "timestamp", stamp],
            [p + "description", q["prompt"][:250]],
            [p + "learner_response", "[,]".join(q["correct"] if correct else q["answers"][-1:])],
            [p + "result", "correct" if correct else "incorrect"],
        ]
    calls += [
        ["cmi.score.scaled", str(round(raw * 100) / 10000)],
        ["cmi.success_status", "passed" if passed else "failed"],
        ["cmi.completion_status", "completed"],
        ["cmi.session_time", "PT11M40S"],
        ["cmi.exit", "normal" if passed else "suspend"],
    ]
    return calls


class Q1Templates:
    """Template learners per profile and their rows, and their copies."""

    def __init__(self, app):
        """Find the Q1 versions of the demo data."""
        self.app = app
        self.versions = [package_by_module(key).current_version for key in app.config["Q1_MODULES"]]
        self.rows = {}  # (profile, version id) -> (registration row, [attempt rows])
        self.objectives = {}  # profile -> [global objective rows]

    def _commit(self, launch, calls, terminated=True):
        """One commit of the launched attempt through the run-time."""
        finish_attempt(launch.attempt, calls, terminated)

    def _run(self, user, version, profile):
        """Take ``user`` through ``version`` as far as ``profile`` says."""
        entries = version.entries()
        lessons = [e for e in entries if not (e.get("settings") or {}).get("scaled_passing_score")]
        stop = {"started": 3, "half": len(lessons) // 2}.get(profile, len(lessons))
        questions = quiz_questions(version)
        outcome = sequencing.navigate(user, version, "start")
        n = 0
        while outcome.ok and outcome.launch is not None:
            launch = outcome.launch
            scored = launch.entry not in lessons
            if not scored:
                n += 1
                self._commit(launch, lesson_calls(n < stop or profile != "started", f"teil-{n}"))
                if n >= stop and profile in ("started", "half"):
                    break
            else:
                if profile in ("half", "started", "lessons"):
                    break
                stamp = "2026-11-20T10:15:00"
                if profile in ("failed", "retried"):
                    self._commit(launch, check_calls(questions, 7, 0, stamp), profile == "failed")
                if profile in ("passed", "retried"):
                    offset = len(questions) if profile == "retried" else 0
                    db.session.expire_all()
                    self._commit(launch, check_calls(questions, 11, offset, stamp))
                break
            db.session.expire_all()
            outcome = sequencing.navigate(user, version, "continue")
            db.session.commit()
        db.session.commit()

    def build(self):
        """Run one template learner per profile through every Q1 module; keep their rows."""
        meta = db.metadata.tables
        regs, attempts, objectives = (
            meta["q1_registrations"],
            meta["q1_sco_attempts"],
            meta["q1_global_objectives"],
        )
        for number, profile in enumerate(PROFILES):
            if profile == "none":
                continue
            user = create_user(
                f"vorlage{number}@national.example", f"Vorlage {profile}", roles=["participant"]
            )
            db.session.commit()
            for version in self.versions:
                self._run(user, version, profile)
            with db.engine.connect() as conn:
                for version in self.versions:
                    reg = conn.execute(
                        sa.select(regs).where(
                            regs.c.user_id == user.id, regs.c.version_id == version.id
                        )
                    ).one()
                    rows = conn.execute(
                        sa.select(attempts)
                        .where(attempts.c.registration_id == reg.id)
                        .order_by(attempts.c.id)
                    ).all()
                    self.rows[profile, version.id] = (reg._asdict(), [r._asdict() for r in rows])
                self.objectives[profile] = [
                    r._asdict()
                    for r in conn.execute(
                        sa.select(objectives).where(objectives.c.user_id == user.id)
                    )
                ]

    def choose(self, rng):
        """A profile for a learner: the same for all modules, sometimes one behind."""
        return rng.choices(list(PROFILES), list(PROFILES.values()))[0]

    def write(self, bulk, chunk, rng, now):
        """Insert registrations and attempts of ``chunk`` ([(user id, name, profile)])."""
        reg_rows, attempt_rows, objective_rows = [], [], []
        order = list(PROFILES)
        for uid, name, profile in chunk:
            for objective in self.objectives.get(profile, []):
                objective_rows.append(
                    dict(objective, id=bulk.next_id("q1_global_objectives"), user_id=uid)
                )
            for index, version in enumerate(self.versions):
                # Later modules lag a little behind the first.
                mine = order[
                    max(0, order.index(profile) - (1 if index and rng.random() < 0.2 else 0))
                ]
                if mine == "none":
                    continue
                reg, attempts = self.rows[mine, version.id]
                shift = now - timedelta(days=rng.uniform(2, 300)) - reg["last_accessed"]
                reg_id = bulk.next_id("q1_registrations")
                row = dict(reg, id=reg_id, user_id=uid)
                for key in ("started_at", "last_accessed", "completed_at", "passed_at"):
                    if row[key] is not None:
                        row[key] = row[key] + shift
                if row["sequencing"] is not None:
                    row["sequencing"] = jsontext.dumps(row["sequencing"])
                reg_rows.append(row)
                for attempt in attempts:
                    state = attempt["state"]
                    if state is not None:
                        state["values"]["cmi.learner_id"] = str(uid)
                        state["values"]["cmi.learner_name"] = name
                    attempt_rows.append(
                        dict(
                            attempt,
                            id=bulk.next_id("q1_sco_attempts"),
                            registration_id=reg_id,
                            user_id=uid,
                            state=None if state is None else jsontext.dumps(state),
                            started_at=attempt["started_at"] + shift,
                            last_accessed=attempt["last_accessed"] + shift,
                        )
                    )
        if reg_rows:
            columns = tuple(reg_rows[0])
            bulk.insert("q1_registrations", columns, [tuple(r.values()) for r in reg_rows])
        if objective_rows:
            columns = tuple(objective_rows[0])
            bulk.insert(
                "q1_global_objectives", columns, [tuple(r.values()) for r in objective_rows]
            )
        if attempt_rows:
            columns = tuple(attempt_rows[0])
            bulk.insert("q1_sco_attempts", columns, [tuple(r.values()) for r in attempt_rows])
