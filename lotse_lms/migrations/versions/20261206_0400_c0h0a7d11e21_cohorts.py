"""cohorts (Durchgänge), their members, and Q1 packages published for cohorts

Revision ID: c0h0a7d11e21
Revises: c4a1e7d93b62
Create Date: 2026-12-06 04:00:00

"""

import sqlalchemy as sa
from alembic import op

import lotse_lms.core.timeutil

# revision identifiers, used by Alembic.
revision = "c0h0a7d11e21"
down_revision = "c4a1e7d93b62"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
        sa.UniqueConstraint("name", name=op.f("uq_cohorts_name")),
    )
    op.create_table(
        "cohort_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_cohort_members_cohort_id_cohorts")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cohort_members_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_members")),
        sa.UniqueConstraint(
            "cohort_id", "user_id", "role", name=op.f("uq_cohort_members_cohort_id")
        ),
    )
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_members_cohort_id"), ["cohort_id"])
        batch_op.create_index(batch_op.f("ix_cohort_members_user_id"), ["user_id"])
    op.create_table(
        "q1_package_cohorts",
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_q1_package_cohorts_cohort_id_cohorts")
        ),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["q1_packages.id"],
            name=op.f("fk_q1_package_cohorts_package_id_q1_packages"),
        ),
        sa.PrimaryKeyConstraint("package_id", "cohort_id", name=op.f("pk_q1_package_cohorts")),
    )


def downgrade():
    op.drop_table("q1_package_cohorts")
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_cohort_members_cohort_id"))
    op.drop_table("cohort_members")
    op.drop_table("cohorts")
