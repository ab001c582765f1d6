"""Assigning mentors: who may, who can be chosen, and that the history stays."""

import pytest
from sqlalchemy.exc import IntegrityError

from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.mentoring import mentors, operations
from lotse_lms.mentoring.models import MentorAssignment
from lotse_lms.mentoring.validation import MentoringError


def test_assignment_makes_the_mentor_current_and_tells_both(cast):
    assert operations.current_mentor(cast.mentee).id == cast.mentor.id
    recipients = set(db.session.scalars(db.select(OutboxMail.recipient)))
    assert {cast.mentee.email, cast.mentor.email} <= recipients
    audit = db.session.scalars(
        db.select(AuditEntry).filter_by(action="mentoring.mentor_assigned")
    ).one()
    assert audit.actor_id == cast.foundation.id and audit.subject_id == cast.mentee.id


def test_changing_the_mentor_ends_the_old_assignment_and_keeps_it(cast):
    operations.assign_mentor(
        cast.mentee, cast.other_mentor, cast.trainer, "Miriam hat keine Zeit mehr."
    )
    db.session.commit()
    history = operations.assignment_history(cast.mentee)
    assert [a.mentor.name for a in history] == ["Martin Mentor", "Miriam Mentorin"]
    new, old = history
    assert new.is_current and new.assigned_by.id == cast.trainer.id
    assert old.ended_at is not None and old.ended_by_id == cast.trainer.id
    assert old.end_reason == "Miriam hat keine Zeit mehr."
    assert operations.current_mentor(cast.mentee).id == cast.other_mentor.id
    current, former = operations.mentees_of(cast.mentor)
    assert current == [] and [a.mentee.id for a in former] == [cast.mentee.id]


def test_a_mentor_has_several_mentees(cast):
    operations.assign_mentor(cast.other_participant, cast.mentor, cast.foundation, "Passt gut.")
    db.session.commit()
    current, _former = operations.mentees_of(cast.mentor)
    assert [a.mentee.name for a in current] == ["Lena Lotsin", "Paul Praxis"]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reason_is_required(cast, reason):
    with pytest.raises(MentoringError) as exc:
        operations.assign_mentor(cast.other_participant, cast.mentor, cast.foundation, reason)
    assert exc.value.field == "reason"
    assert "warum" in exc.value.message


@pytest.mark.parametrize("who", ["mentee", "other_participant", "reflecting", "admin", "mentor"])
def test_only_foundation_and_trainers_assign(cast, who):
    with pytest.raises(MentoringError, match="Nur die Stiftung"):
        operations.assign_mentor(cast.other_participant, cast.other_mentor, getattr(cast, who), "x")
    assert operations.current_mentor(cast.other_participant) is None


def test_only_eligible_people_become_mentors(cast, person):
    inactive = person("mentor", name="Inaktiv")
    inactive.active = False
    db.session.commit()
    for candidate in (cast.trainer, cast.other_participant, inactive, None):
        with pytest.raises(MentoringError) as exc:
            operations.assign_mentor(cast.mentee, candidate, cast.foundation, "x")
        assert exc.value.field == "mentor"
    assert operations.current_mentor(cast.mentee).id == cast.mentor.id


def test_nobody_mentors_themselves(cast, person):
    both = person("participant", "mentor", name="Doppelrolle")
    with pytest.raises(MentoringError, match="selbst"):
        operations.assign_mentor(both, both, cast.foundation, "x")


def test_the_same_mentor_is_not_assigned_twice(cast):
    with pytest.raises(MentoringError, match="bereits"):
        operations.assign_mentor(cast.mentee, cast.mentor, cast.foundation, "noch einmal")
    db.session.rollback()
    assert len(operations.assignment_history(cast.mentee)) == 1


def test_only_participants_get_mentors(cast):
    with pytest.raises(MentoringError, match="Teilnehmenden"):
        operations.assign_mentor(cast.trainer, cast.mentor, cast.foundation, "x")


def test_eligible_mentors_are_mentor_role_holders_plus_registered_sources(app, cast, person):
    names = [u.name for u in mentors.eligible_mentors()]
    assert names == ["Martin Mentor", "Miriam Mentorin"]
    certified = person("participant", name="Carla Zertifiziert")
    mentors.register_mentor_source(app, lambda: [certified])
    assert "Carla Zertifiziert" in [u.name for u in mentors.eligible_mentors()]
    assert mentors.is_eligible_mentor(certified)
    operations.assign_mentor(cast.other_participant, certified, cast.foundation, "zertifiziert")
    assert operations.current_mentor(cast.other_participant).id == certified.id


def test_ending_an_assignment_keeps_it_in_the_history(cast):
    operations.end_assignment(cast.mentee, cast.foundation, "Mentorin pausiert.")
    db.session.commit()
    assert operations.current_mentor(cast.mentee) is None
    (old,) = operations.assignment_history(cast.mentee)
    assert old.end_reason == "Mentorin pausiert." and old.ended_by_id == cast.foundation.id
    assert cast.mentee in operations.participants_without_mentor()
    with pytest.raises(MentoringError, match="keine Mentorin"):
        operations.end_assignment(cast.mentee, cast.foundation, "nochmal")


def test_participants_without_mentor_lists_only_active_unassigned_participants(cast, person):
    gone = person("participant", name="Weg")
    gone.active = False
    db.session.commit()
    assert [u.name for u in operations.participants_without_mentor()] == ["Paul Praxis"]


def test_the_database_refuses_a_second_open_assignment(cast):
    db.session.add(
        MentorAssignment(mentee_id=cast.mentee.id, mentor_id=cast.other_mentor.id, reason="x")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
