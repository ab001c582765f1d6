"""The public directory leads to the shared learnings; a room's public page shows its own."""

from lotse_lms.extensions import db
from lotse_lms.rooms import operations, work_cards

from .test_work_cards import CARD


def _published(room, lead, firm, contact, title):
    """A card about ``firm`` that its contact approved and the Lotse published."""
    card = work_cards.save_card(room, lead, organisation_ids=[firm.id], **{**CARD, "title": title})
    work_cards.decide(card, room, contact, firm.id, approve=True)
    work_cards.publish(card, room, lead, "public")
    return card


def test_the_directory_links_the_learnings_and_a_room_shows_its_own(app, work_room):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    other = work_room["other_room"]
    for target in (room, other):
        operations.change_phase(target, "open", lead)
    titles = [f"Erkenntnis {n}" for n in range(1, 8)]
    for title in titles:
        _published(room, lead, work_room["firm_a"], anna, title)
    _published(other, lead, work_room["other_firm"], work_room["other_contact"], "Fremde Karte")
    work_cards.save_card(room, lead, organisation_ids=[], **{**CARD, "title": "Entwurf"})
    db.session.commit()
    client = app.test_client()  # no account

    directory = client.get("/raeume/verzeichnis").get_data(as_text=True)
    assert 'href="/raeume/erkenntnisse"' in directory

    page = client.get(f"/raeume/verzeichnis/{room.id}").get_data(as_text=True)
    assert "Erkenntnisse aus diesem Raum" in page
    shown = [t for t in titles if f">{t}<" in page]
    assert shown == titles[2:]  # the newest five
    assert "Fremde Karte" not in page and "Entwurf" not in page
    assert f"/raeume/erkenntnisse?raum={room.id}" in page

    everything = client.get(f"/raeume/erkenntnisse?raum={room.id}").get_data(as_text=True)
    assert all(t in everything for t in titles) and "Fremde Karte" not in everything
    assert "Fremde Karte" in client.get("/raeume/erkenntnisse").get_data(as_text=True)

    quiet = client.get(f"/raeume/verzeichnis/{other.id}").get_data(as_text=True)
    assert "Fremde Karte" in quiet and f"?raum={other.id}" not in quiet
