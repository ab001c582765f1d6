"""The demo data has a current cohort: Lena sees it with her trainer and mentor."""

from lotse_lms.accounts.operations import find_user
from lotse_lms.cohorts.operations import cohorts_of, members_by_role


def test_seed_demo_puts_the_demo_people_into_one_cohort(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Durchgänge: „Demo-Durchgang“ angelegt." in first.output
    [(cohort, role)] = cohorts_of(find_user("teilnehmerin@lotse.example"))
    assert (cohort.name, role) == ("Demo-Durchgang", "participant")
    members = members_by_role(cohort)
    assert [m.user.name for m in members["trainer"]] == ["Tobias Trainer"]
    assert [m.user.name for m in members["mentor"]] == ["Miriam Mentorin"]
    again = runner.invoke(args=["seed-demo"])
    assert "Durchgänge" not in again.output
