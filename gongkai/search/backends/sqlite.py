# ruff: noqa: S608 - table and column names are module constants; every value is a bound parameter
"""SQLite FTS5: two contentless tables of bigram tokens (titles; everything), row id = SearchDoc.key.

FTS5 walks posting lists in row-id order, so ``ORDER BY rowid DESC LIMIT n``
stops after ``n`` matches: because the key packs the static rank, the best
records of a tier come first without scoring every match. SQLite 3.40 cannot
delete from a contentless table without the old text, so an update leaves the
old full-text row behind; it has no SearchDoc row, so the join never counts it,
and ``gongkai reindex`` clears them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import contextmanager

from django.db.models import F

from .. import text
from .base import FACETS, NO_FILTERS, Backend, Facets, Filters, Scope

TABLES = {"title": "search_fts_title", "all": "search_fts_all"}
DOC = "search_searchdoc"
AUTOMERGE = 4  # FTS5's default: merge 4 segments of a level as rows are inserted

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

    def insert(self, rows):
        # Ascending row ids: FTS5 flushes its in-memory buffer whenever a row id is
        # not above the previous one, which would make thousands of tiny segments.
        rows = sorted(rows, key=lambda row: row[0])
        with self._cursor() as cur:
            cur.executemany(f"INSERT INTO {TABLES['title']}(rowid, t) VALUES (%s, %s)", [(k, t.title) for k, t in rows])
            cur.executemany(f"INSERT INTO {TABLES['all']}(rowid, t) VALUES (%s, %s)", [(k, t.all) for k, t in rows])

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
        self._configure("automerge", 0)
        try:
            yield
        finally:
            self._configure("automerge", AUTOMERGE)

    def size_bytes(self) -> int:
        with self._cursor() as cur:
            try:
                cur.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts_%%' OR name LIKE 'search_searchdoc%%'")
                return int(cur.fetchone()[0] or 0)
            except Exception:  # noqa: BLE001 - dbstat is optional in SQLite builds
                return 0

    def _from(self, scope: Scope, filters: Filters, exclude: Sequence[int]):
        table = TABLES[scope]
        where, params = filters.sql("d", "%s")
        sql = f"FROM {table} f CROSS JOIN {DOC} d ON d.key = f.rowid WHERE {table} MATCH %s{where}"
        if exclude:
            sql += " AND f.rowid NOT IN (SELECT value FROM json_each(%s))"
            params = params + [json.dumps(list(exclude))]
        return sql, params

    def keys(self, scope, pieces, *, filters=NO_FILTERS, exclude=(), limit=None, offset=0, not_pieces=(),
             by_date=False):
        sql, params = self._from(scope, filters, exclude)
        order = "d.published_at DESC, f.rowid DESC" if by_date else "f.rowid DESC"
        sql = f"SELECT f.rowid {sql} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        expr = match_expr(pieces)
        if not_pieces:
            expr = f"({expr}) NOT ({match_expr(not_pieces)})"
        with self._cursor() as cur:
            cur.execute(sql, [expr, *params])
            return [r[0] for r in cur.fetchall()]

    def count(self, scope, pieces, *, filters=NO_FILTERS, exclude=()):
        sql, params = self._from(scope, filters, exclude)
        with self._cursor() as cur:
            cur.execute(f"SELECT count(*) {sql}", [match_expr(pieces), *params])
            return cur.fetchone()[0]

    def facets(self, scope, pieces, *, filters=NO_FILTERS, exclude=()):
        sql, params = self._from(scope, filters, exclude)
        cols = ", ".join(f"d.{c}" for c in FACETS)
        with self._cursor() as cur:
            cur.execute(f"SELECT {cols}, count(*) {sql} GROUP BY {cols}", [match_expr(pieces), *params])
            rows = cur.fetchall()
        result = Facets(counts={c: {} for c in FACETS})
        for row in rows:
            n = row[-1]
            result.total += n
            for name, value in zip(FACETS, row[:-1], strict=True):
                bucket = result.counts[name]
                bucket[value] = bucket.get(value, 0) + n
        return result

    def baseline(self, pieces, limit=20):
        table = TABLES["all"]
        with self._cursor() as cur:
            cur.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY bm25({table}) LIMIT {int(limit)}",
                        [match_expr(pieces)])
            return [r[0] for r in cur.fetchall()]

