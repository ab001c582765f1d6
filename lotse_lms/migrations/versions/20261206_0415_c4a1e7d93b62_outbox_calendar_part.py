"""outbox mails carry an iCalendar part (iTIP invitation, update, cancellation)

Revision ID: c4a1e7d93b62
Revises: 7955d1e6c33b
Create Date: 2026-12-06 04:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4a1e7d93b62"
down_revision = "7955d1e6c33b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.drop_column("calendar")
