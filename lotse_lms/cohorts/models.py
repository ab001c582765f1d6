"""Cohorts (Durchgänge): a programme run with its dates and the people in it."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..accounts.roles import Role
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db

#: The roles a person holds in a cohort.
PARTICIPANT, TRAINER, MENTOR = Role.PARTICIPANT, Role.TRAINER, Role.MENTOR
MEMBER_ROLES = {
    PARTICIPANT: _l("Teilnehmende"),
    TRAINER: _l("Trainerin / Trainer"),
    MENTOR: _l("Mentorin / Mentor"),
}


class Cohort(db.Model):
    """One run of the qualification: a name, a start and an end date, its members."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Shown in every cohort filter; unique.
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    #: First and last day of the run (inclusive); a cohort is current until its end.
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list["CohortMember"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", lazy="select"
    )

    def is_current(self, today):
        """True until the cohort's last day has passed."""
        return self.ends_on >= today

    def __repr__(self):
        return f"<Cohort {self.id} {self.name}>"


class CohortMember(db.Model):
    """That a person takes part in a cohort in one role (participant, trainer or mentor)."""

    __tablename__ = "cohort_members"
    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: A key of MEMBER_ROLES.
    role: Mapped[str] = mapped_column(sa.String(20))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def role_label(self):
        """The German name of the member's role."""
        return MEMBER_ROLES.get(self.role, self.role)
