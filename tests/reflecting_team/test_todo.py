"""The to-do list decides in SQL what the policy decides session by session."""

from datetime import date, timedelta

from lotse_lms.extensions import db
from lotse_lms.reflecting_team import policy
from lotse_lms.reflecting_team.models import RTSession
from lotse_lms.reflecting_team.queries import todo


def by_policy(user):
    """The to-do list as the policy reads it from every session loaded whole, newest first."""
    sessions = db.session.scalars(
        db.select(RTSession).order_by(RTSession.held_on.desc(), RTSession.id.desc())
    ).all()
    return {
        "cases": [
            s.id
            for s in sessions
            if policy.is_case_owner(user, s) and s.case is None and not s.closed
        ],
        "reflections": [
            s.id for s in sessions if policy.may_reflect(user, s) and s.reflection_of(user) is None
        ],
        "self_reflections": [
            s.id for s in sessions if policy.may_self_reflect(user, s) and s.self_reflection is None
        ],
    }


def test_todo_lists_what_the_policy_allows_and_is_not_yet_written(cast, new_session):
    no_case = new_session()
    half_reflected = new_session(case=True, reflections=1)
    closed = new_session(case=True, reflections=3, closed=True)
    done = new_session(case=True, reflections=3, closed=True, self_reflection=True)
    ahead = new_session(case=True, held_on=date.today() + timedelta(days=7))
    first, second = cast.members[0], cast.members[1]

    owner = todo(cast.owner)
    assert [s.id for s in owner["cases"]] == [no_case.id]
    assert [s.id for s in owner["self_reflections"]] == [closed.id, half_reflected.id]
    assert owner["reflections"] == []
    assert [s.id for s in todo(second)["reflections"]] == [ahead.id, half_reflected.id]
    assert [s.id for s in todo(first)["reflections"]] == [ahead.id]
    assert done.id not in {s.id for person in [cast.owner, first] for s in todo(person)["cases"]}
    for person in [cast.owner, *cast.members, cast.outsider, cast.trainer]:
        found = {kind: [s.id for s in rows] for kind, rows in todo(person).items()}
        assert found == by_policy(person), person.name
    assert {"id", "title", "held_on"} <= set(owner["cases"][0]._fields)
