"""attempt session counts; indexes of the lists and pickers

``q1_sco_attempts.sessions`` counts the launches of an attempt (the data model's session
counter), kept by every write of the state, so the Q1 report and its CSV no longer read
each attempt's JSON state (they read the index ix_q1_sco_attempts_counts alone); filled
here from the stored states. Indexes for what the lists
and pickers filter on: people by role, a trainer's Q2 sessions, records waiting for
review, parked mails.

Revision ID: 3c7d9e2f4a61
Revises: 3b9d5e7a1c26
Create Date: 2026-12-06 04:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3c7d9e2f4a61"
down_revision = "3b9d5e7a1c26"
branch_labels = None
depends_on = None

#: (table, column) of the new single-column indexes.
INDEXES = [
    ("user_roles", "role"),
    ("q2_session_trainers", "user_id"),
    ("consultant_authorisations", "status"),
    ("workshop_attendances", "status"),
    ("outbox_mails", "parked_at"),
]

#: The report's session counts are read from this index alone (no row with its state).
COUNTS = ["registration_id", "version_id", "item_id", "is_asset", "sessions"]


def upgrade():
    with op.batch_alter_table("q1_sco_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sessions", sa.Integer(), server_default="1", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        session = "(state ->> 'session')::integer"
    else:
        session = "CAST(json_extract(state, '$.session') AS INTEGER)"
    op.execute(
        f"UPDATE q1_sco_attempts SET sessions = {session} "  # noqa: S608 - no user input
        "WHERE state IS NOT NULL AND "
        f"{session} IS NOT NULL"
    )
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
    op.create_index("ix_q1_sco_attempts_counts", "q1_sco_attempts", COUNTS, unique=False)


def downgrade():
    op.drop_index("ix_q1_sco_attempts_counts", table_name="q1_sco_attempts")
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    with op.batch_alter_table("q1_sco_attempts", schema=None) as batch_op:
        batch_op.drop_column("sessions")
