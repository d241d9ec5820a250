# ruff: noqa: S608 - table and column names are module constants; every value is a bound parameter
"""PostgreSQL: bigram tsvectors with positions in chunks, a RUM index (GIN when RUM is not installed).

A tsvector keeps at most 256 positions per lexeme and positions up to 16,383,
so long texts are cut into chunks of at most 2,000 bigrams that overlap by
:data:`~gongkai.search.text.MAX_PIECE` bigrams: any piece of up to 65
characters lies wholly inside one chunk, so the phrase still matches. Pieces
are matched per chunk and combined per record (AND across chunks).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import text
from .base import Backend, Scope

TABLES = {"title": "search_pg_title", "all": "search_pg_all"}
DOC = "search_searchdoc"
CHUNK = 2000
MAX_POS = 255


def chunks(tokens: list[str]) -> list[str]:
    """tsvector literals of overlapping chunks of the token list."""
    out = []
    n = len(tokens)
    start = 0
    overlap = text.MAX_PIECE
    while start < n or not out:
        positions: dict[str, list[int]] = {}
        end = start
        while end < n and end - start < CHUNK:
            plist = positions.setdefault(tokens[end], [])
            if len(plist) >= MAX_POS:
                break
            plist.append(end - start + 1)
            end += 1
        out.append(" ".join(f"'{lex}':{','.join(map(str, ps))}" for lex, ps in positions.items()))
        if end >= n:
            break
        start = max(start + 1, end - overlap)
    return out


def tsquery(piece: str) -> str:
    char = text.single_char(piece)
    if char is not None:
        return f"'{char}':*"
    return " & ".join("(" + " <-> ".join(f"'{g}'" for g in window) + ")" for window in text.phrase_grams(piece))


class PostgresBackend(Backend):
    vendor = "postgresql"

    def insert(self, rows):
        title_rows, all_rows = [], []
        for key, t in rows:
            title_rows.append((key, chunks(t.title.split(" ")) [0] if t.title else ""))
            for seq, tsv in enumerate(chunks(t.all.split(" ") if t.all else [])):
                all_rows.append((key, seq, tsv))
        with self.conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {TABLES['title']} (key, tsv) VALUES (%s, %s::tsvector)", title_rows)
            cur.executemany(f"INSERT INTO {TABLES['all']} (key, seq, tsv) VALUES (%s, %s, %s::tsvector)", all_rows)

    def delete(self, keys):
        with self.conn.cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"DELETE FROM {table} WHERE key = ANY(%s)", [list(keys)])

    def reset(self):
        with self.conn.cursor() as cur:
            cur.execute(f"TRUNCATE {TABLES['title']}, {TABLES['all']}")

    def optimize(self):
        with self.conn.cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"ANALYZE {table}")

    def size_bytes(self) -> int:
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT coalesce(sum(pg_total_relation_size(c)), 0) FROM unnest(ARRAY['{TABLES['title']}', '{TABLES['all']}', '{DOC}']::regclass[]) c")
            return int(cur.fetchone()[0])

    def _matching(self, scope: Scope, pieces: Sequence[str]) -> tuple[str, list]:
        """SQL of the keys matching every piece (pieces may sit in different chunks)."""
        table = TABLES[scope]
        # DISTINCT: a long record has several chunks, and more than one may match.
        selects = [f"SELECT DISTINCT key FROM {table} WHERE tsv @@ %s::tsquery" for _ in pieces]
        return " INTERSECT ".join(selects), [tsquery(p) for p in pieces]

    def match(self, scope, pieces):
        match_sql, params = self._matching(scope, pieces)
        # One string instead of a row per match: much less work in the driver.
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT string_agg(key::text, ',' ORDER BY key) FROM ({match_sql}) m", params)
            joined = cur.fetchone()[0]
        if not joined:
            return np.empty(0, dtype=np.int64)
        return np.fromstring(joined, dtype=np.int64, sep=",")

    def baseline(self, pieces, limit=20):
        table = TABLES["all"]
        q = " & ".join(f"({tsquery(p)})" for p in pieces)
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT key FROM {table} WHERE tsv @@ %s::tsquery ORDER BY ts_rank_cd(tsv, %s::tsquery) DESC LIMIT {int(limit)}", [q, q])
            return [r[0] for r in cur.fetchall()]
