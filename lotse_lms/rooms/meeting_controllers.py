"""Views of a room's meetings, protocol, files and forum (members only; managers plan)."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.forms import save_form
from ..core.ical import ics_response
from ..core.paging import Listing
from ..core.timeutil import to_berlin, utcnow
from ..core.uploads import human_size, remove_upload
from ..extensions import db
from . import files, meeting_ical, meetings, policy
from .blueprint import GP, POST, bp
from .meeting_forms import ActionForm, CancelForm, CommentForm, FileForm, MeetingForm, ProtocolForm
from .meeting_models import Meeting, ProtocolComment, RoomFile
from .space import space_of

MEETINGS_PER_PAGE = 25
#: Protocol and action comments per page (oldest first; a new comment opens the last page).
COMMENTS_PER_PAGE = 30


def comment_url(endpoint, parent_column, comment, anchor, **values):
    """The URL of the page (COMMENTS_PER_PAGE a page, oldest first) that shows ``comment``
    among those with the same ``parent_column``, scrolled to ``#<anchor>-<id>``."""
    parent_id = getattr(comment, parent_column.key)
    page = meetings.page_of(
        parent_column.class_, parent_column, parent_id, comment.id, COMMENTS_PER_PAGE
    )
    return url_for(
        endpoint, page=page if page > 1 else None, _anchor=f"{anchor}-{comment.id}", **values
    )


def _member_room(room_id, need="view", writing=False):
    """The room if the person is a member or manages it (the foundation), else 404/403;
    ``writing``: back to the room page if it is closed."""
    return policy.load_room(room_id, need, writing=writing)


def _meeting(room, meeting_id):
    """The meeting ``meeting_id`` of ``room``, or 404."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.room_id != room.id:
        abort(404)
    return meeting


def _fields(form):
    """The form's meeting fields as the operations take them."""
    return {
        "title": form.title.data,
        "starts_at": form.starts_at.data,
        "ends_at": form.ends_at.data,
        "place": form.place.data,
        "video_url": form.video_url.data,
        "agenda": form.agenda.data,
    }


@login_required
def meeting_new(room_id):
    """Schedule a meeting; every member gets a calendar invitation."""
    room = _member_room(room_id, "manage", writing=True)
    form = MeetingForm()
    saved = save_form(
        form,
        lambda: meetings.schedule_meeting(room, current_user, **_fields(form)),
        _("Das Treffen ist geplant; die Mitglieder erhalten eine Einladung."),
        check=lambda: meetings.check_meeting(**_fields(form)),
    )
    if saved:
        return redirect(url_for("rooms.meeting", room_id=room.id, meeting_id=saved.value.id))
    back = url_for("rooms.show", room_id=room.id)
    return render_template(
        "rooms/meeting_form.html", form=form, room=room, heading=_("Treffen planen"), back=back
    )


@login_required
def meeting_edit(room_id, meeting_id):
    """Change a meeting; the members' calendars are updated."""
    room = _member_room(room_id, "manage", writing=True)
    meeting = _meeting(room, meeting_id)
    form = MeetingForm()
    if not form.is_submitted():
        form.title.data, form.place.data = meeting.title, meeting.place
        form.starts_at.data = to_berlin(meeting.starts_at).replace(tzinfo=None)
        form.ends_at.data = to_berlin(meeting.ends_at).replace(tzinfo=None)
        form.video_url.data = meeting.video_url
        form.agenda.data = "\n".join(item.title for item in meeting.agenda)
    if save_form(
        form,
        lambda: meetings.update_meeting(meeting, current_user, **_fields(form)),
        lambda changed: (
            _("Gespeichert; die Kalender der Mitglieder werden aktualisiert.") if changed else None
        ),
        check=lambda: meetings.check_meeting(**_fields(form)),
    ):
        return redirect(url_for("rooms.meeting", room_id=room.id, meeting_id=meeting.id))
    back = url_for("rooms.meeting", room_id=room.id, meeting_id=meeting.id)
    return render_template(
        "rooms/meeting_form.html", form=form, room=room, heading=_("Treffen ändern"), back=back
    )


@login_required
def meeting_cancel(room_id, meeting_id):
    """Call a meeting off (POST); the members' calendars drop it."""
    room = _member_room(room_id, "manage", writing=True)
    meeting = _meeting(room, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            meetings.cancel_meeting(meeting, current_user, form.reason.data)
        except meetings.MeetingError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Das Treffen ist abgesagt."), "success")
    return redirect(url_for("rooms.meeting", room_id=room.id, meeting_id=meeting_id))


def _meeting_page(room, meeting, comment_form=None):
    """Render a meeting's page for the signed-in member."""
    approvals = meetings.current_approvals(meeting)
    approved = {a.user_id for a in approvals}
    contacts = meetings.firm_contacts(room) if meeting.protocol else []
    is_contact = any(u.id == current_user.id for u in contacts)
    listing = Listing.from_request(
        "rooms.meeting",
        {"": ProtocolComment.id},
        size=COMMENTS_PER_PAGE,
        room_id=room.id,
        meeting_id=meeting.id,
    )
    comments = (
        listing.fetch(meetings.comments_select(meeting), scalars=True) if meeting.protocol else []
    )
    return render_template(
        "rooms/meeting.html",
        room=room,
        meeting=meeting,
        may_manage=policy.can_manage(current_user, room) and not room.is_closed,
        approvals=approvals,
        waiting=[u for u in contacts if u.id not in approved],
        may_approve=is_contact and current_user.id not in approved,
        approved_by_me=current_user.id in approved,
        may_comment=not room.is_closed
        and (policy.is_member(current_user, room) or policy.can_manage(current_user, room)),
        comments=comments,
        listing=listing,
        comment_form=comment_form or CommentForm(),
        cancel_form=CancelForm(),
        action_form=ActionForm(),
    )


@login_required
def meeting(room_id, meeting_id):
    """A meeting: time, place, agenda, the protocol with approvals and comments."""
    room = _member_room(room_id)
    return _meeting_page(room, _meeting(room, meeting_id))


@login_required
def meetings_list(room_id):
    """Every meeting of the room, newest first, paged."""
    room = _member_room(room_id)
    listing = Listing.from_request(
        "rooms.meetings",
        {"start": Meeting.starts_at},
        size=MEETINGS_PER_PAGE,
        not_null=("start",),
        room_id=room.id,
    )
    if "dir" not in request.args:
        listing.desc = True  # newest first unless asked otherwise
    rows = listing.fetch(
        db.select(Meeting).where(Meeting.room_id == room.id), Meeting.id.desc(), scalars=True
    )
    return render_template(
        "rooms/meetings.html",
        room=room,
        meetings=rows,
        listing=listing,
        may_manage=policy.can_manage(current_user, room) and not room.is_closed,
    )


@login_required
def meeting_ics(room_id, meeting_id):
    """The meeting as an .ics file."""
    room = _member_room(room_id)
    meeting = _meeting(room, meeting_id)
    data = meeting_ical.meeting_calendar(meeting, utcnow())
    return ics_response(data, f"treffen-{meeting.id}.ics")


@login_required
def meeting_protocol(room_id, meeting_id):
    """Write or change the protocol (those who manage the room)."""
    room = _member_room(room_id, "manage", writing=True)
    meeting = _meeting(room, meeting_id)
    form = ProtocolForm()
    if not form.is_submitted():
        form.protocol.data = meeting.protocol
    if save_form(
        form,
        lambda: meetings.save_protocol(meeting, current_user, form.protocol.data),
        _("Das Protokoll ist gespeichert."),
    ):
        return redirect(
            url_for("rooms.meeting", room_id=room.id, meeting_id=meeting.id, _anchor="protokoll")
        )
    return render_template(
        "rooms/meeting_protocol.html",
        form=form,
        room=room,
        meeting=meeting,
        approvals=meetings.current_approvals(meeting),
    )


@login_required
def meeting_approve(room_id, meeting_id):
    """A firm contact approves the protocol (POST)."""
    room = _member_room(room_id)
    meeting = _meeting(room, meeting_id)
    if ActionForm().validate_on_submit():
        try:
            meetings.approve_protocol(meeting, current_user)
        except meetings.MeetingError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Sie haben das Protokoll freigegeben."), "success")
    return redirect(
        url_for("rooms.meeting", room_id=room.id, meeting_id=meeting.id, _anchor="protokoll")
    )


@login_required
def meeting_comment(room_id, meeting_id):
    """A member comments on the protocol (POST)."""
    room = _member_room(room_id)
    meeting = _meeting(room, meeting_id)
    form = CommentForm()
    saved = save_form(
        form, lambda: meetings.comment_protocol(meeting, current_user, form.body.data)
    )
    if not saved:
        return _meeting_page(room, meeting, form), 422
    return redirect(
        comment_url(
            "rooms.meeting",
            ProtocolComment.meeting_id,
            saved.value,
            "kommentar",
            room_id=room.id,
            meeting_id=meeting.id,
        )
    )


@login_required
def room_space(room_id):
    """The room's private forum in the community (created when first opened)."""
    room = _member_room(room_id)
    space = space_of(room)
    db.session.commit()
    return redirect(url_for("community.space", space_id=space.id))


@login_required
def files_page(room_id):
    """The room's files, newest first, and the upload form."""
    room = _member_room(room_id)
    form = FileForm()

    def write():
        upload = form.upload.data
        # one byte over the limit is enough for the check to refuse it
        limit = current_app.config["PROOF_MAX_BYTES"]
        data = upload.read(limit + 1) if upload else None
        files.upload_file(room, current_user, upload.filename if upload else "", data)

    if save_form(form, write, _("Die Datei ist hochgeladen.")):
        return redirect(url_for("rooms.files", room_id=room.id))
    listing = Listing.from_request(
        "rooms.files",
        {"created": RoomFile.created_at},
        size=files.FILES_PER_PAGE,
        not_null=("created",),
        room_id=room.id,
    )
    if "dir" not in request.args:
        listing.desc = True  # newest first unless asked otherwise
    return render_template(
        "rooms/meeting_files.html",
        room=room,
        form=form,
        files=files.page_of_files(room, listing),
        listing=listing,
        max_size=human_size(current_app.config["PROOF_MAX_BYTES"]),
        may_manage=policy.can_manage(current_user, room),
        writable=not room.is_closed,
        action_form=ActionForm(),
    ), (422 if form.errors else 200)


@login_required
def file_download(room_id, file_id):
    """Download one of the room's files (members only)."""
    room = _member_room(room_id)
    row = files.file_of(room, file_id)
    if row is None:
        abort(404)
    return send_file(
        files.file_path(row), mimetype=row.mime, as_attachment=True, download_name=row.name
    )


@login_required
def file_delete(room_id, file_id):
    """Delete a file (its uploader or those who manage the room; POST)."""
    room = _member_room(room_id, writing=True)
    row = files.file_of(room, file_id)
    if row is None:
        abort(404)
    if row.uploader_id != current_user.id and not policy.can_manage(current_user, room):
        abort(403)
    if ActionForm().validate_on_submit():
        path = files.delete_file(row, current_user)
        db.session.commit()
        remove_upload(path)
        flash(_("Die Datei ist gelöscht."), "success")
    return redirect(url_for("rooms.files", room_id=room.id))


MEETING = "/<int:room_id>/treffen/<int:meeting_id>"
bp.add_url_rule("/<int:room_id>/treffen", "meetings", meetings_list)
bp.add_url_rule("/<int:room_id>/treffen/neu", view_func=meeting_new, methods=GP)
bp.add_url_rule(MEETING, view_func=meeting)
bp.add_url_rule(MEETING + "/bearbeiten", view_func=meeting_edit, methods=GP)
bp.add_url_rule(MEETING + "/absagen", view_func=meeting_cancel, methods=POST)
bp.add_url_rule(MEETING + "/protokoll", view_func=meeting_protocol, methods=GP)
bp.add_url_rule(MEETING + "/freigeben", view_func=meeting_approve, methods=POST)
bp.add_url_rule(MEETING + "/kommentar", view_func=meeting_comment, methods=POST)
bp.add_url_rule(MEETING + "/termin.ics", view_func=meeting_ics)
bp.add_url_rule("/<int:room_id>/forum", view_func=room_space)
bp.add_url_rule("/<int:room_id>/dateien", "files", files_page, methods=GP)
bp.add_url_rule("/<int:room_id>/dateien/<int:file_id>", view_func=file_download)
bp.add_url_rule(
    "/<int:room_id>/dateien/<int:file_id>/loeschen", view_func=file_delete, methods=POST
)
