"""Reads of meetings, the decision catalog and the concerns ledger; public ones start from ``public()``."""

from __future__ import annotations

from django.utils import timezone

from gongkai.records.models import Record
from gongkai.search.text import normalize

from ..models import (
    Concern,
    ConcernStatus,
    Consultation,
    DecisionCatalog,
    Meeting,
    Registration,
    response_genre_q,
)


def public_meetings(*, when: str = "", organ=None, kind: str = "", q: str = ""):
    """Public meetings; ``q`` matches title, topics, place and decisions by normalised substring
    (the same rule as the consultation search, see selectors/consultations.py)."""
    qs = Meeting.objects.public().select_related("organ")
    needle = normalize(q or "")
    if needle:
        rows = qs.values_list("pk", "title", "topics", "place", "decisions")
        qs = qs.filter(pk__in=[pk for pk, *texts in rows if needle in normalize(" ".join(texts))])
    now = timezone.now()
    if organ is not None:
        qs = qs.filter(organ=organ)
    if kind:
        qs = qs.filter(kind=kind)
    if when == "upcoming":
        qs = qs.filter(starts_at__gte=now).order_by("starts_at")
    elif when == "past":
        qs = qs.filter(starts_at__lt=now)
    return qs


def public_meeting(pk: int) -> Meeting | None:
    return Meeting.objects.public().select_related("organ", "minutes_record", "consultation").filter(pk=pk).first()


def public_linked(meeting: Meeting) -> dict:
    """The records and consultation a meeting page may link to, each through its own door."""
    return {
        "minutes": Record.objects.public().filter(pk=meeting.minutes_record_id).first()
        if meeting.minutes_record_id else None,
        "consultation": Consultation.objects.public().filter(pk=meeting.consultation_id).first()
        if meeting.consultation_id else None,
    }


def registration_by_code(code: str, phone_tail: str) -> Registration | None:
    """An application to attend, found with its receipt code and the last four digits of its phone."""
    code = (code or "").strip().upper()
    tail = (phone_tail or "").strip()
    if not code or len(tail) < 4:
        return None
    r = (Registration.objects.select_related("meeting__organ")
         .filter(receipt_code=code, meeting__in=Meeting.objects.public()).first())
    return r if r is not None and r.phone.endswith(tail) else None


def public_catalogs():
    return DecisionCatalog.objects.public().select_related("organ")


def public_catalog(pk: int) -> DecisionCatalog | None:
    return DecisionCatalog.objects.public().select_related("organ").filter(pk=pk).first()


def public_catalog_items(catalog: DecisionCatalog) -> list:
    """Items with only their public links (a consultation or record not public shows as no link)."""
    items = list(catalog.items.select_related("lead_organ", "consultation", "final_record"))
    public_consultations = set(Consultation.objects.public().filter(
        pk__in=[i.consultation_id for i in items if i.consultation_id]).values_list("pk", flat=True))
    public_records = set(Record.objects.public().filter(
        pk__in=[i.final_record_id for i in items if i.final_record_id]).values_list("pk", flat=True))
    for item in items:
        item.public_consultation = item.consultation if item.consultation_id in public_consultations else None
        item.public_record = item.final_record if item.final_record_id in public_records else None
    return items


def concerns_for(organs, *, status: str = ""):
    qs = Concern.objects.filter(organ__in=organs).select_related("organ", "response_record")
    if status == "overdue":
        return qs.overdue()
    if status in ConcernStatus.values:
        qs = qs.filter(status=status)
    return qs


def concern_response_records(organs, *, limit: int = 200):
    """What the concerns ledger offers as a response: public records of the organs in a response genre
    (回应关切, 政策解读, 新闻发布会), newest first."""
    return (Record.objects.public().filter(response_genre_q(), organ__in=organs).select_related("genre")
            .order_by("-published_at", "-pk")[:limit])
