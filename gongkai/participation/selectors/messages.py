"""Reads of the message box: the staff inbox (sender data for the handling organ only),
the public door (/messages/), statistics per organ and the figures of a year.

Public search works like /qa/: normalised substring over the masked public texts
(``Message.search_text`` never contains the sender's private data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, organs_where

from ..models import Answer, Message, MessageKind, MessageStatus, Rating
from .answers import bigrams, filter_text, rank_by_overlap


def handling_organs(user) -> QuerySet[Organ]:
    """Organs whose messages (with the senders' data) the user may see: handlers and reviewers there."""
    ids = set(organs_where(user, Perm.MESSAGE_HANDLE).values_list("pk", flat=True))
    ids.update(organs_where(user, Perm.MESSAGE_REVIEW).values_list("pk", flat=True))
    return Organ.objects.filter(pk__in=ids)


def visible_messages(user) -> QuerySet[Message]:
    return Message.objects.filter(organ__in=handling_organs(user))


INBOX_FLAGS = {"overdue": "已逾期", "soon": "即将到期", "review": "答复待审核", "mine": "分配给我", "unassigned": "未分配"}


def inbox(user, *, today: dt.date, soon: dt.date, organ: Organ | None = None, status: str = "", kind: str = "",
          flag: str = "", q: str = "") -> QuerySet[Message]:
    qs = visible_messages(user).select_related("organ", "handler")
    if organ is not None:
        qs = qs.filter(organ=organ)
    if status == "open":
        qs = qs.open()
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if flag == "overdue":
        qs = qs.overdue(today)
    elif flag == "soon":
        qs = qs.due_soon(today, soon)
    elif flag == "review":
        qs = qs.filter(status=MessageStatus.REPLY_SUBMITTED)
    elif flag == "mine":
        qs = qs.filter(handler=user)
    elif flag == "unassigned":
        qs = qs.open().filter(handler__isnull=True)
    if q:
        q = q.strip()
        qs = qs.filter(Q(receipt_code__iexact=q) | Q(subject__icontains=q) | Q(body__icontains=q))
    return qs.order_by("due_on", "submitted_at", "pk") if status == "open" or flag else qs.order_by("-submitted_at", "-pk")


def public_messages(*, organ: Organ | None = None, kind: str = "", q: str = "") -> QuerySet[Message]:
    qs = Message.objects.public().select_related("organ")
    if organ is not None:
        qs = qs.filter(organ=organ)
    if kind in MessageKind.values:
        qs = qs.filter(kind=kind)
    return filter_text(qs, q).order_by("-replied_at", "-pk")


def suggest_messages(text: str, *, limit: int = 3) -> list[Message]:
    grams = bigrams(text)[:12]
    if not grams or len(grams[0]) < 2:
        return []
    cond = Q()
    for g in grams:
        cond |= Q(search_text__contains=g)
    return rank_by_overlap(Message.objects.public().filter(cond).order_by("-replied_at")[:200], text, limit=limit)


def suggestions(text: str, *, organ: Organ | None = None) -> dict[str, list]:
    from .answers import suggest_answers

    return {"answers": suggest_answers(text, organ=organ), "messages": suggest_messages(text)}


@dataclass(frozen=True)
class MessageStats:
    organ: Organ | None
    received: int
    replied: int
    on_time: int
    avg_workdays: float | None
    rated: int
    satisfied: int
    basically: int
    dissatisfied: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None

    @property
    def satisfaction_rate(self) -> float | None:
        """满意 and 基本满意 among the rated replies."""
        return (self.satisfied + self.basically) / self.rated if self.rated else None

    def sentence(self) -> str:
        """The figures as a sentence the annual report can cite (percentages rounded to one decimal)."""
        text = f"全年通过平台收到网民留言{self.received}件，已答复{self.replied}件"
        if self.replied:
            text += f"，其中按期答复{self.on_time}件（按期答复率{_percent(self.on_time_rate)}）"
            if self.avg_workdays is not None:
                text += f"，平均用时{self.avg_workdays:.1f}个工作日"
        if self.rated:
            text += (f"；留言人评价{self.rated}件，满意{self.satisfied}件、基本满意{self.basically}件、"
                     f"不满意{self.dissatisfied}件，满意率{_percent(self.satisfaction_rate)}")
        return text + "。"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _aggregate(qs: QuerySet[Message]) -> dict:
    return qs.aggregate(
        received=Count("pk"),
        replied=Count("pk", filter=Q(replied_at__isnull=False)),
        on_time=Count("pk", filter=Q(replied_at__isnull=False, replied_on_time=True)),
        avg_workdays=Avg("reply_workdays", filter=Q(replied_at__isnull=False)),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        basically=Count("pk", filter=Q(rating=Rating.BASICALLY)),
        dissatisfied=Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
    )


def _period(qs: QuerySet[Message], start: dt.date | None, end: dt.date | None) -> QuerySet[Message]:
    """Messages received in [start, end] (by the day they were sent); rejected ones are not counted."""
    qs = qs.exclude(status=MessageStatus.REJECTED)
    if start:
        qs = qs.filter(submitted_at__date__gte=start)
    if end:
        qs = qs.filter(submitted_at__date__lte=end)
    return qs


def message_stats(*, organ: Organ | None = None, start: dt.date | None = None,
                  end: dt.date | None = None, organs=None) -> MessageStats:
    """Figures of one organ (or ``organs`` together, or all) over a period. Counts only; nothing about any sender."""
    qs = Message.objects.all() if organ is None else Message.objects.filter(organ=organ)
    if organs is not None:
        qs = qs.filter(organ__in=organs)
    data = _aggregate(_period(qs, start, end))
    return MessageStats(organ=organ, **{k: (v or 0) if k != "avg_workdays" else v for k, v in data.items()})


def message_stats_by_organ(*, start: dt.date | None = None, end: dt.date | None = None,
                           organs: QuerySet[Organ] | None = None) -> list[MessageStats]:
    """One row per active organ that received messages in the period."""
    qs = _period(Message.objects.filter(organ__is_active=True), start, end)
    if organs is not None:
        qs = qs.filter(organ__in=organs)
    ids = list(qs.order_by().values_list("organ_id", flat=True).distinct())
    by_id = Organ.objects.in_bulk(ids)
    rows = [message_stats(organ=by_id[i], start=start, end=end) for i in ids if i in by_id]
    return sorted(rows, key=lambda r: r.organ.path)


def message_year_figures(*, organ: Organ | None = None, year: int, organs=None) -> MessageStats:
    """The message figures an annual report cites: received in ``year`` (by ``organ`` or by ``organs``
    together) and what became of them."""
    return message_stats(organ=organ, organs=organs, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def answer_count(organ: Organ) -> int:
    return Answer.objects.public().filter(organ=organ).count()
