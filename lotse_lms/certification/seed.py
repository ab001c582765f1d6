"""Demo data: two Lotsen at the end of the qualification, so the demo shows certification.

"Erika Bereit" meets every prerequisite; "Jonas Fastfertig" meets all but the mentor's
recommendation; "Paul Praxis" has read the first page of Q1 (Q1 begun). Their records are made
only through the other areas' own operations (the foundation verifies, SCORM commits go through
the Q1 run-time, the trainer records Q2 attendance and closes reflecting-team sessions, the
mentor recommends), so the checklist reads real data. No certificate is issued here: the
foundation's demo account does that. Every step checks what already exists, so a second run
changes nothing.
"""

import math
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..accounts import DEMO_PASSWORD, verification
from ..accounts.models import VerificationStatus
from ..accounts.operations import create_user, find_user
from ..accounts.roles import Role
from ..core.timeutil import BERLIN, utcnow
from ..extensions import db
from ..mentoring.mentored import mentored
from ..modules.q1.commits import finish_attempt
from ..modules.q1.packages import package_by_module
from ..modules.q1.progress import q1_progress, registrations_of
from ..modules.q1.tracking import launch_item
from ..modules.q2.attendance import record_attendance
from ..modules.q2.common import topic_label
from ..modules.q2.held import held_session as held_q2_session
from ..modules.q2.models import LiveSession
from ..modules.q2.registrations import registration_of
from ..reflecting_team import operations as rt
from ..reflecting_team.held import held_session as held_rt_session
from ..reflecting_team.models import RTSession
from . import rules
from .operations import current_certificate

ERIKA = ("erika.bereit@lotse.example", "Erika Bereit", "frau")
JONAS = ("jonas.fastfertig@lotse.example", "Jonas Fastfertig", "herr")
#: The two Lotsen this seeder makes (other areas' seed tests leave their records aside).
DEMO_EMAILS = (ERIKA[0], JONAS[0])
#: Extra case owner of the third reflecting-team session (also made by the RT demo data).
PAUL = ("paul.praxis@lotse.example", "Paul Praxis", "herr")
FOUNDATION = "stiftung@lotse.example"
TRAINER = "trainer@lotse.example"
MENTOR = "mentorin@lotse.example"
REFLECTOR = "reflecting@lotse.example"

#: A proof upload for the authorisation (a minimal PDF).
PROOF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RECORDS = {
    ERIKA[0]: {
        "number": "OM-2024-0815",
        "issued_on": date(2024, 5, 14),
        "workshop_on": date(2025, 2, 20),
        "place": "Stuttgart",
    },
    JONAS[0]: {
        "number": "OM-2024-1207",
        "issued_on": date(2024, 9, 3),
        "workshop_on": date(2025, 3, 13),
        "place": "Karlsruhe",
    },
}

#: Q2 sessions both attended in full, by topic (CERT_Q2_TOPICS, when set, replaces the list).
Q2_SESSIONS = {
    "moderating": "Praxiswerkstatt: Experimentierräume moderieren",
    "supporting": "Praxiswerkstatt: Unternehmen im Experimentierraum begleiten",
}
#: Longest single date of a Q2 session, in hours (longer sessions get several days).
Q2_DAY_HOURS = 6

#: Reflecting-team sessions: (title, days before today, case owner, members, case, self-reflection).
RT_SESSIONS = [
    (
        "Gemeinsame Ausbildungsplattform im Handwerk",
        30,
        ERIKA[0],
        [JONAS[0], REFLECTOR, MENTOR],
        {
            "situation": "Fünf Handwerksbetriebe wollen ihre Auszubildenden gemeinsam auf einer Lernplattform "
            "begleiten. Die Meister sind skeptisch, ob sich der Aufwand lohnt.",
            "firms": "Fünf Handwerksbetriebe (Kfz, Elektro, Tischlerei) mit 8 bis 40 Beschäftigten.",
            "question": "Wie gewinne ich die Meister für einen ersten, kleinen Versuch?",
        },
        (
            "Die Meister wollen zuerst sehen, dass die Plattform ihnen Zeit spart.",
            "Ich schlage einen vierwöchigen Versuch mit einem Lehrjahr und einem Betrieb vor.",
        ),
    ),
    (
        "Energiedaten teilen im Gewerbepark",
        23,
        JONAS[0],
        [ERIKA[0], REFLECTOR, MENTOR],
        {
            "situation": "Sechs Betriebe eines Gewerbeparks überlegen, ihre Energiedaten zu teilen, um "
            "Lastspitzen gemeinsam zu senken. Zwei Betriebe fürchten, zu viel preiszugeben.",
            "firms": "Sechs Betriebe aus Logistik, Metallbau und Lebensmittelverarbeitung.",
            "question": "Wie gestalte ich den Einstieg so, dass niemand mehr teilen muss, als er möchte?",
        },
        (
            "Vertrauen wächst mit kleinen, freiwilligen Schritten.",
            "Wir starten mit anonymisierten Wochenwerten und werten nach einem Monat gemeinsam aus.",
        ),
    ),
    (
        "Kundenportal für drei Druckereien",
        16,
        PAUL[0],
        [ERIKA[0], JONAS[0], REFLECTOR],
        {
            "situation": "Drei Druckereien testen ein gemeinsames Kundenportal für Auftragsanfragen. "
            "Die Kundschaft nutzt es kaum und ruft weiter an.",
            "firms": "Drei Druckereien mit je 10 bis 25 Beschäftigten in einer Region.",
            "question": "Woran liegt es, dass die Kundschaft beim Telefon bleibt?",
        },
        (
            "Das Telefon ist für die Kundschaft Beratung, nicht nur Bestellung.",
            "Wir fragen fünf Stammkunden, was ihnen das Portal bieten müsste.",
        ),
    ),
]
REFLECTIONS = {
    ERIKA[0]: (
        "Die Betriebe sprechen viel über Technik und wenig über ihre Kundschaft.",
        "Vielleicht fehlt ein gemeinsames Ziel, das alle Betriebe teilen.",
        "Mit einer kleinen Frage beginnen, die alle Betriebe betrifft.",
    ),
    JONAS[0]: (
        "Die Skepsis wirkt begründet und erfahrungsgesättigt.",
        "Könnte es sein, dass frühere Projekte ohne Ergebnis geblieben sind?",
        "Frühere Erfahrungen ausdrücklich zum Thema machen.",
    ),
    REFLECTOR: (
        "Es fiel oft das Wort „eigentlich“.",
        "Der Versuch ist vielleicht noch zu groß gedacht.",
        "Einen Termin für eine gemeinsame Zwischenbilanz festlegen.",
    ),
    MENTOR: (
        "Die Lage der Betriebe wurde sehr klar geschildert.",
        "Die eigene Rolle zwischen den Betrieben ist noch nicht ausgesprochen.",
        "Die eigene Rolle zu Beginn des nächsten Treffens benennen.",
    ),
}

#: Calls a Q1 page sends when it is read to the end, and the knowledge check when passed.
LESSON_CALLS = [
    ["cmi.location", "ende"],
    ["cmi.progress_measure", "1"],
    ["cmi.completion_status", "completed"],
    ["cmi.session_time", "PT0H18M0S"],
    ["cmi.exit", "normal"],
]
CHECK_CALLS = [
    ["cmi.score.raw", "90"],
    ["cmi.score.min", "0"],
    ["cmi.score.max", "100"],
    ["cmi.score.scaled", "0.9"],
    ["cmi.success_status", "passed"],
    ["cmi.progress_measure", "1"],
    ["cmi.completion_status", "completed"],
    ["cmi.session_time", "PT0H12M0S"],
    ["cmi.exit", "normal"],
]
#: The same for a SCORM 1.2 package.
CALLS_12 = [
    ["cmi.core.score.raw", "90"],
    ["cmi.core.lesson_status", "passed"],
    ["cmi.core.session_time", "00:15:00"],
]


def _today():
    """Today in Berlin."""
    return utcnow().astimezone(BERLIN).date()


def _participant(app, email, name, salutation=""):
    """Find the demo participant or create them (password: the demo password)."""
    return find_user(email) or create_user(
        email,
        name,
        roles=[Role.PARTICIPANT],
        password=DEMO_PASSWORD,
        organisation="Demo-Beratung GmbH",
        region=app.config["REGIONS"][0],
        salutation=salutation,
    )


# --- 1 and 2: records the foundation verifies --------------------------------------------


def _verified_records(user, staff):
    """Submit the authorisation and the workshop as the participant; the foundation verifies."""
    data = RECORDS[user.email]
    authorisation = verification.authorisation_of(user)
    if authorisation is None:
        authorisation, _stale = verification.submit_authorisation(
            user, data["number"], data["issued_on"], "autorisierung.pdf", PROOF
        )
    workshop = verification.workshop_of(user) or verification.submit_workshop(
        user, data["workshop_on"], data["place"]
    )
    for record in (authorisation, workshop):
        if record.status == VerificationStatus.SUBMITTED:
            verification.verify(record, staff)


# --- 4: Q2 attendance --------------------------------------------------------------------


def _q2_plan(app):
    """(topic, title, hours) of the Q2 sessions that cover CERT_Q2_MIN_HOURS and CERT_Q2_TOPICS."""
    topics = list(app.config["CERT_Q2_TOPICS"]) or list(Q2_SESSIONS)
    hours = max(3, math.ceil(float(app.config["CERT_Q2_MIN_HOURS"]) / len(topics)))
    return [
        (topic, Q2_SESSIONS.get(topic) or f"Praxiswerkstatt: {topic_label(topic)}", hours)
        for topic in topics
    ]


def _dates(first_day, hours):
    """Dates of ``hours`` in days of at most Q2_DAY_HOURS, from 9:00 Berlin, as naive Berlin times."""
    dates, day = [], first_day
    while hours > 0:
        length = min(hours, Q2_DAY_HOURS)
        start = datetime(day.year, day.month, day.day, 9)
        dates.append((start, start + timedelta(hours=length)))
        hours -= length
        day += timedelta(days=1)
    return dates


def _q2_attendance(app, trainer, people):
    """Sessions both attended: held some weeks ago (Q2's ``held_session``), marked present."""
    today = _today()
    for number, (topic, title, hours) in enumerate(_q2_plan(app)):
        session = db.session.scalar(sa.select(LiveSession).filter_by(title=title))
        if session is None:
            # Scheduled far enough ahead not to meet the Q2 demo's own dates (the trainer
            # teaches those), then moved back: the same weekdays, 42 - 7n days ago.
            ahead = _dates(today + timedelta(days=70 + 7 * number), hours)
            session = held_q2_session(
                trainer,
                {
                    "title": title,
                    "topic": topic,
                    "format": "in_person",
                    "capacity": 12,
                    "venue": "Stiftung Mittelstand, Musterstraße 1, 70173 Stuttgart",
                    "region": app.config["REGIONS"][0],
                    "dates": ahead,
                    "trainer_ids": [trainer.id],
                    "description": "Ganztägige Praxiswerkstatt mit Fällen aus der Region.",
                },
                people,
                timedelta(days=112),
            )
        for user in people:
            registration = registration_of(user, session)
            if registration is not None and registration.attendance is None:
                record_attendance(registration, trainer, "present")
    db.session.flush()


# --- 5: reflecting team ------------------------------------------------------------------


def _reflecting_team(trainer, find):
    """Closed sessions: each Lotse once as case owner (with self-reflection), twice as member."""
    methods = rt.library()
    if not methods:
        return False
    slug = (
        "reflecting-team-andersen"
        if rt.find_method("reflecting-team-andersen")
        else methods[0].slug
    )
    for title, days_ago, owner_email, member_emails, case, self_reflection in RT_SESSIONS:
        if db.session.scalar(db.select(RTSession.id).where(RTSession.title == title)):
            continue
        owner, members = find(owner_email), [find(e) for e in member_emails]
        held_rt_session(
            trainer,
            held_on=_today() - timedelta(days=days_ago),
            case_owner=owner,
            members=members,
            method_slug=slug,
            title=title,
            case=case,
            reflections=[(m, *REFLECTIONS[m.email]) for m in members],
            self_reflection=self_reflection,
        )
    db.session.flush()
    return True


# --- 6: mentoring ------------------------------------------------------------------------


def _mentoring(erika, jonas, mentor, staff):
    """Both are assigned to the demo mentor; only Erika is recommended (Jonas waits for it)."""
    mentored(
        erika,
        mentor,
        staff,
        "Gleiche Region; Erfahrung mit Handwerksnetzwerken.",
        (
            "recommended",
            "Erika hat ihren Experimentierraum eigenständig eröffnet und sicher moderiert; "
            "sie reflektiert ihre Rolle als Lotsin klar.",
        ),
    )
    mentored(jonas, mentor, staff, "Miriam kennt die Betriebe im Gewerbepark.")
    db.session.flush()


# --- 3: Q1 through the SCORM run-time ----------------------------------------------------


def _q1(app, user):
    """Launch and finish every SCO of every Q1 module as the learner's browser would; False if
    a module's package is missing."""

    done = {
        m["module_key"] for m in q1_progress(user) if m["completed"] and m["passed"] is not False
    }
    for key in app.config["Q1_MODULES"]:
        if key in done:
            continue
        package = package_by_module(key)
        version = package.current_version if package else None
        if version is None:
            return False
        for entry in version.entries():
            launch = launch_item(user, version, entry["id"])
            if not launch.is_sco:
                continue
            if version.standard == "1.2":
                calls = CALLS_12
            elif (entry.get("settings") or {}).get("scaled_passing_score") is not None:
                calls = CHECK_CALLS
            else:
                calls = LESSON_CALLS
            finish_attempt(launch.attempt, calls)
    db.session.expire_all()
    return True


def _q1_begun(app, user):
    """The first page of the first Q1 module read to its end and nothing more, so that the
    overview's "Q1 begonnen" shows someone; once (no registration of that module yet)."""
    package = package_by_module(next(iter(app.config["Q1_MODULES"])))
    version = package.current_version if package else None
    if version is None or registrations_of(user, package):
        return
    for entry in version.entries():
        launch = launch_item(user, version, entry["id"])
        if launch.is_sco:
            finish_attempt(launch.attempt, LESSON_CALLS)
            return


def _summary(people):
    """One line: who is eligible, who misses what, who already holds a certificate."""
    parts = []
    for user in people:
        cert = current_certificate(user)
        if cert is not None:
            parts.append(f"{user.name} hat das Zertifikat Nr. {cert.number}")
            continue
        missing = rules.unmet(user)
        if missing:
            parts.append(f"{user.name} fehlt noch: {', '.join(str(r.label) for r in missing)}")
        else:
            parts.append(
                f"{user.name} ({user.email}) erfüllt alle Voraussetzungen – "
                f"Zertifikat ausstellen als {FOUNDATION}"
            )
    return "Zertifizierung: " + "; ".join(parts) + "."


def seed_certification(app, echo):
    """Erika Bereit (eligible), Jonas Fastfertig (no recommendation yet) and Paul Praxis (Q1
    begun), built once."""
    staff, trainer, mentor, reflector = (
        find_user(e) for e in (FOUNDATION, TRAINER, MENTOR, REFLECTOR)
    )
    if None in (staff, trainer, mentor, reflector):
        echo("Zertifizierung: Demo-Konten fehlen, keine Demo-Lotsen zur Zertifizierung angelegt.")
        return
    erika, jonas = _participant(app, *ERIKA), _participant(app, *JONAS)
    paul = _participant(app, *PAUL)
    people = {u.email: u for u in (erika, jonas, paul, mentor, reflector)}
    for user in (erika, jonas):
        _verified_records(user, staff)
    _q2_attendance(app, trainer, [erika, jonas])
    if not _reflecting_team(trainer, people.__getitem__):
        echo("Zertifizierung: Methodenbibliothek fehlt, keine Reflecting-Team-Sitzungen angelegt.")
    _mentoring(erika, jonas, mentor, staff)
    for user in (erika, jonas):
        if not _q1(app, user):
            echo("Zertifizierung: Q1-Pakete fehlen, Q1 für die Demo-Lotsen nicht bearbeitet.")
            break
    _q1_begun(app, paul)
    db.session.flush()
    echo(_summary([erika, jonas]))
