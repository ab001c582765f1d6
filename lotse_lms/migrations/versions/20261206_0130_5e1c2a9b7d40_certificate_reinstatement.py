"""certificate reinstatement: a revoked certificate bars its holder until staff reinstate them

Revision ID: 5e1c2a9b7d40
Revises: 5b1e7a9c2d40
Create Date: 2026-12-06 01:30:00

"""

import sqlalchemy as sa
from alembic import op

import lotse_lms.core.timeutil

revision = "5e1c2a9b7d40"
down_revision = "5b1e7a9c2d40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reinstated_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("reinstated_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reinstatement_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_certificates_reinstated_by_id_users"),
            "users",
            ["reinstated_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_certificates_reinstated_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("reinstatement_reason")
        batch_op.drop_column("reinstated_by_id")
        batch_op.drop_column("reinstated_at")
