"""rooms: meetings, agenda, protocol approvals and comments, files, spaces

Revision ID: c0ed3f8285a0
Revises: 3ce8e56db6d8
Create Date: 2026-12-06 07:25:09.475504

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c0ed3f8285a0"
down_revision = "3ce8e56db6d8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "room_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_files_room_id_rooms")
        ),
        sa.ForeignKeyConstraint(
            ["uploader_id"], ["users.id"], name=op.f("fk_room_files_uploader_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_files")),
    )
    with op.batch_alter_table("room_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_files_room_id"), ["room_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_room_files_uploader_id"), ["uploader_id"], unique=False
        )

    op.create_table(
        "room_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=300), server_default="", nullable=False),
        sa.Column("video_url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("uid", sa.String(length=120), nullable=False),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=500), server_default="", nullable=False),
        sa.Column("protocol", sa.Text(), server_default="", nullable=False),
        sa.Column("protocol_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("protocol_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_meetings_room_id_rooms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_meetings")),
        sa.UniqueConstraint("uid", name=op.f("uq_room_meetings_uid")),
    )
    with op.batch_alter_table("room_meetings", schema=None) as batch_op:
        batch_op.create_index("ix_room_meetings_room_start", ["room_id", "starts_at"], unique=False)

    op.create_table(
        "room_spaces",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_spaces_room_id_rooms")
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["community_spaces.id"],
            name=op.f("fk_room_spaces_space_id_community_spaces"),
        ),
        sa.PrimaryKeyConstraint("room_id", name=op.f("pk_room_spaces")),
        sa.UniqueConstraint("space_id", name=op.f("uq_room_spaces_space_id")),
    )
    op.create_table(
        "room_agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["room_meetings.id"],
            name=op.f("fk_room_agenda_items_meeting_id_room_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_agenda_items")),
    )
    with op.batch_alter_table("room_agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_room_agenda_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "room_protocol_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["room_meetings.id"],
            name=op.f("fk_room_protocol_approvals_meeting_id_room_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_room_protocol_approvals_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_protocol_approvals")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", "version", name=op.f("uq_room_protocol_approvals_meeting_id")
        ),
    )
    with op.batch_alter_table("room_protocol_approvals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_room_protocol_approvals_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_room_protocol_approvals_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "room_protocol_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_room_protocol_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["room_meetings.id"],
            name=op.f("fk_room_protocol_comments_meeting_id_room_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_protocol_comments")),
    )
    with op.batch_alter_table("room_protocol_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_room_protocol_comments_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_room_protocol_comments_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("room_protocol_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_protocol_comments_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_room_protocol_comments_author_id"))

    op.drop_table("room_protocol_comments")
    with op.batch_alter_table("room_protocol_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_protocol_approvals_user_id"))
        batch_op.drop_index(batch_op.f("ix_room_protocol_approvals_meeting_id"))

    op.drop_table("room_protocol_approvals")
    with op.batch_alter_table("room_agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_agenda_items_meeting_id"))

    op.drop_table("room_agenda_items")
    op.drop_table("room_spaces")
    with op.batch_alter_table("room_meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_room_meetings_room_start")

    op.drop_table("room_meetings")
    with op.batch_alter_table("room_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_files_uploader_id"))
        batch_op.drop_index(batch_op.f("ix_room_files_room_id"))

    op.drop_table("room_files")
