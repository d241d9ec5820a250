"""会议开放 and 政务开放日: meetings of an organ the public may follow or attend, and applications to attend."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.records.models import Record


class MeetingKind(models.TextChoices):
    STANDING = "standing", "政府常务会议"
    TOPICAL = "topical", "专题会议"
    HEARING = "hearing", "听证会"
    FORUM = "forum", "座谈会"
    OPEN_DAY = "open_day", "政务开放日"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"
    CANCELLED = "cancelled", "已取消"


class MeetingQuerySet(models.QuerySet):
    @staticmethod
    def public_q(now: dt.datetime | None = None) -> Q:
        """The one condition under which a meeting may reach the public (a cancelled one stays, marked)."""
        return Q(status__in=[MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED], published_at__isnull=False,
                 published_at__lte=now or timezone.now(), organ__is_active=True)

    def public(self, now: dt.datetime | None = None):
        return self.filter(self.public_q(now))

    def not_public(self, now: dt.datetime | None = None):
        return self.exclude(self.public_q(now))


class Meeting(models.Model):
    organ = models.ForeignKey(Organ, verbose_name="主办机关", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField("类型", max_length=20, choices=MeetingKind.choices, default=MeetingKind.STANDING)
    title = models.CharField("名称", max_length=200, help_text="例如“市政府第12次常务会议”或“2026年政务开放日·走进市政务服务中心”。")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200)
    topics = models.TextField("议题", blank=True, help_text="每行一项；涉密或不宜公开的议题不要填写。")
    attendance_open = models.BooleanField("接受公众报名列席或参加", default=False)
    how_to_apply = models.TextField("报名条件和方式", blank=True, help_text="例如“年满18周岁的本市居民，每人限报一次”。")
    places = models.PositiveIntegerField("名额", default=0)
    registration_deadline = models.DateTimeField("报名截止时间", null=True, blank=True,
                                                 help_text="留空则开始前一天截止。")
    stream_url = models.URLField("直播地址", blank=True)
    replay_url = models.URLField("回放地址", blank=True)
    decisions = models.TextField("会议决定事项", blank=True, help_text="会后填写，公开显示。")
    minutes_record = models.ForeignKey(Record, verbose_name="会议纪要或决定（政府信息）", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="meetings")
    consultation = models.ForeignKey("participation.Consultation", verbose_name="相关意见征集", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="meetings",
                                     help_text="为意见征集召开的座谈会、听证会选择它。")
    status = models.CharField("状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT,
                              editable=False, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True, editable=False)
    review_opinion = models.TextField("保密审查意见", blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会议活动"
        verbose_name_plural = "会议活动"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                                   name="meeting_end_after_start", violation_error_message="结束时间不能早于开始时间。"),
            models.CheckConstraint(condition=~Q(status=MeetingStatus.CANCELLED) | ~Q(cancel_reason=""),
                                   name="meeting_cancel_needs_reason", violation_error_message="取消必须写明原因。"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:meeting", kwargs={"pk": self.pk})

    @property
    def deadline(self) -> dt.datetime:
        return self.registration_deadline or (self.starts_at - dt.timedelta(days=1))

    def registration_open_at(self, now: dt.datetime) -> bool:
        return (self.status == MeetingStatus.PUBLISHED and self.attendance_open and self.places > 0
                and now <= self.deadline)

    @property
    def registration_open(self) -> bool:
        return self.registration_open_at(timezone.now())

    @property
    def is_past(self) -> bool:
        return (self.ends_at or self.starts_at) < timezone.now()


class AttendeeKind(models.TextChoices):
    CITIZEN = "citizen", "市民"
    EXPERT = "expert", "专家学者"
    ENTERPRISE = "enterprise", "企业代表"
    DEPUTY = "deputy", "人大代表、政协委员"
    MEDIA = "media", "新闻媒体"
    OTHER = "other", "其他"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已同意"
    DECLINED = "declined", "未同意"
    CANCELLED = "cancelled", "已取消"


class Registration(models.Model):
    """An application to attend (列席 / 参加) a meeting or an open day; personal data is never public."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议活动", on_delete=models.CASCADE, related_name="registrations")
    receipt_code = models.CharField("查询码", max_length=16, unique=True, editable=False)
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("身份", max_length=20, choices=AttendeeKind.choices, default=AttendeeKind.CITIZEN)
    affiliation = models.CharField("工作单位", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    reason = models.TextField("报名理由或关注的议题", blank=True)
    status = models.CharField("状态", max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.PENDING, editable=False, db_index=True)
    decision_note = models.CharField("说明", max_length=300, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", editable=False)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True, editable=False)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField("报名时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "phone"], condition=~Q(status="cancelled"),
                                    name="registration_one_per_phone",
                                    violation_error_message="这个电话号码已经报过名。"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.receipt_code}"
