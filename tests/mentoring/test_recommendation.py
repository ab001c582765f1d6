"""The mentor's recommendation: reason required, only the current mentor, history kept."""

import pytest

from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db
from lotse_lms.mentoring import operations
from lotse_lms.mentoring.validation import MentoringError


def test_no_recommendation_means_not_recommended(cast):
    assert operations.current_recommendation(cast.mentee) is None
    assert operations.is_recommended(cast.mentee) is False


def test_recommendation_with_reason_makes_the_mentee_recommended(cast):
    rec = operations.recommend(
        cast.mentee, cast.mentor, "recommended", "Hat den Raum souverän moderiert."
    )
    db.session.commit()
    current = operations.current_recommendation(cast.mentee)
    assert current.id == rec.id
    assert (current.status, current.reason, current.mentor.id) == (
        "recommended",
        "Hat den Raum souverän moderiert.",
        cast.mentor.id,
    )
    assert current.created_at.tzinfo is not None
    assert operations.is_recommended(cast.mentee) is True


@pytest.mark.parametrize("status", ["recommended", "not_yet"])
def test_a_reason_is_required_for_both_outcomes(cast, status):
    with pytest.raises(MentoringError) as exc:
        operations.recommend(cast.mentee, cast.mentor, status, "  ")
    assert exc.value.field == "reason" and "begründen" in exc.value.message


@pytest.mark.parametrize("status", [None, "", "maybe", "RECOMMENDED"])
def test_the_outcome_must_be_one_of_the_two(cast, status):
    with pytest.raises(MentoringError) as exc:
        operations.recommend(cast.mentee, cast.mentor, status, "Grund")
    assert exc.value.field == "status"


def test_a_new_recommendation_replaces_the_old_and_both_stay(cast):
    first = operations.recommend(
        cast.mentee, cast.mentor, "not_yet", "Experimentierraum fehlt noch."
    )
    db.session.commit()
    second = operations.recommend(cast.mentee, cast.mentor, "recommended", "Jetzt vollständig.")
    db.session.commit()
    assert [r.id for r in operations.recommendations_of(cast.mentee)] == [second.id, first.id]
    assert operations.is_recommended(cast.mentee)
    third = operations.recommend(cast.mentee, cast.mentor, "not_yet", "Doch noch eine Lücke.")
    db.session.commit()
    assert operations.current_recommendation(cast.mentee).id == third.id
    assert not operations.is_recommended(cast.mentee)
    log = db.session.scalars(
        db.select(AuditEntry)
        .filter_by(action="mentoring.recommendation_given")
        .order_by(AuditEntry.id)
    ).all()
    assert [e.details["status"] for e in log] == ["not_yet", "recommended", "not_yet"]
    assert log[2].details["replaces"] == second.id


@pytest.mark.parametrize(
    "who", ["other_mentor", "foundation", "trainer", "mentee", "admin", "reflecting"]
)
def test_only_the_current_mentor_recommends(cast, who):
    with pytest.raises(MentoringError, match="aktuelle Mentorin"):
        operations.recommend(cast.mentee, getattr(cast, who), "recommended", "Grund")
    assert operations.current_recommendation(cast.mentee) is None


def test_former_mentor_cannot_recommend_but_the_recommendation_stays_in_effect(cast):
    operations.recommend(cast.mentee, cast.mentor, "recommended", "Gut.")
    operations.assign_mentor(cast.mentee, cast.other_mentor, cast.foundation, "Wechsel")
    db.session.commit()
    with pytest.raises(MentoringError):
        operations.recommend(cast.mentee, cast.mentor, "not_yet", "Doch nicht.")
    assert operations.is_recommended(cast.mentee)
    operations.recommend(cast.mentee, cast.other_mentor, "not_yet", "Ich kenne sie noch nicht.")
    assert not operations.is_recommended(cast.mentee)
