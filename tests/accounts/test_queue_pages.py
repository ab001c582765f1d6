"""The foundation's verification queue: oldest first, a page at a time, bounded queries."""

from datetime import date

from lotse_lms.accounts import verification
from lotse_lms.extensions import db


def waiting(make_user, n, prefix):
    """``n`` participants who submitted their workshop attendance."""
    for i in range(n):
        person = make_user(name=f"{prefix} {i:03d}", password=None)
        verification.submit_workshop(person, date(2026, 3, 1), "Köln")
    db.session.commit()


def test_queue_pages_oldest_first(client, login_as, make_user):
    login_as("foundation")
    waiting(make_user, 55, "Wartend")
    first = client.get("/foundation/verification").get_data(as_text=True)
    assert "55 Einträge" in first and "Wartend 000" in first and "Wartend 050" not in first
    second = client.get("/foundation/verification", query_string={"page": 2}).get_data(as_text=True)
    assert "Wartend 054" in second and "Wartend 000" not in second
    total, first_eight = verification.queue_page(1, 8)
    assert total == 55 and [r.user.name for r in first_eight][-1] == "Wartend 007"


def test_queue_queries_do_not_grow_with_records(client, login_as, make_user, count_queries):
    login_as("foundation")
    waiting(make_user, 3, "A")
    few, _ = count_queries(client.get, "/foundation/verification")
    waiting(make_user, 27, "B")
    many, _ = count_queries(client.get, "/foundation/verification")
    assert few == many
