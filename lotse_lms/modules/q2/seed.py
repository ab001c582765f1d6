"""Demo data: a small Q2 programme with full sessions, a waiting list and past attendance."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from ...accounts import DEMO_PASSWORD
from ...accounts.operations import create_user, find_user
from ...accounts.roles import Role
from ...core.timeutil import BERLIN, to_utc
from ...extensions import db
from . import attendance, operations, registrations
from .common import now_utc
from .held import held_session
from .models import LiveSession, RegStatus

DEMO_LOTSEN = [
    ("lotse.anna@lotse.example", "Anna Albers"),
    ("lotse.ben@lotse.example", "Ben Brandt"),
    ("lotse.cara@lotse.example", "Cara Celik"),
    ("lotse.david@lotse.example", "David Demir"),
    ("lotse.eva@lotse.example", "Eva Engel"),
]


def _at(days, hour, minutes=180):
    """A date ``days`` from today at ``hour`` Berlin time lasting ``minutes``."""
    day = (now_utc().astimezone(BERLIN) + timedelta(days=days)).date()
    start = to_utc(datetime(day.year, day.month, day.day, hour))
    return start, start + timedelta(minutes=minutes)


def _session(trainer, title, topic, fmt, days, capacity, held=None, **extra):
    """Create one demo session unless a session with this title exists; ``held`` = (people,
    days back): it has taken place with them enrolled."""
    found = db.session.scalar(sa.select(LiveSession).filter_by(title=title))
    if found:
        return found, False
    start, end = _at(days, 9 if days % 2 else 14)
    data = {
        "title": title,
        "topic": topic,
        "format": fmt,
        "capacity": capacity,
        "dates": [(start, end)],
        "trainer_ids": [trainer.id],
        "description": extra.pop("description", ""),
        **extra,
    }
    if held is not None:
        people, back = held
        return held_session(trainer, data, people, timedelta(days=back)), True
    return operations.create_session(trainer, data), True


def seed_q2(app, echo):
    """Demo Lotsen and five sessions: open, full with waiting list, virtual, hybrid, and one past."""
    trainer = find_user("trainer@lotse.example")
    lena = find_user("teilnehmerin@lotse.example")
    if trainer is None or lena is None:
        return
    lotsen = [lena]
    for email, name in DEMO_LOTSEN:
        user = find_user(email) or create_user(
            email,
            name,
            roles=[Role.PARTICIPANT],
            password=DEMO_PASSWORD,
            organisation="Demo-Beratung GmbH",
            region=app.config["REGIONS"][1],
        )
        lotsen.append(user)
    region = app.config["REGIONS"][0]
    venue = {"venue": "Stiftung Mittelstand, Musterstraße 1, 70173 Stuttgart", "region": region}
    link = {"meeting_url": "https://meet.example.org/om-lotsen-q2"}
    s1, new1 = _session(
        trainer,
        "Experimentierräume initiieren – Auftakt",
        "initiating",
        "in_person",
        10,
        12,
        description="Wie entsteht ein **Experimentierraum**? Wir üben den Einstieg mit "
        "Unternehmen aus der Region.",
        **venue,
    )
    s2, new2 = _session(
        trainer,
        "Moderation von Experimentierräumen",
        "moderating",
        "virtual",
        13,
        3,
        description="Methoden und Haltung der Moderation, online.",
        **link,
    )
    _session(
        trainer,
        "Unternehmen begleiten – Praxisfälle",
        "supporting",
        "hybrid",
        21,
        16,
        **venue,
        **link,
    )
    _session(trainer, "Netzwerke aufbauen", "network", "virtual", 28, 20, **link)
    past, new_past = _session(
        trainer,
        "Community-Aufbau für Lotsen und Unternehmen",
        "community",
        "in_person",
        3,
        10,
        held=(lotsen[:4], 10),  # in the past, so the demo shows recorded attendance
        **venue,
    )
    if new1:
        for user in lotsen[:3]:
            registrations.enrol(user, s1.id)
    if new2:
        for user in lotsen:  # three places: three enrolled, three waiting
            registrations.enrol(user, s2.id)
    if new_past:
        for number, reg in enumerate(
            r for r in operations.active_registrations(past) if r.status == RegStatus.ENROLLED
        ):
            attendance.record_attendance(
                reg, trainer, ["present", "present", "excused", "absent"][number]
            )
    db.session.flush()
    echo(
        f"Q2: {db.session.scalar(sa.select(sa.func.count(LiveSession.id)))} Live-Termine, "
        f"{len(DEMO_LOTSEN)} weitere Demo-Lotsen (Passwort wie oben)."
    )
