"""The session list pages, sorts, searches and filters in SQL; its query count stays put."""

from datetime import date, timedelta

from .conftest import sign_in


def _sessions(new_session, count, start=0):
    """``count`` sessions on consecutive days, titled "Sitzung NNN"; every third closed."""
    for i in range(start, start + count):
        new_session(
            title=f"Sitzung {i:03d}",
            held_on=date(2026, 1, 1) + timedelta(days=i),
            closed=i % 3 == 0,
        )


def test_foundation_pages_through_all_sessions_newest_first(
    client, cast, new_session, count_queries
):
    _sessions(new_session, 3)
    sign_in(client, cast.foundation)
    small, page = count_queries(client.get, "/reflecting-team/")
    assert page.status_code == 200
    _sessions(new_session, 60, start=3)
    large, page = count_queries(client.get, "/reflecting-team/")
    text = page.get_data(as_text=True)
    assert small == large, (small, large)
    assert "63 Einträge · Seite 1 von 2" in text
    assert text.index("Sitzung 062") < text.index("Sitzung 013") and "Sitzung 012" not in text
    assert "Einsicht (Stiftung)" in text and "fallgebend: Olga Fallgeberin" in text
    text = client.get("/reflecting-team/?sort=held_on&page=2&dir=desc").get_data(as_text=True)
    assert "Sitzung 012" in text and "Sitzung 013" not in text
    text = client.get("/reflecting-team/?sort=held_on").get_data(as_text=True)
    assert "Sitzung 000" in text and "Sitzung 062" not in text


def test_search_and_state_filter(client, cast, new_session):
    _sessions(new_session, 7)
    sign_in(client, cast.foundation)
    text = client.get("/reflecting-team/?q=sitzung+00&state=closed").get_data(as_text=True)
    assert "3 Einträge" in text  # 000, 003, 006
    assert "Sitzung 003" in text and "Sitzung 004" not in text
    text = client.get("/reflecting-team/?q=nichts").get_data(as_text=True)
    assert "Keine Sitzungen gefunden." in text


def test_people_see_only_their_sessions_with_their_role(client, cast, new_session, make_user):
    _sessions(new_session, 2)
    sign_in(client, cast.members[0])
    text = client.get("/reflecting-team/").get_data(as_text=True)
    assert "2 Einträge" in text and "Teammitglied" in text
    sign_in(client, cast.owner)
    assert "fallgebend</td>" in client.get("/reflecting-team/").get_data(as_text=True)
    sign_in(client, cast.outsider)
    text = client.get("/reflecting-team/").get_data(as_text=True)
    assert "0 Einträge" in text and "Sitzung 000" not in text


def test_participation_overview_pages_with_counts_in_fixed_queries(
    client, cast, new_session, make_user, count_queries
):
    new_session(reflections=3, closed=True, self_reflection=True)
    sign_in(client, cast.foundation)
    small, page = count_queries(client.get, "/reflecting-team/participation")
    text = page.get_data(as_text=True)
    for i in range(60):
        make_user("participant", name=f"Zora {i:02d}", password=None)
    large, page = count_queries(client.get, "/reflecting-team/participation")
    assert small == large, (small, large)
    assert "63 Einträge · Seite 1 von 2" in page.get_data(as_text=True)  # 3 of the cast
    row = text.split("Olga Fallgeberin")[1].split("</tr>")[0]
    assert "<td>1 von 1</td>" in row and "<td>0 von 2</td>" in row and "offen" in row
    text = client.get("/reflecting-team/participation?q=max").get_data(as_text=True)
    row = text.split("Max Mitglied")[1].split("</tr>")[0]
    assert "1 Eintrag" in text and "<td>0 von 1</td>" in row and "<td>1 von 2</td>" in row
