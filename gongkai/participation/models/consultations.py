"""意见征集: consultations on drafts, the public's comments and the 意见采纳情况反馈."""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.records.models import Record


class ConsultationKind(models.TextChoices):
    REGULATION = "regulation", "规章草案"
    MAJOR_DECISION = "major_decision", "重大行政决策"
    NORMATIVE = "normative", "行政规范性文件"
    POLICY = "policy", "其他政策文件"


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已审核待发布"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "征集结束"
    WITHDRAWN = "withdrawn", "已撤回"


CONSULTATION_EDITABLE = (ConsultationStatus.DRAFT, ConsultationStatus.RETURNED)
CONSULTATION_VISIBLE = (ConsultationStatus.PUBLISHED, ConsultationStatus.CLOSED)


class ConsultationQuerySet(models.QuerySet):
    @staticmethod
    def public_q(now: dt.datetime | None = None) -> Q:
        """The one condition under which a consultation may reach the public."""
        return Q(
            status__in=CONSULTATION_VISIBLE,
            published_at__isnull=False,
            published_at__lte=now or timezone.now(),
            organ__is_active=True,
        )

    def public(self, now: dt.datetime | None = None):
        return self.filter(self.public_q(now))

    def not_public(self, now: dt.datetime | None = None):
        return self.exclude(self.public_q(now))

    def open_q(self, today: dt.date | None = None) -> Q:
        today = today or timezone.localdate()
        return Q(status=ConsultationStatus.PUBLISHED, starts_on__lte=today, ends_on__gte=today)

    def for_organs(self, organs):
        return self.filter(organ__in=organs)


class Consultation(models.Model):
    """A consultation on a draft (征求意见 / 重大行政决策预公开)."""

    organ = models.ForeignKey(Organ, verbose_name="征集机关", on_delete=models.PROTECT, related_name="consultations")
    kind = models.CharField("草案类型", max_length=20, choices=ConsultationKind.choices, default=ConsultationKind.POLICY,
                            help_text="规章草案和重大行政决策草案的征求意见期限一般不少于30日。")
    title = models.CharField("标题", max_length=300, help_text="例如“关于《××办法（征求意见稿）》公开征求意见的公告”。")
    purpose = models.TextField("征求意见事项及理由", help_text="要决定什么、为什么，写给公众看。")
    draft_text = models.TextField("草案全文", blank=True, help_text="可以粘贴草案文本；分条征求意见时请在下方添加条款。")
    explanation = models.TextField("起草说明", blank=True, help_text="起草背景、依据、过程和主要内容。")
    draft_record = models.ForeignKey(Record, verbose_name="草案信息", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="draft_consultations", help_text="草案已作为政府信息录入时选择它。")
    draft_file = models.FileField("草案附件", upload_to="consultations/drafts/%Y/%m/", blank=True, max_length=200)
    final_record = models.ForeignKey(Record, verbose_name="正式文件", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="source_consultations", help_text="决策后正式印发的文件。")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("截止日期", help_text="当天24时截止。")
    short_period_reason = models.TextField("期限少于30日的理由", blank=True)
    accepts_online = models.BooleanField("网上提交意见", default=True)
    channel_email = models.EmailField("电子邮箱", blank=True)
    channel_post = models.CharField("通信地址", max_length=200, blank=True)
    channel_other = models.TextField("其他方式", blank=True, help_text="例如座谈会、听证会的时间地点，或电话、传真。")
    allow_anonymous = models.BooleanField("允许匿名提交", default=False)
    show_comments = models.BooleanField("公开显示审核后的意见", default=True,
                                        help_text="勾选后，审核通过的意见（已去除个人信息）显示在征集页面。")
    status = models.CharField("状态", max_length=20, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.DRAFT, editable=False, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True, editable=False)
    withdrawal_reason = models.CharField("撤回原因", max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="consultation_public_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="consultation_period_order",
                                   violation_error_message="截止日期不能早于开始日期。"),
            models.CheckConstraint(
                condition=~Q(status=ConsultationStatus.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="consultation_withdrawal_needs_reason",
                violation_error_message="撤回必须写明原因。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:consultation", kwargs={"pk": self.pk})

    def is_open_on(self, today: dt.date) -> bool:
        return self.status == ConsultationStatus.PUBLISHED and self.starts_on <= today <= self.ends_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def period_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def public_phase(self) -> str:
        """征集中 / 未开始 / 已结束 / 已反馈, as the public list shows it."""
        if getattr(self, "feedback", None) is not None and self.feedback.status == FeedbackStatus.PUBLISHED:
            return "已反馈"
        today = timezone.localdate()
        if self.status == ConsultationStatus.PUBLISHED and today < self.starts_on:
            return "未开始"
        if self.is_open_on(today):
            return "征集中"
        return "已结束"


class ConsultationSection(models.Model):
    """An article or section of the draft the public can comment on separately."""

    consultation = models.ForeignKey(Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField("排序", default=0)
    heading = models.CharField("条款", max_length=100, help_text="例如“第三条”或“第二章 管理职责”。")
    text = models.TextField("条文", blank=True)

    class Meta:
        verbose_name = "草案条款"
        verbose_name_plural = "草案条款"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.heading


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    TEXT = "text", "填空"


class ConsultationQuestion(models.Model):
    """An optional questionnaire question (问卷调查)."""

    consultation = models.ForeignKey(Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField("排序", default=0)
    text = models.CharField("问题", max_length=300)
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    options = models.JSONField("选项", default=list, blank=True, help_text="单选、多选题的选项，每行一个。")
    required = models.BooleanField("必答", default=False)

    class Meta:
        verbose_name = "问卷问题"
        verbose_name_plural = "问卷问题"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class CommentModeration(models.TextChoices):
    PENDING = "pending", "待审核"
    SHOWN = "shown", "公开显示"
    NOT_SHOWN = "not_shown", "不公开显示"
    REJECTED = "rejected", "无效意见"


class Disposition(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "不予采纳"
    OUT_OF_SCOPE = "out_of_scope", "已有规定或不属于本次征求范围"


def comment_attachment_path(instance: Comment, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"consultations/comments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class CommentGroup(models.Model):
    """Comments on one topic, answered together (归类合并答复)."""

    consultation = models.ForeignKey(Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="groups")
    title = models.CharField("意见归类", max_length=200, help_text="概括这一类意见，例如“关于收费标准的意见”。")
    disposition = models.CharField("采纳情况", max_length=20, choices=Disposition.choices, blank=True)
    reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = "意见归类"
        verbose_name_plural = "意见归类"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A comment from the public; contact data stays private, the public sees ``public_text`` only."""

    consultation = models.ForeignKey(Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(ConsultationSection, verbose_name="针对条款", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="comments")
    receipt_code = models.CharField("查询码", max_length=16, unique=True, editable=False)
    name = models.CharField("姓名或单位", max_length=100, blank=True)
    is_anonymous = models.BooleanField("匿名", default=False)
    email = models.EmailField("电子邮箱", blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    body = models.TextField("意见内容")
    answers = models.JSONField("问卷回答", default=dict, blank=True)
    attachment = models.FileField("附件", upload_to=comment_attachment_path, blank=True, max_length=200)
    channel = models.CharField("提交方式", max_length=20, default="online",
                               choices=[("online", "网上提交"), ("email", "电子邮件"), ("post", "信函"), ("meeting", "座谈会、听证会")])
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, editable=False)
    moderation = models.CharField("审核", max_length=20, choices=CommentModeration.choices,
                                  default=CommentModeration.PENDING, editable=False, db_index=True)
    public_text = models.TextField("公开文本（已去除个人信息）", blank=True, editable=False)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", editable=False)
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    group = models.ForeignKey(CommentGroup, verbose_name="意见归类", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="comments")
    disposition = models.CharField("采纳情况", max_length=20, choices=Disposition.choices, blank=True, editable=False)
    disposition_reason = models.TextField("理由", blank=True, editable=False)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    disposed_at = models.DateTimeField("处理时间", null=True, blank=True, editable=False)
    notified_at = models.DateTimeField("反馈通知时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disposition="") | ~Q(disposition_reason=""),
                name="comment_disposition_needs_reason",
                violation_error_message="采纳情况必须写明理由。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.receipt_code}"

    @property
    def display_name(self) -> str:
        return "匿名" if self.is_anonymous or not self.name else self.name


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"


class ConsultationFeedback(models.Model):
    """意见采纳情况反馈: one per consultation, reviewed before it is published."""

    consultation = models.OneToOneField(Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="feedback")
    main_opinions = models.TextField("主要意见", blank=True, help_text="概括公众提出的主要意见。")
    changes = models.TextField("草案修改情况", blank=True, help_text="根据意见对草案作了哪些修改。")
    status = models.CharField("状态", max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.DRAFT,
                              editable=False)
    record = models.OneToOneField(Record, verbose_name="反馈信息", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="consultation_feedback", editable=False)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰写人", null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "意见采纳情况反馈"
        verbose_name_plural = "意见采纳情况反馈"

    def __str__(self) -> str:
        return f"{self.consultation}（采纳情况反馈）"


class ReviewTarget(models.TextChoices):
    CONSULTATION = "consultation", "意见征集"
    FEEDBACK = "feedback", "采纳情况反馈"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "同意公开"
    RETURNED = "returned", "退回修改"


class ConsultationReview(models.Model):
    """保密审查 of a consultation or of its feedback (一事一审; the author cannot approve)."""

    consultation = models.ForeignKey(Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="reviews")
    target = models.CharField("审查对象", max_length=20, choices=ReviewTarget.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("审核结论", max_length=20, choices=ReviewDecision.choices)
    opinion = models.TextField("保密审查意见")
    reviewed_at = models.DateTimeField("审核时间", default=timezone.now)

    class Meta:
        verbose_name = "意见征集保密审查"
        verbose_name_plural = "意见征集保密审查"
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.get_target_display()} · {self.get_decision_display()}"
