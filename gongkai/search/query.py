"""Searching: tiers, pages, facets, snippets. Reads only; every record shown comes through Record.objects.public().

The result set is every record holding every piece of the query (the space
separated parts) as a substring. Ranking is a fixed order of tiers, and
inside a tier the index key (现行有效 first, then newer, then later indexed):

0. 发文字号: the document whose number the query is (in any common spelling),
   then records that quote that number;
1. the title holds the exact phrase (all pieces written together);
2. the title holds every piece;
3. the text (title, body, 发文字号, summary, keywords, attachments) holds the exact phrase;
   (when tiers 0–4 hold less than a page, a title or else a text holding the phrase once
   punctuation is ignored — 三公经费 in “三公”经费 — joins tier 2 or else tier 4, above tier 5);
4. the text holds every piece;
5. only when tiers 0–4 hold less than a page: records holding every *word*
   of the query (jieba's words of the pieces), scattered.

The engines are asked only which keys match (:meth:`Backend.match`, once per
scope and phrase); tiers, filters, facet counts and the page are computed on
arrays (:mod:`gongkai.search.doctable`). Nothing is scored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from gongkai.records import docno
from gongkai.records.models import Record, Validity

from . import doctable, spelling, text
from .backends import Filters, get_backend
from .backends.base import FACETS, NO_FILTERS
from .models import SearchDoc, SearchState, SearchTerm
from .segment import DEFAULT_TERMS, get_segmenter

PER_PAGE = 20
EXTRA_CAP = 200
BROADEN_BELOW = PER_PAGE  # fewer exact results than a page: add the records holding every word, scattered
BROADENED = 5
SNIPPET_WIDTH = 120
VOCABULARY_TITLES = 50_000  # the newest public titles whose words make the "did you mean" vocabulary
# Cutting 50,000 titles takes seconds: a process builds the vocabulary again after an index change only
# when its copy is this old (or the dictionary changed). A stale copy only suggests; the suggestion's
# count is searched for again, so a word found only in records no longer public is never offered.
VOCABULARY_SECONDS = 600
_LOOSE = re.compile(r"^(?P<prefix>[^\d\s〔〕\[\]()（）【】]{2,}?)\s*[〔\[(（【]?\s*(?P<year>(?:19|20)\d{2})\s*[〕\])）】]?"
                    r"\s*[-—－_/.,，、]?\s*第?\s*0*(?P<seq>\d{1,5})\s*号?$")
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
    broadened: int = 0  # of them, records holding every word but not every piece (few exact results)
    page: int = 1
    per_page: int = PER_PAGE
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    docno: str = ""
    suggestions: list[tuple[str, int]] = field(default_factory=list)
    did_you_mean: tuple[str, int] | None = None  # a near-miss of the index's own words, and what it finds

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def _loose_docno(raw: str) -> str:
    """A 发文字号 typed without its marks: 保政办函2021 15, 保政办函(2021)15, 保政办函2021-15 → 保政办函〔2021〕15号."""
    m = _LOOSE.match(raw.strip())
    if not m:
        return ""
    try:
        return docno.normalize(f"{m.group('prefix')}〔{m.group('year')}〕{int(m.group('seq'))}号")
    except docno.DocNoError:
        return ""


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
    loose = _loose_docno(raw)
    if loose:  # only a number that exists: "工作要点 2021 3" stays a word search
        keys = list(qs.filter(doc_no=loose).order_by("-key").values_list("key", flat=True))
        if keys:
            return loose, keys
    m = _SEQ_ONLY.match(re.sub(r"\s+", "", raw))
    if m and len(m.group("prefix")) >= 2:
        pattern = f"{m.group('prefix')}〔"
        suffix = f"〕{int(m.group('seq'))}号"
        keys = list(qs.filter(doc_no__startswith=pattern, doc_no__endswith=suffix)
                    .order_by("-key").values_list("key", flat=True)[:EXTRA_CAP])
        return (f"{m.group('prefix')}〔…〕{int(m.group('seq'))}号" if keys else ""), keys
    return "", []


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
        table = doctable.get(backend.conn)
        quoting = table.keys[table.locate(backend.match("all", [text.normalize(canonical)]))][::-1][:EXTRA_CAP]
        known = set(extra)
        extra = extra + [int(k) for k in quoting if int(k) not in known]
    result.docno = canonical

    eng = run_engine(backend, query, extra=extra, filters=filters, sort=sort, with_facets=with_facets,
                     broaden=not canonical)
    result.page = min(result.page, max(1, -(-eng.total // per_page)))
    result.total, result.exact_total, result.broadened = eng.total, eng.exact_total, eng.broadened
    keys, tiers = eng.page(result.page, per_page)
    if with_facets:
        result.facets = _facet_values(eng.facet_counts, filters)
    result.hits = _hits(keys, tiers, query, with_snippets)
    if result.exact_total < BROADEN_BELOW:  # few hold the query as typed: maybe a slip of the input method
        result.did_you_mean = did_you_mean(query, filters, found=result.exact_total)
    if result.total == 0:
        result.suggestions = suggestions(query, filters)
    return result


_vocabulary: tuple[str, tuple[str, ...], float, spelling.Vocabulary] | None = None


def vocabulary() -> spelling.Vocabulary:
    """The index's own words (the dictionary's terms and the public titles' words): built again when the
    dictionary changed, or the index did and this copy is ``VOCABULARY_SECONDS`` old."""
    global _vocabulary
    generation = SearchState.objects.filter(pk=1).values_list("generation", flat=True).first() or ""
    terms = tuple(SearchTerm.objects.filter(is_active=True).order_by("word").values_list("word", flat=True))
    now = time.monotonic()
    if (_vocabulary is None or _vocabulary[1] != terms
            or (_vocabulary[0] != generation and now - _vocabulary[2] >= VOCABULARY_SECONDS)):
        titles = Record.objects.public().order_by("-published_at").values_list("title", flat=True)[:VOCABULARY_TITLES]
        _vocabulary = (generation, terms, now,
                       spelling.Vocabulary.build(titles, segmenter().cut, [*DEFAULT_TERMS, *terms]))
    return _vocabulary[3]


def did_you_mean(query: text.Query, filters: Filters, *, found: int) -> tuple[str, int] | None:
    """A corrected query that finds more than this one (征务公开 → 政务公开), with its count."""
    corrected = vocabulary().correct(query.pieces, segmenter().cut)
    if tuple(corrected) == tuple(query.pieces):
        return None
    backend = get_backend()
    table = doctable.get(backend.conn)
    allowed = table.allowed(filters)
    pos = table.locate(backend.match("all", [text.normalize(p) for p in corrected]))
    n = int(allowed[pos].sum()) if allowed is not None else len(pos)
    return (" ".join(corrected), n) if n > found else None


def record_ids_matching(raw: str, *, limit: int = 5000) -> list[int]:
    """Ids of the public records the search finds for ``raw`` (its 发文字号 first, then by tier), for a
    list that filters by the search (the policy library's keyword box)."""
    query = parse(raw)
    if query.is_empty:
        return []
    canonical, extra = docno_records(raw)
    eng = run_engine(get_backend(), query, extra=extra, with_facets=False, broaden=not canonical)
    keys = [int(eng.table.keys[p]) for tier in eng.tiers for p in tier[:limit]][:limit]
    record_of = dict(SearchDoc.objects.filter(key__in=keys).values_list("key", "record_id"))
    return [record_of[k] for k in keys if k in record_of]


@dataclass
class EngineResult:
    """The index's part of a search: every match, in tiers, as positions in the :class:`DocTable`."""

    table: doctable.DocTable
    tiers: list[np.ndarray]  # tier 0 in the given order, the others best first
    sort: str = "relevance"
    exact_total: int = 0
    facet_counts: dict[str, dict[object, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(t) for t in self.tiers)

    @property
    def broadened(self) -> int:
        return len(self.tiers[BROADENED])

    def page(self, page: int, per_page: int = PER_PAGE) -> tuple[list[int], dict[int, int]]:
        """Keys of one page, and the tier of each."""
        lo, hi = (page - 1) * per_page, page * per_page
        if self.sort == "date":
            head = self.table.newest_first(self.tiers[0])
            rest = self.table.newest_first(np.concatenate(self.tiers[1:]))
            chosen = [int(p) for p in np.concatenate([head, rest])[lo:hi]]
            # The tier of just the chosen few (tiers are disjoint).
            tier_of = {p: n for n, members in enumerate(self.tiers) for p in np.intersect1d(members, chosen).tolist()}
            tiers = [(p, tier_of[p]) for p in chosen]
        else:
            tiers, pos = [], 0
            for n, members in enumerate(self.tiers):
                a, b = max(lo, pos), min(hi, pos + len(members))
                if a < b:
                    tiers.extend((int(p), n) for p in members[a - pos:b - pos])
                pos += len(members)
        keys = [int(self.table.keys[p]) for p, _ in tiers]
        return keys, {int(self.table.keys[p]): n for p, n in tiers}



def run_engine(backend, query: text.Query, *, extra: Sequence[int] = (), filters: Filters = NO_FILTERS,
               sort: str = "relevance", with_facets: bool = True, broaden: bool = True) -> EngineResult:
    """Every match of the query, sorted into the ranking tiers (no records loaded).

    ``broaden=False`` (a query that is a document number) never adds scattered words.
    """
    table = doctable.get(backend.conn)
    allowed = table.allowed(filters)
    taken = np.zeros(len(table), dtype=bool)

    def matched(scope, pieces, within=None) -> np.ndarray:
        hint = None if within is None else table.keys[np.sort(within)]
        pos = table.locate(backend.match(scope, pieces, within=hint))
        if allowed is not None:
            pos = pos[allowed[pos]]
        return pos[~taken[pos]]

    first = table.locate(list(dict.fromkeys(extra)))
    if allowed is not None:
        first = first[allowed[first]]
    taken[first] = True
    pieces, joined = list(query.pieces), query.joined
    every = matched("all", pieces)  # the result set: every piece somewhere (the recall guarantee)
    empty = doctable.EMPTY
    tiers = [first, empty, empty, empty, empty, empty]
    exact = len(first) + len(every)
    if len(every):
        title_pieces = matched("title", pieces, every)  # ⊆ every: the title is part of the text
        if len(pieces) == 1:
            tiers[1] = title_pieces
            tiers[3] = _minus(every, title_pieces, len(table))
        else:
            title_joined = matched("title", [joined], title_pieces)  # ⊆ title_pieces
            text_joined = matched("all", [joined], every)  # ⊆ every
            exact = len(first) + len(text_joined)
            tiers[1] = title_joined
            tiers[2] = _minus(title_pieces, title_joined, len(table))
            tiers[3] = _minus(text_joined, title_pieces, len(table))
            tiers[4] = _minus(every, np.union1d(title_pieces, text_joined), len(table))
    if len(first) + len(every) < BROADEN_BELOW and query.scattered and broaden and len(joined) >= 3:
        # Few exact results: the phrase written with punctuation inside (三公经费 in “三公”经费),
        # above the words apart (reading texts costs, so only where words apart would be added).
        taken[every] = True
        title_p, text_p = _punctuated_phrase(table, matched("all", list(query.words)), joined)
        if len(title_p) or len(text_p):
            tiers[2] = np.sort(np.concatenate([tiers[2], title_p]))
            tiers[4] = np.sort(np.concatenate([tiers[4], text_p]))
            exact += len(title_p) + len(text_p)
            taken[title_p] = True
            taken[text_p] = True
    if len(first) + len(every) < BROADEN_BELOW and query.scattered and broaden:
        # Few exact results: add the records holding every word of the query, scattered.
        taken[every] = True
        tiers[BROADENED] = matched("all", list(query.words))
    tiers = [tiers[0]] + [t[::-1] for t in tiers[1:]]
    counts = table.facet_counts(np.concatenate(tiers)) if with_facets else {}
    return EngineResult(table=table, tiers=tiers, sort=sort, exact_total=exact, facet_counts=counts)


PUNCTUATED_CAP = 200  # records holding every word that are read to look for the phrase across punctuation


def _bare(value: str) -> str:
    """The text without anything but letters and digits (punctuation, quotes, spaces dropped)."""
    return "".join(ch for ch in text.normalize(value) if ch.isalnum())


def _punctuated_phrase(table, candidates: np.ndarray, joined: str) -> tuple[np.ndarray, np.ndarray]:
    """Of ``candidates`` (records holding every word), those whose title, or else text, holds the
    phrase once punctuation is ignored: (title positions, text positions), best keys first."""
    phrase = _bare(joined)
    if not len(candidates) or len(phrase) < 3:
        return doctable.EMPTY, doctable.EMPTY
    chosen = np.sort(candidates)[::-1][:PUNCTUATED_CAP]
    key_of = {int(table.keys[p]): int(p) for p in chosen}
    record_of = dict(SearchDoc.objects.filter(key__in=list(key_of)).values_list("record_id", "key"))
    title_p, text_p = [], []
    for pk, title, summary, keywords, body in Record.objects.public().filter(pk__in=list(record_of)).values_list(
            "pk", "title", "summary", "keywords", "body"):
        pos = key_of[record_of[pk]]
        if phrase in _bare(title):
            title_p.append(pos)
        elif phrase in _bare(" ".join((summary, keywords, text.html_to_text(body)))):
            text_p.append(pos)

    def best_first(ps: list[int]) -> np.ndarray:
        # ascending positions, like every tier here (they are reversed to best first at the end)
        return np.sort(np.array(ps, dtype=doctable.EMPTY.dtype)) if ps else doctable.EMPTY

    return best_first(title_p), best_first(text_p)


def _minus(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Positions of ``a`` not in ``b`` (order of ``a`` kept)."""
    if not len(b) or not len(a):
        return a
    drop = np.zeros(n, dtype=bool)
    drop[b] = True
    return a[~drop[a]]


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
    """Other queries that do find something: single pieces, single words, or no filters."""
    backend = get_backend()
    table = doctable.get(backend.conn)
    allowed = table.allowed(filters)
    found: list[tuple[str, int]] = []
    seen = set()
    candidates: list[list[str]] = []
    if len(query.pieces) > 1:
        candidates += [[p] for p in query.pieces]
    if len(query.words) > 1:
        candidates += [[w] for w in query.words if len(w) > 1]
    for cand in candidates[:6]:
        label = " ".join(cand)
        if label in seen:
            continue
        seen.add(label)
        pos = table.locate(backend.match("all", cand))
        n = int(allowed[pos].sum()) if allowed is not None else len(pos)
        if n:
            found.append((label, n))
    return found


def today():
    return timezone.localdate()
