"""Files shared in a room: members upload and download; checked and stored like proofs.

The check (type by extension and first bytes, size limit PROOF_MAX_BYTES) and the storage
(0600 below DATA_DIR, random name) are those of proofs, from ``core/uploads.py``.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..core import audit
from ..core.errors import Refusal
from ..core.uploads import check_upload, remove_upload, store_upload, stored_path
from ..extensions import db
from . import policy
from .meeting_models import RoomFile
from .models import Room

FOLDER = "room_files"
FILES_PER_PAGE = 30


class RoomFileError(Refusal):
    """A room file that cannot be taken or given out."""


def check_file(filename, data):
    """(extension, MIME type) of an acceptable room file, else RoomFileError on "upload"."""
    return check_upload(
        filename,
        data,
        limit=current_app.config["PROOF_MAX_BYTES"],
        refusal=RoomFileError,
        field="upload",
        wrong_type=_("Bitte laden Sie die Datei als PDF, PNG oder JPEG hoch."),
    )


def upload_file(room, user, filename, data):
    """Check and store a file for ``room``; returns the row (flushed).

    The stored file is removed again if the row cannot be written, so nothing is half-kept.
    """
    policy.refuse_if_closed(room, RoomFileError)
    ext, mime = check_file(filename, data)
    path = store_upload(data, ext, FOLDER)
    try:
        row = RoomFile(
            room_id=room.id,
            uploader_id=user.id,
            name=(filename or "")[-255:],
            path=path,
            mime=mime,
            size=len(data),
        )
        db.session.add(row)
        db.session.flush()
    except Exception:
        remove_upload(path)
        raise
    audit.record("rooms.file_uploaded", row, actor=user, room=room.id, name=row.name)
    return row


def delete_file(row, actor):
    """Delete a room file's row; returns the stored path to remove once committed."""
    policy.refuse_if_closed(db.session.get(Room, row.room_id), RoomFileError)
    path = row.path
    audit.record("rooms.file_deleted", row, actor=actor, room=row.room_id, name=row.name)
    db.session.delete(row)
    db.session.flush()
    return path


def file_path(row):
    """The absolute path of a stored room file."""
    return stored_path(row.path)


def page_of_files(room, listing):
    """One page of the room's files, newest first (uploaders joined)."""
    return listing.fetch(
        sa.select(RoomFile).where(RoomFile.room_id == room.id, listing.matches(RoomFile.name)),
        RoomFile.id.desc(),
        scalars=True,
    )


def file_of(room, file_id):
    """The file ``file_id`` of ``room``, or None."""
    return db.session.scalar(
        sa.select(RoomFile).where(RoomFile.id == file_id, RoomFile.room_id == room.id)
    )
