"""Public 政策问答 (/qa/). Every page starts from ``Answer.objects.public()``.

Each page carries schema.org ``FAQPage`` structured data (JSON-LD) for search engines.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from gongkai.core.models import Organ
from gongkai.records.models import Record, Topic

from ..models import Answer
from ..selectors import answers as sel
from ..selectors.answers import faq_jsonld


def qa_list(request):
    organ = None
    if request.GET.get("organ"):
        organ = Organ.objects.active().filter(code=request.GET["organ"]).first()
    topic = None
    if request.GET.get("topic"):
        topic = Topic.objects.filter(code=request.GET["topic"]).first()
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(sel.public_answers(organ=organ, topic=topic, q=q), 20).get_page(request.GET.get("page"))
    public = Answer.objects.public()
    organs = Organ.objects.active().filter(pk__in=public.values("organ")).order_by("path")
    topics = Topic.objects.filter(pk__in=public.values("topic")).order_by("order", "pk")
    return render(request, "participation/public/qa_list.html", {
        "page": page, "organ": organ, "topic": topic, "q": q, "organs": organs, "topics": topics,
        "jsonld": faq_jsonld(page.object_list, request) if page.object_list else "", "nav": "qa",
    })


def qa_detail(request, pk: int):
    answer = get_object_or_404(Answer.objects.public().select_related("organ", "topic"), pk=pk)
    bases = [(b, b.record) for b in answer.bases.select_related("record")]
    public_ids = set(Record.objects.public().filter(pk__in=[r.pk for _, r in bases]).values_list("pk", flat=True))
    return render(request, "participation/public/qa_detail.html", {
        "a": answer, "bases": [(b, r if r.pk in public_ids else None) for b, r in bases],
        "jsonld": faq_jsonld([answer], request), "nav": "qa",
    })
