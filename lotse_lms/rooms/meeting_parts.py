"""What the meetings part adds to the app: room page sections, calendar entries, dashboard
panel, community space kind, upload limit and privacy provider (``register`` from init_app)."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.roles import Role
from ..agenda.registry import Entry, register_agenda, utc_bounds
from ..core.dashboard import register_panel
from ..core.limits import FORM_OVERHEAD, register_body_limit
from ..extensions import db
from . import meeting_privacy, meetings, policy, space
from .meeting_models import Meeting, RoomFile
from .models import RoomMember
from .sections import register_section

SECTION_MEETINGS = 10
SECTION_FILES = 5


def meetings_section(room, user):
    """The room page's meetings: the next one and the latest ones (fixed queries)."""
    latest = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.room_id == room.id)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(SECTION_MEETINGS)
    ).all()
    return {
        "next": meetings.next_meeting(room),
        "meetings": latest,
        "may_manage": policy.can_manage(user, room) and not room.is_closed,
    }


def files_section(room, user):
    """The room page's newest files."""
    latest = db.session.scalars(
        sa.select(RoomFile)
        .where(RoomFile.room_id == room.id)
        .order_by(RoomFile.id.desc())
        .limit(SECTION_FILES)
    ).all()
    return {"files": latest}


def agenda_entries(user, first_day, last_day):
    """The meetings of the person's rooms in the days (cancelled ones marked)."""
    start, end = utc_bounds(first_day, last_day)
    rooms = sa.select(RoomMember.room_id).where(RoomMember.user_id == user.id)
    found = db.session.scalars(
        sa.select(Meeting).where(
            Meeting.room_id.in_(rooms), Meeting.starts_at < end, Meeting.ends_at > start
        )
    ).all()
    return [
        Entry(
            m.starts_at,
            m.ends_at,
            f"{m.room.title}: {m.title}",
            url_for("rooms.meeting", room_id=m.room_id, meeting_id=m.id),
            _("Experimentierraum"),
            "event",
            _("abgesagt") if m.is_cancelled else "",
        )
        for m in found
    ]


def _panel(user):
    """Dashboard data: the next meetings of the person's rooms."""
    return {"meetings": meetings.next_meetings_of(user)}


def register(app):
    """Register the meetings part (called once from the rooms area's init_app)."""
    register_section(
        app, "meetings", _l("Treffen"), "rooms/meeting_section.html", meetings_section, order=20
    )
    register_section(
        app, "files", _l("Dateien"), "rooms/meeting_files_section.html", files_section, order=60
    )
    register_agenda(app, agenda_entries)
    register_panel(
        app,
        "room_meetings",
        [Role.FIRM_CONTACT, Role.PARTICIPANT, Role.MENTOR],
        "rooms/meeting_panel.html",
        _panel,
        order=5,
    )
    register_body_limit(app, "rooms.files", "PROOF_MAX_BYTES", FORM_OVERHEAD)
    space.register(app)
    meeting_privacy.register(app)
