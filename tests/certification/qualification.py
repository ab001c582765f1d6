"""Build a Lotse's whole qualification through the other areas' own operations (Q1 SCORM run-time,
Q2 attendance, reflecting team, mentoring), so certification is tested on real records."""

from datetime import date, datetime, timedelta

from lotse_lms.accounts import verification
from lotse_lms.core.timeutil import BERLIN, utcnow
from lotse_lms.extensions import db
from lotse_lms.mentoring.mentored import mentored
from lotse_lms.modules.q1.commits import finish_attempt
from lotse_lms.modules.q1.packages import import_package
from lotse_lms.modules.q1.tracking import launch_item
from lotse_lms.modules.q2.attendance import record_attendance
from lotse_lms.modules.q2.held import held_session as held_q2_session
from lotse_lms.modules.q2.registrations import registration_of
from lotse_lms.reflecting_team.held import held_session as held_rt_session
from tests.shared_dir import SCORM_FIXTURES

PDF = b"%PDF-1.4\n%%EOF\n"
SCO_ZIP = SCORM_FIXTURES / "valid" / "ContentPackagingSingleSCO_SCORM12.zip"
METHOD = "reflecting-team-andersen"
ALL_PARTS = ("authorisation", "workshop", "q1", "q2", "reflecting_team", "mentor")


class Qualification:
    """Creates the supporting cast once and, per Lotse, the records each prerequisite reads."""

    def __init__(self, app, make_user, staff):
        self.app, self.make_user, self.staff = app, make_user, staff
        self.trainer = make_user("trainer", name="Tina Trainerin", password=None)
        self.mentor = make_user("mentor", name="Miriam Mentorin", password=None)
        self.team = [make_user("participant", name=f"Team {i}", password=None) for i in range(4)]
        self.versions = {}
        self.day = 0

    # --- one builder per prerequisite ----------------------------------------------------
    def authorisation(self, user):
        """Submitted and verified by the foundation."""
        record, _stale = verification.submit_authorisation(
            user, "OM-4711", date(2025, 3, 1), "n.pdf", PDF
        )
        verification.verify(record, self.staff)

    def workshop(self, user):
        """Attended and verified."""
        verification.verify(
            verification.submit_workshop(user, date(2025, 4, 2), "Köln"), self.staff
        )

    def _version(self, key):
        """The package of Q1 module ``key`` (imported once)."""
        if key not in self.versions:
            self.versions[key] = import_package(SCO_ZIP, module_key=key, title=f"Modul {key}")
        return self.versions[key]

    def q1(self, user, status="passed"):
        """Every Q1 module launched and committed as ``status`` through the SCORM run-time."""
        for key in self.app.config["Q1_MODULES"]:
            version = self._version(key)
            started = launch_item(user, version, version.entries()[0]["id"])
            db.session.commit()
            calls = [["cmi.core.score.raw", "85"], ["cmi.core.lesson_status", status]]
            finish_attempt(started.attempt, calls)

    def q2(self, user, topic="moderating", hours=3):
        """A Q2 session attended in full (enrolled while open, then held, then marked present)."""
        self.day += 1
        start = (utcnow().astimezone(BERLIN) + timedelta(days=14 + self.day)).replace(
            hour=9, minute=0, second=0, microsecond=0, tzinfo=None
        )
        session = held_q2_session(
            self.trainer,
            {
                "title": f"Q2 {topic}",
                "topic": topic,
                "format": "virtual",
                "meeting_url": "https://meet.example.org/q2",
                "capacity": 20,
                "dates": [(start, start + timedelta(hours=hours))],
                "trainer_ids": [self.trainer.id],
                "description": "Übung.",
            },
            [user],
            timedelta(days=30 + self.day),
        )
        db.session.commit()
        record_attendance(registration_of(user, session), self.trainer, "present")

    def reflecting_team(self, user, as_owner=1, as_member=2, self_reflection=True):
        """Closed sessions as case owner (with closing self-reflection) and as team member."""
        for _ in range(as_owner):
            self.day += 1
            held_rt_session(
                self.trainer,
                held_on=date.today() - timedelta(days=self.day),
                case_owner=user,
                members=self.team[:3],
                method_slug=METHOD,
                case={
                    "situation": "Drei Betriebe testen eine App.",
                    "firms": "Bäckerei",
                    "question": "Wie weiter?",
                },
                self_reflection=("Nutzen zeigen.", "Pilot.") if self_reflection else None,
            )
        for _ in range(as_member):
            self.day += 1
            held_rt_session(
                self.trainer,
                held_on=date.today() - timedelta(days=self.day),
                case_owner=self.team[3],
                members=[user, *self.team[:2]],
                method_slug=METHOD,
                case={"situation": "Fall.", "firms": "Metallbau", "question": "Was tun?"},
                reflections=[(user, "Gut strukturiert.", "", "Klein anfangen.")],
            )

    def mentor_recommendation(self, user, status="recommended"):
        """The mentor, assigned by the foundation, recommends."""
        mentored(
            user,
            self.mentor,
            self.staff,
            "Gleiche Region.",
            (status, "Moderiert sicher und strukturiert."),
        )

    # --- a whole Lotse -------------------------------------------------------------------
    def lotse(self, name="Lena Lotsin", without=()):
        """A participant with every prerequisite met except those in ``without``."""
        user = self.make_user("participant", name=name, password=None)
        steps = {
            "authorisation": self.authorisation,
            "workshop": self.workshop,
            "q1": self.q1,
            "q2": self.q2,
            "reflecting_team": self.reflecting_team,
            "mentor": self.mentor_recommendation,
        }
        for part in ALL_PARTS:
            if part not in without:
                steps[part](user)
                db.session.commit()
        return user


def as_naive(value):
    """Helper for comparisons of dates."""
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value
