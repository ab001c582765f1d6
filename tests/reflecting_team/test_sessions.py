"""A trainer sets up, changes and closes sessions; bad input changes nothing."""

from datetime import date

import pytest

from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.reflecting_team import operations
from lotse_lms.reflecting_team.models import RTSession
from lotse_lms.reflecting_team.operations import ReflectingTeamError

from .conftest import METHOD


def _count(model):
    """Rows of ``model``."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_trainer_sets_up_session_and_people_are_told(cast, q2_live_session):
    session = operations.create_session(
        cast.trainer,
        held_on=date(2026, 12, 3),
        case_owner=cast.owner,
        members=cast.members,
        method_slug=METHOD,
        q2_session_id=q2_live_session.id,
    )
    db.session.commit()
    assert session.title == "Reflecting Team mit Olga Fallgeberin"
    assert session.method_title == "Reflecting Team nach Tom Andersen"
    assert [u.name for u in session.member_users] == [
        "Max Mitglied",
        "Mia Mentorin",
        "Rolf Reflektor",
    ]
    assert session.q2_session_id == q2_live_session.id and not session.closed
    recipients = {m.recipient for m in db.session.scalars(db.select(OutboxMail))}
    assert recipients == {cast.owner.email, *[m.email for m in cast.members]}
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "reflecting_team.session_created")
    )
    assert entry.actor_id == cast.trainer.id and entry.subject_id == cast.owner.id


def _bad(cast, **change):
    """Arguments of create_session with one thing wrong."""
    args = dict(
        held_on=date(2026, 12, 3), case_owner=cast.owner, members=cast.members, method_slug=METHOD
    )
    args.update({k: v(cast) if callable(v) else v for k, v in change.items()})
    return args


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"held_on": None}, "held_on", "Datum"),
        ({"members": lambda c: c.members[:2]}, "members", "3 bis 5 Personen"),
        (
            {"members": lambda c: c.members + [c.outsider, c.other_trainer, c.admin]},
            "members",
            "Lotsinnen und Lotsen",
        ),
        (
            {"members": lambda c: c.members + [c.outsider, c.other_trainer, c.foundation]},
            "members",
            "Lotsinnen",
        ),
        (
            {"members": lambda c: [c.owner, *c.members]},
            "members",
            "nicht zugleich im Reflecting Team",
        ),
        ({"members": lambda c: [c.members[0], *c.members]}, "members", "nur einmal"),
        ({"members": lambda c: [c.trainer, *c.members]}, "members", "Wer moderiert"),
        ({"case_owner": lambda c: c.members[1]}, "case_owner", "angehende Lotsin"),
        ({"case_owner": None}, "case_owner", "angehende Lotsin"),
        ({"method_slug": "gibt-es-nicht"}, "method_slug", "Methodenbibliothek"),
        ({"q2_session_id": -3}, "q2_session_id", "positive Zahl"),
        ({"q2_session_id": 999}, "q2_session_id", "gibt es nicht"),
        ({"title": "x" * 201}, "title", "200 Zeichen"),
    ],
)
def test_bad_session_input_is_refused_with_german_message(cast, change, field, message):
    with pytest.raises(ReflectingTeamError) as info:
        operations.create_session(cast.trainer, **_bad(cast, **change))
    db.session.rollback()
    assert info.value.field == field and message in info.value.message
    assert _count(RTSession) == 0 and _count(OutboxMail) == 0


@pytest.mark.config(RT_MIN_MEMBERS=2, RT_MAX_MEMBERS=2)
def test_team_size_limits_come_from_config(cast):
    with pytest.raises(ReflectingTeamError, match="2 bis 2 Personen"):
        operations.create_session(cast.trainer, **_bad(cast))
    db.session.rollback()
    assert operations.create_session(cast.trainer, **_bad(cast, members=lambda c: c.members[:2]))


def test_only_trainers_set_up_sessions(cast):
    with pytest.raises(ReflectingTeamError, match="Nur Trainerinnen"):
        operations.create_session(cast.foundation, **_bad(cast))


def test_trainer_changes_frame_but_keeps_who_already_wrote(cast, new_session):
    session = new_session(reflections=1)
    replacement = cast.outsider
    with pytest.raises(ReflectingTeamError, match="Wer schon reflektiert hat"):
        operations.update_session(
            session, cast.trainer, **_bad(cast, members=lambda c: [*c.members[1:], replacement])
        )
    db.session.rollback()
    with pytest.raises(ReflectingTeamError, match="fallgebende Person bleibt"):
        operations.update_session(
            session, cast.trainer, **_bad(cast, case_owner=replacement, members=lambda c: c.members)
        )
    db.session.rollback()
    changed = operations.update_session(
        session,
        cast.trainer,
        **_bad(
            cast,
            members=lambda c: [c.members[0], c.members[1], replacement],
            method_slug="fishbowl",
            held_on=date(2026, 12, 10),
        ),
    )
    db.session.commit()
    assert set(changed) == {"members", "method", "held_on"}
    assert [u.name for u in session.member_users] == [
        "Max Mitglied",
        "Mia Mentorin",
        "Otto Außenstehend",
    ]
    assert session.method_slug == "fishbowl"
    assert db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "reflecting_team.session_updated")
    )


def test_other_trainer_cannot_change_or_close(cast, new_session):
    session = new_session()
    with pytest.raises(ReflectingTeamError):
        operations.update_session(session, cast.other_trainer, **_bad(cast))
    with pytest.raises(ReflectingTeamError):
        operations.close_session(session, cast.other_trainer)


def test_closing_locks_the_session_once(cast, new_session):
    session = new_session(case=True, reflections=2)
    operations.close_session(session, cast.trainer)
    db.session.commit()
    assert session.closed and session.closed_by.id == cast.trainer.id
    mail = db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    assert mail.recipient == cast.owner.email and "Selbstreflexion" in mail.subject
    with pytest.raises(ReflectingTeamError, match="bereits abgeschlossen"):
        operations.close_session(session, cast.trainer)
    with pytest.raises(ReflectingTeamError, match="abgeschlossen"):
        operations.update_session(session, cast.trainer, **_bad(cast))
