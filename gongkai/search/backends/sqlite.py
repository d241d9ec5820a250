# ruff: noqa: S608 - table and column names are module constants; every value is a bound parameter
"""SQLite FTS5: two contentless tables of bigram tokens (titles; everything), row id = SearchDoc.key.

FTS5 walks posting lists in row-id order and hands back the matching row ids
in ascending order; because the key packs the static rank, that order is the
ranking inside a tier, and nothing is scored. SQLite 3.40 cannot
delete from a contentless table without the old text, so an update leaves the
old full-text row behind; it has no SearchDoc row, so the join never counts it,
and ``gongkai reindex`` clears them.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np
from django.db.models import F

from .. import text
from .base import Backend

TABLES = {"title": "search_fts_title", "all": "search_fts_all"}
DOC = "search_searchdoc"
AUTOMERGE = 4  # FTS5's default: merge 4 segments of a level as rows are inserted
HASHSIZE = 1024 * 1024  # FTS5's default: bytes of pending tokens held in memory before a segment is written
BULK_HASHSIZE = 64 * 1024 * 1024  # during a rebuild: fewer, larger segments
CRISISMERGE = 16  # FTS5's default: a level with this many segments is merged at once, even without automerge

def match_expr(pieces: Sequence[str]) -> str:
    """FTS5 expression: every piece as the phrase of its bigrams (one-character pieces as prefixes)."""
    parts = []
    for piece in pieces:
        char = text.single_char(piece)
        if char is not None:
            parts.append(f'"{char}"*')
            continue
        for window in text.phrase_grams(piece):
            parts.append('"' + " ".join(window) + '"')
    return " AND ".join(parts)


class SqliteBackend(Backend):
    vendor = "sqlite"

    def _cursor(self):
        return self.conn.cursor()

    def insert(self, keys, prepared):
        # Ascending row ids: FTS5 flushes its in-memory buffer whenever a row id is
        # not above the previous one, which would make thousands of tiny segments.
        rows = sorted(zip(keys, prepared, strict=True), key=lambda row: row[0])
        with self._cursor() as cur:
            cur.executemany(f"INSERT INTO {TABLES['title']}(rowid, t) VALUES (%s, %s)", [(k, t[0]) for k, t in rows])
            cur.executemany(f"INSERT INTO {TABLES['all']}(rowid, t) VALUES (%s, %s)", [(k, t[1]) for k, t in rows])

    def delete(self, keys):
        from ..models import SearchState

        SearchState.objects.filter(pk=1).update(orphans=F("orphans") + len(keys))

    def reset(self):
        with self._cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")

    def optimize(self):
        with self._cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def _configure(self, name: str, value: int) -> None:
        with self._cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"INSERT INTO {table}({table}, rank) VALUES ('{name}', {int(value)})")

    @contextmanager
    def bulk_load(self):
        # No incremental merging while a rebuild inserts (about 20% of the insert
        # time); the optimize at the end merges everything into one segment anyway.
        # Pending tokens are flushed to a new segment every HASHSIZE bytes: with
        # 64 MB instead of 1 MB there are far fewer segments to write and merge
        # (raw FTS5 inserts: 1,400 → 2,200 records/s on the benchmark corpus).
        # No merging at all until the final optimize (crisis merges included:
        # they rewrote most of the index once more, 1,250 → 2,100 records/s).
        self._configure("automerge", 0)
        self._configure("crisismerge", 100_000)
        self._configure("hashsize", BULK_HASHSIZE)
        try:
            yield
        finally:
            self._configure("automerge", AUTOMERGE)
            self._configure("crisismerge", CRISISMERGE)
            self._configure("hashsize", HASHSIZE)

    def size_bytes(self) -> int:
        with self._cursor() as cur:
            try:
                cur.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts_%%' OR name LIKE 'search_searchdoc%%'")
                return int(cur.fetchone()[0] or 0)
            except Exception:  # noqa: BLE001 - dbstat is optional in SQLite builds
                return 0

    def match(self, scope, pieces, *, within=None):  # FTS5 is fast enough without the hint
        table = TABLES[scope]
        # One string instead of a row per match: about twice as fast to fetch.
        with self._cursor() as cur:
            cur.execute(f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH %s", [match_expr(pieces)])
            joined = cur.fetchone()[0]
        if not joined:
            return np.empty(0, dtype=np.int64)
        keys = np.fromstring(joined, dtype=np.int64, sep=",")
        if len(keys) > 1 and not (keys[1:] > keys[:-1]).all():  # FTS5 yields ascending row ids; make sure
            keys = np.unique(keys)
        return keys

