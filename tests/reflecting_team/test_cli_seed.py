"""Commands of the reflecting team and its demo data."""

import pytest

from lotse_lms.accounts.operations import find_user
from lotse_lms.core.seed import run_seeders
from lotse_lms.extensions import db
from lotse_lms.reflecting_team import queries
from lotse_lms.reflecting_team.models import RTReflection, RTSession

from .test_methods import FIXTURES


def test_rt_methods_lists_the_library(runner):
    result = runner.invoke(args=["rt-methods"])
    assert result.exit_code == 0, result.output
    assert "reflecting-team-andersen" in result.output and "60 min" in result.output


@pytest.mark.config(RT_METHODS_DIR=str(FIXTURES / "broken"))
def test_rt_methods_names_the_broken_file(runner):
    result = runner.invoke(args=["rt-methods"])
    assert result.exit_code != 0 and "01-ohne-stolpersteine.md" in result.output


def test_rt_participation_prints_the_counts(runner, cast, new_session):
    new_session(reflections=1, closed=True, self_reflection=True)
    result = runner.invoke(args=["rt-participation", cast.owner.email])
    assert "as case owner: 1/1, as member: 0/2, met: no" in result.output
    assert runner.invoke(args=["rt-participation", "niemand@example.org"]).exit_code != 0


def test_demo_data_is_alive_and_seeding_twice_changes_nothing(app):
    run_seeders(app, lambda *_a: None)
    db.session.commit()
    run_seeders(app, lambda *_a: None)
    db.session.commit()
    # The certification demo (seeded after this one) adds its Lotsen's sessions; left aside here.
    from lotse_lms.reflecting_team.seed import SESSIONS

    ours = RTSession.title.in_([spec["title"] for spec in SESSIONS])
    sessions = db.session.scalars(db.select(RTSession).where(ours)).all()
    assert len(sessions) == 3 and sum(s.closed for s in sessions) == 2
    assert (
        db.session.scalar(db.select(db.func.count(RTReflection.id)).join(RTSession).where(ours))
        == 6
    )
    lena = find_user("teilnehmerin@lotse.example")
    counts = queries.participation(lena)
    assert (counts["as_case_owner"], counts["as_member"]) == (1, 1)
    from lotse_lms.reflecting_team.queries import todo

    assert [s.title for s in todo(lena)["reflections"]] == [
        "Schichtplanung digital im Pflegeverbund"
    ]
