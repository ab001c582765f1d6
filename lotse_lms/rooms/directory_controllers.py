"""Public views: the directory of rooms, a room's public page with "Interesse melden", and
the confirmation link; no account needed."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.forms import LotseForm, choices, save_form
from ..core.paging import Listing
from ..extensions import db
from . import directory, firms, work_cards
from .forms import InterestForm, bundesland_choices
from .models import SECTORS, TOPICS, Room
from .work_models import LearningCard

ROOMS_PER_PAGE = 20


def directory_page():
    """Rooms open for sign-up and running rooms, filtered and paged (a list, no map)."""
    filters = directory.clean_filters(request.args)
    listing = Listing.from_request(
        "rooms.directory",
        {"title": db.func.lower(Room.title)},
        filters=("land", "plz", "branche", "thema"),
        size=ROOMS_PER_PAGE,
        not_null=("title",),
    )
    listing.filters = {k: v for k, v in filters.items() if v}
    query = directory.directory_select(filters).where(
        listing.matches(Room.title, Room.public_description)
    )
    rooms = listing.fetch(query, Room.id, scalars=True)
    return render_template(
        "rooms/directory.html",
        rooms=rooms,
        listing=listing,
        filters=filters,
        land_choices=bundesland_choices(_("alle")),
        sector_choices=choices([("", _("alle")), *SECTORS.items()]),
        topic_choices=choices([("", _("alle")), *TOPICS.items()]),
    )


def _interest_data(form):
    return {
        "name": form.name.data or "",
        "firm": form.firm.data or "",
        "email": form.email.data or "",
        "message": form.message.data or "",
    }


def public_room(room_id):
    """A room's public page: description, facts, firms that agreed to be named, the form."""
    room = directory.public_room(room_id)
    if room is None:
        abort(404)
    form = InterestForm()
    if form.is_submitted() and form.website.data:
        # A bot filled in the honeypot: answer as if taken, keep nothing, send nothing.
        return redirect(url_for("rooms.interest_sent", room_id=room.id))

    def check():
        directory.check_interest(room, _interest_data(form))

    def write():
        directory.check_stamp(form.started.data)
        directory.register_interest(room, _interest_data(form))

    if save_form(form, write, check=check):
        return redirect(url_for("rooms.interest_sent", room_id=room.id))
    form.started.data = directory.form_stamp()
    return render_template(
        "rooms/public_room.html",
        room=room,
        form=form,
        firms=firms.named_publicly(room),
        learnings=db.session.scalars(
            work_cards.public_select(room.id).with_only_columns(LearningCard).limit(6)
        ).all(),
        min_seconds=current_app.config["ROOMS_INTEREST_MIN_SECONDS"],
    )


def interest_sent(room_id):
    """After sending: please confirm by the mailed link."""
    room = directory.public_room(room_id)
    if room is None:
        abort(404)
    return render_template("rooms/interest_sent.html", room=room)


def confirm_interest(token):
    """The mailed link: a button confirms (a mail scanner opening the link confirms nothing)."""
    try:
        join_request = directory.request_from_token(token)
    except directory.InterestError as exc:
        return render_template("rooms/interest_confirm.html", error=exc.message, form=None), 410
    form = LotseForm()
    done = join_request.state != "unconfirmed"
    if not done and form.validate_on_submit():
        directory.confirm_interest(join_request)
        db.session.commit()
        done = True
    return render_template(
        "rooms/interest_confirm.html", join_request=join_request, form=form, done=done, error=None
    )
