"""accounts: an index on users (name, id) for lists of people by name

Revision ID: 9a3e17c0n4me
Revises: 7a0f5e11c0de
Create Date: 2026-12-06 11:00:00
"""

from alembic import op

revision = "9a3e17c0n4me"
down_revision = "7a0f5e11c0de"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_name_id", ["name", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_name_id")
