# ruff: noqa: S608 - the table name is a module constant; every value is a bound parameter
"""The search benchmark's baseline on PostgreSQL: its own ``ts_rank_cd`` over a GIN index of bigram tsvectors.

Not part of the search engine (which runs on posting lists,
:mod:`gongkai.search.backends.postgres`): ``gongkai bench search`` loads
the same corpus into :data:`TABLE` (binary tsvectors of overlapping chunks,
sent by ``COPY … (FORMAT BINARY)``), indexes it with GIN and times
``ORDER BY ts_rank_cd … LIMIT 20`` beside the engine's own queries. On SQLite
the baseline is FTS5's ``bm25`` on the index itself (:func:`sqlite_query`).
"""

from __future__ import annotations

import numpy as np

from gongkai.search import text
from gongkai.search.backends.postgres import copy_binary
from gongkai.search.backends.sqlite import TABLES, match_expr

TABLE = "search_pg_baseline"
CHUNK = 16000
MAX_POS = 255
BUILD_MEMORY = "512MB"  # maintenance_work_mem of the baseline's index build


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
    """Rows (bigint key, int4…, binary tsvector): the benchmark's baseline table."""
    if rows:
        copy_binary(cur, table, columns, "q" + "i" * (len(rows[0]) - 2) + "b", rows)


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



def load(conn, rows) -> None:
    """Rows (key, token stream) into the baseline table (created on first use, indexed by :func:`index`)."""
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (key bigint NOT NULL, seq integer NOT NULL, tsv tsvector NOT NULL)")
        copy_rows(cur, TABLE, "key, seq, tsv", [(key, seq, tsv) for key, tokens in rows
                                                for seq, tsv in enumerate(chunks(tokens))])


def index(conn) -> None:
    with conn.cursor() as cur:
        cur.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
        cur.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv ON {TABLE} USING gin (tsv)")
        cur.execute("RESET maintenance_work_mem")
        cur.execute(f"ANALYZE {TABLE}")


def query(conn, pieces, limit: int = 20) -> list[int]:
    """Keys of the first ``limit`` records holding every piece, by PostgreSQL's ``ts_rank_cd``."""
    q = " & ".join(f"({tsquery(p)})" for p in pieces)
    with conn.cursor() as cur:
        cur.execute(f"SELECT key FROM {TABLE} WHERE tsv @@ %s::tsquery "
                    f"ORDER BY ts_rank_cd(tsv, %s::tsquery) DESC LIMIT {int(limit)}", [q, q])
        return [r[0] for r in cur.fetchall()]


def sqlite_query(conn, pieces: list[str], limit: int = 20) -> list[int]:
    """SQLite's own unbounded ranking: FTS5 ``bm25`` over the whole-text index, first ``limit`` keys."""
    table = TABLES["all"]
    with conn.cursor() as cur:
        cur.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY bm25({table}) LIMIT {int(limit)}",
                    [match_expr(pieces)])
        return [r[0] for r in cur.fetchall()]
