"""Reads of consultations. Everything the public sees starts from ``Consultation.objects.public()``.

Search: the site's search engine indexes records only. Consultations are a small table
(tens to hundreds a year per installation), so the public search here compares the
query with each public consultation's title, purpose and draft text in the search
engine's own normal form (``gongkai.search.text.normalize``: NFKC, lower case, no white
space) by substring — 100% recall against substring search by construction, and the
same matching rule the record search promises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import strip_tags

from gongkai.records.models import Record
from gongkai.search.text import normalize

from ..models import (
    Comment,
    CommentModeration,
    Consultation,
    ConsultationFeedback,
    ConsultationStatus,
    Disposition,
    FeedbackStatus,
)

PHASES = {"open": "征集中", "closed": "已结束", "feedback": "已反馈"}


def public_consultations(*, phase: str = "", organ=None, q: str = "", today: dt.date | None = None):
    """Public consultations, newest first, filtered by phase (open / closed / feedback), organ and query."""
    today = today or timezone.localdate()
    qs = Consultation.objects.public().select_related("organ", "feedback").order_by("-starts_on", "-id")
    if organ is not None:
        qs = qs.filter(organ=organ)
    feedback_q = Q(feedback__status=FeedbackStatus.PUBLISHED)
    if phase == "open":
        qs = qs.filter(status=ConsultationStatus.PUBLISHED, starts_on__lte=today, ends_on__gte=today)
    elif phase == "closed":
        qs = qs.filter(Q(status=ConsultationStatus.CLOSED) | Q(ends_on__lt=today)).exclude(feedback_q)
    elif phase == "feedback":
        qs = qs.filter(feedback_q)
    needle = normalize(q or "")
    if needle:
        rows = qs.values_list("pk", "title", "purpose", "draft_text", "explanation")
        ids = [pk for pk, title, purpose, draft, explanation in rows
               if needle in normalize(" ".join((title, purpose, strip_tags(draft), strip_tags(explanation))))]
        qs = qs.filter(pk__in=ids)
    return qs


def public_consultation(pk: int) -> Consultation | None:
    return Consultation.objects.public().select_related("organ", "final_record", "draft_record").filter(pk=pk).first()


def public_feedback(consultation: Consultation) -> ConsultationFeedback | None:
    feedback = getattr(consultation, "feedback", None)
    if feedback is not None and feedback.status == FeedbackStatus.PUBLISHED:
        return feedback
    return None


def public_comments(consultation: Consultation):
    """Moderated comments shown on the page (masked text only), if the office shows comments at all."""
    if not consultation.show_comments:
        return Comment.objects.none()
    return consultation.comments.filter(moderation=CommentModeration.SHOWN).select_related("section")


def public_record(record: Record | None) -> Record | None:
    if record is None:
        return None
    return Record.objects.public().filter(pk=record.pk).first()


def comment_by_receipt(code: str) -> Comment | None:
    """The comment a receipt code names, if its consultation is still public."""
    code = (code or "").strip().upper().replace(" ", "")
    if not code:
        return None
    return (Comment.objects.select_related("consultation__organ", "section", "consultation__feedback")
            .filter(receipt_code=code, consultation__in=Consultation.objects.public()).first())


# -- staff --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganDashboard:
    open: list[Consultation]
    awaiting_moderation: int
    overdue_feedback: list[Consultation]
    drafts: list[Consultation]
    closed: list[Consultation]


def feedback_overdue_q(today: dt.date) -> Q:
    """Period over without published feedback (counted from the day after the end)."""
    return (Q(status__in=[ConsultationStatus.PUBLISHED, ConsultationStatus.CLOSED], ends_on__lt=today)
            & ~Q(feedback__status=FeedbackStatus.PUBLISHED))


def consultations_without_feedback(*, organs, today: dt.date | None = None, grace_days: int = 0):
    """Consultations whose period ended more than ``grace_days`` ago with no published feedback."""
    today = today or timezone.localdate()
    return (Consultation.objects.filter(organ__in=organs)
            .filter(feedback_overdue_q(today - dt.timedelta(days=grace_days)))
            .select_related("organ").order_by("ends_on"))


def dashboard(*, organs, today: dt.date | None = None) -> OrganDashboard:
    today = today or timezone.localdate()
    qs = Consultation.objects.filter(organ__in=organs).select_related("organ").annotate(
        n_comments=Count("comments"),
        n_pending=Count("comments", filter=Q(comments__moderation=CommentModeration.PENDING)),
    )
    return OrganDashboard(
        open=list(qs.filter(status=ConsultationStatus.PUBLISHED, ends_on__gte=today).order_by("ends_on")),
        awaiting_moderation=Comment.objects.filter(consultation__organ__in=organs,
                                                   moderation=CommentModeration.PENDING).count(),
        overdue_feedback=list(qs.filter(feedback_overdue_q(today)).order_by("ends_on")),
        drafts=list(qs.filter(status__in=[ConsultationStatus.DRAFT, ConsultationStatus.RETURNED,
                                          ConsultationStatus.SUBMITTED, ConsultationStatus.APPROVED])
                    .order_by("-updated_at")),
        closed=list(qs.filter(status=ConsultationStatus.CLOSED).order_by("-ends_on")[:50]),
    )


# -- figures for the annual report ----------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationFigures:
    consultations: int
    comments: int
    adopted: int
    partly_adopted: int
    feedback_published: int

    def sentence(self) -> str:
        """The sentence section 一 of the annual report can cite."""
        return (f"全年公开征求意见{self.consultations}次，收到意见{self.comments}条，"
                f"采纳{self.adopted}条、部分采纳{self.partly_adopted}条，"
                f"发布意见采纳情况反馈{self.feedback_published}篇。")


def participation_figures(*, organs, year: int) -> ParticipationFigures:
    """Consultations opened in ``year`` by ``organs`` that reached the public, and their comments."""
    held = Consultation.objects.public().filter(organ__in=organs, starts_on__year=year)
    comments = Comment.objects.filter(consultation__in=held).exclude(moderation=CommentModeration.REJECTED)
    return ParticipationFigures(
        consultations=held.count(),
        comments=comments.count(),
        adopted=comments.filter(disposition=Disposition.ADOPTED).count(),
        partly_adopted=comments.filter(disposition=Disposition.PARTLY).count(),
        feedback_published=held.filter(feedback__status=FeedbackStatus.PUBLISHED).count(),
    )


@dataclass(frozen=True)
class QuestionResult:
    text: str
    kind: str
    answered: int
    options: list[tuple[str, int]]  # (option, how many chose it), for choice questions
    texts: list[str]  # the free-text answers


def questionnaire_results(consultation: Consultation) -> list[QuestionResult]:
    """Counts per option of each questionnaire question, over the comments that are not invalid."""
    answers = list(consultation.comments.exclude(moderation=CommentModeration.REJECTED)
                   .values_list("answers", flat=True))
    results = []
    for q in consultation.questions.all():
        given = [a.get(str(q.pk)) for a in answers if a and a.get(str(q.pk))]
        chosen: list[str] = [v for g in given for v in (g if isinstance(g, list) else [g])]
        results.append(QuestionResult(
            text=q.text, kind=q.get_kind_display(), answered=len(given),
            options=[(o, chosen.count(o)) for o in q.options],
            texts=[str(g) for g in given] if not q.options else []))
    return results
