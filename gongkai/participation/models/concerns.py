"""回应关切: the ledger of public concerns (舆情回应台账) and the 重大行政决策事项目录."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.records.models import Record


class ConcernSource(models.TextChoices):
    MESSAGE = "message", "留言信箱"
    HOTLINE = "hotline", "12345热线"
    MEDIA = "media", "媒体和网络舆情"
    CONSULTATION = "consultation", "意见征集"
    OTHER = "other", "其他"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "待回应"
    RESPONDED = "responded", "已回应"
    CLOSED = "closed", "无需回应"


# A concern is answered by a published record of genre 回应关切 or 政策解读, or a press-conference record
# (standard genres, records migrations 0002 and 0008); an office's own 政策解读 genre counts too.
RESPONSE_GENRE_CODES = ("response", "interpretation", "press_conference")
RESPONSE_GENRES_LABEL = "回应关切、政策解读或新闻发布会"


def response_genre_q(prefix: str = "") -> Q:
    """Records (or, with ``prefix="record__"``, rows pointing at one) whose genre may answer a concern."""
    return Q(**{f"{prefix}genre__code__in": RESPONSE_GENRE_CODES}) | Q(**{f"{prefix}genre__is_interpretation": True})


class ConcernQuerySet(models.QuerySet):
    def overdue(self, today: dt.date | None = None):
        return self.filter(status=ConcernStatus.OPEN, deadline__lt=today or timezone.localdate())


class Concern(models.Model):
    """One line of the 舆情回应台账 (internal: the ledger itself is never public; the response is)."""

    organ = models.ForeignKey(Organ, verbose_name="责任单位", on_delete=models.PROTECT, related_name="concerns")
    title = models.CharField("关切事项", max_length=200)
    description = models.TextField("具体情况", blank=True)
    source = models.CharField("来源", max_length=20, choices=ConcernSource.choices, default=ConcernSource.MEDIA)
    source_ref = models.CharField("来源说明", max_length=200, blank=True, help_text="例如工单号、媒体名称和报道日期。")
    received_on = models.DateField("发现日期", default=timezone.localdate)
    deadline = models.DateField("回应时限")
    status = models.CharField("状态", max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN,
                              editable=False, db_index=True)
    response_record = models.ForeignKey(Record, verbose_name="回应信息", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="answered_concerns",
                                        help_text=f"已发布的{RESPONSE_GENRES_LABEL}信息。")
    response_note = models.TextField("回应情况", blank=True, editable=False)
    responded_at = models.DateTimeField("回应时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = "回应关切台账"
        verbose_name_plural = "回应关切台账"
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("received_on")), name="concern_deadline_order",
                                   violation_error_message="回应时限不能早于发现日期。"),
            models.CheckConstraint(condition=Q(status="open") | ~Q(response_note=""), name="concern_done_needs_note",
                                   violation_error_message="回应或办结必须写明情况。"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, today: dt.date) -> bool:
        return self.status == ConcernStatus.OPEN and self.deadline < today


class CatalogStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已公布"


class DecisionCatalogQuerySet(models.QuerySet):
    @staticmethod
    def public_q() -> Q:
        return Q(status=CatalogStatus.PUBLISHED, published_at__isnull=False, organ__is_active=True)

    def public(self):
        return self.filter(self.public_q())


class DecisionCatalog(models.Model):
    """重大行政决策事项目录 of a government for one year."""

    organ = models.ForeignKey(Organ, verbose_name="决策机关", on_delete=models.PROTECT, related_name="decision_catalogs")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200, help_text="例如“保定市人民政府2026年度重大行政决策事项目录”。")
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=20, choices=CatalogStatus.choices, default=CatalogStatus.DRAFT,
                              editable=False)
    published_at = models.DateTimeField("公布时间", null=True, blank=True, editable=False)
    review_opinion = models.TextField("保密审查意见", blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = DecisionCatalogQuerySet.as_manager()

    class Meta:
        verbose_name = "重大行政决策事项目录"
        verbose_name_plural = "重大行政决策事项目录"
        ordering = ["-year", "organ__path"]
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="decision_catalog_one_per_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:decision_catalog", kwargs={"pk": self.pk})


class DecisionItemStatus(models.TextChoices):
    PLANNED = "planned", "拟决策"
    PRE_DISCLOSED = "pre_disclosed", "预公开"
    CONSULTING = "consulting", "征求意见中"
    DECIDED = "decided", "已决策"


class DecisionItem(models.Model):
    catalog = models.ForeignKey(DecisionCatalog, verbose_name="目录", on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField("序号", default=0)
    title = models.CharField("决策事项", max_length=300)
    lead_organ = models.ForeignKey(Organ, verbose_name="承办单位", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    basis = models.TextField("决策依据", blank=True)
    planned = models.CharField("计划完成时间", max_length=50, blank=True, help_text="例如“2026年第三季度”。")
    status = models.CharField("状态", max_length=20, choices=DecisionItemStatus.choices,
                              default=DecisionItemStatus.PLANNED)
    consultation = models.ForeignKey("participation.Consultation", verbose_name="意见征集", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="decision_items")
    final_record = models.ForeignKey(Record, verbose_name="决策文件", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="decision_items")

    class Meta:
        verbose_name = "重大行政决策事项"
        verbose_name_plural = "重大行政决策事项"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title
