"""form of address on users; bitstring status list index on certificates

Revision ID: c7e5a1f3b9d2
Revises: ba6acd8c4ecf
Create Date: 2026-12-06 01:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7e5a1f3b9d2"
down_revision = "ba6acd8c4ecf"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("salutation", sa.String(length=10), server_default="", nullable=False)
        )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_index", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_certificates_status_index"), ["status_index"]
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_certificates_status_index"), type_="unique")
        batch_op.drop_column("status_index")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("salutation")
