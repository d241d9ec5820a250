"""What a search engine backend answers. ``pieces`` are normalised substrings, all required (AND)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

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

    def sql(self, alias: str = "d", mark: str = "?") -> tuple[str, list]:
        parts, params = [], []
        for name in FACETS:
            value = getattr(self, name)
            if value is not None and value != "":
                parts.append(f"{alias}.{name} = {mark}")
                params.append(value)
        return "".join(" AND " + p for p in parts), params


NO_FILTERS = Filters()


@dataclass
class Facets:
    total: int = 0
    counts: dict[str, dict[object, int]] = field(default_factory=dict)


class Backend:
    vendor = ""

    def __init__(self, conn):
        self.conn = conn

    # --- writes -----------------------------------------------------------
    def insert(self, rows: Sequence[tuple[int, object]]) -> None:
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
    def keys(self, scope: Scope, pieces: Sequence[str], *, filters: Filters = NO_FILTERS,
             exclude: Sequence[int] = (), limit: int | None = None, offset: int = 0,
             not_pieces: Sequence[str] = (), by_date: bool = False) -> list[int]:
        """Keys of records matching ``pieces`` but not all of ``not_pieces``, best first (descending key) or newest first."""
        raise NotImplementedError

    def count(self, scope: Scope, pieces: Sequence[str], *, filters: Filters = NO_FILTERS,
              exclude: Sequence[int] = ()) -> int:
        raise NotImplementedError

    def facets(self, scope: Scope, pieces: Sequence[str], *, filters: Filters = NO_FILTERS,
               exclude: Sequence[int] = ()) -> Facets:
        """Total and per-facet counts of the matching records."""
        raise NotImplementedError

    def baseline(self, pieces: Sequence[str], limit: int = 20) -> list[int]:
        """The engine's own ranking, unbounded (bm25 / ts_rank_cd ORDER BY … LIMIT): the benchmark's baseline."""
        raise NotImplementedError
