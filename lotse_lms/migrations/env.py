"""Alembic environment of lotse_lms: the app's engine and metadata, batch mode on SQLite."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from lotse_lms.community.search import include_name as search_names
from lotse_lms.core.timeutil import UTCDateTime

config = context.config
if config.config_file_name is not None:
    # Keep the app's own loggers working when migrations run inside it (tests, CLI).
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def _db():
    """The Flask-SQLAlchemy extension the migrations belong to."""
    return current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as a plain DateTime in migration files."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def include_name(name, type_, parent_names):
    """Leave out of autogenerate what a model builds by DDL of its own (full-text search)."""
    return search_names(name, type_, parent_names)


def _skip_empty(context_, revision, directives):
    """Do not write an empty migration when autogenerate finds no change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline():
    """Emit SQL for the migrations without a database connection."""
    url = _db().engine.url.render_as_string(hide_password=False)
    context.configure(
        url=url, target_metadata=_db().metadata, literal_binds=True, render_item=render_item
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations against the app's database."""
    engine = _db().engine
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", _skip_empty)
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
    conf_args.setdefault("render_as_batch", engine.dialect.name == "sqlite")
    conf_args.setdefault("compare_type", True)
    conf_args.setdefault("render_item", render_item)
    conf_args.setdefault("include_name", include_name)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=_db().metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
