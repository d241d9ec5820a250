"""Public pages. Every record shown here comes through Record.objects.public()."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from gongkai.core.models import Organ
from gongkai.records import selectors
from gongkai.records.models import Attachment, CatalogEntry, Record, Status


@require_safe
def home(request):
    organs = Organ.objects.active().filter(parent=None).prefetch_related("children")
    latest = selectors.public_records().select_related("organ", "genre")[:10]
    return render(request, "portal/home.html", {"organs": organs, "latest": latest})


@require_safe
def organ(request, code: str):
    organ = get_object_or_404(Organ.objects.active(), code=code)
    records = selectors.public_records().filter(organ=organ).select_related("genre")
    page = Paginator(records, 20).get_page(request.GET.get("page"))
    return render(request, "portal/organ.html", {"organ": organ, "page": page})


@require_safe
def catalog_entry(request, pk: int):
    entry = get_object_or_404(CatalogEntry.objects.select_related("catalog__organ"), pk=pk)
    organ = entry.catalog.organ
    if organ is None or not organ.is_active:
        raise Http404
    records = selectors.public_records().filter(catalog_entries=entry).select_related("genre")
    page = Paginator(records, 20).get_page(request.GET.get("page"))
    return render(request, "portal/catalog_entry.html", {"organ": organ, "entry": entry, "page": page})


@require_safe
def record(request, pk: int):
    try:
        rec = selectors.public_records().select_related("organ", "genre", "topic", "interprets", "superseded_by").get(pk=pk)
    except Record.DoesNotExist:
        withdrawn = Record.objects.filter(pk=pk, status=Status.WITHDRAWN, organ__is_active=True).only(
            "pk", "title", "withdrawn_at", "withdrawal_reason", "index_no", "organ"
        ).first()
        if withdrawn is not None and withdrawn.attribute == "proactive":
            return render(request, "portal/withdrawn.html", {"record": withdrawn}, status=410)
        raise Http404 from None
    context = {
        "record": rec,
        "attachments": rec.attachments.filter(withheld=False),
        "withheld_attachments": rec.attachments.filter(withheld=True),
        "interpretations": selectors.public_records().filter(interprets=rec),
        "interprets": selectors.public_records().filter(pk=rec.interprets_id).first() if rec.interprets_id else None,
        "superseded_by": selectors.public_records().filter(pk=rec.superseded_by_id).first() if rec.superseded_by_id else None,
        "supersedes": selectors.public_records().filter(superseded_by=rec),
        "issuers": rec.issuers.all(),
    }
    return render(request, "portal/record.html", context)


@require_safe
def attachment(request, pk: int):
    att = get_object_or_404(
        Attachment.objects.filter(withheld=False, record__in=selectors.public_records()), pk=pk
    )
    response = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def error_403(request, exception=None):
    return render(request, "403.html", {"message": str(exception) if exception else ""}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
