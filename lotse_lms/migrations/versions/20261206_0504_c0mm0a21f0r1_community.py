"""community: spaces (Klassenzimmer, Lotsen-Community boards, announcements), threads,
posts with their edit history, read markers, reports

Revision ID: c0mm0a21f0r1
Revises: 3c7d9e2f4a61
Create Date: 2026-12-06 05:04:15.149797

"""

import sqlalchemy as sa
from alembic import op

import lotse_lms.core.timeutil

# revision identifiers, used by Alembic.
revision = "c0mm0a21f0r1"
down_revision = "3c7d9e2f4a61"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "community_spaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_community_spaces_cohort_id_cohorts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_spaces")),
        sa.UniqueConstraint("cohort_id", name=op.f("uq_community_spaces_cohort_id")),
    )
    with op.batch_alter_table("community_spaces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_spaces_kind"), ["kind"], unique=False)

    op.create_table(
        "community_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.Column("last_post_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.Column("last_post_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("post_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("locked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("solved_post_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_community_threads_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["community_spaces.id"],
            name=op.f("fk_community_threads_space_id_community_spaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_threads")),
    )
    with op.batch_alter_table("community_threads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_threads_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            "ix_community_threads_space_order", ["space_id", "last_post_at"], unique=False
        )

    op.create_table(
        "community_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.Column("edited_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=500), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_community_posts_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by_id"], ["users.id"], name=op.f("fk_community_posts_hidden_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["community_threads.id"],
            name=op.f("fk_community_posts_thread_id_community_threads"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_posts")),
    )
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_posts_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_community_posts_thread_id"), ["thread_id"], unique=False
        )

    op.create_table(
        "community_read_marks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_post_id", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["community_threads.id"],
            name=op.f("fk_community_read_marks_thread_id_community_threads"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_community_read_marks_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_community_read_marks")),
    )
    op.create_table(
        "community_post_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("replaced_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["community_posts.id"],
            name=op.f("fk_community_post_revisions_post_id_community_posts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_post_revisions")),
    )
    with op.batch_alter_table("community_post_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_post_revisions_post_id"), ["post_id"], unique=False
        )

    op.create_table(
        "community_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["community_posts.id"],
            name=op.f("fk_community_reports_post_id_community_posts"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_community_reports_reporter_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_reports")),
    )
    with op.batch_alter_table("community_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_reports_post_id"), ["post_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_community_reports_reporter_id"), ["reporter_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("community_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_reports_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_community_reports_post_id"))

    op.drop_table("community_reports")
    with op.batch_alter_table("community_post_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_post_revisions_post_id"))

    op.drop_table("community_post_revisions")
    op.drop_table("community_read_marks")
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_posts_thread_id"))
        batch_op.drop_index(batch_op.f("ix_community_posts_author_id"))

    op.drop_table("community_posts")
    with op.batch_alter_table("community_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_community_threads_space_order")
        batch_op.drop_index(batch_op.f("ix_community_threads_author_id"))

    op.drop_table("community_threads")
    with op.batch_alter_table("community_spaces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_spaces_kind"))

    op.drop_table("community_spaces")
