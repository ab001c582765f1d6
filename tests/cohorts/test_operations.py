"""Cohorts as the foundation runs them: dates, members, who may be where."""

from datetime import date

import pytest

from lotse_lms.cohorts import operations
from lotse_lms.cohorts.models import CohortMember
from lotse_lms.cohorts.operations import CohortError
from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db

from .conftest import PAST


def test_a_cohort_with_every_bad_field_is_refused_with_all_reasons_at_once(make_cohort, make_user):
    make_cohort(name="Frühjahr 2027")
    staff = make_user("foundation")
    with pytest.raises(CohortError) as caught:
        operations.create_cohort("Frühjahr 2027", date(2027, 6, 1), date(2027, 1, 1), staff)
    fields = [field for field, _message in caught.value.errors]
    assert fields == ["name", "ends_on"]
    with pytest.raises(CohortError) as caught:
        operations.create_cohort("  ", None, None, staff)
    assert [f for f, _m in caught.value.errors] == ["name", "starts_on", "ends_on"]


def test_creating_and_changing_a_cohort_is_audited(make_user):
    staff = make_user("foundation")
    cohort = operations.create_cohort(" Herbst 2027 ", date(2027, 9, 1), date(2028, 6, 30), staff)
    assert cohort.name == "Herbst 2027"
    changed = operations.update_cohort(
        cohort, "Herbst 2027", date(2027, 9, 15), date(2028, 6, 30), staff
    )
    db.session.commit()
    assert changed == {"starts_on": [date(2027, 9, 1), date(2027, 9, 15)]}
    query = db.select(AuditEntry.action).where(AuditEntry.action.startswith("cohorts."))
    actions = db.session.scalars(query.order_by(AuditEntry.id)).all()
    assert actions == ["cohorts.created", "cohorts.changed"]


def test_members_join_in_their_role_and_leave_again(make_cohort, make_user):
    lena, trainer, mentor = make_user(), make_user("trainer"), make_user("mentor")
    cohort = make_cohort(participants=[lena], trainers=[trainer], mentors=[mentor])
    members = operations.members_by_role(cohort)
    assert [m.user for m in members["participant"]] == [lena]
    assert [m.user for m in members["trainer"]] == [trainer]
    assert [m.user for m in members["mentor"]] == [mentor]
    operations.remove_member(members["trainer"][0], make_user("foundation"))
    db.session.commit()
    assert operations.members_by_role(cohort)["trainer"] == []


def test_a_participant_is_in_one_current_cohort_but_may_have_past_ones(make_cohort, make_user):
    lena = make_user(name="Lena Lotsin")
    old = make_cohort(name="2024", starts_on=PAST[0], ends_on=PAST[1])
    operations.add_member(old, lena, "participant", make_user("foundation"))
    current = make_cohort(name="Jetzt", participants=[lena])
    later = make_cohort(name="Später")
    with pytest.raises(CohortError) as caught:
        operations.add_member(later, lena, "participant", make_user("foundation"))
    assert "Lena Lotsin nimmt bereits am laufenden Durchgang „Jetzt“ teil." in caught.value.message
    assert [c.name for c, _role in operations.cohorts_of(lena)] == [current.name]


def test_a_role_the_account_does_not_hold_and_a_second_entry_are_refused(make_cohort, make_user):
    lena = make_user(name="Lena Lotsin")
    cohort = make_cohort(participants=[lena])
    with pytest.raises(CohortError) as caught:
        operations.add_member(cohort, lena, "trainer", make_user("foundation"))
    assert "Lena Lotsin hat nicht die Rolle „Trainerin / Trainer“." in caught.value.message
    with pytest.raises(CohortError, match="gehört diesem Durchgang bereits an"):
        operations.add_member(cohort, lena, "participant", make_user("foundation"))
    assert db.session.scalar(db.select(db.func.count(CohortMember.id))) == 1


def test_a_trainer_may_train_several_current_cohorts(make_cohort, make_user):
    trainer = make_user("trainer")
    make_cohort(trainers=[trainer])
    make_cohort(trainers=[trainer])
    assert len(operations.cohorts_of(trainer)) == 2


def test_the_person_search_finds_people_of_the_role_only(make_user):
    make_user(name="Anna Teilnehmerin")
    trainer = make_user("trainer", name="Anna Trainerin")
    assert operations.search_people("anna", "trainer") == [trainer]
    assert operations.search_people("a", "trainer") == []
    assert operations.search_people("%", "trainer") == []
