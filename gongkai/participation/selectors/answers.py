"""Reads of the 口径库: the public door (/qa/, record pages), staff search, suggestions.

Search is by normalised substring (``gongkai.search.text.normalize`` of question,
phrasings and answer, stored in ``Answer.search_text``): every entry whose text
contains the query's words is found — 100% recall against substring search by
construction. The tables are small (hundreds to a few thousand entries per
installation), so a ``LIKE`` scan is fast enough and needs no index of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db.models import Case, Q, QuerySet, When
from django.utils.html import strip_tags

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, organs_where
from gongkai.records.models import Record, Topic
from gongkai.search.text import normalize

from ..models import Answer
from ..models.answers import AnswerQuerySet


def query_terms(q: str) -> list[str]:
    """The words of a query, each normalised; a whitespace-separated query must match every word."""
    return [t for t in (normalize(part) for part in (q or "").split()) if t][:10]


def filter_text(qs: QuerySet, q: str, field: str = "search_text") -> QuerySet:
    for term in query_terms(q):
        qs = qs.filter(**{f"{field}__contains": term})
    return qs


def public_answers(*, organ: Organ | None = None, topic: Topic | None = None, q: str = "") -> QuerySet[Answer]:
    """/qa/: with a query, through the site search (same pieces, same recall guarantee and tiers, best first)."""
    qs = Answer.objects.public().select_related("organ", "topic")
    if organ is not None:
        qs = qs.filter(organ=organ)
    if topic is not None:
        qs = qs.filter(topic=topic)
    if not query_terms(q):
        return qs.order_by("organ__path", "question", "pk")
    from gongkai.search.items import item_ids_matching

    from ..search_index import QA

    ids = item_ids_matching(QA, q)
    return qs.filter(pk__in=ids).order_by(Case(*[When(pk=pk, then=n) for n, pk in enumerate(ids)], default=len(ids)), "pk")


def answers_for_record(record: Record) -> QuerySet[Answer]:
    """The public Q&A entries based on ``record`` (shown on the record's page)."""
    return Answer.objects.public().filter(bases__record=record).distinct().order_by("question", "pk")


def answer_organs(user) -> QuerySet[Organ]:
    """Organs whose 口径库 the user may read: where they draft, review or handle messages."""
    ids: set[int] = set()
    for perm in (Perm.ANSWER_DRAFT, Perm.ANSWER_REVIEW, Perm.MESSAGE_HANDLE, Perm.APPLICATION_HANDLE):
        ids.update(organs_where(user, perm).values_list("pk", flat=True))
    return Organ.objects.filter(pk__in=ids)


def staff_answers(user, *, q: str = "", organ: Organ | None = None, status: str = "") -> QuerySet[Answer]:
    qs = Answer.objects.filter(organ__in=answer_organs(user)).select_related("organ", "topic")
    if organ is not None:
        qs = qs.filter(organ=organ)
    if status:
        qs = qs.filter(status=status)
    return filter_text(qs, q).order_by("status", "question", "pk")


def insertable_answers(user, *, q: str = "", organ: Organ | None = None) -> QuerySet[Answer]:
    """Usable entries a handler may insert into a reply: their organs' and every public one."""
    qs = Answer.objects.usable().filter(Q(organ__in=answer_organs(user)) | AnswerQuerySet.public_q())
    if organ is not None:
        qs = qs.filter(Q(organ=organ) | AnswerQuerySet.public_q())
    return filter_text(qs.select_related("organ"), q).order_by("question", "pk")


def bigrams(text: str) -> list[str]:
    norm = normalize(text)
    if len(norm) < 2:
        return [norm] if norm else []
    seen: dict[str, None] = {}
    for i in range(len(norm) - 1):
        seen.setdefault(norm[i:i + 2], None)
    return list(seen)


def rank_by_overlap(candidates: Iterable, text: str, *, limit: int, minimum: float = 0.3) -> list:
    """Candidates (with ``search_text``) ordered by the share of the text's bigrams they contain."""
    grams = bigrams(text)
    if not grams:
        return []
    scored = []
    for c in candidates:
        hits = sum(1 for g in grams if g in c.search_text)
        share = hits / len(grams)
        if share >= minimum:
            scored.append((-share, c.pk, c))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in scored[:limit]]


def suggest_answers(text: str, *, organ: Organ | None = None, limit: int = 5) -> list[Answer]:
    """Public Q&A entries that may already answer what someone is typing (for the message form)."""
    grams = bigrams(text)[:12]
    if len(normalize(text)) < 2:
        return []
    cond = Q()
    for g in grams:
        cond |= Q(search_text__contains=g)
    qs = Answer.objects.public().filter(cond).select_related("organ").order_by("pk")
    ranked = rank_by_overlap(qs[:200], text, limit=limit * 2)
    if organ is not None:  # the organ's own entries first; the ranking is kept within each group
        ranked.sort(key=lambda a: a.organ_id != organ.pk)
    return ranked[:limit]


def faq_jsonld(answers, request) -> str:
    """schema.org FAQPage for the entries shown (escaped for a <script> element)."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": a.question,
                "url": request.build_absolute_uri(a.get_absolute_url()),
                "acceptedAnswer": {"@type": "Answer", "text": strip_tags(a.answer)},
            }
            for a in answers
        ],
    }
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
