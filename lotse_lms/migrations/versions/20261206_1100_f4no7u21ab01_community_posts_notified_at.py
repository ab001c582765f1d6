"""community: posts remember when their readers were told (the fan-out runs as a job)

Revision ID: f4no7u21ab01
Revises: pag17n4me0ix
Create Date: 2026-12-06 11:00:00
"""

import sqlalchemy as sa
from alembic import op

from lotse_lms.core.timeutil import UTCDateTime

revision = "f4no7u21ab01"
down_revision = "pag17n4me0ix"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notified_at", UTCDateTime(), nullable=True))
    # Published posts were told when they were written; waiting ones are told on approval.
    op.execute("UPDATE community_posts SET notified_at = created_at WHERE review IS NULL")


def downgrade():
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.drop_column("notified_at")
