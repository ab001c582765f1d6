"""A package published for one or more cohorts: only their participants see and play it,
and its report lists them (who never started too)."""

import pytest

from lotse_lms.cohorts import operations as cohort_operations
from lotse_lms.extensions import db
from lotse_lms.modules.q1 import lifecycle, reports
from lotse_lms.modules.q1.errors import Q1Error

from ..cohorts.conftest import join, make_cohort  # noqa: F401 - the cohort factory fixture


@pytest.fixture
def draft(import_fixture):
    """A freshly uploaded package: a draft."""
    return import_fixture("RuntimeBasicCalls_SCORM12", status="draft", title="Nur für Durchgänge")


def test_a_package_for_two_cohorts_reaches_only_their_participants(
    app,
    client,
    draft,
    make_user,
    make_cohort,  # noqa: F811
    login_as,
):
    package = draft.package
    trainer = make_user("trainer")
    spring, autumn, other = make_cohort(name="Frühjahr"), make_cohort(name="Herbst"), make_cohort()
    anna, ben, carl = make_user(name="Anna"), make_user(name="Ben"), make_user(name="Carl")
    join(spring, [anna])
    join(autumn, [ben])
    join(other, [carl])
    with pytest.raises(Q1Error, match="mindestens einen Durchgang"):
        lifecycle.publish(package, trainer, lifecycle.COHORTS, [])
    lifecycle.publish(package, trainer, lifecycle.COHORTS, [spring.id, autumn.id])
    assert lifecycle.audience_label(package).endswith("Frühjahr, Herbst")
    assert package in lifecycle.catalogue_for(anna) and package in lifecycle.catalogue_for(ben)
    assert package not in lifecycle.catalogue_for(carl)
    assert lifecycle.can_open(package, trainer)
    with app.test_request_context(f"/q1/packages/{package.id}/report"):
        listing = reports.report_listing("q1.report", package)
    rows = reports.package_report(package, listing)
    assert sorted(row["name"] for row in rows) == ["Anna", "Ben"]
    login_as("participant", name="Dora")
    assert client.get(f"/q1/play/{package.id}").status_code == 404


def test_the_publish_form_offers_the_cohorts(client, login_as, draft, make_cohort, post_form):  # noqa: F811
    spring = make_cohort(name="Frühjahr")
    login_as("trainer")
    page = f"/q1/packages/{draft.package_id}"
    assert "Frühjahr" in client.get(page).get_data(as_text=True)
    response = post_form(
        f"/q1/packages/{draft.package_id}/publish",
        {"audience": "cohorts", "cohorts": [str(spring.id)]},
        page=page,
    )
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "für Teilnehmende ausgewählter Durchgänge: Frühjahr" in html


def test_a_cohort_a_package_is_published_for_is_not_deleted(
    app,
    draft,
    make_cohort,  # noqa: F811
    make_user,
):
    cohort = make_cohort(name="Herbst")
    lifecycle.publish(draft.package, make_user("trainer"), lifecycle.COHORTS, [cohort.id])
    db.session.commit()
    with app.test_request_context():
        problems = cohort_operations.deletion_problems(cohort)
    assert problems == [
        "Das Q1-Paket „Nur für Durchgänge“ richtet sich an diesen Durchgang; "
        "ändern Sie zuerst sein Publikum."
    ]
