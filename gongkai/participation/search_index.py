"""Participation in the site search: what of each public item the search may hold, through its public door only.

Four kinds are registered with :mod:`gongkai.search.items` (search sits below
participation and never imports it): 意见征集 (``Consultation.objects.public()``),
会议活动 (``Meeting.objects.public()``), 留言 (``Message.objects.public()``, masked texts
and the approved, masked reply only; never the sender's name or contact) and 政策问答
(``Answer.objects.public()``: reviewed, not flagged, public, within its validity).
A model's ``post_save``/``post_delete`` re-syncs the item in the same transaction; the search asks
the same door again before it counts or shows an item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.search import items
from gongkai.search.items import ItemDoc, ItemKind
from gongkai.search.text import html_to_text

from .models import Answer, Consultation, ConsultationSection, Meeting, Message, MessageReply
from .models.messages import ReplyStatus

CONSULTATION, MEETING, MESSAGE, QA = "consultation", "meeting", "message", "qa"


def _lines(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _only(qs, ids: Sequence[int] | None):
    return qs if ids is None else qs.filter(pk__in=list(ids))


def consultation_docs(ids: Sequence[int] | None) -> Iterable[ItemDoc]:
    qs = _only(Consultation.objects.public(), ids).prefetch_related("sections").order_by("pk")
    for c in qs:
        sections = [f"{s.heading} {s.text}" for s in c.sections.all()]
        yield ItemDoc(ref_id=c.pk, title=c.title, url=c.get_absolute_url(), date=c.published_at, organ_id=c.organ_id,
                      body=_lines(c.purpose, html_to_text(c.explanation), html_to_text(c.draft_text), *sections),
                      meta=f"{c.get_kind_display()} · 征求意见期限 {c.starts_on:%Y年%-m月%-d日}至{c.ends_on:%Y年%-m月%-d日}")


def meeting_docs(ids: Sequence[int] | None) -> Iterable[ItemDoc]:
    for m in _only(Meeting.objects.public(), ids).order_by("pk"):
        local = timezone.localtime(m.starts_at)
        meta = f"{m.get_kind_display()} · {local:%Y年%-m月%-d日 %H:%M} · {m.place}"
        if m.status == "cancelled":
            meta += " · 已取消"
        yield ItemDoc(ref_id=m.pk, title=m.title, url=m.get_absolute_url(), date=m.published_at, organ_id=m.organ_id,
                      body=_lines(m.topics, m.how_to_apply if m.attendance_open else "", m.decisions), meta=meta)


def message_docs(ids: Sequence[int] | None) -> Iterable[ItemDoc]:
    qs = _only(Message.objects.public(), ids).order_by("pk").only(
        "pk", "organ_id", "kind", "public_subject", "public_body", "published_at", "replied_at")
    messages = list(qs)
    replies: dict[int, str] = {}
    for mid, body in (MessageReply.objects.filter(message__in=messages, status=ReplyStatus.APPROVED)
                      .order_by("message_id", "reviewed_at", "id").values_list("message_id", "public_body")):
        replies[mid] = body  # the latest approved reply wins, as Message.public_reply()
    for m in messages:
        reply = replies.get(m.pk, "")
        yield ItemDoc(ref_id=m.pk, title=m.public_subject, url=m.get_absolute_url(), date=m.published_at,
                      organ_id=m.organ_id, body=_lines(m.public_body, f"答复：{reply}" if reply else ""),
                      meta=m.get_kind_display())


def answer_docs(ids: Sequence[int] | None) -> Iterable[ItemDoc]:
    for a in _only(Answer.objects.public(), ids).select_related("topic").order_by("pk"):
        meta = " · ".join(x for x in (a.topic.name if a.topic_id else "", f"涉及：{a.audience}" if a.audience else "") if x)
        yield ItemDoc(ref_id=a.pk, title=a.question, url=a.get_absolute_url(), date=a.reviewed_at or a.updated_at,
                      organ_id=a.organ_id, body=_lines(a.answer, a.phrasings), meta=meta)


def _door(model):
    def public_ids(ids: Sequence[int]) -> Iterable[int]:
        return model.objects.public().filter(pk__in=list(ids)).values_list("pk", flat=True)

    return public_ids


def answer_dated_ids(today: dt.date) -> Iterable[int]:
    """Entries whose validity began or ended in the last week (the daily sweep is idempotent)."""
    week = today - dt.timedelta(days=7)
    return Answer.objects.filter(Q(valid_from__gt=week, valid_from__lte=today)
                                 | Q(valid_until__gte=week, valid_until__lt=today)).values_list("pk", flat=True)


KINDS = (
    ItemKind(CONSULTATION, "意见征集", 1, consultation_docs, _door(Consultation)),
    ItemKind(MEETING, "会议活动", 2, meeting_docs, _door(Meeting)),
    ItemKind(MESSAGE, "留言答复", 3, message_docs, _door(Message)),
    ItemKind(QA, "政策问答", 4, answer_docs, _door(Answer), dated_ids=answer_dated_ids),
)


# --- keeping the index current ------------------------------------------------------------------


def _saved(kind_name: str):
    def handler(sender, instance, **kwargs) -> None:
        items.item_sync_safely(kind_name, [instance.pk])

    return handler


def _section_saved(sender, instance, **kwargs) -> None:
    items.item_sync_safely(CONSULTATION, [instance.consultation_id])


def _reply_saved(sender, instance, **kwargs) -> None:
    items.item_sync_safely(MESSAGE, [instance.message_id])


def _organ_saved(sender, instance, **kwargs) -> None:
    """An organ deactivated (or active again) takes its items out of (or back into) the search."""
    for model, kind_name in ((Consultation, CONSULTATION), (Meeting, MEETING), (Message, MESSAGE), (Answer, QA)):
        ids = list(model.objects.filter(organ_id=instance.pk).values_list("pk", flat=True))
        if ids:
            items.item_sync_safely(kind_name, ids)


_HANDLERS = {kind_name: _saved(kind_name) for kind_name in (CONSULTATION, MEETING, MESSAGE, QA)}


def connect() -> None:
    """Register the kinds and follow their changes (called once from ``ParticipationConfig.ready``)."""
    for k in KINDS:
        items.register(k)
    for model, kind_name in ((Consultation, CONSULTATION), (Meeting, MEETING), (Message, MESSAGE), (Answer, QA)):
        post_save.connect(_HANDLERS[kind_name], sender=model, dispatch_uid=f"participation.search.{kind_name}")
        post_delete.connect(_HANDLERS[kind_name], sender=model, dispatch_uid=f"participation.search.{kind_name}.del")
    post_save.connect(_section_saved, sender=ConsultationSection, dispatch_uid="participation.search.section")
    post_delete.connect(_section_saved, sender=ConsultationSection, dispatch_uid="participation.search.section.del")
    post_save.connect(_reply_saved, sender=MessageReply, dispatch_uid="participation.search.reply")
    post_save.connect(_organ_saved, sender=Organ, dispatch_uid="participation.search.organ")
