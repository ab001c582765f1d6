"""community: attachments, pre-moderation, space retention; one-click unsubscribe of mails

Revision ID: c0mmx21a7c01
Revises: bc22aae42fea
Create Date: 2026-12-06 07:30:00

"""

import sqlalchemy as sa
from alembic import op

import lotse_lms.core.timeutil

# revision identifiers, used by Alembic.
revision = "c0mmx21a7c01"
down_revision = "bc22aae42fea"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "community_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("created_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["community_posts.id"],
            name=op.f("fk_community_attachments_post_id_community_posts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_attachments")),
    )
    with op.batch_alter_table("community_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_attachments_post_id"), ["post_id"], unique=False
        )
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f("ix_community_posts_review"), ["review"], unique=False)
    with op.batch_alter_table("community_threads", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pending", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("community_spaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unsubscribe_url", sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_mails", schema=None) as batch_op:
        batch_op.drop_column("unsubscribe_url")
    with op.batch_alter_table("community_spaces", schema=None) as batch_op:
        batch_op.drop_column("retention_days")
    with op.batch_alter_table("community_threads", schema=None) as batch_op:
        batch_op.drop_column("pending")
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_posts_review"))
        batch_op.drop_column("review")
    with op.batch_alter_table("community_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_attachments_post_id"))
    op.drop_table("community_attachments")
