"""The cohort pages: only foundation staff and admins manage cohorts; the list is paged."""

import pytest

from lotse_lms.cohorts.models import Cohort
from lotse_lms.extensions import db


@pytest.mark.parametrize("role", ["participant", "trainer", "mentor", "reflecting_team"])
def test_others_cannot_manage_cohorts(client, login_as, make_cohort, role):
    cohort = make_cohort()
    login_as(role)
    for path in [
        "/cohorts/",
        "/cohorts/new",
        f"/cohorts/{cohort.id}",
        f"/cohorts/{cohort.id}/import",
    ]:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/cohorts/{cohort.id}/members", data={}).status_code in (400, 403)


@pytest.mark.parametrize("role", ["foundation", "admin"])
def test_staff_create_a_cohort_and_see_every_error_at_once(client, login_as, post_form, role):
    login_as(role)
    response = post_form(
        "/cohorts/new", {"name": "", "starts_on": "2027-06-01", "ends_on": "2027-01-01"}
    )
    html = response.get_data(as_text=True)
    assert "Bitte geben Sie einen Namen an." in html
    assert "Das Ende liegt vor dem Beginn." in html
    assert 'value="2027-06-01"' in html  # nothing typed is lost
    response = post_form(
        "/cohorts/new", {"name": "Frühjahr", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
    )
    cohort = db.session.scalar(db.select(Cohort))
    assert response.headers["Location"] == f"/cohorts/{cohort.id}"


def test_a_person_is_found_by_search_and_added(client, login_as, post_form, make_cohort, make_user):
    cohort = make_cohort()
    trainer = make_user("trainer", name="Tina Trainerin")
    login_as("foundation")
    page = f"/cohorts/{cohort.id}?role=trainer&q=tina"
    html = client.get(page).get_data(as_text=True)
    assert "Tina Trainerin" in html
    response = post_form(
        f"/cohorts/{cohort.id}/members",
        {"user_id": str(trainer.id), "role": "trainer"},
        page=page,
    )
    assert response.status_code == 302
    html = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Trainerin / Trainer (1)" in html


def test_the_list_is_paged_with_a_fixed_number_of_queries(
    client, login_as, make_cohort, count_queries
):
    login_as("foundation")
    make_cohort()
    few, _ = count_queries(client.get, "/cohorts/")
    for _n in range(55):
        make_cohort()
    many, response = count_queries(client.get, "/cohorts/")
    assert few == many
    assert "Seite 1 von 2" in response.get_data(as_text=True)


def test_a_participant_sees_their_cohort_with_trainers_and_mentors(
    client, login_as, make_cohort, make_user
):
    lena = login_as("participant")
    make_cohort(
        name="Frühjahr 2027",
        participants=[lena],
        trainers=[make_user("trainer", name="Tina Trainerin")],
        mentors=[make_user("mentor", name="Max Mentor")],
    )
    html = client.get("/").get_data(as_text=True)
    assert "Ihr Durchgang" in html
    assert "Frühjahr 2027" in html
    assert "Tina Trainerin" in html and "Max Mentor" in html


def test_adding_someone_busy_elsewhere_says_why_and_changes_nothing(
    client, login_as, post_form, make_cohort, make_user
):
    lena = make_user(name="Lena Lotsin")
    make_cohort(name="Laufend", participants=[lena])
    target = make_cohort(name="Ziel")
    login_as("foundation")
    page = f"/cohorts/{target.id}?role=participant&q=lena"
    response = post_form(
        f"/cohorts/{target.id}/members",
        {"user_id": str(lena.id), "role": "participant"},
        page=page,
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Lena Lotsin nimmt bereits am laufenden Durchgang „Laufend“ teil." in html
    assert "Teilnehmende (0)" in html


def test_editing_keeps_what_was_typed_on_error(client, login_as, post_form, make_cohort):
    cohort = make_cohort(name="Alt")
    make_cohort(name="Vergeben")
    login_as("admin")
    response = post_form(
        f"/cohorts/{cohort.id}/edit",
        {"name": "Vergeben", "starts_on": "2027-03-01", "ends_on": "kein Datum"},
    )
    html = response.get_data(as_text=True)
    assert "Bitte geben Sie ein Datum an (TT.MM.JJJJ)." in html
    assert "Einen Durchgang mit diesem Namen gibt es bereits." in html
    assert "Bitte geben Sie das Ende an." not in html
    assert 'value="Vergeben"' in html
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).name == "Alt"
