"""口径库 / 政策问答: approved answers that staff reuse and the public reads at /qa/."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.records.models import Record, Topic


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    USABLE = "usable", "已审核可用"
    FLAGGED = "flagged", "待复核（依据已变化）"
    RETIRED = "retired", "已停用"


ANSWER_EDITABLE = (AnswerStatus.DRAFT, AnswerStatus.RETURNED, AnswerStatus.FLAGGED)


class AnswerQuerySet(models.QuerySet):
    @staticmethod
    def usable_q(today: dt.date | None = None) -> Q:
        """Reviewed, not flagged, within its validity: what staff may insert into a reply."""
        today = today or timezone.localdate()
        return (
            Q(status=AnswerStatus.USABLE)
            & (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
            & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        )

    @classmethod
    def public_q(cls, today: dt.date | None = None) -> Q:
        """The one condition under which an entry may reach the public (/qa/, record pages, sitemap)."""
        return cls.usable_q(today) & Q(is_public=True, organ__is_active=True)

    def usable(self, today: dt.date | None = None):
        return self.filter(self.usable_q(today))

    def public(self, today: dt.date | None = None):
        return self.filter(self.public_q(today))

    def not_public(self, today: dt.date | None = None):
        return self.exclude(self.public_q(today))

    def for_organs(self, organs):
        return self.filter(organ__in=organs)


class Answer(models.Model):
    """An entry of the 口径库: a question, its approved answer and the policy it rests on."""

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.PROTECT, related_name="answers",
                              help_text="负责这条口径的机关。")
    question = models.CharField("问题", max_length=300, help_text="用群众的话写，例如“公积金贷款最多能贷多少？”。")
    phrasings = models.TextField("其他问法", blank=True, help_text="同一个问题的其他说法，每行一个，便于检索和推荐。")
    answer = models.TextField("答复口径", help_text="经审核后统一对外的答复；可直接插入留言答复。")
    topic = models.ForeignKey(Topic, verbose_name="主题分类", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="answers")
    audience = models.CharField("涉及人群", max_length=200, blank=True, help_text="例如“灵活就业人员”“新市民”。")
    valid_from = models.DateField("有效期自", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="到期后不再推荐和公开。")
    is_public = models.BooleanField("在政策问答中公开", default=True,
                                    help_text="不勾选时只作为内部口径，供工作人员答复时使用。")
    basis_records = models.ManyToManyField(Record, verbose_name="政策依据", through="AnswerBasis", blank=True,
                                           related_name="answers")
    status = models.CharField("状态", max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT,
                              editable=False, db_index=True)
    flag_reason = models.CharField("待复核原因", max_length=300, blank=True, editable=False)
    search_text = models.TextField("检索文本", blank=True, editable=False,
                                   help_text="问题、其他问法和答复的规范化文本（子串检索）。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    last_edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True,
                                       on_delete=models.PROTECT, related_name="+", editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    review_comment = models.TextField("审核意见", blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "口径库条目"
        verbose_name_plural = "口径库"
        ordering = ["organ", "question", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="answer_validity_order",
                violation_error_message="有效期截止日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=~Q(status=AnswerStatus.FLAGGED) | ~Q(flag_reason=""),
                name="answer_flag_needs_reason",
                violation_error_message="待复核的口径必须写明原因。",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("participation:qa_detail", kwargs={"pk": self.pk})

    def phrasing_list(self) -> list[str]:
        return [line.strip() for line in self.phrasings.splitlines() if line.strip()]


class AnswerBasis(models.Model):
    """One policy an answer rests on: a record and, optionally, the article (条款)."""

    answer = models.ForeignKey(Answer, verbose_name="口径", on_delete=models.CASCADE, related_name="bases")
    record = models.ForeignKey(Record, verbose_name="依据文件", on_delete=models.PROTECT, related_name="answer_bases")
    article = models.CharField("条款", max_length=100, blank=True, help_text="例如“第十二条第二款”。")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "口径依据"
        verbose_name_plural = "口径依据"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["answer", "record", "article"], name="answer_basis_unique")]

    def __str__(self) -> str:
        return f"{self.record}{self.article}"
