"""Cases, reflections and self-reflections: who writes when, locking, amendments, audit."""

from datetime import date, timedelta

import pytest

from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db
from lotse_lms.reflecting_team import operations
from lotse_lms.reflecting_team.models import RTAmendment, RTCase, RTReflection
from lotse_lms.reflecting_team.operations import ReflectingTeamError

CASE = dict(
    situation="Zwei Betriebe teilen eine Cloud.", firms="Tischlerei, Malerbetrieb", question="Wie?"
)


def _actions():
    """Audit actions written so far, in order."""
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_case_owner_describes_case_and_members_are_told(cast, new_session):
    session = new_session()
    case = operations.submit_case(session, cast.owner, **CASE)
    db.session.commit()
    assert case.author.id == cast.owner.id and session.case.question == "Wie?"
    assert "reflecting_team.case_submitted" in _actions()


@pytest.mark.parametrize("field", ["situation", "firms", "question"])
def test_case_needs_every_field(cast, new_session, field):
    session = new_session()
    with pytest.raises(ReflectingTeamError) as info:
        operations.submit_case(session, cast.owner, **{**CASE, field: "   "})
    db.session.rollback()
    assert info.value.field == field
    assert db.session.scalar(db.select(db.func.count(RTCase.id))) == 0


def test_case_refuses_email_addresses_of_third_parties(cast, new_session):
    session = new_session()
    with pytest.raises(ReflectingTeamError, match="E-Mail-Adressen") as info:
        operations.submit_case(
            session, cast.owner, **{**CASE, "firms": "Herr X, x.mueller@betrieb.de"}
        )
    assert info.value.field == "firms"


def test_only_case_owner_describes_case(cast, new_session):
    session = new_session()
    for person in [cast.members[0], cast.trainer, cast.foundation, cast.outsider]:
        with pytest.raises(ReflectingTeamError, match="Nur die fallgebende Person"):
            operations.submit_case(session, person, **CASE)


def test_revising_case_logs_which_fields_changed_but_no_wording(cast, new_session):
    session = new_session(case=True)
    operations.submit_case(session, cast.owner, **{**CASE, "question": "Neue Frage?"})
    db.session.commit()
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "reflecting_team.case_revised")
    )
    assert "question" in entry.details["changed"]
    assert entry.details["lengths"]["question"] == len("Neue Frage?")
    assert entry.actor_id == cast.owner.id and entry.at is not None
    assert "Wie weiter" not in str(entry.details) and "Neue Frage" not in str(entry.details)


def test_members_reflect_once_the_case_is_there(cast, new_session):
    session = new_session()
    with pytest.raises(ReflectingTeamError, match="noch nicht beschrieben"):
        operations.record_reflection(
            session, cast.members[0], observations="x", hypotheses="", ideas=""
        )
    operations.submit_case(session, cast.owner, **CASE)
    reflection = operations.record_reflection(
        session,
        cast.members[0],
        observations="Ruhig.",
        hypotheses="Vielleicht Zeitdruck.",
        ideas="",
    )
    again = operations.record_reflection(
        session, cast.members[0], observations="Ruhig und klar.", hypotheses="", ideas=""
    )
    db.session.commit()
    assert again.id == reflection.id and reflection.observations == "Ruhig und klar."
    assert "reflecting_team.reflection_revised" in _actions()


def test_reflection_needs_at_least_one_field(cast, new_session):
    session = new_session(case=True)
    with pytest.raises(ReflectingTeamError, match="mindestens eines") as info:
        operations.record_reflection(
            session, cast.members[1], observations=" ", hypotheses="", ideas=""
        )
    assert info.value.field == "observations"


@pytest.mark.parametrize("who", ["owner", "trainer", "foundation", "outsider", "admin"])
def test_only_members_reflect(cast, new_session, who):
    session = new_session(case=True)
    with pytest.raises(ReflectingTeamError, match="Nur Mitglieder"):
        operations.record_reflection(
            session, getattr(cast, who), observations="x", hypotheses="", ideas=""
        )


def test_text_length_is_limited(cast, new_session):
    session = new_session(case=True)
    with pytest.raises(ReflectingTeamError, match="Höchstens"):
        operations.record_reflection(
            session, cast.members[0], observations="x" * 20_001, hypotheses="", ideas=""
        )


def test_closing_locks_texts_and_corrections_become_amendments(cast, new_session):
    session = new_session(reflections=2, closed=True)
    member = cast.members[0]
    reflection = session.reflection_of(member)
    with pytest.raises(ReflectingTeamError, match="abgeschlossen"):
        operations.record_reflection(
            session, member, observations="Überschrieben", hypotheses="", ideas=""
        )
    with pytest.raises(ReflectingTeamError, match="abgeschlossen"):
        operations.record_reflection(
            session, cast.members[2], observations="Zu spät", hypotheses="", ideas=""
        )
    with pytest.raises(ReflectingTeamError, match="abgeschlossen"):
        operations.submit_case(session, cast.owner, **CASE)
    db.session.rollback()
    amendment = operations.add_amendment(reflection, member, "Ergänzung: **Zeitdruck** war Thema.")
    db.session.commit()
    db.session.refresh(reflection)
    assert reflection.observations == "Beobachtung von Max Mitglied"
    assert amendment.target_kind == "reflection" and amendment.target_id == reflection.id
    assert "reflecting_team.amendment_added" in _actions()


def test_amendments_only_by_the_author_and_only_when_locked(cast, new_session):
    open_session = new_session(reflections=1)
    with pytest.raises(ReflectingTeamError, match="direkt"):
        operations.add_amendment(open_session.reflection_of(cast.members[0]), cast.members[0], "x")
    session = new_session(reflections=1, closed=True)
    reflection = session.reflection_of(cast.members[0])
    for person in [cast.members[1], cast.owner, cast.trainer, cast.foundation]:
        with pytest.raises(ReflectingTeamError, match="Nur wer den Text geschrieben hat"):
            operations.add_amendment(reflection, person, "Fremde Korrektur")
    with pytest.raises(ReflectingTeamError) as info:
        operations.add_amendment(reflection, cast.members[0], "  ")
    assert info.value.field == "body"
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(RTAmendment.id))) == 0


def test_self_reflection_comes_after_the_session(cast, new_session):
    future = new_session(case=True, held_on=date.today() + timedelta(days=3))
    with pytest.raises(ReflectingTeamError, match="nach der Sitzung"):
        operations.record_self_reflection(future, cast.owner, takeaways="a", next_steps="b")
    no_case = new_session()
    with pytest.raises(ReflectingTeamError, match="zuerst Ihren Fall"):
        operations.record_self_reflection(no_case, cast.owner, takeaways="a", next_steps="b")
    with pytest.raises(ReflectingTeamError, match="Nur die fallgebende Person"):
        operations.record_self_reflection(future, cast.members[0], takeaways="a", next_steps="b")


def test_self_reflection_written_after_closing_is_final(cast, new_session):
    session = new_session(reflections=3, closed=True)
    with pytest.raises(ReflectingTeamError) as info:
        operations.record_self_reflection(session, cast.owner, takeaways="Viel.", next_steps="")
    assert info.value.field == "next_steps"
    own = operations.record_self_reflection(
        session, cast.owner, takeaways="Viel.", next_steps="Pilot."
    )
    db.session.commit()
    with pytest.raises(ReflectingTeamError, match="Nachtrag"):
        operations.record_self_reflection(
            session, cast.owner, takeaways="Anders.", next_steps="Anders."
        )
    operations.add_amendment(own, cast.owner, "Pilot startet im Januar.")
    db.session.commit()
    assert own.takeaways == "Viel."


def test_nothing_is_deleted_when_the_team_changes(cast, new_session):
    session = new_session(reflections=1)
    operations.update_session(
        session,
        cast.trainer,
        held_on=session.held_on,
        case_owner=cast.owner,
        members=[*cast.members[:1], cast.members[2], cast.outsider],
        method_slug=session.method_slug,
    )
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(RTReflection.id))) == 1
