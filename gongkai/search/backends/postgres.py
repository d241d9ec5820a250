# ruff: noqa: S608 - table and column names are module constants; every value is a bound parameter
"""PostgreSQL: segments of posting lists (:mod:`gongkai.search.postings`) in two tables, matched in numpy.

- ``search_pg_seg``: one row a segment (a batch of records indexed
  together): its keys and where each record's text starts, for titles and
  for the whole text. Segments never change, so a process caches them by id.
- ``search_pg_post``: one row per (n-gram, kind, segment): the documents
  holding a character, bigram or trigram, or a trigram's offsets; stored
  uncompressed (``STORAGE EXTERNAL``: a list is read whole, and PostgreSQL's
  own compression would only cost time).

A match fetches the few lists its pieces need (for every segment, in one
query through the primary key) and intersects them in numpy. A rebuild
writes segments of :attr:`PostgresBackend.rebuild_batch` records, built in
the tokenizing process; index_sync writes small ones, merged
:data:`MERGE_AT` at a time.

The benchmark's baseline (PostgreSQL's own ``ts_rank_cd`` over a GIN index of
bigram tsvectors) keeps the tsvector code below: binary tsvectors, chunked.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

from .. import postings, text
from .base import Backend

DOC = "search_searchdoc"
SEGMENTS = "search_pg_seg"
POSTS = "search_pg_post"
SEQUENCE = "search_pg_seg_id"
BASELINE = "search_pg_baseline"
SMALL = 2000  # a segment of fewer records is merged with others
MERGE_AT = 8  # small segments
MERGE_LOCK = 0x6B6F6E676B6169  # advisory lock id of a merge
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


_COPY_HEADER = b"PGCOPY\n\xff\r\n\0" + b"\0" * 8
_SIZE = {"q": 8, "i": 4, "h": 2}


def copy_binary(cur, table: str, columns: str, types: str, rows: Sequence[tuple]) -> None:
    """``COPY table (columns) FROM STDIN (FORMAT BINARY)`` of rows whose column types are ``types``.

    One letter a column: q bigint, i integer, h smallint, and at the end
    optionally b, bytes sent as they are (a binary tsvector, a bytea).
    """
    if not rows:
        return
    ints = types.rstrip("b")
    if len(types) - len(ints) > 1 or "b" in ints:
        raise ValueError(types)
    head = struct.Struct(">h" + "".join(f"i{t}" for t in ints) + ("i" if ints != types else ""))
    sizes = [_SIZE[t] for t in ints]
    parts = [_COPY_HEADER]
    n = len(types)
    for row in rows:
        values = [x for size, v in zip(sizes, row, strict=False) for x in (size, v)]
        if ints != types:
            data = row[-1]
            parts.append(head.pack(n, *values, len(data)))
            parts.append(data)
        else:
            parts.append(head.pack(n, *values))
    parts.append(b"\xff\xff")
    with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(b"".join(parts))


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


class PostgresBackend(Backend):
    """Segments of posting lists (:mod:`gongkai.search.postings`) in two tables; matching in numpy."""

    vendor = "postgresql"
    prepare = staticmethod(postings.prepare)
    rebuild_batch = 10_000  # records a segment of a rebuild (about 190 MB of lists in the worker process)
    workers = 2  # building lists is most of the work; writing them is light

    # --- writes -----------------------------------------------------------
    def insert(self, keys, prepared):
        title, whole = prepared
        if not len(keys):
            return
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT nextval('{SEQUENCE}')")
            seg = int(cur.fetchone()[0])
            self._write_segment(cur, seg, np.asarray(keys, dtype=np.int64), title, whole)
        self._merge_small(seg)

    def _write_segment(self, cur, seg: int, keys: np.ndarray, title, whole) -> None:
        rows = [(code, k, seg, fmt, data) for segment, scope in ((title, 0), (whole, 1))
                for k, code, fmt, data in postings.rows(segment, scope)]
        copy_binary(cur, POSTS, "gram, k, seg, fmt, data", "qhqhb", rows)
        cur.execute(f"INSERT INTO {SEGMENTS} (id, ndocs, keys, starts_title, starts_all) VALUES (%s, %s, %s, %s, %s)",
                    [seg, len(keys), keys.astype("<i8").tobytes(), title.starts.astype("<i8").tobytes(),
                     whole.starts.astype("<i8").tobytes()])

    def _merge_small(self, newest: int) -> None:
        """Merge the small segments (of index_sync's few records each) into one once there are :data:`MERGE_AT`.

        Their texts are read back from the positional lists; records no
        longer in ``search_searchdoc`` are left out. Skipped while another
        transaction merges (an advisory lock).
        """
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT id, keys FROM {SEGMENTS} WHERE ndocs < %s AND id <> %s ORDER BY id", [SMALL, newest])
            small = [(int(i), np.frombuffer(bytes(k), dtype="<i8")) for i, k in cur.fetchall()]
            if len(small) < MERGE_AT:
                return
            cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [MERGE_LOCK])
            if not cur.fetchone()[0]:
                return
            cur.execute(f"SELECT id, keys, starts_title, starts_all FROM {SEGMENTS} WHERE id = ANY(%s) FOR UPDATE",
                        [[i for i, _ in small]])
            segs = {int(i): (np.frombuffer(bytes(k), "<i8"), np.frombuffer(bytes(t), "<i8"), np.frombuffer(bytes(a), "<i8"))
                    for i, k, t, a in cur.fetchall()}
            if len(segs) < MERGE_AT:
                return
            every = np.concatenate([v[0] for v in segs.values()])
            cur.execute(f"SELECT key FROM {DOC} WHERE key = ANY(%s)", [every.tolist()])
            live = np.array(sorted(r[0] for r in cur.fetchall()), dtype=np.int64)
            texts: dict[tuple[int, int], dict[int, np.ndarray]] = {}
            cur.execute(f"SELECT seg, k, gram, fmt, data FROM {POSTS} WHERE seg = ANY(%s) AND k IN (%s, %s)",
                        [list(segs), postings.POS, 4 + postings.POS])
            for seg, k, gram, fmt, data in cur.fetchall():
                texts.setdefault((seg, k // 4), {})[gram] = postings.decode(fmt, bytes(data), 0)
            keys_out: list[np.ndarray] = []
            parts: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {0: [], 1: []}
            for seg, (keys, *starts) in segs.items():
                alive = np.isin(keys, live)
                keys_out.append(keys[alive])
                for scope in (0, 1):
                    cps = postings.text_of(starts[scope], texts.get((seg, scope), {}))
                    lengths = np.diff(starts[scope])
                    parts[scope].append(_documents(cps, starts[scope], lengths, alive))
            merged = [postings.build_codepoints(np.concatenate([c for c, _ in parts[scope]]),
                                                np.concatenate([n for _, n in parts[scope]])) for scope in (0, 1)]
            cur.execute(f"DELETE FROM {POSTS} WHERE seg = ANY(%s)", [list(segs)])
            cur.execute(f"DELETE FROM {SEGMENTS} WHERE id = ANY(%s)", [list(segs)])
            cur.execute(f"SELECT nextval('{SEQUENCE}')")
            self._write_segment(cur, int(cur.fetchone()[0]), np.concatenate(keys_out), *merged)

    def delete(self, keys):
        # Keys are never reused (a changed record is indexed under a new
        # serial): a removed record's lists stay in their segment until it
        # is merged, and DocTable.locate drops its key.
        pass

    def reset(self):
        with self.conn.cursor() as cur:
            cur.execute(f"TRUNCATE {POSTS}, {SEGMENTS}")

    def optimize(self):
        with self.conn.cursor() as cur:
            cur.execute(f"ANALYZE {POSTS}")
            cur.execute(f"ANALYZE {SEGMENTS}")

    def size_bytes(self) -> int:
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT pg_total_relation_size('{POSTS}') + pg_total_relation_size('{SEGMENTS}') "
                        f"+ pg_total_relation_size('{DOC}')")
            return int(cur.fetchone()[0])

    def segment_count(self) -> int:
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {SEGMENTS}")
            return int(cur.fetchone()[0])

    # --- reads ------------------------------------------------------------
    def _segments(self, ids) -> dict[int, tuple]:
        """(keys, starts of titles, starts of texts) of segments; immutable, so cached by id."""
        cache = _segment_cache.setdefault((self.conn.alias, str(self.conn.settings_dict.get("NAME"))), {})
        missing = [i for i in ids if i not in cache]
        if missing:
            if len(cache) > CACHED_SEGMENTS:
                cache.clear()
            with self.conn.cursor() as cur:
                cur.execute(f"SELECT id, keys, starts_title, starts_all FROM {SEGMENTS} WHERE id = ANY(%s)", [missing])
                for i, k, t, a in cur.fetchall():
                    cache[int(i)] = (np.frombuffer(bytes(k), "<i8"), np.frombuffer(bytes(t), "<i8"),
                                     np.frombuffer(bytes(a), "<i8"))
        return {i: cache[i] for i in ids if i in cache}

    def match(self, scope, pieces, *, within=None):
        s = postings.SCOPES[scope]
        wanted = {(kind, code) for piece in pieces for kind, code, _ in postings.needs(piece)}
        grams = [code for _, code in wanted]
        kinds = [s * 4 + kind for kind, _ in wanted]
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT p.seg, p.k, p.gram, p.fmt, p.data FROM unnest(%s::bigint[], %s::smallint[]) AS q(gram, k) "
                        f"JOIN {POSTS} p ON p.gram = q.gram AND p.k = q.k", [grams, kinds])
            fetched = cur.fetchall()
        by_seg: dict[int, dict[tuple[int, int], tuple[int, bytes]]] = {}
        for seg, k, gram, fmt, data in fetched:
            by_seg.setdefault(seg, {})[(k % 4, gram)] = (fmt, data)
        found = []
        for seg, (keys, starts_title, starts_all) in self._segments(list(by_seg)).items():
            lists = by_seg[seg]
            starts = starts_title if s == 0 else starts_all
            ndocs = len(keys)

            def fetch(kind, code, lists=lists, ndocs=ndocs):
                got = lists.get((kind, code))
                return postings.EMPTY if got is None else postings.decode(got[0], got[1], ndocs)

            docs = None
            for piece in sorted(pieces, key=len, reverse=True):
                these = postings.piece_docs(starts, piece, fetch)
                docs = these if docs is None else np.intersect1d(docs, these, assume_unique=True)
                if not len(docs):
                    break
            if docs is not None and len(docs):
                found.append(keys[docs])
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(found))

    # --- the benchmark's baseline: tsvectors, GIN, ts_rank_cd ------------------
    def baseline_load(self, rows) -> None:
        """Rows (key, token stream) into the baseline table (created on first use, indexed by :meth:`baseline_index`)."""
        with self.conn.cursor() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {BASELINE} (key bigint NOT NULL, seq integer NOT NULL, tsv tsvector NOT NULL)")
            copy_rows(cur, BASELINE, "key, seq, tsv", [(key, seq, tsv) for key, tokens in rows
                                                        for seq, tsv in enumerate(chunks(tokens))])

    def baseline_index(self) -> None:
        with self.conn.cursor() as cur:
            cur.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
            cur.execute(f"CREATE INDEX IF NOT EXISTS {BASELINE}_tsv ON {BASELINE} USING gin (tsv)")
            cur.execute("RESET maintenance_work_mem")
            cur.execute(f"ANALYZE {BASELINE}")

    def baseline(self, pieces, limit=20):
        q = " & ".join(f"({tsquery(p)})" for p in pieces)
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT key FROM {BASELINE} WHERE tsv @@ %s::tsquery "
                        f"ORDER BY ts_rank_cd(tsv, %s::tsquery) DESC LIMIT {int(limit)}", [q, q])
            return [r[0] for r in cur.fetchall()]


_segment_cache: dict[tuple[str, str], dict[int, tuple]] = {}
CACHED_SEGMENTS = 4096


def _documents(cps: np.ndarray, starts: np.ndarray, lengths: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code points and lengths of the documents of a segment that are kept."""
    pieces = [cps[starts[d]:starts[d] + lengths[d]] for d in np.flatnonzero(alive)]
    return (np.concatenate(pieces) if pieces else np.empty(0, np.uint32)), lengths[alive]
