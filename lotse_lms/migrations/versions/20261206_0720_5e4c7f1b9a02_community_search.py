"""community full-text search: stemmed terms per post (PostgreSQL tsvector + GIN, SQLite FTS5)

Revision ID: 5e4c7f1b9a02
Revises: bc22aae42fea
Create Date: 2026-12-06 07:20:00

The terms are German-stemmed in Python (lotse_lms.community.search.term), the same on both
databases; the existing posts are indexed here.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "5e4c7f1b9a02"
down_revision = "458baec528a6"
branch_labels = None
depends_on = None


def upgrade():
    from lotse_lms.community import search

    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    op.create_table(
        "community_search_terms",
        sa.Column("post_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("terms", postgresql.TSVECTOR() if postgres else sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_community_search_terms")),
    )
    op.create_index("ix_community_search_terms_space_id", "community_search_terms", ["space_id"])
    for statement in search.PG_DDL if postgres else search.SQLITE_DDL:
        op.execute(statement)
    posts = sa.table(
        "community_posts",
        sa.column("id"),
        sa.column("thread_id"),
        sa.column("body"),
        sa.column("hidden_reason"),
        sa.column("review"),
    )
    threads = sa.table(
        "community_threads", sa.column("id"), sa.column("title"), sa.column("space_id")
    )
    first = set(bind.scalars(sa.select(sa.func.min(posts.c.id)).group_by(posts.c.thread_id)).all())
    found = bind.execute(
        sa.select(
            posts.c.id,
            threads.c.space_id,
            sa.or_(posts.c.hidden_reason.is_not(None), posts.c.review.is_not(None)),
            threads.c.title,
            posts.c.body,
        ).join(threads, threads.c.id == posts.c.thread_id)
    ).all()
    rows = search._rows(
        (pid, space, hidden, title if pid in first else "", body)
        for pid, space, hidden, title, body in found
    )
    if rows:
        bind.execute(search.terms_table.insert(), rows)


def downgrade():
    from lotse_lms.community import search

    if op.get_bind().dialect.name == "sqlite":
        for statement in search.SQLITE_DROP:
            op.execute(statement)
    op.drop_table("community_search_terms")
