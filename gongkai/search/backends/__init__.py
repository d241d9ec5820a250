"""One interface, two engines: SQLite FTS5 and PostgreSQL (tsvector chunks, RUM or GIN).

The engine is chosen by the database in use. Both index the same token stream
(:func:`gongkai.search.text.field_tokens`) and answer the same primitive
questions; :mod:`gongkai.search.query` builds ranking and pages from them.
"""

from __future__ import annotations

from django.db import connection

from .base import Backend, Filters

__all__ = ["Backend", "Filters", "get_backend"]


def get_backend(conn=None) -> Backend:
    conn = conn or connection
    if conn.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(conn)
    from .sqlite import SqliteBackend

    return SqliteBackend(conn)
