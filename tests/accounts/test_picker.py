"""Person pickers: search as you type, by name or e-mail, one small page at a time, per role."""

import pytest

from lotse_lms.accounts import picker
from lotse_lms.extensions import db
from lotse_lms.mentoring import operations
from tests.conftest import login

SEARCH = "/people/search"


@pytest.fixture
def mentors(make_user):
    """Twelve active mentors named Mentor 00 … 11, one inactive, and one participant."""
    people = [make_user("mentor", name=f"Mentor {i:02d}") for i in range(12)]
    gone = make_user("mentor", name="Mentor Ausgeschieden")
    gone.active = False
    make_user("participant", name="Mentor Teilnehmerin")
    db.session.commit()
    return people


def _search(client, **args):
    """The JSON answer of the search."""
    response = client.get(SEARCH, query_string=args)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def test_search_pages_by_name_within_the_pool(client, make_user, mentors):
    staff = make_user("foundation", name="Sabine Stiftung")
    login(client, staff.email)
    first = _search(client, pool="mentor", q="mentor")
    assert [p["name"] for p in first["results"]] == [f"Mentor {i:02d}" for i in range(10)]
    assert first["more"] is True and first["results"][0]["email"] == mentors[0].email
    second = _search(client, pool="mentor", q="MENTOR", page=2)
    assert [p["name"] for p in second["results"]] == ["Mentor 10", "Mentor 11"]
    assert second["more"] is False  # neither the inactive mentor nor the participant


def test_search_by_e_mail_and_needs_two_characters(client, make_user, mentors):
    login(client, make_user("trainer").email)
    assert _search(client, pool="mentor", q=mentors[3].email)["results"][0]["name"] == "Mentor 03"
    assert _search(client, pool="mentor", q="m")["results"] == []
    assert _search(client, pool="mentor", q="%")["results"] == []
    assert _search(client, pool="mentor", q="%%")["results"] == []  # wildcards are text


def test_only_the_pool_searchers_may_search(client, make_user, mentors):
    assert client.get(SEARCH, query_string={"pool": "mentor", "q": "me"}).status_code in (302, 401)
    login(client, make_user("participant").email)
    assert client.get(SEARCH, query_string={"pool": "mentor", "q": "me"}).status_code == 403
    assert client.get(SEARCH, query_string={"pool": "rt_member", "q": "me"}).status_code == 403
    assert client.get(SEARCH, query_string={"pool": "nobody", "q": "me"}).status_code == 404


def test_one_query_per_search_whatever_the_number_of_people(make_user, count_queries):
    sizes = []
    for count in (3, 30):
        for i in range(count):
            make_user("mentor", name=f"Person {count}-{i}")
        db.session.expire_all()
        queries, (found, _more) = count_queries(picker.search, picker.find_pool("mentor"), "person")
        sizes.append((queries, len(found)))
    assert sizes == [(1, 3), (1, 10)]


def test_without_javascript_the_e_mail_address_is_typed(client, post_form, make_user, mentors):
    staff = make_user("foundation")
    mentee = make_user("participant", name="Lena Lotsin")
    login(client, staff.email)
    path = f"/mentoring/assignments/{mentee.id}"
    page = client.get(path).get_data(as_text=True)
    assert 'name="mentor"' in page and "Mentor 05" not in page  # a field, not every mentor
    response = post_form(
        path, {"action": "assign", "mentor": "niemand@example.org", "reason": "Passt."}
    )
    page = response.get_data(as_text=True)
    assert "Niemand mit dieser E-Mail-Adresse gefunden: niemand@example.org" in page
    assert 'value="niemand@example.org"' in page and "Passt." in page  # nothing typed is lost
    assert operations.current_mentor(mentee) is None
    response = post_form(
        path,
        {"action": "assign", "mentor": f" {mentors[5].email.upper()} ", "reason": "Passt."},
        follow_redirects=True,
    )
    assert "Mentor 05 begleitet jetzt Lena Lotsin." in response.get_data(as_text=True)


def test_a_refused_form_shows_the_chosen_people_by_name(client, post_form, make_user, mentors):
    staff = make_user("foundation")
    mentee = make_user("participant", name="Lena Lotsin")
    login(client, staff.email)
    path = f"/mentoring/assignments/{mentee.id}"
    response = post_form(path, {"action": "assign", "mentor": mentors[2].email, "reason": ""})
    page = response.get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in page
    assert "&#34;name&#34;: &#34;Mentor 02&#34;" in page  # data-chosen for the script


def test_on_postgresql_a_trigram_index_answers_the_search(app, fresh_tables, make_user, mentors):
    """The search's condition is the indexed expression: PostgreSQL may use the GIN index
    (sequential scans off, as the planner prefers them on a few rows)."""
    import sqlalchemy as sa

    from lotse_lms.accounts.models import SEARCH_INDEX, SEARCH_TEXT, User

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    query = sa.select(User.id).where(SEARCH_TEXT.like("%ller%"))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {compiled}")))
    assert SEARCH_INDEX in plan, plan
    db.session.rollback()
