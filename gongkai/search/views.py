"""The public search page and its JSON twin. Records come through Record.objects.public() only (see query._hits);
participation items through their own apps' public doors (see items.search_items).

``kind`` chooses what is listed: "" (全部: records, and the first participation items beside them),
"record" (政府信息 only) or a registered item kind (意见征集, 会议活动, 留言答复, 政策问答).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import items
from .forms import Q_MAX, RECORDS, SORTS, SearchForm
from .query import search

FACET_LABELS = {"organ_id": ("organ", "发布机构"), "genre_id": ("genre", "体裁"), "topic_id": ("topic", "主题分类"),
                "year": ("year", "年份"), "validity": ("validity", "有效性")}


ITEMS_BESIDE = 5  # participation items shown beside the records on the 全部 tab


def _run(request):
    """(form, record result, item result, kind): the record search as before; items by their kind filter."""
    form = SearchForm(request.GET)
    data = form.cleaned()
    q, kind, filters = data.get("q") or "", form.chosen_kind(), form.filters()
    if kind in ("", RECORDS):
        result = search(q, filters=filters, sort=data.get("sort") or "relevance", page=data.get("page") or 1)
        item_result = None
        if not form.has_record_filters():  # 体裁, 主题, 年份, 有效性 are records' own: then records only
            item_result = items.search_items(result.query, organ_id=filters.organ_id, per_page=ITEMS_BESIDE)
    else:  # one participation kind: the record search is asked only for its count (the tab)
        result = search(q, filters=filters, per_page=1, with_facets=False, with_snippets=False)
        item_result = items.search_items(result.query, kind=kind, organ_id=filters.organ_id, page=data.get("page") or 1)
    return form, result, item_result, kind


def _tabs(result, item_result, kind) -> list[dict]:
    """The kind filter: 全部, 政府信息 and each participation kind, with counts."""
    counts = item_result.counts if item_result is not None else {}
    tabs = [{"value": "", "label": "全部", "count": result.total + sum(counts.values()), "selected": kind == ""},
            {"value": RECORDS, "label": "政府信息", "count": result.total, "selected": kind == RECORDS}]
    for k in items.kinds():
        tabs.append({"value": k.name, "label": k.label, "count": counts.get(k.name, 0), "selected": kind == k.name})
    return tabs


def records_shown(result) -> list[int]:
    """Every record a result page shows: its hits, the hits grouped under them and the interpretations
    linked under each (the page cache drops the page when one of them changes, see portal.cache)."""
    records: set[int] = set()
    for hit in result.hits:
        for h in (hit, *hit.grouped):
            records.add(h.record.pk)
            records.update(r.pk for r in h.interpretations)
    return sorted(records)


def shown(result, item_result) -> dict | None:
    """What a result page shows, as plain ids, when it shows participation items: the records (with their
    grouped interpretations and the interpretations linked under them) and the items by kind. A cache of
    result pages (portal.cache) asks the public doors about them again before it serves a stored page, so
    an item hidden behind the index's back is gone from the next search (the items' one-door promise).
    A page without items gives None: its records follow their keys in the page cache (``page_records``),
    and a stored copy is served without a database query."""
    if item_result is None or not item_result.hits:
        return None
    by_kind: dict[str, list[int]] = {}
    for hit in item_result.hits:
        by_kind.setdefault(hit.kind, []).append(hit.ref_id)
    return {"records": records_shown(result), "items": by_kind}


def _follow(response, result, item_result):
    """What the page cache needs to know of a result page (see portal.cache): the records it shows, and
    for a page with participation items what to ask the doors again before a stored copy is served."""
    response.page_records = records_shown(result)
    response.public_refs = shown(result, item_result)
    return response


@require_safe
def results(request):
    form, result, item_result, kind = _run(request)
    facets = [(FACET_LABELS[name][0], FACET_LABELS[name][1], values) for name, values in result.facets.items() if values]
    listed = item_result if kind not in ("", RECORDS) else result
    response = render(request, "search/results.html", {
        "form": form, "result": result, "q": form.cleaned().get("q") or "", "facets": facets, "sorts": SORTS,
        "pages": _page_window(listed.page, listed.num_pages), "items": item_result, "kind": kind,
        "item_kind": items.kind(kind), "tabs": _tabs(result, item_result, kind) if item_result is not None else [],
        "q_max": Q_MAX,
    })
    return _follow(response, result, item_result)


def _page_window(page: int, num_pages: int) -> list[int]:
    return list(range(max(1, page - 4), min(num_pages, page + 4) + 1))


def _item_dict(hit: items.ItemHit) -> dict:
    return {"kind": hit.kind, "kind_label": hit.kind_label, "id": hit.ref_id, "url": hit.url, "title": hit.title.text,
            "title_html": "".join(f"<mark>{_esc(t)}</mark>" if h else _esc(t) for t, h in hit.title.parts),
            "meta": hit.meta, "date": hit.date.isoformat(), "tier": hit.tier,
            "snippet": None if hit.snippet is None else {
                "text": hit.snippet.text, "highlights": [t for t, h in hit.snippet.parts if h],
                "html": "".join(f"<mark>{_esc(t)}</mark>" if h else _esc(t) for t, h in hit.snippet.parts)}}


@require_safe
def api(request):
    form, result, item_result, kind = _run(request)
    participation = None if item_result is None else {
        "kind": item_result.kind, "counts": item_result.counts, "total": item_result.total,
        "exact_total": item_result.exact_total, "page": item_result.page, "num_pages": item_result.num_pages,
        "per_page": item_result.per_page, "results": [_item_dict(h) for h in item_result.hits],
    }
    if kind not in ("", RECORDS):
        response = JsonResponse({"query": result.query.raw, "pieces": list(result.query.pieces), "kind": kind,
                                 "record_total": result.total, "participation": participation},
                                json_dumps_params={"ensure_ascii": False})
        return _follow(response, result, item_result)

    def snippet_dict(s):
        return None if s is None else {"text": s.text, "highlights": [t for t, hit in s.parts if hit],
                                       "html": "".join(f"<mark>{_esc(t)}</mark>" if hit else _esc(t) for t, hit in s.parts)}

    def hit_dict(hit):
        rec = hit.record
        return {
            "id": rec.pk, "url": rec.get_absolute_url(), "title": rec.title, "title_html": snippet_dict(hit.title)["html"],
            "doc_no": rec.doc_no, "index_no": rec.index_no, "organ": rec.organ.name, "genre": rec.genre.name,
            "topic": rec.topic.name if rec.topic_id else None,
            "published_at": rec.published_at.isoformat() if rec.published_at else None,
            "validity": rec.get_effective_validity_display(), "tier": hit.tier,
            "snippet": snippet_dict(hit.snippet), "snippet_source": hit.snippet_source,
            "interpretations": [{"id": r.pk, "title": r.title, "url": r.get_absolute_url()} for r in hit.interpretations],
            "grouped": [hit_dict(g) for g in hit.grouped],
        }

    response = JsonResponse({
        "query": result.query.raw, "pieces": list(result.query.pieces), "words": list(result.query.words),
        "total": result.total, "exact_total": result.exact_total, "broadened": result.broadened, "page": result.page, "num_pages": result.num_pages,
        "per_page": result.per_page, "sort": result.sort, "docno": result.docno,
        "results": [hit_dict(h) for h in result.hits],
        "facets": {FACET_LABELS[name][0]: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                                           for v in values] for name, values in result.facets.items()},
        "suggestions": [{"query": q, "count": n} for q, n in result.suggestions],
        "did_you_mean": ({"query": result.did_you_mean[0], "count": result.did_you_mean[1]}
                         if result.did_you_mean else None),
        "participation": participation,
    }, json_dumps_params={"ensure_ascii": False})
    return _follow(response, result, item_result)


def _esc(value: str) -> str:
    from django.utils.html import escape

    return escape(value)
