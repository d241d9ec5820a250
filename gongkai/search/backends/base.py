"""What a search engine backend answers. ``pieces`` are normalised substrings, all required (AND)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .. import text

Scope = Literal["title", "all"]
FACETS = ("organ_id", "genre_id", "topic_id", "year", "validity")


@dataclass(frozen=True)
class Filters:
    """Restrictions on the index's metadata (all optional; equal to the given value)."""

    organ_id: int | None = None
    genre_id: int | None = None
    topic_id: int | None = None
    year: int | None = None
    validity: str | None = None


NO_FILTERS = Filters()


class Backend:
    vendor = ""
    # What the tokenizing process makes of a batch of records' fields (in
    # :func:`gongkai.search.text.record_tokens` order), for :meth:`insert`.
    # A module-level function, so that a worker process can run it.
    prepare = staticmethod(text.tokenize_batch)
    # A rebuild writes this many records per transaction: FTS5 writes a segment
    # at every commit, so larger transactions mean fewer segments to merge (raw
    # inserts 1,750 → 2,050 records/s from 500 to 5,000), while other writers
    # wait at most about a second.
    rebuild_batch = 2000
    # Tokenizing processes of a rebuild. SQLite: one (two, on two cores, measured
    # slower: 1,123 → 1,014 records/s; the writing process is busy with FTS5).
    workers = 1

    def __init__(self, conn):
        self.conn = conn

    # --- writes -----------------------------------------------------------
    def insert(self, keys: Sequence[int], prepared) -> None:
        """Index records under ``keys``; ``prepared`` is what :attr:`prepare` made of their fields (same order)."""
        raise NotImplementedError

    def delete(self, keys: Sequence[int]) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def optimize(self) -> None:
        pass

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Around the inserts of a full rebuild (which ends with :meth:`optimize`): merging may wait."""
        yield

    def size_bytes(self) -> int:
        raise NotImplementedError

    # --- reads ------------------------------------------------------------
    def match(self, scope: Scope, pieces: Sequence[str], *, within: np.ndarray | None = None) -> np.ndarray:
        """Keys (int64, ascending, unique) of the full-text rows holding every piece as a substring.

        May include keys that are no longer in ``search_searchdoc`` (SQLite's
        leftovers of updates): :meth:`DocTable.locate` drops them. ``within``
        (keys known to hold every match) is a hint: an engine may look only
        there, or ignore it (the caller intersects).
        """
        raise NotImplementedError

