"""Fixtures of the rooms tests: a certified Lotse, a Lotse in training with a mentor, staff,
and a room led by the certified Lotse."""

import re

import pytest
import sqlalchemy as sa

from lotse_lms.certification import operations as certification
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db
from lotse_lms.mentoring import operations as mentoring
from lotse_lms.rooms import operations
from tests.certification.qualification import ALL_PARTS, Qualification

ROOM = {
    "title": "Digitale Werkstatt Rhein-Ruhr",
    "topics": ["medienkompetenz", "reparaturauftraege"],
    "bundesland": "NW",
    "postcode_area": "44",
    "sector": "handwerk",
    "size_min": 5,
    "size_max": 25,
    "format": "hybrid",
    "capacity": 8,
    "public_description": "Handwerksbetriebe verschiedener Gewerke tauschen sich aus.",
    "private_description": "Treffpunkt: Werkstatt von Betrieb A.",
}


def room_data(**changes):
    """The fields of a valid room, with ``changes``."""
    return {**ROOM, **changes}


@pytest.fixture
def staff(make_user):
    """A foundation member."""
    return make_user("foundation", name="Sabine Stiftung")


@pytest.fixture
def qualification(app, make_user, staff):
    """The supporting cast that qualifies a Lotse (trainer, mentor, team)."""
    return Qualification(app, make_user, staff)


@pytest.fixture
def certified(make_user, staff, qualification):
    """Factory: a certified Lotse (every prerequisite met through the areas, certificate issued)."""

    def factory(name="Lena Lotsin", email=None):
        user = make_user("participant", name=name, email=email)
        steps = {
            "authorisation": qualification.authorisation,
            "workshop": qualification.workshop,
            "q1": qualification.q1,
            "q2": lambda u: qualification.q2(u, hours=12),
            "reflecting_team": qualification.reflecting_team,
            "mentor": qualification.mentor_recommendation,
        }
        for part in ALL_PARTS:
            steps[part](user)
            db.session.commit()
        certification.issue(user, staff)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def lotse(certified):
    """A certified Lotse."""
    return certified()


@pytest.fixture
def mentor(make_user):
    """A mentor."""
    return make_user("mentor", name="Mona Mentorin")


@pytest.fixture
def trainee(make_user, mentor, staff):
    """A participant in training whose mentor is ``mentor``."""
    user = make_user("participant", name="Tom Trainee")
    mentoring.assign_mentor(user, mentor, staff, "Passt fachlich.")
    db.session.commit()
    return user


@pytest.fixture
def room(lotse):
    """A planned room led by the certified Lotse."""
    created = operations.create_room(room_data(), lotse, lotse)
    db.session.commit()
    return created


@pytest.fixture
def work_room(trainee):
    """A room led by a Lotse in training, with two firms whose contacts joined by invitation,
    and a second room with a firm of its own."""
    from .joining import join_firm

    room = operations.create_room(room_data(), trainee, trainee)
    other_room = operations.create_room(room_data(title="Anderer Raum"), trainee, trainee)
    db.session.commit()
    anna, firm_a = join_firm(room, "Anna Albers", "Tischlerei Albers")
    bernd, firm_b = join_firm(room, "Bernd Berger", "Elektro Berger")
    other, other_firm = join_firm(other_room, "Olga Fremd", "Bäckerei Fremd")
    return {
        "room": room,
        "lead": trainee,
        "anna": anna,
        "bernd": bernd,
        "firm_a": firm_a,
        "firm_b": firm_b,
        "other_room": other_room,
        "other_firm": other_firm,
        "other_contact": other,
    }


def mails_to(address, about=""):
    """The mails queued for ``address`` whose subject contains ``about``, oldest first (from
    the outbox table)."""
    return db.session.scalars(
        sa.select(OutboxMail)
        .where(OutboxMail.recipient == address, OutboxMail.subject.contains(about))
        .order_by(OutboxMail.id)
    ).all()


def link_in(body, path_part):
    """The first link in a mail body that contains ``path_part``, as a local path."""
    match = re.search(r"https?://[^\s]*" + re.escape(path_part) + r"[^\s]*", body)
    assert match, body
    return re.sub(r"^https?://[^/]+", "", match.group(0))


@pytest.fixture
def open_room(room, lotse):
    """The Lotse's room, open for sign-up."""
    operations.change_phase(room, "open", lotse)
    db.session.commit()
    return room
