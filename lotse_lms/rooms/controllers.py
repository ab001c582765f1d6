"""Views of the rooms: "Meine Experimentierräume", a room's page, creating and editing rooms."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.forms import choices, save_form
from ..core.paging import Listing
from ..extensions import db
from ..mentoring.operations import current_mentor
from . import join_requests, operations, policy
from .forms import PhaseForm, RoomForm
from .models import PHASES, Room
from .sections import visible_sections

ROOMS_PER_PAGE = 25


@login_required
def index():
    """The rooms the person belongs to (the foundation: every room), paged."""
    listing = Listing.from_request(
        "rooms.index",
        {"title": db.func.lower(Room.title), "phase": Room.phase, "created": Room.created_at},
        size=ROOMS_PER_PAGE,
        not_null=("title", "phase", "created"),
    )
    query = operations.rooms_of(current_user).where(listing.matches(Room.title))
    rooms = listing.fetch(query, Room.id, scalars=True)
    return render_template(
        "rooms/index.html",
        rooms=rooms,
        listing=listing,
        phases=PHASES,
        may_create=policy.may_create(current_user),
        waiting=join_requests.open_requests_for(current_user),
    )


@login_required
def show(room_id):
    """A room's page: its facts and every section the person may see."""
    room = policy.load_room(room_id)
    role = policy.room_role(current_user, room)
    may_manage = policy.can_manage(current_user, room)
    return render_template(
        "rooms/room.html",
        room=room,
        room_role=role,
        role_label=operations.role_label(role),
        may_manage=may_manage,
        sections=visible_sections(room, current_user),
        members=operations.members(room),
        phase_form=PhaseForm(),
        open_requests=join_requests.open_requests_count(room) if may_manage else 0,
        next_phases=operations.allowed_phases(room),
    )


def _pick(form, room=None):
    """The lead and mentor the form names (a Lotse creating a room leads it themselves)."""
    if policy.is_staff(current_user):
        lead = form.lead.person or (room.lead if room else None)
    else:
        lead = room.lead if room else current_user._get_current_object()
    return lead, form.mentor.person


@login_required
def create():
    """Open a new room (phase "geplant")."""
    if not policy.may_create(current_user):
        abort(403)
    form = RoomForm()
    if not policy.is_staff(current_user) and not form.is_submitted():
        mentor = current_mentor(current_user)
        if mentor is not None:
            form.mentor.data = mentor.email

    def check():
        lead, mentor = _pick(form)
        operations.check_room(form.data_dict(), lead, mentor, current_user)

    def write():
        lead, mentor = _pick(form)
        return operations.create_room(form.data_dict(), lead, current_user, mentor=mentor)

    saved = save_form(form, write, _("Der Experimentierraum ist angelegt."), check=check)
    if saved:
        return redirect(url_for("rooms.show", room_id=saved.value.id))
    return render_template(
        "rooms/edit.html", form=form, room=None, staff=policy.is_staff(current_user)
    )


@login_required
def edit(room_id):
    """Change a room's facts, descriptions, lead (foundation) and mentor."""
    room = policy.load_room(room_id, need="manage")
    form = RoomForm(obj=room)
    if not form.is_submitted():
        form.topics.data = room.topics
        form.lead.data = room.lead.email
        form.mentor.data = room.mentor.email if room.mentor else ""

    def check():
        lead, mentor = _pick(form, room)
        operations.check_room(form.data_dict(), lead, mentor, current_user, room=room)

    def write():
        lead, mentor = _pick(form, room)
        operations.update_room(room, form.data_dict(), current_user, lead=lead, mentor=mentor)

    if save_form(form, write, _("Gespeichert."), check=check):
        return redirect(url_for("rooms.show", room_id=room.id))
    return render_template(
        "rooms/edit.html",
        form=form,
        room=room,
        staff=policy.is_staff(current_user),
        phases=PHASES,
        next_phases=operations.allowed_phases(room),
    )


@login_required
def change_phase(room_id):
    """Move the room to the phase of the pressed button (allowed steps only)."""
    room = policy.load_room(room_id, need="manage")
    form = PhaseForm()
    form.phase.choices = choices((p, PHASES[p]) for p in operations.allowed_phases(room))
    if form.validate_on_submit():
        try:
            operations.change_phase(room, form.phase.data, current_user)
            db.session.commit()
        except operations.RoomError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Die Phase ist jetzt „%(phase)s“.", phase=PHASES[room.phase]), "success")
    else:
        flash(_("Dieser Phasenwechsel ist nicht möglich."), "error")
    return redirect(url_for("rooms.show", room_id=room.id))
