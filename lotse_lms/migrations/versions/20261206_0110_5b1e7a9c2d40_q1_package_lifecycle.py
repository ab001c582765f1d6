"""q1 package lifecycle: status and audience

Revision ID: 5b1e7a9c2d40
Revises: cc418862a9f1
Create Date: 2026-12-06 01:10:00

Packages imported before the lifecycle existed were live for every learner: they
become "published" for all participants.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b1e7a9c2d40"
down_revision = "cc418862a9f1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("q1_packages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=12), server_default="published", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "audience", sa.String(length=20), server_default="participants", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("q1_packages", schema=None) as batch_op:
        batch_op.drop_column("audience")
        batch_op.drop_column("status")
