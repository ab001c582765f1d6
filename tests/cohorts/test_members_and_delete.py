"""A cohort's page lists its members one role and one page at a time; a cohort is deleted only
while nobody is in it and nothing relies on it, after a confirmation page."""

from lotse_lms.cohorts.models import Cohort
from lotse_lms.core.models import AuditEntry
from lotse_lms.extensions import db

from .conftest import join, people


def test_members_are_listed_per_role_and_paged_with_fixed_queries(
    client, login_as, make_cohort, make_user, count_queries
):
    cohort = make_cohort(name="Frühjahr")
    join(cohort, [make_user("trainer", name="Tina Trainerin", password=None)], role="trainer")
    join(cohort, people(make_user, 3, "Lena"))
    login_as("foundation")
    url = f"/cohorts/{cohort.id}"
    few, response = count_queries(client.get, url)
    html = response.get_data(as_text=True)
    assert "Teilnehmende (3)" in html and "Trainerin / Trainer (1)" in html
    assert "Lena 02" in html and "Tina Trainerin" not in html  # one role at a time
    join(cohort, people(make_user, 52, "Paul"))
    many, response = count_queries(client.get, url)
    html = response.get_data(as_text=True)
    assert few == many
    assert "Teilnehmende (55)" in html and "Seite 1 von 2" in html
    second = client.get(f"{url}?members=participant&page=2").get_data(as_text=True)
    assert "Paul 51" in second and "Lena 00" not in second
    trainers = client.get(f"{url}?members=trainer").get_data(as_text=True)
    assert "Tina Trainerin" in trainers and "Lena 00" not in trainers


def test_a_cohort_with_members_is_not_deleted_and_the_page_says_why(
    client, login_as, post_form, make_cohort, make_user
):
    cohort = make_cohort(name="Voll")
    join(cohort, people(make_user, 2, "Lena"))
    login_as("foundation")
    page = f"/cohorts/{cohort.id}/delete"
    html = client.get(page).get_data(as_text=True)
    assert "Im Durchgang sind noch 2 Personen" in html
    assert "Endgültig löschen" not in html
    response = post_form(page, {}, page=f"/cohorts/{cohort.id}")
    assert response.status_code == 200
    assert db.session.get(Cohort, cohort.id) is not None


def test_an_empty_cohort_is_deleted_after_confirmation(client, login_as, post_form, make_cohort):
    cohort_id = make_cohort(name="Leer").id
    login_as("admin")
    page = f"/cohorts/{cohort_id}/delete"
    html = client.get(page).get_data(as_text=True)
    assert "Endgültig löschen" in html
    assert db.session.get(Cohort, cohort_id) is not None  # asking changes nothing
    response = post_form(page, {}, page=page)
    assert response.status_code == 302 and response.headers["Location"] == "/cohorts/"
    db.session.expire_all()
    assert db.session.scalar(db.select(Cohort).filter_by(id=cohort_id)) is None
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="cohorts.deleted"))
    assert "„Leer“ ist gelöscht" in client.get("/cohorts/").get_data(as_text=True)


def test_others_cannot_delete(client, login_as, make_cohort):
    cohort = make_cohort()
    login_as("trainer")
    assert client.get(f"/cohorts/{cohort.id}/delete").status_code == 403
