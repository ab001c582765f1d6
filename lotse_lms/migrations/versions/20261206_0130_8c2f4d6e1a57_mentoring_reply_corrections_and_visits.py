"""mentoring: reply corrections with their history, mentors' last visits

Revision ID: 8c2f4d6e1a57
Revises: 5e1c2a9b7d40
Create Date: 2026-12-06 01:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8c2f4d6e1a57"
down_revision = "5e1c2a9b7d40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feedback_replies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrected_at", sa.DateTime(), nullable=True))
    op.create_table(
        "feedback_reply_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), server_default="", nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["feedback_replies.id"],
            name=op.f("fk_feedback_reply_revisions_reply_id_feedback_replies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_reply_revisions")),
    )
    with op.batch_alter_table("feedback_reply_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_reply_revisions_reply_id"), ["reply_id"], unique=False
        )
    op.create_table(
        "mentor_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["users.id"], name=op.f("fk_mentor_visits_mentee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["users.id"], name=op.f("fk_mentor_visits_mentor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_visits")),
        sa.UniqueConstraint("mentor_id", "mentee_id", name=op.f("uq_mentor_visits_mentor_id")),
    )
    with op.batch_alter_table("mentor_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_visits_mentor_id"), ["mentor_id"], unique=False)


def downgrade():
    with op.batch_alter_table("mentor_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_visits_mentor_id"))
    op.drop_table("mentor_visits")
    with op.batch_alter_table("feedback_reply_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_reply_revisions_reply_id"))
    op.drop_table("feedback_reply_revisions")
    with op.batch_alter_table("feedback_replies", schema=None) as batch_op:
        batch_op.drop_column("corrected_at")
