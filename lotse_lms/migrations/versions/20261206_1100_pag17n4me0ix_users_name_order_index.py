"""users: an index in the order of the people lists (lower-case name, id; PostgreSQL only)

Revision ID: pag17n4me0ix
Revises: 9a3e17c0n4me
Create Date: 2026-12-06 11:00:00
"""

from alembic import op

revision = "pag17n4me0ix"
down_revision = "9a3e17c0n4me"
branch_labels = None
depends_on = None


def upgrade():
    # accounts.models.NAME_ORDER_INDEX (written out: a migration stays as it was written);
    # SQLite sorts its people lists in-process.
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_users_name_lower ON users (lower(name), id)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_users_name_lower")
