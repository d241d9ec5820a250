"""Searching: tiers, pages, facets, snippets. Reads only; every record shown comes through Record.objects.public().

Ranking is a fixed order of tiers, and inside a tier the index key (现行有效
first, then newer, then later indexed):

0. 发文字号: the document whose number the query is (in any common spelling),
   then records that quote that number;
1. the title holds the exact phrase (all pieces written together);
2. the title holds every word;
3. the text (title, body, 发文字号, summary, keywords, attachments) holds the exact phrase;
4. the text holds every word (the rest of the result set).

Every tier but the page being shown is only counted, never sorted, and the
page is read with ``ORDER BY key DESC LIMIT``, which the engines answer
without scoring every match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone

from gongkai.records import docno
from gongkai.records.models import Record, Validity

from . import text
from .backends import Filters, get_backend
from .backends.base import FACETS, NO_FILTERS
from .models import SearchDoc, SearchTerm
from .segment import get_segmenter

PER_PAGE = 20
EXTRA_CAP = 200
SNIPPET_WIDTH = 120
_SEQ_ONLY = re.compile(r"^(?P<prefix>[^\d〔〕\[\]()（）【】]+?)\s*第?\s*0*(?P<seq>\d+)\s*号$")


def segmenter():
    def fingerprint():
        agg = SearchTerm.objects.filter(is_active=True).aggregate(n=Count("id"), last=Max("updated_at"))
        return (agg["n"], agg["last"])

    def terms():
        return list(SearchTerm.objects.filter(is_active=True).values_list("word", "freq"))

    return get_segmenter(fingerprint, terms)


def parse(raw: str) -> text.Query:
    return text.parse_query(raw, segmenter().cut)


@dataclass
class Hit:
    record: Record
    tier: int
    title: text.Snippet
    snippet: text.Snippet | None = None
    snippet_source: str = ""  # "" (正文), "摘要", "发文字号", or 附件《name》
    interpretations: list[Record] = field(default_factory=list)
    grouped: list[Hit] = field(default_factory=list)  # interpretation hits shown under their document


@dataclass
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    query: text.Query
    filters: Filters
    sort: str
    total: int = 0
    exact_total: int = 0  # records holding the exact phrase (or the document number)
    page: int = 1
    per_page: int = PER_PAGE
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    docno: str = ""
    suggestions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def docno_records(raw: str, using: str = "default") -> tuple[str, list[int]]:
    """Keys of records whose 发文字号 is the query (any spelling), or 'prefix + N号' without the year."""
    raw = (raw or "").strip()
    qs = SearchDoc.objects.using(using)
    try:
        canonical = docno.normalize(raw)
    except docno.DocNoError:
        canonical = ""
    if canonical:
        keys = list(qs.filter(doc_no=canonical).order_by("-key").values_list("key", flat=True))
        return canonical, keys
    m = _SEQ_ONLY.match(re.sub(r"\s+", "", raw))
    if m and len(m.group("prefix")) >= 2:
        pattern = f"{m.group('prefix')}〔"
        suffix = f"〕{int(m.group('seq'))}号"
        keys = list(qs.filter(doc_no__startswith=pattern, doc_no__endswith=suffix)
                    .order_by("-key").values_list("key", flat=True)[:EXTRA_CAP])
        return (f"{m.group('prefix')}〔…〕{int(m.group('seq'))}号" if keys else ""), keys
    return "", []


def _filtered(keys: list[int], filters: Filters) -> list[int]:
    if not keys:
        return keys
    where = {name: getattr(filters, name) for name in FACETS if getattr(filters, name) not in (None, "")}
    if not where:
        return keys
    allowed = set(SearchDoc.objects.filter(key__in=keys, **where).values_list("key", flat=True))
    return [k for k in keys if k in allowed]


def search(raw: str, *, filters: Filters = NO_FILTERS, sort: str = "relevance", page: int = 1,
           per_page: int = PER_PAGE, with_facets: bool = True, with_snippets: bool = True) -> SearchResult:
    from .index import index_sweep_expired

    index_sweep_expired()
    query = parse(raw)
    result = SearchResult(query=query, filters=filters, sort=sort, per_page=per_page, page=max(1, page))
    if query.is_empty:
        return result
    backend = get_backend()

    # Tier 0: the document number, then records quoting it.
    canonical, extra = docno_records(raw)
    if canonical and "…" not in canonical and len(canonical) > 1:
        quoting = backend.keys("all", [text.normalize(canonical)], filters=filters, limit=EXTRA_CAP)
        extra = extra + [k for k in quoting if k not in set(extra)]
    extra = _filtered(extra, filters)
    result.docno = canonical

    offset = (result.page - 1) * per_page
    eng = run_engine(backend, query, extra=extra, filters=filters, sort=sort, offset=offset, per_page=per_page,
                     with_facets=with_facets)
    if eng.total and offset >= eng.total:
        result.page = max(1, -(-eng.total // per_page))
        eng = run_engine(backend, query, extra=extra, filters=filters, sort=sort,
                         offset=(result.page - 1) * per_page, per_page=per_page, with_facets=with_facets)
    result.total, result.exact_total = eng.total, eng.exact_total
    keys, tiers = eng.keys, eng.tiers
    if with_facets:
        result.facets = _facet_values(eng.facet_counts, filters)
    result.hits = _hits(keys, tiers, query, with_snippets)
    if result.total == 0:
        result.suggestions = suggestions(query, filters)
    return result


@dataclass
class EngineResult:
    total: int
    exact_total: int
    keys: list[int]
    tiers: dict[int, int]
    facet_counts: dict[str, dict[object, int]]


def run_engine(backend, query: text.Query, *, extra: Sequence[int] = (), filters: Filters = NO_FILTERS,
               sort: str = "relevance", offset: int = 0, per_page: int = PER_PAGE,
               with_facets: bool = True) -> EngineResult:
    """The index's part of a search: total, facet counts and the keys of one page (no records loaded)."""
    extra = list(extra)
    words, joined = list(query.words), [query.joined]
    counts: dict[str, dict[object, int]] = {}
    if with_facets:
        facets = backend.facets("all", words, filters=filters, exclude=extra)
        n_all = facets.total
        counts = facets.counts
        if extra:
            for doc in SearchDoc.objects.using(backend.conn.alias).filter(key__in=extra).values(*FACETS):
                for name in FACETS:
                    counts[name][doc[name]] = counts[name].get(doc[name], 0) + 1
    else:
        n_all = backend.count("all", words, filters=filters, exclude=extra)
    total = n_all + len(extra)
    if sort == "date":
        exact_total = total if not query.scattered else backend.count("all", joined, filters=filters, exclude=extra) + len(extra)
        keys = _date_page(backend, words, extra, filters, offset, per_page)
        tiers = dict.fromkeys(keys, 4)
    else:
        keys, tiers, exact_total = _relevance_page(backend, query, extra, filters, n_all, offset, per_page)
    return EngineResult(total=total, exact_total=exact_total, keys=keys, tiers=tiers, facet_counts=counts)


def _relevance_page(backend, query: text.Query, extra: list[int], filters: Filters, n_all: int,
                    offset: int, per_page: int) -> tuple[list[int], dict[int, int], int]:
    words, joined = list(query.words), [query.joined]
    exact = not query.scattered and len(query.pieces) == 1  # one piece, one word: tiers 2 and 4 are empty
    t_joined = backend.keys("title", joined, filters=filters, exclude=extra)
    t_words = t_joined if exact else backend.keys("title", words, filters=filters, exclude=extra)
    in_joined = set(t_joined)
    title_scattered = [k for k in t_words if k not in in_joined]
    title_all = t_joined + title_scattered
    if exact:
        c3 = n_all - len(title_all)
    else:
        c3 = backend.count("all", joined, filters=filters, exclude=extra + title_all)
    tiers_in_order: list[tuple[int, int, object]] = [
        (0, len(extra), extra),
        (1, len(t_joined), t_joined),
        (2, len(title_scattered), title_scattered),
        (3, c3, ("all", joined, (), extra + title_all)),
        (4, n_all - len(title_all) - c3, ("all", words, joined, extra + title_all)),
    ]
    keys: list[int] = []
    tiers: dict[int, int] = {}
    pos = 0
    want_lo, want_hi = offset, offset + per_page
    for tier, size, source in tiers_in_order:
        lo, hi = max(want_lo, pos), min(want_hi, pos + size)
        if lo < hi:
            if isinstance(source, list):
                chunk = source[lo - pos:hi - pos]
            else:
                scope, pieces, not_pieces, exclude = source
                chunk = backend.keys(scope, pieces, filters=filters, exclude=exclude, not_pieces=not_pieces,
                                     limit=hi - lo, offset=lo - pos)
            for k in chunk:
                tiers[k] = tier
            keys.extend(chunk)
        pos += size
    exact_total = len(extra) + len(t_joined) + c3
    return keys, tiers, exact_total


def _date_page(backend, words, extra, filters, offset, per_page):
    if extra:
        extra_docs = list(SearchDoc.objects.using(backend.conn.alias).filter(key__in=extra).order_by("-published_at", "-key").values_list("key", flat=True))
        if offset < len(extra_docs):
            head = extra_docs[offset:offset + per_page]
            rest = backend.keys("all", words, filters=filters, exclude=extra, limit=per_page - len(head), by_date=True) if len(head) < per_page else []
            return head + rest
        offset -= len(extra_docs)
    return backend.keys("all", words, filters=filters, exclude=extra, limit=per_page, offset=offset, by_date=True)


def _hits(keys: Sequence[int], tiers: dict[int, int], query: text.Query, with_snippets: bool) -> list[Hit]:
    if not keys:
        return []
    record_of = dict(SearchDoc.objects.filter(key__in=keys).values_list("key", "record_id"))
    ids = [record_of[k] for k in keys if k in record_of]
    # The one door: whatever the index says, only public records are shown.
    records = {r.pk: r for r in Record.objects.public().filter(pk__in=ids)
               .select_related("organ", "genre", "topic", "interprets").prefetch_related("attachments")}
    interpretations: dict[int, list[Record]] = {}
    for rec in Record.objects.public().filter(interprets_id__in=ids).order_by("-published_at").only(
        "pk", "title", "interprets_id", "published_at"
    ):
        interpretations.setdefault(rec.interprets_id, []).append(rec)
    needles = list(dict.fromkeys([query.joined, *query.pieces, *query.words]))
    hits: list[Hit] = []
    by_record: dict[int, Hit] = {}
    for key in keys:
        rec = records.get(record_of.get(key))
        if rec is None:
            continue
        hit = Hit(record=rec, tier=tiers.get(key, 4), title=text.highlight(rec.title, needles),
                  interpretations=interpretations.get(rec.pk, []))
        if with_snippets:
            hit.snippet, hit.snippet_source = _snippet(rec, needles)
        by_record[rec.pk] = hit
        hits.append(hit)
    # 解读 grouped with their document when both are on this page.
    grouped: list[Hit] = []
    for hit in hits:
        parent = by_record.get(hit.record.interprets_id) if hit.record.interprets_id else None
        if parent is not None and parent is not hit:
            parent.grouped.append(hit)
        else:
            grouped.append(hit)
    for hit in grouped:
        shown = {g.record.pk for g in hit.grouped}
        hit.interpretations = [r for r in hit.interpretations if r.pk not in shown]
    return grouped


def _snippet(rec: Record, needles: list[str]) -> tuple[text.Snippet | None, str]:
    body = text.html_to_text(rec.body)
    snip = text.highlight(body, needles, width=SNIPPET_WIDTH)
    if snip.has_hit:
        return snip, ""
    for label, value in (("发文字号", rec.doc_no), ("内容概述", rec.summary), ("关键词", rec.keywords)):
        s = text.highlight(value, needles, width=SNIPPET_WIDTH)
        if s.has_hit:
            return s, label
    for att in rec.attachments.all():
        if att.withheld:
            continue
        s = text.highlight(att.text, needles, width=SNIPPET_WIDTH)
        if s.has_hit or text.highlight(att.name, needles).has_hit:
            return (s if s.has_hit else text.highlight(att.name, needles)), f"附件《{att.name}》"
    fallback = rec.summary or body
    return (text.highlight(fallback, needles, width=SNIPPET_WIDTH) if fallback else None), ""


def _facet_values(counts: dict[str, dict[object, int]], filters: Filters) -> dict[str, list[FacetValue]]:
    from gongkai.core.models import Organ
    from gongkai.records.models import Genre, Topic

    labels: dict[str, dict[object, str]] = {
        "organ_id": dict(Organ.objects.filter(pk__in=counts["organ_id"]).values_list("pk", "name")),
        "genre_id": dict(Genre.objects.filter(pk__in=counts["genre_id"]).values_list("pk", "name")),
        "topic_id": dict(Topic.objects.filter(pk__in=[k for k in counts["topic_id"] if k]).values_list("pk", "name")),
        "year": {y: f"{y}年" for y in counts["year"]},
        "validity": dict(Validity.choices),
    }
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        values = []
        for value, n in counts[name].items():
            if value is None:
                continue
            selected = str(getattr(filters, name)) == str(value)
            values.append(FacetValue(value=value, label=labels[name].get(value, str(value)), count=n, selected=selected))
        if name == "year":
            values.sort(key=lambda v: -int(v.value))
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        out[name] = values
    return out


def suggestions(query: text.Query, filters: Filters) -> list[tuple[str, int]]:
    """Other queries that do find something: fewer words, single words, or no filters."""
    backend = get_backend()
    found: list[tuple[str, int]] = []
    seen = set()
    candidates: list[list[str]] = []
    if len(query.pieces) > 1:
        candidates += [[p] for p in query.pieces]
    if len(query.cut_words) > 1:
        candidates += [[w] for w in query.cut_words if len(w) > 1]
    for cand in candidates[:6]:
        label = " ".join(cand)
        if label in seen:
            continue
        seen.add(label)
        n = backend.count("all", cand, filters=filters)
        if n:
            found.append((label, n))
    return found


def today():
    return timezone.localdate()
