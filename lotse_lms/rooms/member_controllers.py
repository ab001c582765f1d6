"""Views of a room's members: invitations of firm contacts, co-moderators, join requests,
and a firm's consent to be named publicly."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.forms import LotseForm, save_form
from ..core.paging import Listing
from ..extensions import db
from . import directory, firms, join_requests, operations, policy
from .forms import CoLeadForm, ConsentForm, DeclineForm, InviteForm, OrganisationForm
from .models import REQUEST_STATES, JoinRequest, Organisation, RoomMember

REQUESTS_PER_PAGE = 25


def _sent(name):
    """True if the POST came from the form whose submit button is ``name``."""
    return request.method == "POST" and request.form.get("send") == name


def _invite_args(form):
    return form.contact_name.data or "", form.email.data or "", form.data_dict()


@login_required
def manage_members(room_id):
    """Members with their firms; invite a firm contact; add a co-moderator."""
    room = policy.load_room(room_id, need="manage")
    form = InviteForm(prefix="invite")
    co_form = CoLeadForm(prefix="co")

    def check():
        firms.check_invitation(room, *_invite_args(form), current_user)

    if _sent("invite") and save_form(
        form,
        lambda: firms.invite_firm_contact(room, *_invite_args(form), current_user),
        lambda member: _(
            "%(name)s ist eingeladen; die Einladung ist verschickt.", name=member.user.name
        ),
        check=check,
    ):
        return redirect(url_for("rooms.manage_members", room_id=room.id))
    if _sent("co") and save_form(
        co_form,
        lambda: operations.add_co_lead(room, co_form.user.person, current_user),
        _("Gespeichert."),
    ):
        return redirect(url_for("rooms.manage_members", room_id=room.id))
    return render_template(
        "rooms/members.html",
        room=room,
        form=form,
        co_form=co_form,
        action_form=LotseForm(),
        members=operations.members(room),
        firm_count=firms.firm_count(room),
    )


def _on_member(room_id, member_id, change, done):
    """Apply ``change(room, member, actor)`` to a member of a room the user manages (a POST),
    flash ``done`` or the refusal, and go back to the member list."""
    room = policy.load_room(room_id, need="manage")
    member = db.session.get(RoomMember, member_id)
    if member is None or member.room_id != room.id or not LotseForm().validate_on_submit():
        abort(404)
    try:
        change(room, member, current_user)
        db.session.commit()
    except operations.RoomError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("rooms.manage_members", room_id=room.id))


@login_required
def remove_member(room_id, member_id):
    """Take a co-moderator or firm contact out of the room."""
    return _on_member(room_id, member_id, operations.remove_member, _("Gespeichert."))


@login_required
def resend_invitation(room_id, member_id):
    """Send a firm contact who has not set a password yet a new invitation link."""
    return _on_member(
        room_id, member_id, firms.resend_invitation, _("Die Einladung ist erneut verschickt.")
    )


@login_required
def edit_organisation(room_id, organisation_id):
    """Correct a firm's facts (name, sector, size, region)."""
    room = policy.load_room(room_id, need="manage")
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation not in firms.room_organisations(room):
        abort(404)
    form = OrganisationForm(obj=organisation)

    def check():
        operations.check_organisation(form.data_dict())

    if save_form(
        form,
        lambda: operations.save_organisation(organisation, form.data_dict(), current_user),
        _("Gespeichert."),
        check=check,
    ):
        return redirect(url_for("rooms.manage_members", room_id=room.id))
    return render_template(
        "rooms/organisation.html", room=room, organisation=organisation, form=form
    )


@login_required
def requests(room_id):
    """The room's confirmed "Interesse melden" requests (open first), paged."""
    room = policy.load_room(room_id, need="manage")
    listing = Listing.from_request(
        "rooms.requests",
        {"confirmed": JoinRequest.confirmed_at},
        size=REQUESTS_PER_PAGE,
        room_id=room.id,
    )
    listing.desc = True
    query = join_requests.requests_select(room)
    rows = listing.fetch(
        query.order_by((JoinRequest.state != "confirmed").asc()), JoinRequest.id, scalars=True
    )
    return render_template(
        "rooms/requests.html",
        room=room,
        rows=rows,
        listing=listing,
        states=REQUEST_STATES,
        decline_form=DeclineForm(),
    )


def _open_request(room, request_id):
    join_request = db.session.get(JoinRequest, request_id)
    if (
        join_request is None
        or join_request.room_id != room.id
        or join_request.state == "unconfirmed"
    ):
        abort(404)
    return join_request


@login_required
def accept_request(room_id, request_id):
    """Accept a request: complete the firm's facts, then the contact is invited."""
    room = policy.load_room(room_id, need="manage")
    join_request = _open_request(room, request_id)
    form = OrganisationForm()
    if not form.is_submitted():
        form.name.data = join_request.firm
        form.bundesland.data = room.bundesland
        form.sector.data = room.sector

    def check():
        join_requests.check_accept(join_request, room, form.data_dict(), current_user)

    if save_form(
        form,
        lambda: join_requests.accept(join_request, room, form.data_dict(), current_user),
        lambda member: _("Angenommen: %(name)s ist eingeladen.", name=member.user.name),
        check=check,
    ):
        return redirect(url_for("rooms.requests", room_id=room.id))
    return render_template("rooms/accept.html", room=room, join_request=join_request, form=form)


@login_required
def decline_request(room_id, request_id):
    """Decline a request; the requester gets a mail (with the reason, if given)."""
    room = policy.load_room(room_id, need="manage")
    join_request = _open_request(room, request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            join_requests.decline(join_request, room, form.reason.data, current_user)
            db.session.commit()
        except directory.InterestError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Abgelehnt; die anfragende Person ist benachrichtigt."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("rooms.requests", room_id=room.id))


@login_required
def set_consent(room_id, organisation_id):
    """A firm contact says whether their firm may be named publicly."""
    room = policy.load_room(room_id)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation not in firms.room_organisations(room):
        abort(404)
    form = ConsentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        firms.set_consent(organisation, form.public_consent.data, current_user)
        db.session.commit()
    except operations.RoomError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Gespeichert."), "success")
    return redirect(url_for("rooms.show", room_id=room.id, _anchor="section-firm"))


def firm_section(room, user):
    """Section "Ihr Unternehmen" on the room page: the consent, for the firm's contacts."""
    organisations = firms.organisations_of(user, room)
    if not organisations:
        return None
    return {"organisations": organisations, "consent_form": ConsentForm()}
