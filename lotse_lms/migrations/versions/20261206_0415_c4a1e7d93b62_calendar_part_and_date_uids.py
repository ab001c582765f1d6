"""outbox mails carry an iCalendar part; each Q2 date keeps its own calendar UID

``outbox_mails.calendar``: the iTIP invitation, update or cancellation sent with a mail.
``q2_session_dates.uid``: the date's calendar UID, stored so that a new date never takes the UID
of a removed one (SQLite reuses a deleted highest id). Existing dates keep the UID they had
(``q2-<session uid>-<date id>@lotse-lms``), so calendars that imported them update, not duplicate.

Revision ID: c4a1e7d93b62
Revises: 7955d1e6c33b
Create Date: 2026-12-06 04:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4a1e7d93b62"
down_revision = "7955d1e6c33b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar", sa.Text(), nullable=True))
    with op.batch_alter_table("q2_session_dates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("uid", sa.String(length=100), server_default="", nullable=False)
        )
    op.execute(
        "UPDATE q2_session_dates SET uid = 'q2-' || (SELECT s.uid FROM q2_sessions s "
        "WHERE s.id = q2_session_dates.session_id) || '-' || CAST(id AS VARCHAR(20)) "
        "|| '@lotse-lms'"
    )


def downgrade():
    with op.batch_alter_table("q2_session_dates", schema=None) as batch_op:
        batch_op.drop_column("uid")
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.drop_column("calendar")
