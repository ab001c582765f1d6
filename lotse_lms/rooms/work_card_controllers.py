"""Views of learning cards: drafting, the named firms' answers, publishing, the public page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import Refusal
from ..core.forms import choices, save_form
from ..core.paging import Listing
from ..extensions import db
from . import policy
from . import work_cards as cards_ops
from .blueprint import bp
from .models import Organisation, Room
from .policy import load_room
from .work_controllers import PAGE, _item, _organisations, _refused
from .work_forms import ButtonForm, CardForm, PublishForm
from .work_models import APPROVED, DECLINED, TARGETS, LearningCard


@bp.get("/<int:room_id>/lernkarten")
@login_required
def work_cards(room_id):
    """The room's learning cards, newest first, with their approval state."""
    room = load_room(room_id, need="view")
    listing = Listing.from_request(
        "rooms.work_cards", {"": LearningCard.id}, size=PAGE, room_id=room.id
    )
    cards = listing.fetch(
        cards_ops.cards_select(room).options(db.selectinload(LearningCard.firms)), scalars=True
    )
    return render_template(
        "rooms/work_cards.html",
        room=room,
        cards=cards,
        listing=listing,
        firms=dict(_organisations(room)),
        manager=policy.can_manage(current_user, room),
        APPROVED=APPROVED,
    )


def _card_values(form):
    """The card's fields from the form."""
    return {
        "title": form.title.data,
        "problem": form.problem.data,
        "tried": form.tried.data,
        "result": form.result.data,
        "advice": form.advice.data,
        "organisation_ids": form.organisation_ids.data,
    }


@bp.route("/<int:room_id>/lernkarten/neu", methods=["GET", "POST"])
@bp.route("/<int:room_id>/lernkarten/<int:card_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def work_card_form(room_id, card_id=None):
    """The Lotse drafts or revises a card and names the firms it concerns."""
    room = load_room(room_id, need="manage")
    card = _item(LearningCard, card_id, room) if card_id else None
    form = CardForm(obj=card)
    form.organisation_ids.choices = choices(_organisations(room))
    if card is not None and not form.is_submitted():
        form.organisation_ids.data = [str(f.organisation_id) for f in card.firms]
    saved = save_form(
        form,
        lambda: cards_ops.save_card(room, current_user, card, **_card_values(form)),
        _("Die Lernkarte ist gespeichert; die genannten Betriebe werden um Zustimmung gebeten."),
        check=lambda: cards_ops.check_card(room, **_card_values(form)),
    )
    if saved:
        return redirect(url_for("rooms.work_card", room_id=room.id, card_id=saved.value.id))
    heading = _("Lernkarte ändern") if card else _("Neue Lernkarte")
    hint = _(
        "Die Karte verlässt den Raum erst, wenn alle genannten Betriebe zugestimmt haben. "
        "Eine Änderung braucht ihre Zustimmung erneut."
    )
    return render_template("rooms/work_form.html", room=room, form=form, heading=heading, hint=hint)


@bp.get("/<int:room_id>/lernkarten/<int:card_id>")
@login_required
def work_card(room_id, card_id):
    """One card: its text, each named firm's answer, and the publishing form."""
    room = load_room(room_id, need="view")
    card = _item(LearningCard, card_id, room)
    publish_form = PublishForm()
    publish_form.target.choices = choices(
        [
            (k, v)
            for k, v in TARGETS.items()
            if not (k == "community" and card.community_at)
            and not (k == "public" and card.public_at)
        ]
    )
    return render_template(
        "rooms/work_card.html",
        room=room,
        card=card,
        names=dict(_organisations(room)),
        mine=cards_ops.contact_firms(current_user, room),
        missing=cards_ops.missing_approvals(card),
        manager=policy.can_manage(current_user, room),
        published=cards_ops.is_published(card),
        publish_form=publish_form,
        button=ButtonForm(),
        APPROVED=APPROVED,
        DECLINED=DECLINED,
    )


@bp.post("/<int:room_id>/lernkarten/<int:card_id>/antwort/<int:organisation_id>")
@login_required
def work_card_decide(room_id, card_id, organisation_id):
    """A named firm's contact approves or declines the card."""
    room = load_room(room_id, need="view")
    card = _item(LearningCard, card_id, room)
    if ButtonForm().validate_on_submit():
        approve = request.form.get("answer") == "approve"
        try:
            cards_ops.decide(card, room, current_user, organisation_id, approve)
            db.session.commit()
        except Refusal as exc:
            _refused(exc)
        else:
            flash(
                _("Ihre Zustimmung ist gespeichert.")
                if approve
                else _("Ihre Ablehnung ist gespeichert; die Karte bleibt im Raum."),
                "success",
            )
    return redirect(url_for("rooms.work_card", room_id=room.id, card_id=card.id))


@bp.post("/<int:room_id>/lernkarten/<int:card_id>/veroeffentlichen")
@login_required
def work_card_publish(room_id, card_id):
    """The Lotse publishes an approved card to the Lotsen-Community or publicly."""
    room = load_room(room_id, need="manage")
    card = _item(LearningCard, card_id, room)
    form = PublishForm()
    form.target.choices = choices(TARGETS.items())
    if form.is_submitted() and ButtonForm().validate_on_submit():
        try:
            cards_ops.publish(card, room, current_user, form.target.data)
            db.session.commit()
        except Refusal as exc:
            _refused(exc)
        else:
            flash(_("Die Lernkarte ist veröffentlicht."), "success")
    return redirect(url_for("rooms.work_card", room_id=room.id, card_id=card.id))


@bp.get("/erkenntnisse")
def work_public_cards():
    """Public (no account): the learning cards rooms published, newest first."""
    room_id = request.args.get("raum", type=int)
    listing = Listing.from_request(
        "rooms.work_public_cards", {"": LearningCard.public_at}, size=PAGE, raum=room_id
    )
    listing.desc = True
    rows = listing.fetch(
        cards_ops.public_select(room_id)
        .order_by(None)
        .options(db.selectinload(LearningCard.firms)),
        LearningCard.id.desc(),
    )
    return render_template(
        "rooms/work_public.html", rows=rows, listing=listing, named=_public_names(rows)
    )


def _public_names(rows):
    """``{organisation id: name}`` of the firms on the page that agreed to be named publicly."""
    ids = {f.organisation_id for card, _title in rows for f in card.firms}
    if not ids:
        return {}
    return dict(
        db.session.execute(
            db.select(Organisation.id, Organisation.name).where(
                Organisation.id.in_(ids), Organisation.public_consent.is_(True)
            )
        ).all()
    )


@bp.get("/erkenntnisse/<int:card_id>")
def work_public_card(card_id):
    """Public (no account): one published learning card."""
    card = db.session.get(LearningCard, card_id)
    if card is None or card.public_at is None:
        abort(404)
    room = db.session.get(Room, card.room_id)
    return render_template(
        "rooms/work_public_card.html",
        card=card,
        room_title=room.title,
        named=_public_names([(card, room.title)]),
    )
