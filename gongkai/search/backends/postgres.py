# ruff: noqa: S608 - table and column names are module constants; every value is a bound parameter
"""PostgreSQL: bigram tsvectors with positions, a RUM index (GIN when RUM is not installed).

A tsvector keeps at most 255 positions per lexeme and positions up to 16,383,
so a long text is cut into chunks of at most 16,000 bigrams that overlap by
:data:`~gongkai.search.text.MAX_PIECE` bigrams (a chunk also ends before a
bigram's 256th position): any piece of up to 65 characters lies wholly inside
one chunk, so the phrase still matches. Nearly every record is one row, so
several pieces are matched with one AND query; only records of several rows
are combined per record (AND across chunks).

The rows are kept in hash partitions by key (migration 0005): a rebuild
builds the partitions' indexes at once, one connection each (PostgreSQL 15
builds a RUM or GIN index on one core), and a match is run by parallel
workers, one partition each.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np

from .. import text
from .base import Backend, Scope

TABLES = {"title": "search_pg_title", "all": "search_pg_all"}
DOC = "search_searchdoc"
CHUNK = 16000
# The records of several rows, for matching pieces that sit in different rows.
# Bigram frequencies down to about 0.3% of the rows (the default target lists
# only those above about 87% on the benchmark corpus); ANALYZE reads every row.
STATISTICS = "ALTER TABLE search_pg_all ALTER COLUMN tsv SET STATISTICS 10000"
WITHIN = 5000  # a title match restricted to this many known keys is looked up by key
FEW = 3000  # rows holding every bigram of a query: up to this many are checked one by one
MULTI_ROW_INDEX = "CREATE INDEX IF NOT EXISTS search_pg_all_multi ON search_pg_all (key) WHERE seq > 0"
MAX_POS = 255
BUILD_MEMORY = "512MB"  # maintenance_work_mem of an index build
# Settings of a match: the planner prices a match over most rows as a
# sequential scan, which unpacks every row's tsvector to check positions
# (335 ms on 20,000 records), where RUM checks them in the index (32 ms); and
# the partitions are searched by parallel workers even though the table's
# main part (without its TOAST) looks too small to be worth it.
MATCH_SETTINGS = {"enable_seqscan": "off", "parallel_setup_cost": "0", "parallel_tuple_cost": "0",
                  "min_parallel_table_scan_size": "0"}


def chunks(tokens: str) -> list[bytes]:
    """Binary tsvectors (PostgreSQL's send/receive format) of overlapping chunks of a token stream.

    ``tokens`` are space separated bigrams. A chunk holds at most
    :data:`CHUNK` tokens at positions 1, 2, … and ends before a bigram's
    256th position; consecutive chunks overlap by
    :data:`~gongkai.search.text.MAX_PIECE` tokens. The binary form is loaded
    by ``COPY … (FORMAT BINARY)``: PostgreSQL parsing the text form took
    3 ms a record of the benchmark (0.7 ms binary). It is laid out with array
    operations, without a Python loop per lexeme (tests/search/test_backends.py
    checks it against a loop per lexeme).
    """
    if not tokens:
        return [_EMPTY]
    grid = np.frombuffer((tokens + " ").encode("utf-32-le"), dtype=np.uint32).reshape(-1, 3)
    n = len(grid)
    out = []
    start = 0
    while True:
        end = min(n, start + CHUNK)
        tsv = tsvector_bytes(grid[start:end, :2])
        if tsv is None:  # a bigram would have more positions than a tsvector keeps
            end = start + _crowded(grid[start:end, :2])
            tsv = tsvector_bytes(grid[start:end, :2])
        out.append(tsv)
        if end >= n:
            return out
        start = end - text.MAX_PIECE


def _crowded(pairs: np.ndarray) -> int:
    """Index of the first token that would be its bigram's 256th position in this chunk (there is one)."""
    codes = (pairs[:, 0].astype(np.uint64) << np.uint64(32)) | pairs[:, 1]
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    rank = np.arange(len(codes)) - np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    occurrence = np.empty(len(codes), dtype=np.int64)
    occurrence[order] = rank
    return int(np.flatnonzero(occurrence >= MAX_POS)[0])


_EMPTY = b"\0\0\0\0"  # a tsvector of no lexemes


def tsvector_bytes(pairs: np.ndarray) -> bytes | None:
    """The binary tsvector of tokens given as an (n, 2) array of code points, at positions 1…n.

    None if a bigram occurs more than :data:`MAX_POS` times (see :func:`_crowded`).

    The format (PostgreSQL's ``tsvectorsend``): the number of lexemes, then
    for each lexeme in byte order its UTF-8 text, a NUL, the number of its
    positions and the positions, all integers big-endian. A position fits 14
    bits (sorted with the lexeme in one int64); UTF-8 keeps the order of code
    points, so sorting by code points sorts the bytes.
    """
    m = len(pairs)
    if not m:
        return _EMPTY
    codes = (pairs[:, 0].astype(np.int64) << 21) | pairs[:, 1]
    ordered = np.sort((codes << 14) | np.arange(1, m + 1))
    lexemes = ordered >> 14
    starts = np.flatnonzero(np.r_[True, lexemes[1:] != lexemes[:-1]])
    counts = np.diff(np.r_[starts, m])
    if counts.max() > MAX_POS:
        return None
    k = len(starts)
    first, second = _utf8(lexemes[starts] >> 21), _utf8(lexemes[starts] & 0x1FFFFF)
    head = np.zeros((k, 11), dtype=np.uint8)  # lexeme (up to 8 bytes), NUL, count
    keep = np.ones((k, 11), dtype=bool)
    head[:, 0:4], keep[:, 0:4] = first
    head[:, 4:8], keep[:, 4:8] = second
    head[:, 9], head[:, 10] = counts >> 8, counts & 0xFF
    head_len = keep.sum(axis=1)
    size = head_len + 2 * counts
    seg = 4 + np.r_[0, np.cumsum(size)[:-1]]
    out = np.empty(4 + int(size.sum()), dtype=np.uint8)
    out[:4] = np.frombuffer(k.to_bytes(4, "big"), dtype=np.uint8)
    flat = head[keep]
    out[np.repeat(seg - np.r_[0, np.cumsum(head_len)[:-1]], head_len) + np.arange(len(flat))] = flat
    positions = (ordered & 0x3FFF).astype(">u2").view(np.uint8)
    out[np.repeat(seg + head_len - 2 * starts, 2 * counts) + np.arange(2 * m)] = positions
    return out.tobytes()


def _utf8(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 of code points: an (n, 4) byte array and which of its bytes are used."""
    size = 1 + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000)
    lead = np.choose(size - 1, [cp, 0xC0 | (cp >> 6), 0xE0 | (cp >> 12), 0xF0 | (cp >> 18)])
    out = np.zeros((len(cp), 4), dtype=np.uint8)
    out[:, 0] = lead
    for j in range(1, 4):  # continuation byte j of a character of size bytes carries bits (size-1-j)*6…
        shift = np.maximum(size - 1 - j, 0) * 6
        out[:, j] = 0x80 | ((cp >> shift) & 0x3F)
    return out, np.arange(4) < size[:, None]


def copy_rows(cur, table: str, columns: str, rows: list[tuple]) -> None:
    """``COPY table (columns) FROM STDIN (FORMAT BINARY)`` of rows (bigint key, int4…, binary tsvector)."""
    if not rows:
        return
    ints = len(rows[0]) - 2  # int4 columns between the key and the tsvector
    head = struct.Struct(">hiq" + "ii" * ints)
    parts = [b"PGCOPY\n\xff\r\n\0", b"\0\0\0\0\0\0\0\0"]
    for key, *values, tsv in rows:
        parts.append(head.pack(ints + 2, 8, key, *(x for v in values for x in (4, v))))
        parts.append(len(tsv).to_bytes(4, "big"))
        parts.append(tsv)
    parts.append(b"\xff\xff")
    with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(b"".join(parts))


def loose_tsquery(pieces: Sequence[str]) -> str:
    """Every bigram (or single character) of the pieces, without positions: rows holding all of them may match."""
    terms: dict[str, None] = {}
    for piece in pieces:
        char = text.single_char(piece)
        if char is not None:
            terms[f"'{char}':*"] = None
            continue
        for window in text.phrase_grams(piece):
            for gram in window:
                terms[f"'{gram}'"] = None
    return " & ".join(terms)


def tsquery(piece: str) -> str:
    """The piece as a phrase of bigrams that *tile* it: every second bigram, plus the last one.

    ``'标准' <2> '化规' <2> '范化'`` holds exactly where 标准化规范化 occurs (each
    character is covered, at fixed offsets), with three bigrams where the
    overlapping phrase has five: RUM checks fewer positions (97 → 39 ms for a
    word in a quarter of 100,000 records).
    """
    char = text.single_char(piece)
    if char is not None:
        return f"'{char}':*"
    return " & ".join(f"({_tiled(window)})" for window in text.phrase_grams(piece))


def _tile_offsets(n: int) -> list[int]:
    offsets = list(range(0, n, 2))
    if offsets[-1] != n - 1:
        offsets.append(n - 1)
    return offsets


def _tiled(grams: list[str]) -> str:
    """``a <2> c <2> e <1> f`` for the bigrams a, b, c, d, e, f of one window (offsets 0, 2, 4, 5)."""
    offsets = _tile_offsets(len(grams))
    out = f"'{grams[offsets[0]]}'"
    for before, at in zip(offsets, offsets[1:], strict=False):
        out += f" <{at - before}> '{grams[at]}'"
    return out


_stats_cache: dict[tuple[str, str], tuple[float, object]] = {}
STATS_SECONDS = 600


def _statistics(conn):
    """(bigram → share of rows, share below which bigrams are not listed, rows) from ANALYZE, cached for ten minutes."""
    ident = (conn.alias, str(conn.settings_dict.get("NAME")))
    cached = _stats_cache.get(ident)
    if cached is not None and time.monotonic() - cached[0] < STATS_SECONDS:
        return cached[1]
    with conn.cursor() as cur:
        cur.execute("SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, "
                    "(SELECT sum(c.reltuples) FROM pg_partition_tree('search_pg_all') t JOIN pg_class c ON c.oid = t.relid "
                    "WHERE c.reltuples > 0) FROM pg_stats s "
                    "WHERE s.tablename = 'search_pg_all' AND s.attname = 'tsv' ORDER BY s.inherited DESC LIMIT 1")
        row = cur.fetchone()
    stats = None
    if row and row[0] and row[1] and row[2] and row[2] > 0:
        elems, freqs = row[0], row[1]
        stats = (dict(zip(elems, freqs[:len(elems)], strict=True)), float(freqs[len(elems)]), float(row[2]))
    _stats_cache[ident] = (time.monotonic(), stats)
    return stats


class PostgresBackend(Backend):
    vendor = "postgresql"

    def insert(self, rows):
        title_rows, all_rows = [], []
        for key, t in rows:
            title_rows.append((key, chunks(t.title)[0]))
            for seq, tsv in enumerate(chunks(t.all)):
                all_rows.append((key, seq, tsv))
        with self.conn.cursor() as cur:
            copy_rows(cur, TABLES["title"], "key, tsv", title_rows)
            copy_rows(cur, TABLES["all"], "key, seq, tsv", all_rows)

    def delete(self, keys):
        with self.conn.cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"DELETE FROM {table} WHERE key = ANY(%s)", [list(keys)])

    def reset(self):
        with self.conn.cursor() as cur:
            cur.execute(f"TRUNCATE {TABLES['title']}, {TABLES['all']}")

    def _method(self) -> tuple[str, str]:
        with self.conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
            return ("rum", "rum_tsvector_ops") if cur.fetchone() else ("gin", "tsvector_ops")

    def partitions(self) -> list[str]:
        """The hash partitions of the text rows (migration 0005)."""
        with self.conn.cursor() as cur:
            cur.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        f"WHERE i.inhparent = '{TABLES['all']}'::regclass ORDER BY c.relname")
            return [r[0] for r in cur.fetchall()]

    def index_statements(self) -> list[str]:
        """The full-text indexes (RUM when the extension is installed, else GIN) and the planner's statistics.

        The statistics target is for the whole table (what :func:`_statistics`
        reads); each partition keeps the default, enough for planning.
        """
        method, ops = self._method()
        return [f"CREATE INDEX IF NOT EXISTS {table}_tsv ON {table} USING {method} (tsv {ops})" for table in TABLES.values()
                ] + [MULTI_ROW_INDEX, STATISTICS] + [
                    f"ALTER TABLE {part} ALTER COLUMN tsv SET STATISTICS -1" for part in self.partitions()]

    @contextmanager
    def bulk_load(self):
        # Building a RUM/GIN index once is far cheaper than updating it for
        # every row: the full-text indexes are dropped for the load and built
        # again at the end, in one go and with more memory for the sort. They
        # are created from their definitions (not from what was dropped), so a
        # rebuild that was cut off is repaired by the next one.
        statements = self.index_statements()
        with self.conn.cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"DROP INDEX IF EXISTS {table}_tsv")
        try:
            yield
        finally:
            if not self.conn.in_atomic_block:
                self._build_partition_indexes()
            with self.conn.cursor() as cur:
                cur.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
                for sql in statements:
                    cur.execute(sql)
                cur.execute("RESET maintenance_work_mem")

    def _build_partition_indexes(self) -> None:
        """Each partition's index built at once on its own connection (PostgreSQL 15 builds a RUM/GIN index on one core).

        Creating the index on the whole table then attaches them instead of
        building anew. Only for committed rows (not inside a transaction: the
        other connections would not see them, and would wait for its locks).
        """
        from concurrent.futures import ThreadPoolExecutor

        from django.db import connections

        method, ops = self._method()
        alias = self.conn.alias

        def build(part: str) -> None:
            conn = connections[alias]  # this thread's own connection
            try:
                with conn.cursor() as cur:
                    cur.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
                    cur.execute(f"CREATE INDEX IF NOT EXISTS {part}_tsv ON {part} USING {method} (tsv {ops})")
            finally:
                conn.close()

        parts = self.partitions()
        with ThreadPoolExecutor(max_workers=max(1, len(parts))) as pool:
            list(pool.map(build, parts))

    def optimize(self):
        with self.conn.cursor() as cur:
            for table in TABLES.values():
                cur.execute(f"ANALYZE {table}")

    def size_bytes(self) -> int:
        with self.conn.cursor() as cur:
            cur.execute("SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM ("
                        f"SELECT relid FROM pg_partition_tree('{TABLES['all']}') "
                        f"UNION ALL SELECT '{TABLES['title']}'::regclass UNION ALL SELECT '{DOC}'::regclass) t")
            return int(cur.fetchone()[0])

    def _matching(self, scope: Scope, pieces: Sequence[str], within: int | None = None) -> tuple[str, list]:
        """SQL of the keys matching every piece (in a record of several rows, the pieces may sit in different rows)."""
        table = TABLES[scope]
        exact = " & ".join(f"({tsquery(p)})" for p in pieces)
        if scope == "title":  # one short row per record
            return f"SELECT key FROM {table} WHERE tsv @@ %s::tsquery", [exact]
        if not any(len(window) > 1 for p in pieces for window in text.phrase_grams(p)) or (
                self._surely_many(pieces, within)):
            # Single bigrams (or characters): no positions to check. Or surely
            # many rows hold every bigram: looking for them first would only
            # add work.
            rows, params = f"SELECT key FROM {table} WHERE tsv @@ %s::tsquery", [exact]
        else:
            # RUM checks positions slowly (four phrases ANDed: 56 ms on 20,000
            # records, their bigrams ANDed: 8 ms). When the rows holding every
            # bigram are few, take them by key and check the phrases on those
            # rows only; otherwise let the index check the phrases.
            # (By key, not ctid: a ctid names a row only within its partition.)
            rows = (f"WITH c AS MATERIALIZED (SELECT key FROM {table} WHERE tsv @@ %s::tsquery LIMIT {FEW + 1}) "
                    f"SELECT key FROM {table} WHERE (SELECT count(*) FROM c) <= {FEW} "
                    f"AND key = ANY(ARRAY(SELECT key FROM c)) AND tsv @@ %s::tsquery "
                    f"UNION ALL SELECT key FROM {table} WHERE (SELECT count(*) FROM c) > {FEW} AND tsv @@ %s::tsquery")
            params = [loose_tsquery(pieces), exact, exact]
        if len(pieces) == 1:
            return rows, params
        apart = " INTERSECT ".join(
            f"SELECT key FROM {table} WHERE key IN (SELECT key FROM {table} WHERE seq > 0) AND tsv @@ %s::tsquery"
            for _ in pieces)
        return f"SELECT key FROM ({rows}) r UNION ALL ({apart})", [*params, *(tsquery(p) for p in pieces)]

    def _surely_many(self, pieces: Sequence[str], within: int | None) -> bool:
        """Whether, by the column statistics, more than :data:`FEW` rows hold every bigram of the pieces.

        A piece's bigrams go together, so a piece is held by about as many rows
        as its rarest bigram, but only for short pieces (a word): the bigrams
        of a longer one, such as a document number, are each common while the
        whole is rare. Pieces are taken as independent of each other.
        ``within``: the number of records already known to hold every match.
        """
        stats = _statistics(self.conn)
        if stats is None:
            return False
        freqs, floor, rows = stats
        every_gram = [g for piece in pieces for window in text.phrase_grams(piece) for g in window]
        if within is not None and within > FEW and every_gram and min(freqs.get(g, floor) for g in every_gram) * rows > FEW:
            # The whole phrase of a query of several pieces, within the many records holding them
            # all: when every bigram, those where the pieces meet too, is common, few rows are unlikely.
            return True
        share = 1.0
        for piece in pieces:
            grams = [g for window in text.phrase_grams(piece) for g in window]
            if not grams or len(grams) > 6:
                return False
            share *= min(freqs.get(g, floor) for g in grams)
        estimate = share * rows if within is None else min(within, share * rows)
        return estimate > FEW

    def match(self, scope, pieces, *, within=None):
        if scope == "title" and within is not None and len(within) <= WITHIN:
            # Titles of the records already known to match the text: looked up
            # by key and checked one by one (a RUM scan of all titles for four
            # phrases took 50 ms on 100,000 records).
            match_sql = (f"WITH r AS MATERIALIZED (SELECT key, tsv FROM {TABLES['title']} WHERE key = ANY(%s)) "
                         "SELECT key FROM r WHERE tsv @@ %s::tsquery")
            params = [[int(k) for k in within], " & ".join(f"({tsquery(p)})" for p in pieces)]
        else:
            match_sql, params = self._matching(scope, pieces, None if within is None else len(within))
        # One string instead of a row per match: much less work in the driver.
        # Keys come unsorted and, for records of several rows, repeated:
        # sorting and removing duplicates in PostgreSQL (DISTINCT, ORDER BY)
        # took 130 of 360 ms for 100,000 matches, numpy takes 5 ms.
        with self.conn.cursor() as cur:
            cur.execute("SELECT " + ", ".join(f"set_config('{k}', '{v}', false)" for k, v in MATCH_SETTINGS.items()))
            try:
                cur.execute(f"SELECT string_agg(key::text, ',') FROM ({match_sql}) m", params)
                joined = cur.fetchone()[0]
            finally:
                cur.execute("; ".join(f"RESET {k}" for k in MATCH_SETTINGS))
        if not joined:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.fromstring(joined, dtype=np.int64, sep=","))

    def baseline(self, pieces, limit=20):
        table = TABLES["all"]
        q = " & ".join(f"({tsquery(p)})" for p in pieces)
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT key FROM {table} WHERE tsv @@ %s::tsquery ORDER BY ts_rank_cd(tsv, %s::tsquery) DESC LIMIT {int(limit)}", [q, q])
            return [r[0] for r in cur.fetchall()]
