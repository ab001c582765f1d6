"""outbox_mails: a partial index for the "parked" list (created_at, id where parked)

Revision ID: csv17parked0
Revises: f4no7u21ab01
Create Date: 2026-12-06 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "csv17parked0"
down_revision = "f4no7u21ab01"
branch_labels = None
depends_on = None


def upgrade():
    # core.models.OutboxMail's ix_outbox_mails_parked_order (written out: a migration stays
    # as it was written). Without it SQLite walked every mail in date order for the few parked.
    op.create_index(
        "ix_outbox_mails_parked_order",
        "outbox_mails",
        ["created_at", "id"],
        unique=False,
        sqlite_where=sa.text("parked_at IS NOT NULL"),
        postgresql_where=sa.text("parked_at IS NOT NULL"),
    )


def downgrade():
    op.drop_index("ix_outbox_mails_parked_order", table_name="outbox_mails")
