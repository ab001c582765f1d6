"""Serialising writers that check before they write, on every database."""

from ..extensions import db


def begin_write_lock():
    """On SQLite, take the database write lock now (BEGIN IMMEDIATE) so writers queue up.

    pysqlite only opens a transaction before the first INSERT/UPDATE; a check-then-write
    between two readers would otherwise race. If this connection already wrote, it
    already holds the write lock and nothing needs doing. On PostgreSQL callers lock
    their rows with SELECT ... FOR UPDATE instead; this does nothing there.
    """
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        return
    if not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("PRAGMA busy_timeout = 60000")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
