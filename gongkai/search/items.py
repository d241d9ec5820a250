"""Public items of other kinds than records in the site search: 意见征集, 会议活动, 留言, 政策问答.

Search sits below the apps that own these items, so it never imports them. An app
registers each kind (:func:`register`) with two functions of its own:

- ``documents(ids)``: the :class:`ItemDoc` of those items that its public door lets
  through (``ids=None``: all of them); nothing else may feed the index;
- ``public_ids(ids)``: which of those ids its public door lets through *now*.

The app calls :func:`item_sync_safely` after a change (in the same transaction) and the index keeps one
:class:`~gongkai.search.models.SearchItem` row per public item. A search asks the
door again (:func:`search_items`) before it counts or shows an item, so an item
that stopped being public is gone at once, whatever the index says.

Matching is the record search's: the query's pieces (:func:`gongkai.search.text.parse_query`)
must each be a substring of the item's normalised text (every piece, AND). These tables
are small (hundreds to a few thousand rows in an installation), so the database scans
``SearchItem.norm`` (``instr`` on SQLite, ``strpos`` on PostgreSQL) — exact substring
semantics by construction, on both databases; on PostgreSQL a GIN index of each text's bigrams first
leaves only the items holding every bigram of the pieces (``ITEMS_PG_INDEX``, migration 0010);
``gongkai bench search-items`` measures it. Ranking uses the record search's tiers (title with the
phrase, title with every piece, text with the phrase, text with every piece, and when
these hold less than a page, items holding every word scattered), newest first within
a tier.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from . import text
from .models import SearchItem, SearchState
from .signals import ITEMS_INDEX, send_index_changed

logger = logging.getLogger("gongkai.search")

PER_PAGE = 20
# SQLite: the items' bigram tokens (text.field_tokens of title, body, meta) in FTS5, row id = SearchItem.id;
# a piece is the phrase of its bigrams (backends.sqlite.match_expr), exactly a substring test as for records.
ITEMS_FTS_TABLE = "search_fts_items"
ITEMS_FTS_CREATE = f"CREATE VIRTUAL TABLE IF NOT EXISTS {ITEMS_FTS_TABLE} USING fts5(t, tokenize='ascii', detail='full')"
# PostgreSQL scans the text: kept uncompressed, or every query would decompress every long text first.
ITEMS_PG_STORAGE = "ALTER TABLE search_searchitem ALTER COLUMN norm SET STORAGE EXTERNAL"
# PostgreSQL: a GIN index of the distinct bigrams of each item's normalised text. An item can hold a piece
# only if it holds every bigram of it, so the index picks the candidates and strpos() (exact substring)
# decides among them: the result is the scan's, without reading the texts that cannot match.
ITEMS_PG_BIGRAMS = "search_item_bigrams"
ITEMS_PG_INDEX = [
    # COST: computing it on a row costs far more than reading the index, whatever the planner guesses
    f"""CREATE OR REPLACE FUNCTION {ITEMS_PG_BIGRAMS}(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT
        PARALLEL SAFE COST 100000 AS $$ SELECT coalesce(array_agg(DISTINCT a || b), '{{}}'::text[])
        FROM unnest(regexp_split_to_array(t, ''), regexp_split_to_array(substr(t, 2), '')) AS u(a, b)
        WHERE b <> '' $$""",  # noqa: S608 - constants; characters zipped with the next: linear (substr(t, i, 2) is not)
    f"CREATE INDEX IF NOT EXISTS search_item_norm_bigrams ON search_searchitem USING gin ({ITEMS_PG_BIGRAMS}(norm))",
]
ITEMS_PG_INDEX_DROP = ["DROP INDEX IF EXISTS search_item_norm_bigrams", f"DROP FUNCTION IF EXISTS {ITEMS_PG_BIGRAMS}(text)"]
SNIPPET_WIDTH = 120
DOOR_CHUNK = 2000


@dataclass(frozen=True)
class ItemDoc:
    """What the search keeps of one public item (plain text only; nothing private)."""

    ref_id: int
    title: str
    body: str
    url: str
    date: dt.datetime
    organ_id: int | None = None
    meta: str = ""  # a short line shown under the title, e.g. 征集期


@dataclass(frozen=True)
class ItemKind:
    name: str  # "consultation"
    label: str  # "意见征集"
    order: int
    documents: Callable[[Sequence[int] | None], Iterable[ItemDoc]]
    public_ids: Callable[[Sequence[int]], Iterable[int]]
    # ids whose public state may change by the date alone (e.g. an answer's 有效期) around ``today``
    dated_ids: Callable[[dt.date], Iterable[int]] | None = None


_kinds: dict[str, ItemKind] = {}


def register(kind: ItemKind) -> None:
    _kinds[kind.name] = kind


def kinds() -> list[ItemKind]:
    return sorted(_kinds.values(), key=lambda k: k.order)


def kind(name: str) -> ItemKind | None:
    return _kinds.get(name)


# --- index maintenance ------------------------------------------------------------------------


def _row(kind_name: str, doc: ItemDoc) -> SearchItem:
    title = doc.title[:300]
    return SearchItem(kind=kind_name, ref_id=doc.ref_id, organ_id=doc.organ_id, title=title, body=doc.body,
                      meta=doc.meta[:200], url=doc.url[:300], date=doc.date, title_norm=text.normalize(title),
                      norm=text.FIELD_SEP.join((text.normalize(title), text.normalize(doc.body), text.normalize(doc.meta))))


def item_sync(kind_name: str, ids: Iterable[int]) -> int:
    """Make the index hold exactly the public ones of these items (delete, then add through the door)."""
    k = _kinds[kind_name]
    ids = sorted({int(i) for i in ids})
    if not ids:
        return 0
    docs = [d for d in k.documents(ids) if d.ref_id in set(ids)]
    with transaction.atomic():
        old = SearchItem.objects.filter(kind=kind_name, ref_id__in=ids)
        old_pks = list(old.values_list("pk", flat=True))
        _fts_delete(old_pks)
        old.delete()
        _fts_insert(SearchItem.objects.bulk_create([_row(kind_name, d) for d in docs]))
        if old_pks or docs:  # something the search can find changed (not for an item that stays private)
            send_index_changed(ITEMS_INDEX)
    return len(docs)


def _fts(using: str = "default"):
    from django.db import connections

    conn = connections[using]
    return conn if conn.vendor == "sqlite" else None


def _fts_insert(rows: Sequence[SearchItem], using: str = "default") -> None:
    conn = _fts(using)
    if conn is None or not rows:
        return
    _fts_delete([r.pk for r in rows], using)  # a row id left behind by a table emptied under the index (flush)
    with conn.cursor() as cur:
        cur.executemany(f"INSERT INTO {ITEMS_FTS_TABLE}(rowid, t) VALUES (%s, %s)",  # noqa: S608
                        [(r.pk, text.field_tokens(r.title, r.body, r.meta)) for r in rows])


def _fts_delete(pks: Sequence[int] | None, using: str = "default") -> None:
    """Delete these rows' tokens (``None``: all)."""
    conn = _fts(using)
    if pks is not None and not pks:
        return
    if conn is None:
        return
    with conn.cursor() as cur:
        if pks is None:
            cur.execute(f"DELETE FROM {ITEMS_FTS_TABLE}")  # noqa: S608
        else:
            for i in range(0, len(pks), DOOR_CHUNK):
                chunk = list(pks[i:i + DOOR_CHUNK])
                cur.execute(f"DELETE FROM {ITEMS_FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608


def item_sync_safely(kind_name: str, ids: Iterable[int]) -> None:
    """For a signal handler: sync now, in the caller's transaction (so the index commits or rolls back with
    the change), inside a savepoint; a failure is logged and never undoes the change (reindex repairs it)."""
    ids = list(ids)
    try:
        with transaction.atomic():
            item_sync(kind_name, ids)
    except Exception:
        logger.exception("检索索引更新失败：%s %s；请运行 gongkai reindex", kind_name, ids)


def items_rebuild(kind_names: Iterable[str] | None = None) -> int:
    """Rebuild the rows of these kinds (all registered kinds by default) from their doors."""
    done = 0
    if kind_names is None:
        _fts_delete(None)  # also what a flushed table left behind
    for k in kinds():
        if kind_names is not None and k.name not in kind_names:
            continue
        docs = list(k.documents(None))
        with transaction.atomic():
            old = SearchItem.objects.filter(kind=k.name)
            _fts_delete(list(old.values_list("pk", flat=True)))
            old.delete()
            _fts_insert(SearchItem.objects.bulk_create([_row(k.name, d) for d in docs], batch_size=500))
        done += len(docs)
    with transaction.atomic():
        gone = SearchItem.objects.exclude(kind__in=list(_kinds))  # a kind no longer registered
        _fts_delete(list(gone.values_list("pk", flat=True)))
        gone.delete()
        send_index_changed(ITEMS_INDEX)
    return done


def items_check() -> dict[str, dict[str, list[int]]]:
    """Per kind: public items missing from the index, and indexed items that are not public."""
    out = {}
    for k in kinds():
        public = {d.ref_id for d in k.documents(None)}
        indexed = set(SearchItem.objects.filter(kind=k.name).values_list("ref_id", flat=True))
        out[k.name] = {"missing": sorted(public - indexed), "extra": sorted(indexed - public)}
    return out


def items_sweep(*, today: dt.date | None = None) -> int:
    """Once a day: items whose public state changes with the date alone (validity periods) are synced."""
    today = today or timezone.localdate()
    if SearchState.objects.filter(pk=1, items_swept_on=today).exists():
        return 0
    with transaction.atomic():
        state, _ = SearchState.objects.select_for_update().get_or_create(pk=1)
        if state.items_swept_on == today:
            return 0
        state.items_swept_on = today
        state.save(update_fields=["items_swept_on"])
    n = 0
    for k in kinds():
        if k.dated_ids is not None:
            ids = list(k.dated_ids(today))
            if ids:
                item_sync(k.name, ids)
                n += len(ids)
    return n


# --- searching --------------------------------------------------------------------------------


@dataclass
class ItemHit:
    kind: str
    kind_label: str
    ref_id: int
    tier: int
    url: str
    date: dt.datetime
    organ_id: int | None
    meta: str
    title: text.Snippet
    snippet: text.Snippet | None = None


@dataclass
class ItemResult:
    query: text.Query
    kind: str = ""  # the kind filter ("" = every kind)
    counts: dict[str, int] = field(default_factory=dict)  # per kind, before the kind filter
    total: int = 0  # after the kind filter
    exact_total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    hits: list[ItemHit] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    @property
    def all_total(self) -> int:
        return sum(self.counts.values())


def _matching(pieces: Sequence[str], *, kind_names: Sequence[str], organ_id: int | None, using: str = "default"):
    qs = SearchItem.objects.using(using).filter(kind__in=list(kind_names))
    if _fts(using) is not None:  # SQLite: the FTS5 table of bigrams
        qs = qs.filter(pk__in=_fts_match(pieces))
    else:  # PostgreSQL: the bigram index narrows, strpos() (a plain substring test, faster than LIKE) decides
        grams = bigrams(pieces)
        if grams:
            qs = qs.filter(RawSQL(f'{ITEMS_PG_BIGRAMS}("search_searchitem"."norm") @> %s::text[]',  # noqa: S611
                                  (grams,), output_field=BooleanField()))
        for n, piece in enumerate(pieces):
            qs = qs.alias(**{f"at{n}": StrIndex("norm", Value(piece))}).filter(**{f"at{n}__gt": 0})
    if organ_id is not None:
        qs = qs.filter(organ_id=organ_id)
    return qs


def bigrams(pieces: Sequence[str]) -> list[str]:
    """The distinct bigrams of the pieces (a piece of one character has none: it narrows nothing)."""
    return sorted({piece[i:i + 2] for piece in pieces for i in range(len(piece) - 1)})


def _through_doors(rows: list[tuple]) -> list[tuple]:
    """Only rows whose item the owning app's door lets through now (rows start with pk, kind, ref_id)."""
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row[1], []).append(row[2])
    allowed: set[tuple[str, int]] = set()
    for name, ids in by_kind.items():
        k = _kinds.get(name)
        if k is None:
            continue
        for i in range(0, len(ids), DOOR_CHUNK):
            allowed.update((name, int(pk)) for pk in k.public_ids(ids[i:i + DOOR_CHUNK]))
    return [row for row in rows if (row[1], row[2]) in allowed]


def _fts_match(pieces: Sequence[str]) -> RawSQL:
    from .backends.sqlite import match_expr

    sql = f"SELECT rowid FROM {ITEMS_FTS_TABLE} WHERE {ITEMS_FTS_TABLE} MATCH %s"  # noqa: S608
    return RawSQL(sql, (match_expr(pieces),))  # noqa: S611 - a constant table name, a bound value


def _tier(pieces: Sequence[str], joined: str, using: str) -> Case:
    """The record search's tiers, computed by the database (no text leaves it): 1 title with the phrase,
    2 title with every piece, 3 text with the phrase, 4 text with every piece."""
    def holds(field: str, needle: str) -> Q:
        if field == "norm" and _fts(using) is not None:
            return Q(pk__in=_fts_match([needle]))
        return Q(GreaterThan(StrIndex(field, Value(needle)), 0))

    if len(pieces) == 1:
        return Case(When(holds("title_norm", joined), then=1), default=3)
    every_in_title = Q()
    for piece in pieces:
        every_in_title &= holds("title_norm", piece)
    return Case(When(holds("title_norm", joined), then=1), When(every_in_title, then=2),
                When(holds("norm", joined), then=3), default=4)


def _ranked(query: text.Query, *, organ_id: int | None, using: str = "default") -> tuple[list[tuple[int, tuple]], int]:
    """Every public match as (tier, row), best first (row: pk, kind, ref_id, date), and how many hold the
    phrase as typed."""
    names = list(_kinds)
    pieces, joined = list(query.pieces), query.joined
    cols = ["pk", "kind", "ref_id", "date", "tier"]
    matches = (_matching(pieces, kind_names=names, organ_id=organ_id, using=using)
               .annotate(tier=_tier(pieces, joined, using)).order_by("tier", "-date", "-pk").values_list(*cols))
    ranked = [(r[4], r) for r in _through_doors(list(matches))]
    exact = sum(1 for t, _ in ranked if t in (1, 3))
    if len(ranked) < PER_PAGE and query.scattered:
        # Few items hold the query as typed: add those holding every word of it, scattered.
        extra = (_matching(list(query.words), kind_names=names, organ_id=organ_id, using=using)
                 .exclude(pk__in=[r[0] for _, r in ranked]).annotate(tier=Value(5))
                 .order_by("-date", "-pk").values_list(*cols))
        ranked += [(5, r) for r in _through_doors(list(extra))]
    return ranked, exact


def search_items(raw: str | text.Query, *, kind: str = "", organ_id: int | None = None, page: int = 1,
                 per_page: int = PER_PAGE, with_snippets: bool = True) -> ItemResult:
    """Every public item holding every piece of the query, in tiers; counts per kind; one page of hits."""
    from .query import parse

    items_sweep()
    query = raw if isinstance(raw, text.Query) else parse(raw)
    result = ItemResult(query=query, kind=kind if kind in _kinds else "", per_page=per_page, page=max(1, page))
    if query.is_empty or not _kinds:
        return result
    ranked, result.exact_total = _ranked(query, organ_id=organ_id)
    for _t, r in ranked:
        result.counts[r[1]] = result.counts.get(r[1], 0) + 1
    if result.kind:
        ranked = [(t, r) for t, r in ranked if r[1] == result.kind]
    result.total = len(ranked)
    result.page = min(result.page, result.num_pages)
    chosen = ranked[(result.page - 1) * per_page:result.page * per_page]
    result.hits = _hits(chosen, query, with_snippets)
    return result


def _hits(chosen: list[tuple[int, tuple]], query: text.Query, with_snippets: bool) -> list[ItemHit]:
    if not chosen:
        return []
    rows = {r.pk: r for r in SearchItem.objects.filter(pk__in=[row[0] for _, row in chosen])}
    needles = list(dict.fromkeys([query.joined, *query.pieces, *query.words]))
    hits = []
    for tier, row in chosen:
        item = rows.get(row[0])
        if item is None:  # removed since the match
            continue
        k = _kinds[item.kind]
        hit = ItemHit(kind=item.kind, kind_label=k.label, ref_id=item.ref_id, tier=tier, url=item.url, date=item.date,
                      organ_id=item.organ_id, meta=item.meta, title=text.highlight(item.title, needles))
        if with_snippets and item.body:
            hit.snippet = text.highlight(item.body, needles, width=SNIPPET_WIDTH)
        hits.append(hit)
    return hits


def item_ids_matching(kind_name: str, raw: str, *, organ_id: int | None = None) -> list[int]:
    """Ids of the public items of one kind the search finds for ``raw``, best first (for an app's own list)."""
    from .query import parse

    items_sweep()
    query = parse(raw)
    if query.is_empty:
        return []
    ranked, _ = _ranked(query, organ_id=organ_id)
    return [int(r[2]) for _t, r in ranked if r[1] == kind_name]
