"""Learning cards: every named firm approves before a card leaves the room."""

import pytest
import sqlalchemy as sa

from lotse_lms.community.models import Post, Thread
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db
from lotse_lms.rooms import work_cards
from lotse_lms.rooms.work import WorkError

from ..conftest import csrf_token, login

CARD = {
    "title": "Digitale Reparaturaufträge",
    "problem": "Aufträge gingen auf Zetteln verloren.",
    "tried": "Ein Formular auf dem Tablet.",
    "result": "Weniger Rückfragen.",
    "advice": "Klein anfangen, mit einem Gewerk.",
}


def _draft(room, lead, *firms):
    """A card naming ``firms`` (committed)."""
    card = work_cards.save_card(room, lead, organisation_ids=[f.id for f in firms], **CARD)
    db.session.commit()
    return card


def test_publishing_is_refused_until_every_named_firm_approved(work_room):
    room, lead, anna, bernd = (work_room[k] for k in ("room", "lead", "anna", "bernd"))
    firm_a, firm_b = work_room["firm_a"], work_room["firm_b"]
    card = _draft(room, lead, firm_a, firm_b)
    for contact in (anna, bernd):  # each named firm's contact is asked by mail
        (asked,) = db.session.scalars(
            sa.select(OutboxMail).where(
                OutboxMail.recipient == contact.email, OutboxMail.subject.not_like("Einladung%")
            )
        ).all()
        assert CARD["title"] in asked.subject and f"/lernkarten/{card.id}" in asked.body
    with pytest.raises(WorkError) as caught:
        work_cards.publish(card, room, lead, "public")
    assert firm_a.name in caught.value.message and firm_b.name in caught.value.message
    work_cards.decide(card, room, anna, firm_a.id, approve=True)
    with pytest.raises(WorkError):  # anna does not speak for firm B
        work_cards.decide(card, room, anna, firm_b.id, approve=True)
    work_cards.decide(card, room, bernd, firm_b.id, approve=False)
    db.session.commit()
    with pytest.raises(WorkError) as caught:
        work_cards.publish(card, room, lead, "community")
    assert firm_b.name in caught.value.message and firm_a.name not in caught.value.message
    assert card.public_at is None and card.community_at is None
    work_cards.decide(card, room, bernd, firm_b.id, approve=True)
    db.session.commit()
    told = db.session.scalars(
        sa.select(OutboxMail.body)
        .where(OutboxMail.recipient == lead.email, OutboxMail.subject.contains("Antwort von"))
        .order_by(OutboxMail.id)
    ).all()
    assert len(told) == 3 and "abgelehnt" in told[1]  # the author hears of every answer
    assert "alle genannten Betriebe zugestimmt" in told[2]
    work_cards.publish(card, room, lead, "public")
    db.session.commit()
    assert card.public_at is not None


def test_changing_the_text_asks_every_firm_again(work_room):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    card = _draft(room, lead, work_room["firm_a"])
    work_cards.decide(card, room, anna, work_room["firm_a"].id, approve=True)
    db.session.commit()
    assert work_cards.missing_approvals(card) == []
    work_cards.save_card(
        room, lead, card, organisation_ids=[work_room["firm_a"].id], **{**CARD, "advice": "Neu"}
    )
    db.session.commit()
    assert work_cards.missing_approvals(card) == [work_room["firm_a"].name]


def test_a_card_names_only_firms_of_its_room_and_only_the_lotse_drafts(work_room):
    room, lead = work_room["room"], work_room["lead"]
    with pytest.raises(WorkError) as caught:
        work_cards.save_card(
            room, lead, organisation_ids=[work_room["other_firm"].id], **{**CARD, "title": ""}
        )
    assert {f for f, _ in caught.value.errors} == {"title", "organisation_ids"}
    with pytest.raises(WorkError):
        work_cards.save_card(room, work_room["anna"], organisation_ids=[], **CARD)


def test_an_approved_card_becomes_a_post_in_the_lotsen_community(work_room, staff):
    room, lead, anna = work_room["room"], work_room["lead"], work_room["anna"]
    card = _draft(room, lead, work_room["firm_a"])
    work_cards.decide(card, room, anna, work_room["firm_a"].id, approve=True)
    db.session.commit()
    # A Lotse in training does not write in the Lotsen-Community (not yet certified) ...
    with pytest.raises(WorkError) as caught:
        work_cards.publish(card, room, lead, "community")
    assert "Sie dürfen hier nicht schreiben." in caught.value.message
    db.session.rollback()
    assert card.community_at is None
    # ... the foundation, which looks after the room, publishes it for the room.
    work_cards.publish(card, room, staff, "community")
    db.session.commit()
    thread = db.session.get(Thread, card.community_thread_id)
    assert thread.title == CARD["title"] and thread.space.name == "Experimentierräume"
    body = db.session.scalar(sa.select(Post.body).where(Post.thread_id == thread.id))
    assert CARD["advice"] in body and work_room["firm_a"].name in body and room.title in body
    with pytest.raises(WorkError):
        work_cards.publish(card, room, staff, "community")  # once is enough


def test_the_public_page_shows_published_cards_only_and_names_consenting_firms(app, work_room):
    room, lead, anna, bernd = (work_room[k] for k in ("room", "lead", "anna", "bernd"))
    firm_a, firm_b = work_room["firm_a"], work_room["firm_b"]
    firm_a.public_consent = True
    kept = _draft(room, lead, firm_a)
    card = work_cards.save_card(
        room, lead, organisation_ids=[firm_a.id, firm_b.id], **{**CARD, "title": "Öffentlich"}
    )
    work_cards.decide(card, room, anna, firm_a.id, approve=True)
    work_cards.decide(card, room, bernd, firm_b.id, approve=True)
    work_cards.publish(card, room, lead, "public")
    db.session.commit()
    client = app.test_client()  # no account
    page = client.get("/raeume/erkenntnisse").get_data(as_text=True)
    assert "Öffentlich" in page and CARD["title"] not in page
    one = client.get(f"/raeume/erkenntnisse/{card.id}").get_data(as_text=True)
    assert firm_a.name in one and firm_b.name not in one and "1 weiterer Betrieb" in one
    assert client.get(f"/raeume/erkenntnisse/{kept.id}").status_code == 404


def test_the_publish_button_is_refused_over_http_too(app, work_room):
    room, lead = work_room["room"], work_room["lead"]
    card = _draft(room, lead, work_room["firm_a"])
    client = app.test_client()
    assert login(client, lead.email).status_code == 302
    path = f"/raeume/{room.id}/lernkarten/{card.id}"
    page = client.get(path).get_data(as_text=True)
    assert "Es fehlt die Zustimmung von" in page
    response = client.post(
        path + "/veroeffentlichen",
        data={"csrf_token": csrf_token(client, path), "target": "public"},
        follow_redirects=True,
    )
    assert "bis alle genannten Betriebe zugestimmt haben" in response.get_data(as_text=True)
    db.session.refresh(card)
    assert card.public_at is None
