"""Bulk issuing for one cohort: the prepared list holds only its eligible people."""

import pytest

from lotse_lms.certification import bulk
from lotse_lms.extensions import db

from ..cohorts.conftest import join, make_cohort  # noqa: F401 - the cohort factory fixture
from ..conftest import csrf_token, login
from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)


def test_the_bulk_list_of_a_cohort_holds_only_its_eligible_people(
    client,
    lotse,
    staff,
    make_cohort,  # noqa: F811
):
    inside = [lotse(name="Innen A"), lotse(name="Innen B")]
    lotse(name="Außen C")
    spring = make_cohort(name="Frühjahr")
    join(spring, inside)
    job = bulk.prepare_bulk(staff, cohort_id=spring.id)
    assert sorted(job.user_ids) == sorted(p.id for p in inside)
    assert len(bulk.prepare_bulk(staff).user_ids) == 3
    db.session.rollback()  # the drafts were only looked at

    login(client, staff.email)
    page = f"/certificates/?cohort={spring.id}"
    html = client.get(page).get_data(as_text=True)
    assert f'name="cohort" value="{spring.id}"' in html
    response = client.post(
        "/certificates/bulk",
        data={"csrf_token": csrf_token(client, page), "cohort": str(spring.id)},
    )
    assert response.status_code == 302
    listed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Innen A" in listed and "Außen C" not in listed
