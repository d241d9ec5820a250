"""The public search page and its JSON twin. Records come through Record.objects.public() only (see query._hits)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import SORTS, SearchForm
from .query import search

FACET_LABELS = {"organ_id": ("organ", "发布机构"), "genre_id": ("genre", "体裁"), "topic_id": ("topic", "主题分类"),
                "year": ("year", "年份"), "validity": ("validity", "有效性")}


def _run(request):
    form = SearchForm(request.GET)
    data = form.cleaned()
    result = search(data.get("q") or "", filters=form.filters(), sort=data.get("sort") or "relevance",
                    page=data.get("page") or 1)
    return form, result


@require_safe
def results(request):
    form, result = _run(request)
    facets = [(FACET_LABELS[name][0], FACET_LABELS[name][1], values) for name, values in result.facets.items() if values]
    return render(request, "search/results.html", {
        "form": form, "result": result, "q": form.cleaned().get("q") or "", "facets": facets, "sorts": SORTS,
        "pages": _page_window(result.page, result.num_pages),
    })


def _page_window(page: int, num_pages: int) -> list[int]:
    return list(range(max(1, page - 4), min(num_pages, page + 4) + 1))


@require_safe
def api(request):
    form, result = _run(request)

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

    return JsonResponse({
        "query": result.query.raw, "pieces": list(result.query.pieces), "words": list(result.query.words),
        "total": result.total, "exact_total": result.exact_total, "broadened": result.broadened, "page": result.page, "num_pages": result.num_pages,
        "per_page": result.per_page, "sort": result.sort, "docno": result.docno,
        "results": [hit_dict(h) for h in result.hits],
        "facets": {FACET_LABELS[name][0]: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                                           for v in values] for name, values in result.facets.items()},
        "suggestions": [{"query": q, "count": n} for q, n in result.suggestions],
        "did_you_mean": ({"query": result.did_you_mean[0], "count": result.did_you_mean[1]}
                         if result.did_you_mean else None),
    }, json_dumps_params={"ensure_ascii": False})


def _esc(value: str) -> str:
    from django.utils.html import escape

    return escape(value)
