"""The package report and its CSV narrow to one cohort, at the same query count for 3 and 30."""

import pytest

from ..cohorts.conftest import join, make_cohort, people  # noqa: F401 - the cohort factory fixture


@pytest.fixture
def version(import_fixture):
    """An imported single-SCO SCORM 1.2 package."""
    return import_fixture("RuntimeBasicCalls_SCORM12")


def test_the_report_shows_only_the_cohort(
    client,
    login_as,
    make_user,
    make_cohort,  # noqa: F811
    version,
    count_queries,
):
    inside = make_cohort(name="Innen")
    join(inside, people(make_user, 3, "Innen"))
    people(make_user, 2, "Fremd")
    login_as("trainer")
    url = f"/q1/packages/{version.package_id}/report?cohort={inside.id}"
    few, response = count_queries(client.get, url)
    html = response.get_data(as_text=True)
    assert "Innen 02" in html and "Fremd 00" not in html and "3 Einträge" in html
    join(inside, people(make_user, 27, "Mehr"))
    many, response = count_queries(client.get, url)
    assert "30 Einträge" in response.get_data(as_text=True)
    assert few == many
    csv_text = client.get(f"/q1/packages/{version.package_id}/report.csv?cohort={inside.id}")
    body = csv_text.get_data(as_text=True)
    assert "Mehr 26" in body and "Fremd" not in body
