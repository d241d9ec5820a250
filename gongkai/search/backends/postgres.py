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
bigram tsvectors) is not part of the engine: it lives with the benchmark,
in :mod:`gongkai.ops.bench.search_baseline`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

from .. import postings
from .base import Backend

DOC = "search_searchdoc"
SEGMENTS = "search_pg_seg"
POSTS = "search_pg_post"
SEQUENCE = "search_pg_seg_id"
SMALL = 2000  # a segment of fewer records is merged with others
MERGE_AT = 8  # small segments
MERGE_LOCK = 0x6B6F6E676B6169  # advisory lock id of a merge


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

_segment_cache: dict[tuple[str, str], dict[int, tuple]] = {}
CACHED_SEGMENTS = 4096


def _documents(cps: np.ndarray, starts: np.ndarray, lengths: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code points and lengths of the documents of a segment that are kept."""
    pieces = [cps[starts[d]:starts[d] + lengths[d]] for d in np.flatnonzero(alive)]
    return (np.concatenate(pieces) if pieces else np.empty(0, np.uint32)), lengths[alive]
