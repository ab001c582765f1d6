"""session epoch on users; sign-in limits move to Flask-Limiter

Signing out counts ``users.session_epoch`` up, which every session and remember-me cookie
carries, so a copied cookie stops working. The database throttle ``login_throttles`` is
replaced by the rate limiter (its storage: memory or Redis).

Revision ID: 7955d1e6c33b
Revises: f5480e2b3244
Create Date: 2026-12-06 01:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7955d1e6c33b"
down_revision = "f5480e2b3244"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )
    op.drop_table("login_throttles")


def downgrade():
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
