"""Personal data of a room's meetings and files: comments, protocol approvals, uploads.

Erasure: the person's comments are emptied and no longer name them, their approvals are
deleted, and the files they uploaded are deleted with their rows (a file may hold personal
data of its uploader; the other members keep the meetings, protocols and their own files).
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, register_privacy
from ..extensions import db
from .files import file_path
from .meeting_models import Meeting, ProtocolApproval, ProtocolComment, RoomFile

ERASED_COMMENT = "[gelöscht]"


def export_meetings(user):
    """The person's comments, approvals and uploaded files (with the files themselves)."""
    comments = db.session.execute(
        sa.select(ProtocolComment, Meeting.title)
        .join(Meeting, Meeting.id == ProtocolComment.meeting_id)
        .where(ProtocolComment.author_id == user.id)
        .order_by(ProtocolComment.id)
    ).all()
    approvals = db.session.execute(
        sa.select(ProtocolApproval, Meeting.title)
        .join(Meeting, Meeting.id == ProtocolApproval.meeting_id)
        .where(ProtocolApproval.user_id == user.id)
        .order_by(ProtocolApproval.id)
    ).all()
    uploads = db.session.scalars(
        sa.select(RoomFile).where(RoomFile.uploader_id == user.id).order_by(RoomFile.id)
    ).all()
    files = []
    for row in uploads:
        path = file_path(row)
        if path.exists():
            files.append((f"raum_{row.room_id}_{row.id}_{row.name}", path))
    return Part(
        {
            "protocol_comments": [
                {"meeting": title, "body": c.body, "created_at": c.created_at.isoformat()}
                for c, title in comments
            ],
            "protocol_approvals": [
                {"meeting": title, "version": a.version, "approved_at": a.approved_at.isoformat()}
                for a, title in approvals
            ],
            "room_files": [
                {
                    "room": f.room_id,
                    "name": f.name,
                    "size": f.size,
                    "created_at": f.created_at.isoformat(),
                }
                for f in uploads
            ],
        },
        files,
    )


def erase_meetings(user):
    """Empty the person's comments, delete approvals and uploads; returns the files to remove."""
    db.session.execute(
        sa.update(ProtocolComment)
        .where(ProtocolComment.author_id == user.id)
        .values(author_id=None, body=ERASED_COMMENT)
    )
    db.session.execute(sa.delete(ProtocolApproval).where(ProtocolApproval.user_id == user.id))
    uploads = db.session.scalars(sa.select(RoomFile).where(RoomFile.uploader_id == user.id)).all()
    files = [file_path(row) for row in uploads]
    for row in uploads:
        db.session.delete(row)
    return files


def register(app):
    """Declare the meetings' and files' personal data."""
    register_privacy(
        app,
        "room_meetings",
        _l("Experimentierräume: Treffen und Dateien"),
        export=export_meetings,
        erase=erase_meetings,
        kept=_l(
            "Treffen und Protokolle bleiben für die anderen Mitglieder des Raums; "
            "Ihre Kommentare werden geleert und nennen Sie nicht mehr."
        ),
    )
