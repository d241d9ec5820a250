"""One interface, two engines: SQLite FTS5, and on PostgreSQL posting lists of our own (:mod:`gongkai.search.postings`).

The engine is chosen by the database in use. Both index the same normalised
text of the same fields (FTS5 as bigram tokens, :func:`gongkai.search.text.field_tokens`;
PostgreSQL as character, bigram and trigram lists) and answer the same
primitive question exactly: which keys hold these pieces as substrings.
:mod:`gongkai.search.query` builds ranking and pages from that.
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
