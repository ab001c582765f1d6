"""job heartbeat and parameters, the job of a bulk issue, the last rejection of a record

A running job reports a heartbeat so a sweeper can fail what a killed worker left "running";
its parameters let a resumable job start again. A bulk issue points to the job that runs it.
A resubmitted authorisation or workshop record keeps its last rejection for the reviewer.

Revision ID: 3b9d5e7a1c26
Revises: 3a7c9e1f5b62
Create Date: 2026-12-06 04:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b9d5e7a1c26"
down_revision = "3a7c9e1f5b62"
branch_labels = None
depends_on = None

RECORDS = ("consultant_authorisations", "workshop_attendances")


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
    with op.batch_alter_table("certificate_bulk_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_certificate_bulk_jobs_job_id"), ["job_id"], unique=False
        )
    for table in RECORDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("rejected_at", sa.DateTime(), nullable=True))
            batch_op.add_column(
                sa.Column("rejected_reason", sa.Text(), server_default="", nullable=False)
            )


def downgrade():
    for table in RECORDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("rejected_reason")
            batch_op.drop_column("rejected_at")
    with op.batch_alter_table("certificate_bulk_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_bulk_jobs_job_id"))
        batch_op.drop_column("job_id")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("params")
        batch_op.drop_column("heartbeat_at")
