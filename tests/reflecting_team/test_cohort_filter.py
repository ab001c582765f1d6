"""The reflecting-team index narrows to sessions whose case owner is in one cohort."""

from ..cohorts.conftest import join, make_cohort  # noqa: F401 - the cohort factory fixture
from .conftest import sign_in


def test_the_index_shows_the_cohort_sessions_only(
    client,
    cast,
    new_session,
    make_cohort,  # noqa: F811
    count_queries,
):
    inside = make_cohort(name="Innen")
    join(inside, [cast.owner])
    new_session(title="Fall Olga")
    sign_in(client, cast.foundation)
    url = f"/reflecting-team/?cohort={inside.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Fall Olga" in html
    other = make_cohort(name="Außen")
    assert "Fall Olga" not in client.get(f"/reflecting-team/?cohort={other.id}").get_data(
        as_text=True
    )
    few, _response = count_queries(client.get, url)
    for n in range(5):
        new_session(title=f"Weiterer Fall {n}")
    many, response = count_queries(client.get, url)
    assert "Weiterer Fall 4" in response.get_data(as_text=True)
    assert few == many


def test_the_participation_overview_lists_the_cohort_only(
    client,
    cast,
    make_cohort,  # noqa: F811
):
    inside = make_cohort(name="Innen")
    join(inside, [cast.owner])
    sign_in(client, cast.foundation)
    html = client.get(f"/reflecting-team/participation?cohort={inside.id}").get_data(as_text=True)
    assert cast.owner.name in html and cast.outsider.name not in html
    assert cast.outsider.name in client.get("/reflecting-team/participation").get_data(as_text=True)
