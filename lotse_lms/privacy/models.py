"""Data exports people asked for (Art. 15/20 DSGVO)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db


class DataExport(db.Model):
    """A ZIP of everything the LMS holds about one person, built by a job, valid for a while."""

    __tablename__ = "privacy_exports"

    #: Random and unguessable; part of the download address.
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    #: Whose data it holds.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Who asked for it: the person, or foundation staff / an admin on the person's request.
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The job that builds it (``/jobs/<id>`` shows its progress).
    job_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set once the ZIP is written; the file is deleted afterwards by the retention job.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The ZIP below DATA_DIR ('' until built).
    path: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    size: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
