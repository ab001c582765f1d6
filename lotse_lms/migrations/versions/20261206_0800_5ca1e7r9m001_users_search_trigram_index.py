"""users: trigram GIN index for the person search (PostgreSQL only)

Revision ID: 5ca1e7r9m001
Revises: bc22aae42fea
Create Date: 2026-12-06 08:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5ca1e7r9m001"
down_revision = "5e4c7f1b9a02"
branch_labels = None
depends_on = None


def upgrade():
    # accounts.models.SEARCH_INDEX_DDL (written out: a migration stays as it was written);
    # SQLite has no trigram index (the search scans there).
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_users_search_trgm ON users "
        "USING gin (lower(name || ' ' || email) gin_trgm_ops)"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_users_search_trgm")
