"""community: an index in the order of a space's thread list (pinned, newest activity, id)

Revision ID: 7a0f5e11c0de
Revises: 5e4c7f1b9a02
Create Date: 2026-12-06 08:15:00
"""

from alembic import op

revision = "7a0f5e11c0de"
down_revision = "5ca1e7r9m001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("community_threads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_community_threads_space_pinned",
            ["space_id", "pinned", "last_post_at", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("community_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_community_threads_space_pinned")
