"""留言 / 领导信箱: the public's messages to an organ, the staff's reviewed replies, ratings.

The sender's name, contact and address are private: only the staff of the organ
that handles the message see them (``gongkai.participation.selectors``). The
public reads a message through ``Message.objects.public()`` only, and only its
masked texts (``public_subject``, ``public_body``, ``MessageReply.public_body``).
"""

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

from .answers import Answer

SUBJECT_MAX = 100
BODY_MAX = 2000
DEFAULT_REPLY_WORKDAYS = 5
#: An open message whose deadline is at most this many working days away is 即将到期 (inbox flag, reminder).
DUE_SOON_WORKDAYS = 2


class MessageKind(models.TextChoices):
    CONSULT = "consult", "咨询"
    SUGGEST = "suggest", "建议"
    CORRECTION = "correction", "纠错"
    OTHER = "other", "其他"


class MessageStatus(models.TextChoices):
    RECEIVED = "received", "待办理"
    HANDLING = "handling", "办理中"
    REPLY_SUBMITTED = "reply_submitted", "答复待审核"
    REPLIED = "replied", "已答复"
    REOPENED = "reopened", "重新办理"
    REJECTED = "rejected", "不予受理"


OPEN_STATUSES = (MessageStatus.RECEIVED, MessageStatus.HANDLING, MessageStatus.REPLY_SUBMITTED, MessageStatus.REOPENED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class MessageQuerySet(models.QuerySet):
    @staticmethod
    def public_q() -> Q:
        """The one condition under which a message may reach the public (/messages/, sitemap, statistics page)."""
        return Q(status=MessageStatus.REPLIED, may_publish=True, is_published=True, hidden=False,
                 organ__is_active=True, published_at__isnull=False)

    def public(self):
        return self.filter(self.public_q())

    def not_public(self):
        return self.exclude(self.public_q())

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date):
        """Open messages whose reply deadline has passed."""
        return self.open().filter(due_on__lt=today)

    def due_soon(self, today: dt.date, until: dt.date):
        """Open messages due between ``today`` and ``until`` (both included)."""
        return self.open().filter(due_on__gte=today, due_on__lte=until)

    def for_organs(self, organs):
        return self.filter(organ__in=organs)


def message_attachment_path(instance: Message, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"messages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Message(models.Model):
    """A message from the public to an organ (咨询, 建议, 纠错, 其他)."""

    organ = models.ForeignKey(Organ, verbose_name="办理机关", on_delete=models.PROTECT, related_name="messages",
                              help_text="转办后为接办的机关。")
    kind = models.CharField("留言类型", max_length=20, choices=MessageKind.choices, default=MessageKind.CONSULT)
    subject = models.CharField("标题", max_length=SUBJECT_MAX)
    body = models.TextField("留言内容")
    attachment = models.FileField("附件", upload_to=message_attachment_path, blank=True, max_length=200)
    attachment_name = models.CharField("附件名称", max_length=200, blank=True)
    record = models.ForeignKey(Record, verbose_name="纠错的信息", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="messages")
    page_url = models.CharField("纠错的页面", max_length=300, blank=True)
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    may_publish = models.BooleanField("同意公开", default=False,
                                      help_text="同意后，答复后的留言（隐去个人信息）可在网站公开。")
    receipt_code = models.CharField("查询码", max_length=16, unique=True, editable=False)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField("留言时间", default=timezone.now, editable=False)
    received_on = models.DateField("受理日期", editable=False, help_text="转办后为接办机关收到之日，答复期限从此起算。")
    due_on = models.DateField("答复期限", null=True, blank=True, editable=False, db_index=True)
    due_provisional = models.BooleanField("期限暂定", default=False, editable=False)
    status = models.CharField("状态", max_length=20, choices=MessageStatus.choices, default=MessageStatus.RECEIVED,
                              editable=False, db_index=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", editable=False)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True, editable=False)
    replied_on_time = models.BooleanField("按期答复", null=True, editable=False)
    reply_workdays = models.PositiveSmallIntegerField("答复用时（工作日）", null=True, editable=False)
    rejection_reason = models.CharField("不予受理理由", max_length=300, blank=True, editable=False)
    is_published = models.BooleanField("公开", default=False, editable=False,
                                       help_text="答复审核时决定是否在网站公开（须留言人同意）。")
    hidden = models.BooleanField("已隐藏", default=False, editable=False)
    hidden_reason = models.CharField("隐藏原因", max_length=300, blank=True, editable=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True, editable=False)
    public_subject = models.CharField("公开标题", max_length=SUBJECT_MAX, blank=True, editable=False)
    public_body = models.TextField("公开内容（已去除个人信息）", blank=True, editable=False)
    search_text = models.TextField("检索文本", blank=True, editable=False)
    # The sender's latest rating (the one statistics count); every rating is in ``ratings`` (MessageRating).
    rating = models.CharField("评价", max_length=20, choices=Rating.choices, blank=True, editable=False)
    rating_reason = models.CharField("评价理由", max_length=500, blank=True, editable=False)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True, editable=False)
    reopened_count = models.PositiveSmallIntegerField("重新办理次数", default=0, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organ", "status"], name="message_organ_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rating=Rating.DISSATISFIED) | ~Q(rating_reason=""),
                name="message_dissatisfied_needs_reason",
                violation_error_message="不满意时必须写明理由。",
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.REJECTED) | ~Q(rejection_reason=""),
                name="message_rejection_needs_reason",
                violation_error_message="不予受理必须写明理由。",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(may_publish=True),
                name="message_published_needs_consent",
                violation_error_message="留言人未同意公开的留言不能公开。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_code} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("participation:message_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def public_reply(self) -> MessageReply | None:
        return self.replies.filter(status=ReplyStatus.APPROVED).order_by("-reviewed_at", "-id").first()

    def rating_due(self) -> bool:
        """Replied, and the sender has not rated this (latest approved) reply yet."""
        if self.status != MessageStatus.REPLIED:
            return False
        reply = self.public_reply()
        return reply is not None and not reply.ratings.exists()


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审核通过"


class MessageReply(models.Model):
    """A reply drafted by the handler, reviewed by another person before it is sent and published."""

    message = models.ForeignKey(Message, verbose_name="留言", on_delete=models.CASCADE, related_name="replies")
    body = models.TextField("答复内容")
    answers_used = models.ManyToManyField(Answer, verbose_name="引用的口径", blank=True, related_name="replies")
    status = models.CharField("状态", max_length=20, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT,
                              editable=False)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="拟稿人", on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    written_at = models.DateTimeField("拟稿时间", default=timezone.now, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    review_comment = models.TextField("审核意见", blank=True, editable=False)
    public_body = models.TextField("公开答复（已去除个人信息）", blank=True, editable=False)

    class Meta:
        verbose_name = "留言答复"
        verbose_name_plural = "留言答复"
        ordering = ["written_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["message"], condition=Q(status__in=["draft", "submitted", "returned"]),
                                    name="message_one_open_reply",
                                    violation_error_message="一条留言同时只能有一份待办的答复。"),
        ]

    def __str__(self) -> str:
        return f"{self.message.receipt_code} · {self.get_status_display()}"


class MessageTransfer(models.Model):
    """转办: the message went to another organ; the reason is shown to the sender."""

    message = models.ForeignKey(Message, verbose_name="留言", on_delete=models.CASCADE, related_name="transfers")
    from_organ = models.ForeignKey(Organ, verbose_name="转出机关", on_delete=models.PROTECT, related_name="+")
    to_organ = models.ForeignKey(Organ, verbose_name="接办机关", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("转办理由", max_length=300, help_text="会告知留言人。")
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="转办人", null=True,
                                       on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField("转办时间", default=timezone.now)

    class Meta:
        verbose_name = "留言转办"
        verbose_name_plural = "留言转办"
        ordering = ["transferred_at", "id"]

    def __str__(self) -> str:
        return f"{self.message.receipt_code}：{self.from_organ} → {self.to_organ}"


class ReplyDeadlineRule(models.Model):
    """How many working days an organ gives itself to reply, per message type (default 5)."""

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="message_deadlines")
    kind = models.CharField("留言类型", max_length=20, choices=MessageKind.choices, blank=True,
                            help_text="留空表示适用于所有类型。")
    workdays = models.PositiveSmallIntegerField("答复期限（工作日）", default=DEFAULT_REPLY_WORKDAYS)

    class Meta:
        verbose_name = "留言答复期限"
        verbose_name_plural = "留言答复期限"
        constraints = [
            models.UniqueConstraint(fields=["organ", "kind"], name="reply_deadline_unique"),
            models.CheckConstraint(condition=Q(workdays__gte=1, workdays__lte=60), name="reply_deadline_range",
                                   violation_error_message="答复期限应为1至60个工作日。"),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.get_kind_display() or '全部类型'} {self.workdays}个工作日"


class MessageRating(models.Model):
    """Every rating the sender gave (one per approved reply); the latest is the message's ``rating``."""

    message = models.ForeignKey(Message, verbose_name="留言", on_delete=models.CASCADE, related_name="ratings")
    reply = models.ForeignKey(MessageReply, verbose_name="评价的答复", null=True, on_delete=models.SET_NULL,
                              related_name="ratings")
    rating = models.CharField("评价", max_length=20, choices=Rating.choices)
    reason = models.CharField("评价理由", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = "留言评价"
        verbose_name_plural = "留言评价"
        ordering = ["rated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reply"], name="message_rating_once_per_reply",
                                    violation_error_message="每次答复只能评价一次。"),
            models.CheckConstraint(condition=~Q(rating=Rating.DISSATISFIED) | ~Q(reason=""),
                                   name="message_rating_dissatisfied_reason",
                                   violation_error_message="不满意时必须写明理由。"),
        ]

    def __str__(self) -> str:
        return f"{self.message.receipt_code} {self.get_rating_display()}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"


class MessageReminder(models.Model):
    """A reminder mail to the handling staff; one row per message, kind and deadline, so a rerun sends nothing."""

    message = models.ForeignKey(Message, verbose_name="留言", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("提醒类型", max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField("对应的答复期限")
    sent_on = models.DateField("提醒日期")
    recipients = models.TextField("发送对象", blank=True)

    class Meta:
        verbose_name = "留言到期提醒"
        verbose_name_plural = "留言到期提醒"
        ordering = ["-sent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["message", "kind", "due_on"], name="message_reminder_once")]

    def __str__(self) -> str:
        return f"{self.message.receipt_code} {self.get_kind_display()} {self.due_on}"
