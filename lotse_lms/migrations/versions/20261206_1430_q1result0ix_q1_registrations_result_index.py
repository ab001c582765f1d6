"""q1_registrations: a covering index (user_id, version_id, completed, passed) for the Q1 filter

Revision ID: q1result0ix
Revises: csv17parked0
Create Date: 2026-12-06 14:30:00
"""

from alembic import op

revision = "q1result0ix"
down_revision = "csv17parked0"
branch_labels = None
depends_on = None


def upgrade():
    # modules.q1.models.ScormRegistration's ix_q1_registrations_result (written out: a
    # migration stays as it was written). The overview's Q1 step filter groups every
    # registration's result by person; the table rows carry the sequencing JSON.
    op.create_index(
        "ix_q1_registrations_result",
        "q1_registrations",
        ["user_id", "version_id", "completed", "passed"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_q1_registrations_result", table_name="q1_registrations")
