"""The participation overview counts as certification does, with the same queries for any
number of people."""

from lotse_lms.reflecting_team import queries

from .conftest import sign_in


def test_the_overview_counts_like_participation(cast, new_session):
    session = new_session(reflections=2, closed=True, self_reflection=True)
    people = [cast.owner, *cast.members, cast.outsider]
    counts = queries.participation_counts(p.id for p in people)
    for person in people:
        single = queries.participation(person)
        single.pop("sessions")
        assert counts[person.id] == single, person.name
    assert counts[cast.owner.id]["as_case_owner"] == 1
    assert counts[cast.members[0].id]["as_member"] == 1
    assert counts[cast.members[2].id]["as_member"] == 0  # did not reflect
    assert session.closed


def test_the_overview_query_count_does_not_grow_with_people(
    client, cast, new_session, make_user, count_queries
):
    new_session(reflections=3, closed=True, self_reflection=True)
    sign_in(client, cast.foundation)
    url = "/reflecting-team/participation"
    few, _response = count_queries(client.get, url)  # owner, Max, outsider: 3 participants
    for n in range(27):
        make_user("participant", name=f"Person {n:02d}", password=None)
    many, response = count_queries(client.get, url)
    html = response.get_data(as_text=True)
    assert "Person 26" in html and cast.owner.name in html
    assert few == many
