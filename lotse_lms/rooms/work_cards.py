"""Learning cards: drafted by the Lotse, approved by every named firm, then published.

A card names firms of the room. Each named firm's contact approves or declines the card's
current text; changing the text asks them again. Only with every named firm's approval may
the room's manager publish it — to the Lotsen-Community (a thread in its
"Experimentierräume" board, written through the community's operations) or on the public
learnings page. Until then, or after any "no", the card stays in the room.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..community import operations as community
from ..community.models import BOARD, Space
from ..core import audit, mail
from ..core.errors import collect
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import policy
from .models import Organisation, Room, RoomMember
from .work import MAX_TEXT, MAX_TITLE, WorkError, _need, clean, firm_ids
from .work_models import APPROVED, DECLINED, TARGETS, LearningCard, LearningCardFirm

#: The community board learning cards go to (the first board if it was renamed).
COMMUNITY_BOARD = "Experimentierräume"


def check_card(room, title, problem, tried, result, advice, organisation_ids):
    """The card's fields cleaned, with the named firms (each a firm of the room)."""
    with collect(WorkError) as refuse:
        title = clean(
            refuse,
            title,
            "title",
            MAX_TITLE,
            _("Bitte geben Sie einen Titel an."),
            single_line=True,
        )
        problem = clean(
            refuse, problem, "problem", MAX_TEXT, _("Bitte beschreiben Sie das Problem.")
        )
        tried = clean(
            refuse, tried, "tried", MAX_TEXT, _("Bitte beschreiben Sie, was erprobt wurde.")
        )
        result = clean(refuse, result, "result", MAX_TEXT, _("Bitte nennen Sie das Ergebnis."))
        advice = clean(refuse, advice, "advice", MAX_TEXT, _("Bitte formulieren Sie einen Rat."))
        try:
            ids = {int(i) for i in organisation_ids or ()}
        except (TypeError, ValueError):
            ids = set()
            refuse(_("Bitte wählen Sie Betriebe aus der Liste."), "organisation_ids")
        if ids - firm_ids(room):
            refuse(_("Genannt werden können nur Betriebe dieses Raums."), "organisation_ids")
    return title, problem, tried, result, advice, ids


def save_card(room, user, card=None, **fields):
    """Draft (``card`` None) or revise a card; a revised text needs every firm's answer again."""
    _need(policy.can_manage(user, room), _("Lernkarten schreibt die Lotsin / der Lotse des Raums."))
    if card is not None:
        _need(card.room_id == room.id)
        if is_published(card):
            raise WorkError(_("Eine veröffentlichte Lernkarte wird nicht mehr geändert."))
    title, problem, tried, result, advice, ids = check_card(room, **fields)
    if card is None:
        card = LearningCard(room_id=room.id, author=user)
        db.session.add(card)
    card.title, card.problem, card.tried, card.result, card.advice = (
        title,
        problem,
        tried,
        result,
        advice,
    )
    card.updated_at = utcnow()
    kept = {firm.organisation_id: firm for firm in card.firms}
    card.firms = [kept.get(oid) or LearningCardFirm(organisation_id=oid) for oid in sorted(ids)]
    for firm in card.firms:  # the firms answer for this text, not an earlier one
        firm.decision = firm.decided_by_id = firm.decided_at = None
    db.session.flush()
    audit.record("rooms.card_saved", card, actor=user, firms=sorted(ids))
    _ask_firms(card, room, ids)
    return card


def _ask_firms(card, room, organisation_ids):
    """Queue a mail to each contact of the named firms asking for their answer."""
    if not organisation_ids:
        return
    contacts = db.session.scalars(
        sa.select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.organisation_id.in_(organisation_ids)
        )
    ).all()
    link = external_url("rooms.work_card", room_id=room.id, card_id=card.id)
    for contact in contacts:
        with force_locale(contact.user.locale or current_app.config["DEFAULT_LOCALE"]):
            _ask(contact, card, room, link)


def _ask(contact, card, room, link):
    """Queue the mail asking ``contact`` to answer for their firm."""
    mail.queue(
        contact.user.email,
        _("Bitte um Zustimmung: Lernkarte „%(title)s“", title=card.title),
        "\n\n".join(
            [
                _("Guten Tag %(name)s,", name=contact.user.name),
                _(
                    "die Lernkarte „%(title)s“ aus dem Experimentierraum „%(room)s“ nennt "
                    "%(firm)s. Sie verlässt den Raum nur, wenn Sie zustimmen.",
                    title=card.title,
                    room=room.title,
                    firm=contact.organisation.name,
                ),
                _("Lesen und antworten: %(url)s", url=link),
            ]
        )
        + "\n",
    )


def is_published(card):
    """True once the card left the room."""
    return card.community_at is not None or card.public_at is not None


def contact_firms(user, room):
    """Ids of the organisations ``user`` speaks for in ``room``."""
    return set(
        db.session.scalars(
            sa.select(RoomMember.organisation_id).where(
                RoomMember.room_id == room.id,
                RoomMember.user_id == user.id,
                RoomMember.organisation_id.is_not(None),
            )
        )
    )


def decide(card, room, user, organisation_id, approve):
    """A named firm's contact approves or declines the card's current text (flushed)."""
    _need(card.room_id == room.id)
    firm = next((f for f in card.firms if f.organisation_id == organisation_id), None)
    if firm is None:
        raise WorkError(_("Dieser Betrieb ist in der Lernkarte nicht genannt."))
    _need(
        organisation_id in contact_firms(user, room),
        _("Zustimmen kann nur, wer für den genannten Betrieb im Raum ist."),
    )
    if is_published(card) and not approve:
        raise WorkError(_("Die Lernkarte ist schon veröffentlicht."))
    firm.decision = APPROVED if approve else DECLINED
    firm.decided_by_id, firm.decided_at = user.id, utcnow()
    db.session.flush()
    audit.record(
        "rooms.card_decided", card, actor=user, organisation=organisation_id, decision=firm.decision
    )
    if card.author is not None:
        with force_locale(card.author.locale or current_app.config["DEFAULT_LOCALE"]):
            _tell_author(card, room, firm_name(organisation_id), approve)
    return firm


def _tell_author(card, room, firm, approved):
    """Queue the mail telling the card's author how a named firm answered."""
    if not approved:
        what = _("%(firm)s hat die Lernkarte abgelehnt; sie bleibt im Raum.", firm=firm)
    elif missing_approvals(card):
        what = _("%(firm)s hat der Lernkarte zugestimmt.", firm=firm)
    else:
        what = _(
            "%(firm)s hat zugestimmt. Damit haben alle genannten Betriebe zugestimmt; "
            "Sie können die Lernkarte jetzt veröffentlichen.",
            firm=firm,
        )
    mail.queue(
        card.author.email,
        _("Lernkarte „%(title)s“: Antwort von %(firm)s", title=card.title, firm=firm),
        what
        + "\n\n"
        + _(
            "Zur Lernkarte: %(url)s",
            url=external_url("rooms.work_card", room_id=room.id, card_id=card.id),
        )
        + "\n",
    )


def missing_approvals(card):
    """Names of the named firms that have not approved (yet)."""
    missing = [f.organisation_id for f in card.firms if f.decision != APPROVED]
    if not missing:
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation.name)
            .where(Organisation.id.in_(missing))
            .order_by(Organisation.name)
        )
    )


def _board():
    """The Lotsen-Community board that takes learning cards."""
    community.ensure_defaults()
    boards = db.session.scalars(
        sa.select(Space).where(Space.kind == BOARD).order_by(Space.position, Space.id)
    ).all()
    return next((b for b in boards if b.name == COMMUNITY_BOARD), boards[0] if boards else None)


def card_markdown(card, room, names):
    """The card as Markdown for the community post."""
    parts = [
        (_("Problem"), card.problem),
        (_("Was erprobt wurde"), card.tried),
        (_("Ergebnis"), card.result),
        (_("Rat"), card.advice),
    ]
    text = _("Eine Lernkarte aus dem Experimentierraum „%(room)s“.", room=room.title) + "\n\n"
    text += "\n\n".join(f"**{label}**\n\n{body}" for label, body in parts)
    if names:
        text += "\n\n" + _("Beteiligte Betriebe: %(names)s", names=", ".join(names))
    return text


def publish(card, room, user, target):
    """Publish the card to the Lotsen-Community or publicly: refused until every named firm
    approved the current text (flushed)."""
    _need(
        policy.can_manage(user, room), _("Veröffentlichen darf die Lotsin / der Lotse des Raums.")
    )
    _need(card.room_id == room.id)
    if target not in TARGETS:
        raise WorkError(_("Bitte wählen Sie, wo die Lernkarte erscheinen soll."), "target")
    missing = missing_approvals(card)
    if missing:
        raise WorkError(
            _(
                "Die Lernkarte bleibt im Raum, bis alle genannten Betriebe zugestimmt haben. "
                "Es fehlt die Zustimmung von: %(names)s",
                names=", ".join(missing),
            )
        )
    if target == "community":
        if card.community_at is not None:
            raise WorkError(_("Die Lernkarte steht schon in der Lotsen-Community."))
        board = _board()
        if board is None:
            raise WorkError(_("Die Lotsen-Community hat keinen Bereich für Lernkarten."))
        names = [firm_name(f.organisation_id) for f in card.firms]
        try:
            thread = community.create_thread(
                board, user, card.title, card_markdown(card, room, names)
            )
        except community.CommunityError as exc:
            raise WorkError(
                _(
                    "In der Lotsen-Community kann die Karte nicht erscheinen: %(why)s",
                    why=exc.message,
                )
            ) from exc
        card.community_at, card.community_thread_id = utcnow(), thread.id
    else:
        if card.public_at is not None:
            raise WorkError(_("Die Lernkarte ist schon öffentlich."))
        card.public_at = utcnow()
    db.session.flush()
    audit.record("rooms.card_published", card, actor=user, where=target)
    return card


def firm_name(organisation_id):
    """The organisation's name."""
    return db.session.get(Organisation, organisation_id).name


def cards_select(room):
    """The room's cards, newest first."""
    return (
        sa.select(LearningCard)
        .where(LearningCard.room_id == room.id)
        .order_by(LearningCard.id.desc())
    )


def public_select(room_id=None):
    """The cards on the public learnings page with their room's title (of one room if
    ``room_id`` is given), newest first."""
    query = (
        sa.select(LearningCard, Room.title)
        .join(Room, Room.id == LearningCard.room_id)
        .where(LearningCard.public_at.is_not(None))
    )
    if room_id is not None:
        query = query.where(LearningCard.room_id == room_id)
    return query.order_by(LearningCard.public_at.desc(), LearningCard.id.desc())
