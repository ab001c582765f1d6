"""The trainers' and staff's session list pages and searches in SQL; its query count stays put."""

from tests.conftest import login

from .conftest import berlin


def _sessions(new_session, count, start=0, **overrides):
    """``count`` sessions "Termin NNN" on consecutive days."""
    for i in range(start, start + count):
        new_session(
            title=f"Termin {i:03d}", dates=[(berlin(20 + i, 9), berlin(20 + i, 12))], **overrides
        )


def test_staff_page_through_all_sessions_newest_first(
    client, make_user, new_session, count_queries
):
    _sessions(new_session, 3)
    login(client, make_user("foundation").email)
    small, page = count_queries(client.get, "/q2/manage")
    assert page.status_code == 200
    _sessions(new_session, 55, start=3)
    large, page = count_queries(client.get, "/q2/manage")
    text = page.get_data(as_text=True)
    assert small == large, (small, large)
    assert "58 Einträge · Seite 1 von 2" in text
    assert "Termin 057" in text and "Termin 008" in text and "Termin 007" not in text
    text = client.get("/q2/manage?sort=starts").get_data(as_text=True)
    assert "Termin 000" in text and "Termin 057" not in text
    text = client.get("/q2/manage?q=termin+05").get_data(as_text=True)
    assert "8 Einträge" in text and "Termin 050" in text and "Termin 049" not in text


def test_trainer_sees_only_own_sessions(client, make_user, new_session, trainer):
    other = make_user("trainer", name="Theo Anderer")
    _sessions(new_session, 2)
    _sessions(new_session, 1, start=2, by=other, trainer_ids=[other.id])
    login(client, trainer.email)
    text = client.get("/q2/manage").get_data(as_text=True)
    assert "2 Einträge" in text and "Termin 002" not in text
