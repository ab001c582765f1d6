"""Q2 attendance per date: present / absent / excused and minutes for each date of a session

The registration keeps the session total (``attendance``, ``attended_minutes``), which the
qualification path reads. Attendance recorded before is copied onto the dates: a status
other than "present" onto every date; "present" minutes fill the dates in order, each up
to its length, and dates left without minutes count as absent.

Revision ID: 3a7c9e1f5b62
Revises: 3d5e0c1a9b27
Create Date: 2026-12-06 04:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3a7c9e1f5b62"
down_revision = "3d5e0c1a9b27"
branch_labels = None
depends_on = None


def _spread(status, minutes, dates):
    """Per-date (date_id, status, minutes) rows for one registration's recorded total."""
    rows = []
    left = minutes
    for date_id, starts_at, ends_at in dates:
        if status != "present":
            rows.append((date_id, status, 0))
            continue
        length = int((ends_at - starts_at).total_seconds() // 60)
        share = min(left, length)
        left -= share
        rows.append((date_id, "present" if share > 0 else "absent", share))
    return rows


def upgrade():
    op.create_table(
        "q2_date_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("date_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("minutes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["date_id"],
            ["q2_session_dates.id"],
            name=op.f("fk_q2_date_attendance_date_id_q2_session_dates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["q2_registrations.id"],
            name=op.f("fk_q2_date_attendance_registration_id_q2_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_q2_date_attendance_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_q2_date_attendance")),
        sa.UniqueConstraint(
            "registration_id", "date_id", name=op.f("uq_q2_date_attendance_registration_id")
        ),
    )
    with op.batch_alter_table("q2_date_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_q2_date_attendance_date_id"), ["date_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_q2_date_attendance_registration_id"), ["registration_id"], unique=False
        )
    bind = op.get_bind()
    regs = sa.table(
        "q2_registrations",
        sa.column("id", sa.Integer),
        sa.column("session_id", sa.Integer),
        sa.column("attendance", sa.String),
        sa.column("attended_minutes", sa.Integer),
        sa.column("attendance_by_id", sa.Integer),
        sa.column("attendance_at", sa.DateTime),
    )
    session_dates = sa.table(
        "q2_session_dates",
        sa.column("id", sa.Integer),
        sa.column("session_id", sa.Integer),
        sa.column("starts_at", sa.DateTime),
        sa.column("ends_at", sa.DateTime),
    )
    recorded = bind.execute(
        sa.select(
            regs.c.id,
            regs.c.session_id,
            regs.c.attendance,
            regs.c.attended_minutes,
            regs.c.attendance_by_id,
            regs.c.attendance_at,
        ).where(regs.c.attendance.is_not(None))
    ).all()
    dates = {}
    for date_id, session_id, starts_at, ends_at in bind.execute(
        sa.select(
            session_dates.c.id,
            session_dates.c.session_id,
            session_dates.c.starts_at,
            session_dates.c.ends_at,
        ).order_by(session_dates.c.session_id, session_dates.c.starts_at)
    ):
        dates.setdefault(session_id, []).append((date_id, starts_at, ends_at))
    table = sa.table(
        "q2_date_attendance",
        sa.column("registration_id", sa.Integer),
        sa.column("date_id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("minutes", sa.Integer),
        sa.column("recorded_by_id", sa.Integer),
        sa.column("recorded_at", sa.DateTime),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "registration_id": reg_id,
            "date_id": date_id,
            "status": status,
            "minutes": share,
            "recorded_by_id": by_id,
            "recorded_at": at or now,
        }
        for reg_id, session_id, attendance, minutes, by_id, at in recorded
        for date_id, status, share in _spread(attendance, minutes, dates.get(session_id, []))
    ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade():
    # The totals on q2_registrations were kept up to date; only the split per date goes.
    with op.batch_alter_table("q2_date_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_q2_date_attendance_registration_id"))
        batch_op.drop_index(batch_op.f("ix_q2_date_attendance_date_id"))
    op.drop_table("q2_date_attendance")
