"""What certification can rely on: counted sessions as case owner and as team member."""

import pytest

from lotse_lms.core import dashboard
from lotse_lms.qualification.state import path_of
from lotse_lms.reflecting_team import operations, queries

from .conftest import sign_in


def steps_for(app, user):
    """The dashboard steps of ``user`` (they link to pages, so a request context is needed)."""
    with app.test_request_context():
        return dashboard.steps_for(app, user)


def test_nothing_counts_before_the_session_is_closed(cast, new_session):
    new_session(reflections=3, self_reflection=True)
    owner = queries.participation(cast.owner)
    member = queries.participation(cast.members[0])
    assert (owner["as_case_owner"], owner["met"]) == (0, False)
    assert member["as_member"] == 0
    assert owner["sessions"][0]["role"] == "case_owner" and owner["sessions"][0]["counts"] is False


def test_closed_session_counts_for_owner_with_self_reflection_and_members_who_reflected(
    cast, new_session
):
    session = new_session(reflections=2, closed=True)
    assert queries.participation(cast.owner)["as_case_owner"] == 0  # self-reflection missing
    operations.record_self_reflection(session, cast.owner, takeaways="a", next_steps="b")
    assert queries.participation(cast.owner)["as_case_owner"] == 1
    assert queries.participation(cast.members[0])["as_member"] == 1
    assert queries.participation(cast.members[2])["as_member"] == 0  # did not reflect


def test_thresholds_decide_whether_it_is_met(app, cast, new_session, make_user):
    owner_session = new_session(reflections=3, closed=True, self_reflection=True)
    counts = queries.participation(cast.members[0])
    assert counts == {
        "as_case_owner": 0,
        "as_member": 1,
        "required_as_case_owner": 1,
        "required_as_member": 2,
        "met": False,
        "sessions": [
            {
                "id": owner_session.id,
                "title": owner_session.title,
                "held_on": owner_session.held_on,
                "role": "member",
                "closed": True,
                "closed_at": owner_session.closed_at,
                "counts": True,
            }
        ],
    }
    # The member brings a case too, and sits in a second team.
    second = operations.create_session(
        cast.trainer,
        held_on=owner_session.held_on,
        case_owner=cast.members[0],
        members=[cast.owner, cast.members[1], cast.members[2]],
        method_slug="fishbowl",
    )
    operations.submit_case(second, cast.members[0], situation="s", firms="f", question="q")
    operations.close_session(second, cast.trainer)
    operations.record_self_reflection(second, cast.members[0], takeaways="t", next_steps="n")
    third = operations.create_session(
        cast.trainer,
        held_on=owner_session.held_on,
        case_owner=cast.outsider,
        members=cast.members,
        method_slug="fishbowl",
    )
    operations.submit_case(third, cast.outsider, situation="s", firms="f", question="q")
    operations.record_reflection(third, cast.members[0], observations="o", hypotheses="", ideas="")
    operations.close_session(third, cast.trainer)
    counts = queries.participation(cast.members[0])
    assert (counts["as_case_owner"], counts["as_member"], counts["met"]) == (1, 2, True)


@pytest.mark.config(RT_MIN_AS_CASE_OWNER=0, RT_MIN_AS_MEMBER=1)
def test_configured_thresholds(cast, new_session):
    new_session(reflections=1, closed=True)
    assert queries.participation(cast.members[0])["met"] is True
    assert queries.participation(cast.members[1])["met"] is False


def test_dashboard_step_for_participants(app, cast, new_session):
    new_session(reflections=1, closed=True, self_reflection=True)
    [step] = [s for s in steps_for(app, cast.owner) if s.extra["key"] == "reflecting_team"]
    assert step.state == "started" and "als Fallgeberin / Fallgeber 1 von 1" in step.detail
    assert "noch 2 Sitzungen als Teammitglied" in step.detail
    assert not [
        s
        for s in steps_for(app, cast.members[1])
        if s.extra["key"] == "reflecting_team" and s.state == "done"
    ]
    assert steps_for(app, cast.trainer) == []


@pytest.mark.config(RT_MIN_AS_MEMBER=0)
def test_step_is_done_when_met(app, cast, new_session):
    new_session(reflections=1, closed=True, self_reflection=True)
    [step] = [s for s in steps_for(app, cast.owner) if s.extra["key"] == "reflecting_team"]
    assert step.state == "done"


def test_the_step_counts_progress_up_to_what_is_needed(app, client, cast, new_session):
    for _ in range(2):
        new_session(reflections=1, closed=True, self_reflection=True)
    [step] = [s for s in steps_for(app, cast.owner) if s.extra["key"] == "reflecting_team"]
    # twice case owner where once is needed: "1 von 1"; the sessions themselves say 2
    assert "als Fallgeberin / Fallgeber 1 von 1," in step.detail
    [state] = [s for s in path_of(cast.owner) if s.key == "reflecting_team"]
    assert state.source.startswith("2 abgeschlossene Sitzungen: 2 als Fallgeberin / Fallgeber")
    sign_in(client, cast.owner)
    page = client.get("/reflecting-team/").get_data(as_text=True)
    assert "<dd>1 von 1</dd>" in page and "<dd>2 von 1</dd>" not in page
