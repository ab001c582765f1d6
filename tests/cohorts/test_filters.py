"""Every overview narrows to one cohort; its query count stays the same for 3 and 30 people."""

import pytest

from lotse_lms.qualification.overview import overview

from .conftest import join, people


@pytest.mark.parametrize(
    "path,role",
    [
        ("/certificates/", "foundation"),
        ("/mentoring/assignments", "foundation"),
        ("/mentoring/assignments", "trainer"),
    ],
)
def test_an_overview_shows_only_the_cohort_and_costs_the_same_for_3_and_30(
    client, login_as, make_user, make_cohort, count_queries, path, role
):
    inside, outside = make_cohort(name="Innen"), make_cohort(name="Außen")
    join(inside, people(make_user, 3, "Innen"))
    join(outside, people(make_user, 2, "Fremd"))
    login_as(role)
    url = f"{path}?cohort={inside.id}"
    few, response = count_queries(client.get, url)
    html = response.get_data(as_text=True)
    assert "Innen 02" in html and "Fremd 00" not in html
    assert f'<option value="{inside.id}" selected>Innen' in html
    join(inside, people(make_user, 27, "Mehr"))
    many, response = count_queries(client.get, url)
    assert "Mehr 26" in response.get_data(as_text=True)
    assert few == many
    everyone = client.get(path).get_data(as_text=True)
    assert "Fremd 00" in everyone


def test_the_qualification_overview_counts_only_the_cohort(make_user, make_cohort):
    inside = make_cohort()
    join(inside, people(make_user, 3, "Innen"))
    people(make_user, 4, "Ohne")
    assert overview(cohort_id=inside.id).total == 3
    assert overview().total == 7
    assert overview(step="certificate", state="open", cohort_id=inside.id).total <= 3
