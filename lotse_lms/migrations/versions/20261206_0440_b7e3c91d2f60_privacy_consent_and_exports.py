"""privacy: double opt-in, consent, erasure on users; data exports

``users`` gains the confirmation of the address (existing accounts count as confirmed at
their creation), the accepted version of the Datenschutzerklärung, the erasure request and
the erasure. ``privacy_exports`` holds the ZIPs people asked for.

Revision ID: b7e3c91d2f60
Revises: c0h0a7d11e21
Create Date: 2026-12-06 04:40:00

"""

import sqlalchemy as sa
from alembic import op

import lotse_lms.core.timeutil

# revision identifiers, used by Alembic.
revision = "b7e3c91d2f60"
down_revision = "c0h0a7d11e21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name in ("email_confirmed_at", "privacy_accepted_at"):
            batch_op.add_column(
                sa.Column(name, lotse_lms.core.timeutil.UTCDateTime(), nullable=True)
            )
        batch_op.add_column(
            sa.Column("privacy_version", sa.String(length=40), server_default="", nullable=False)
        )
        for name in ("erasure_requested_at", "erased_at"):
            batch_op.add_column(
                sa.Column(name, lotse_lms.core.timeutil.UTCDateTime(), nullable=True)
            )
    op.execute("UPDATE users SET email_confirmed_at = created_at")
    op.create_table(
        "privacy_exports",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=False),
        sa.Column("expires_at", lotse_lms.core.timeutil.UTCDateTime(), nullable=True),
        sa.Column("path", sa.String(length=255), server_default="", nullable=False),
        sa.Column("size", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("privacy_exports", schema=None) as batch_op:
        batch_op.create_index("ix_privacy_exports_expires_at", ["expires_at"], unique=False)
        batch_op.create_index("ix_privacy_exports_user_id", ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("privacy_exports", schema=None) as batch_op:
        batch_op.drop_index("ix_privacy_exports_user_id")
        batch_op.drop_index("ix_privacy_exports_expires_at")
    op.drop_table("privacy_exports")
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name in (
            "erased_at",
            "erasure_requested_at",
            "privacy_version",
            "privacy_accepted_at",
            "email_confirmed_at",
        ):
            batch_op.drop_column(name)
