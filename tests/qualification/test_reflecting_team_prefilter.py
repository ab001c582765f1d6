"""The reflecting-team step for many people: a fixed number of queries, and the SQL
prefilter of "done" names exactly the people whose computed state is done."""

from datetime import date

import pytest
import sqlalchemy as sa

from lotse_lms.accounts.models import User
from lotse_lms.extensions import db
from lotse_lms.qualification import overview
from lotse_lms.qualification.state import DONE, prefilter, states
from lotse_lms.reflecting_team import operations as rt

pytestmark = pytest.mark.config(
    CERT_RULES=["reflecting_team"], RT_MIN_AS_CASE_OWNER=1, RT_MIN_AS_MEMBER=2
)
TEXTS = {"observations": "Gesehen.", "hypotheses": "", "ideas": "Klein anfangen."}


def _sessions(trainer, helpers, people):
    """Each person brings a case to a team of two helpers and the next two people.

    Even owners write the closing self-reflection (owner step met); the two people in the
    team reflect unless the owner's number is divisible by three (member step needs two)."""
    for i, owner in enumerate(people):
        team = [people[(i + 1) % len(people)], people[(i + 2) % len(people)]]
        session = rt.create_session(
            trainer,
            held_on=date(2026, 3, 1),
            case_owner=owner,
            members=[*helpers, *team],
            method_slug="reflecting-team-andersen",
            notify=False,
        )
        rt.submit_case(session, owner, situation="Fall", firms="Betrieb", question="Wie?")
        if i % 3:
            for member in team:
                rt.record_reflection(session, member, **TEXTS)
        rt.close_session(session, trainer)
        if i % 2 == 0:
            rt.record_self_reflection(session, owner, takeaways="Viel.", next_steps="Pilot.")
    db.session.commit()


def _measure(count_queries):
    """(statements for everyone's states, the done people by state, the done people by SQL)."""
    db.session.expire_all()
    queries, result = count_queries(states, overview.participants(), keys=["reflecting_team"])
    done = {uid for uid, (step,) in result.items() if step.state == DONE}
    by_sql = set(
        db.session.scalars(sa.select(User.id).where(prefilter("reflecting_team", DONE, User.id)))
    )
    return queries, done, by_sql


def test_states_and_prefilter_agree_in_a_fixed_number_of_queries(make_user, count_queries):
    trainer = make_user("trainer", password=None)
    helpers = [make_user("reflecting_team", password=None) for _ in range(2)]
    small_people = [make_user("participant", password=None) for _ in range(3)]
    _sessions(trainer, helpers, small_people)
    small, done, by_sql = _measure(count_queries)
    assert done == by_sql
    large_people = [make_user("participant", password=None) for _ in range(30)]
    _sessions(trainer, helpers, large_people)
    large, done, by_sql = _measure(count_queries)
    assert done == by_sql and small == large, (small, large)
    # Owner 0, 2, 4 … met; as member two reflections: owners i-1 and i-2 not divisible by 3.
    expected = {
        p.id
        for i, p in enumerate(large_people)
        if i % 2 == 0 and (i - 1) % 30 % 3 and (i - 2) % 30 % 3
    }
    assert expected and done & {p.id for p in large_people} == expected
