"""The admin's list of accounts: a page at a time, searched, filtered and sorted in SQL."""


def people(make_user, n, role="participant", prefix="Person"):
    """``n`` accounts without passwords (fast)."""
    return [make_user(role, name=f"{prefix} {i:03d}", password=None) for i in range(n)]


def test_user_list_pages_searches_and_filters_by_role(client, login_as, make_user):
    login_as("admin")
    people(make_user, 60)
    make_user("trainer", name="Tobias Trainer", password=None)
    first = client.get("/users").get_data(as_text=True)
    assert "Seite 1 von 2" in first and "62 Einträge" in first
    found = client.get("/users", query_string={"q": "person 04"}).get_data(as_text=True)
    assert "Person 040" in found and "Person 041" in found and "Person 050" not in found
    trainers = client.get("/users", query_string={"role": "trainer"}).get_data(as_text=True)
    assert "Tobias Trainer" in trainers and "Person 000" not in trainers and "1 Eintrag" in trainers
    by_name = client.get("/users", query_string={"sort": "name", "dir": "desc"})
    body = by_name.get_data(as_text=True).split("<tbody>", 1)[1]
    assert body.index("Tobias Trainer") < body.index("Person 059")


def test_user_list_queries_do_not_grow_with_accounts(client, login_as, make_user, count_queries):
    login_as("admin")
    people(make_user, 3, prefix="A")
    few, _ = count_queries(client.get, "/users")
    people(make_user, 27, role="mentor", prefix="B")
    many, page = count_queries(client.get, "/users")
    assert few == many and "B 026" in page.get_data(as_text=True)


def test_accounts_without_a_sign_in_for_the_configured_days_are_flagged_and_filtered(
    client, login_as, make_user
):
    from datetime import timedelta

    from lotse_lms.core.timeutil import utcnow
    from lotse_lms.extensions import db

    login_as("admin")
    now = utcnow()
    dormant = make_user("participant", name="Dora Dormant", password=None)
    dormant.last_login_at = now - timedelta(days=800)
    never = make_user("participant", name="Nina Niemals", password=None)
    never.created_at = now - timedelta(days=900)
    recent = make_user("participant", name="Rita Recent", password=None)
    recent.last_login_at = now - timedelta(days=30)
    gone = make_user("participant", name="Dieter Deaktiviert", password=None)
    gone.last_login_at, gone.active = now - timedelta(days=800), False
    db.session.commit()
    page = client.get("/users").get_data(as_text=True)
    flagged = [row for row in page.split("<tr>") if "data-inactive" in row]
    assert sorted(n for n in ("Dora", "Nina", "Rita", "Dieter") for r in flagged if n in r) == [
        "Dora",
        "Nina",
    ]
    only = client.get("/users", query_string={"inactive": "1"}).get_data(as_text=True)
    assert "Dora Dormant" in only and "Nina Niemals" in only and "2 Einträge" in only
    assert "Rita Recent" not in only and "Dieter Deaktiviert" not in only
