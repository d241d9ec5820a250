# ruff: noqa: S608 - column and table names are constants; there are no values
"""The index's metadata columns in memory (numpy arrays): filters, facet counts and date order of the matches.

The engines answer one question, "which keys match these pieces?", as a
sorted array. Everything else a results page needs (the filters, the counts
by organ, 体裁, 主题, year and 有效性, the tiers, the page in key or date
order) is computed here on arrays, without going back to the database for
each match. Joining every match to ``search_searchdoc`` cost a B-tree lookup
per match: 46–83 ms for 25,000–30,000 matches among 100,000 records, against
about 1 ms here.

Rows are addressed by *position*: the table is sorted by key, so positions
ascend with keys, and "best first" is "highest position first". The copy is
loaded once per index generation (``SearchState.generation``, changed in the
same transaction as every index write) and per database; a process holds one
copy per database (about 60 bytes a record).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .backends.base import FACETS, Filters

EMPTY = np.empty(0, dtype=np.int64)
NO_TOPIC = -1


@dataclass(frozen=True)
class DocTable:
    keys: np.ndarray  # int64, ascending
    columns: dict[str, np.ndarray]  # FACETS → int64 (validity as codes into validity_values)
    published: np.ndarray  # int64 seconds since the epoch
    validity_values: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.keys)

    def locate(self, keys: np.ndarray | list[int]) -> np.ndarray:
        """Positions of the given keys that are in the table (absent keys, e.g. leftover full-text rows, dropped).

        Keeps the order of ``keys``.
        """
        keys = np.asarray(keys, dtype=np.int64)
        if not len(keys) or not len(self.keys):
            return EMPTY
        pos = np.searchsorted(self.keys, keys)
        inside = pos < len(self.keys)
        pos, keys = pos[inside], keys[inside]
        return pos[self.keys[pos] == keys].astype(np.int64)

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Boolean mask of the rows the filters let through (None: no filter)."""
        mask = None
        for name in FACETS:
            value = getattr(filters, name)
            if value is None or value == "":
                continue
            if name == "validity":
                code = self.validity_values.index(value) if value in self.validity_values else None
                cond = (self.columns[name] == code) if code is not None else np.zeros(len(self), dtype=bool)
            else:
                try:
                    cond = self.columns[name] == int(value)
                except (TypeError, ValueError):
                    cond = np.zeros(len(self), dtype=bool)
            mask = cond if mask is None else (mask & cond)
        return mask

    def facet_counts(self, positions: np.ndarray) -> dict[str, dict[object, int]]:
        counts: dict[str, dict[object, int]] = {}
        for name in FACETS:
            values, n = np.unique(self.columns[name][positions], return_counts=True)
            if name == "validity":
                counts[name] = {self.validity_values[int(v)]: int(c) for v, c in zip(values, n, strict=True)}
            elif name == "topic_id":
                counts[name] = {(None if v == NO_TOPIC else int(v)): int(c) for v, c in zip(values, n, strict=True)}
            else:
                counts[name] = {int(v): int(c) for v, c in zip(values, n, strict=True)}
        return counts

    def newest_first(self, positions: np.ndarray) -> np.ndarray:
        """Positions ordered by publication time, newest first (ties: higher key first)."""
        if not len(positions):
            return positions
        packed = (self.published[positions] << 24) | positions  # positions < 2**24, seconds < 2**39
        return np.sort(packed)[::-1] & 0xFFFFFF


# One row of ``COPY … (FORMAT binary)`` of seven bigint columns: a 16-bit field count, then per field a
# 32-bit length (8) and the big-endian value (PostgreSQL's binary copy format).
_COPY_FIELDS = ("key", "organ_id", "genre_id", "topic_id", "year", "validity", "published")
_COPY_ROW = np.dtype([("n", ">i2")] + [item for f in _COPY_FIELDS for item in (("l_" + f, ">i4"), (f, ">i8"))])
_COPY_HEADER = 11 + 4 + 4  # signature, flags, header extension length (0)


def _load_postgresql(conn) -> DocTable:
    """The same table through one binary ``COPY``, read straight into numpy and sorted there: at 100,000
    records about a third of the time of fetching ordered rows as Python tuples (every process loads it
    after every index write; the first search after a publication pays for it)."""
    from psycopg import sql

    from gongkai.records.models import Validity

    # validity as its position in the known values (a value the model does not know: the row path)
    values = tuple(sorted(str(v) for v in Validity.values))
    cases = sql.SQL(" ").join(sql.SQL("WHEN {} THEN {}").format(sql.Literal(v), sql.Literal(i))
                              for i, v in enumerate(values))
    statement = sql.SQL(
        "COPY (SELECT key::bigint, organ_id::bigint, genre_id::bigint, "
        "COALESCE(topic_id, {no_topic})::bigint, year::bigint, (CASE validity {cases} ELSE -1 END)::bigint, "
        "COALESCE(EXTRACT(EPOCH FROM published_at), 0)::bigint FROM search_searchdoc) "
        "TO STDOUT (FORMAT binary)").format(no_topic=sql.Literal(NO_TOPIC), cases=cases)
    chunks = []
    with conn.cursor() as cur:
        raw = cur.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(statement) as copy:
            for chunk in copy:
                chunks.append(bytes(chunk))
    data = b"".join(chunks)
    body = data[_COPY_HEADER:len(data) - 2]  # the trailer is a field count of -1
    rows = np.frombuffer(body, dtype=_COPY_ROW)
    if len(body) != len(rows) * _COPY_ROW.itemsize or (len(rows) and (rows["n"] != len(_COPY_FIELDS)).any()):
        raise ValueError("search_searchdoc: unexpected binary COPY layout")
    if not len(rows):
        empty = {name: EMPTY for name in FACETS}
        return DocTable(keys=EMPTY, columns=empty, published=EMPTY, validity_values=())
    if (rows["validity"] < 0).any():
        return _load_rows(conn)
    rows = rows[np.argsort(rows["key"], kind="stable")]
    present = np.unique(rows["validity"])  # the values present, as the row path has them
    codes = np.searchsorted(present, rows["validity"])
    columns = {name: rows[name].astype(np.int64) for name in ("organ_id", "genre_id", "topic_id", "year")}
    columns["validity"] = codes.astype(np.int64)
    return DocTable(keys=rows["key"].astype(np.int64), columns=columns, published=rows["published"].astype(np.int64),
                    validity_values=tuple(values[int(i)] for i in present))


def _load(conn) -> DocTable:
    if conn.vendor == "postgresql":
        return _load_postgresql(conn)
    return _load_rows(conn)


def _load_rows(conn) -> DocTable:
    if conn.vendor == "postgresql":
        published = "EXTRACT(EPOCH FROM published_at)::bigint"
    else:
        published = "CAST(strftime('%%s', published_at) AS INTEGER)"
    sql = (f"SELECT key, organ_id, genre_id, COALESCE(topic_id, {NO_TOPIC}), year, validity, {published} "
           "FROM search_searchdoc ORDER BY key")
    with conn.cursor() as cur:
        cur.execute(sql, [])  # with parameters, so that %% reaches SQLite as %
        rows = cur.fetchall()
    if not rows:
        empty = {name: EMPTY for name in FACETS}
        return DocTable(keys=EMPTY, columns=empty, published=EMPTY, validity_values=())
    key, organ, genre, topic, year, validity, pub = zip(*rows, strict=True)
    values, codes = np.unique(np.array(validity, dtype=object).astype(str), return_inverse=True)
    columns = {
        "organ_id": np.array(organ, dtype=np.int64), "genre_id": np.array(genre, dtype=np.int64),
        "topic_id": np.array(topic, dtype=np.int64), "year": np.array(year, dtype=np.int64),
        "validity": codes.astype(np.int64),
    }
    return DocTable(keys=np.array(key, dtype=np.int64), columns=columns,
                    published=np.array([p or 0 for p in pub], dtype=np.int64),
                    validity_values=tuple(str(v) for v in values))


def generation(conn) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT generation FROM search_searchstate WHERE id = 1")
        row = cur.fetchone()
    return row[0] if row else ""


_cache: dict[tuple[str, str], tuple[str, DocTable]] = {}
_lock = threading.Lock()


def get(conn) -> DocTable:
    """The current table for ``conn``'s database (reloaded when the index generation has changed).

    The generation is read before the rows: a write that commits in between
    makes the copy newer than its generation says, never older, and the next
    search loads it again.
    """
    ident = (conn.alias, str(conn.settings_dict.get("NAME")))
    gen = generation(conn)
    cached = _cache.get(ident)
    if cached is not None and cached[0] == gen:
        return cached[1]
    table = _load(conn)
    with _lock:
        _cache[ident] = (gen, table)
    return table
