"""订阅 and 精准推送: who subscribed to what, and every mail item owed or sent (one row each)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gongkai.core.models import Organ
from gongkai.records.models import Audience, Genre, Record, Topic

from .answers import Answer


class SubscriptionKind(models.TextChoices):
    ORGAN = "organ", "机关发布的信息"
    GENRE = "genre", "某一体裁的信息"
    TOPIC = "topic", "某一主题的信息"
    SEARCH = "search", "关键词"
    RECORD = "record", "某份文件的变化"
    AUDIENCE = "audience", "与我有关的政策（精准推送）"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "有新信息即发送"
    DAILY = "daily", "每日汇总"
    WEEKLY = "weekly", "每周汇总（周一）"


class DisabledReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", "本人退订全部"
    BOUNCE = "bounce", "邮件无法送达"
    COMPLAINT = "complaint", "收件人投诉为垃圾邮件"


class Subscriber(models.Model):
    """An e-mail address (no account). Who they are (适用对象) decides what precise push sends them."""

    email = models.EmailField("电子邮箱", unique=True)
    audiences = models.ManyToManyField(Audience, verbose_name="我是", blank=True, related_name="subscribers",
                                       help_text="选填：企业所属行业、规模，或个人情况；只推送与之相关的政策。")
    created_at = models.DateTimeField("首次订阅时间", auto_now_add=True)
    disabled_at = models.DateTimeField("停用时间", null=True, blank=True, editable=False)
    disabled_reason = models.CharField("停用原因", max_length=20, choices=DisabledReason.choices, blank=True,
                                       editable=False)
    bounces = models.PositiveSmallIntegerField("退信次数", default=0, editable=False)

    class Meta:
        verbose_name = "订阅人"
        verbose_name_plural = "订阅人"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, verbose_name="订阅人", on_delete=models.CASCADE,
                                   related_name="subscriptions")
    kind = models.CharField("订阅内容", max_length=20, choices=SubscriptionKind.choices)
    organ = models.ForeignKey(Organ, verbose_name="机关", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="subscriptions")
    include_sub_organs = models.BooleanField("包括下级机关", default=False)
    genre = models.ForeignKey(Genre, verbose_name="体裁", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="subscriptions")
    topic = models.ForeignKey(Topic, verbose_name="主题分类", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="subscriptions")
    query = models.CharField("关键词", max_length=100, blank=True,
                             help_text="与站内检索相同：空格分开的每一段都出现在信息中才推送。")
    record = models.ForeignKey(Record, verbose_name="文件", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="subscriptions")
    frequency = models.CharField("发送频率", max_length=20, choices=Frequency.choices, default=Frequency.DAILY)
    created_at = models.DateTimeField("订阅时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False,
                                        help_text="双重确认：点击确认邮件中的链接后才开始发送。")
    cancelled_at = models.DateTimeField("退订时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "订阅"
        verbose_name_plural = "订阅"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=SubscriptionKind.ORGAN, organ__isnull=False)
                           | Q(kind=SubscriptionKind.GENRE, genre__isnull=False)
                           | Q(kind=SubscriptionKind.TOPIC, topic__isnull=False)
                           | (Q(kind=SubscriptionKind.SEARCH) & ~Q(query=""))
                           | Q(kind=SubscriptionKind.RECORD, record__isnull=False)
                           | Q(kind=SubscriptionKind.AUDIENCE)),
                name="subscription_has_its_target",
                violation_error_message="订阅必须指明机关、体裁、主题、关键词或文件。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} · {self.describe()}"

    def describe(self) -> str:
        if self.kind == SubscriptionKind.ORGAN:
            return f"{self.organ}{'（含下级机关）' if self.include_sub_organs else ''}发布的信息"
        if self.kind == SubscriptionKind.GENRE:
            return f"体裁：{self.genre}"
        if self.kind == SubscriptionKind.TOPIC:
            return f"主题：{self.topic}"
        if self.kind == SubscriptionKind.SEARCH:
            return f"关键词：{self.query}"
        if self.kind == SubscriptionKind.RECORD:
            return f"文件“{self.record.title}”的修订、废止、解读和问答"
        return "与我有关的政策（精准推送）"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.cancelled_at is None


class DeliveryEvent(models.TextChoices):
    NEW = "new", "新发布"
    INTERPRETED = "interpreted", "发布了解读"
    REVISED = "revised", "已修订"
    REPEALED = "repealed", "已废止"
    QA = "qa", "政策问答有更新"
    UPDATED = "updated", "发布了新版本"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    SKIPPED = "skipped", "未发送（已不公开）"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One item owed to one subscription, never sent twice: unique per (subscription, record, event), for a
    new version per (subscription, record, version number), and for a 政策问答 per (subscription, answer)."""

    subscription = models.ForeignKey(Subscription, verbose_name="订阅", on_delete=models.CASCADE,
                                     related_name="deliveries")
    record = models.ForeignKey(Record, verbose_name="信息", on_delete=models.CASCADE, related_name="+")
    event = models.CharField("事件", max_length=20, choices=DeliveryEvent.choices, default=DeliveryEvent.NEW)
    answer = models.ForeignKey(Answer, verbose_name="政策问答", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", help_text="“政策问答有更新”时，新公开的那一条问答。")
    version = models.PositiveIntegerField("版本号", null=True, blank=True,
                                          help_text="“发布了新版本”时，新发布的那一版的版本号；每一版各推送一次。")
    status = models.CharField("状态", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING,
                              db_index=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "推送"
        verbose_name_plural = "推送"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "record", "event"],
                                    condition=Q(answer__isnull=True, version__isnull=True), name="delivery_once"),
            models.UniqueConstraint(fields=["subscription", "record", "version"], condition=Q(version__isnull=False),
                                    name="delivery_once_per_version"),
            models.UniqueConstraint(fields=["subscription", "answer"], condition=Q(answer__isnull=False),
                                    name="delivery_once_per_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} · {self.record_id} · {self.get_event_display()}"
