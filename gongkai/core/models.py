"""Organs (机关), their staff roles, the audit log and the working-day overrides."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models


class OrganKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    TOWN = "town", "乡镇（街道）"
    UNIT = "unit", "内设机构/处室"
    OTHER = "other", "其他单位"


class OrganQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def subtree(self, organ: Organ):
        """The organ itself and every organ below it."""
        return self.filter(path__startswith=organ.path)


class Organ(models.Model):
    """A government office hosted on this installation (集约化: many per installation)."""

    name = models.CharField("机关名称", max_length=100, unique=True, help_text="全称，例如“保定市人民政府办公室”。")
    short_name = models.CharField("简称", max_length=50, blank=True, help_text="例如“市政府办”，用于列表和工作要点中的单位匹配。")
    code = models.CharField(
        "机关代码",
        max_length=18,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Z-]{9,18}$",
                "机关代码应为9至18位数字、大写字母或连字符（如统一社会信用代码）。",
            )
        ],
        help_text="用于生成索引号，通常为18位统一社会信用代码或9位组织机构代码。",
    )
    kind = models.CharField("机关类型", max_length=20, choices=OrganKind.choices, default=OrganKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name="上级机关", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("树路径", max_length=255, editable=False, db_index=True, default="")
    order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True, help_text="停用后，该机关的信息不再在门户公开。")
    aliases = models.JSONField("别名", default=list, blank=True, help_text="其他常见叫法，用于匹配工作要点中的单位名称。")
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    fax = models.CharField("传真", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    website = models.URLField("网站", blank=True)

    objects = OrganQuerySet.as_manager()

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.parent_id and self.parent_id == self.pk:
            raise ValueError("机关不能以自己为上级。")
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            if self.parent_id and self.parent.path.startswith(f"/{self.pk}/") or (
                self.parent_id and f"/{self.pk}/" in self.parent.path
            ):
                raise ValueError("机关不能挂在自己的下级之下。")
            Organ.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                for child in Organ.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    Organ.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path):])

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:organ", kwargs={"code": self.code})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def ancestors(self) -> list[Organ]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        by_id = Organ.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class Role(models.TextChoices):
    EDITOR = "editor", "信息员/编辑"
    REVIEWER = "reviewer", "审核人"
    HANDLER = "handler", "依申请公开经办人"
    OFFICE = "office", "公开办"
    OFFICE_HEAD = "office_head", "公开办负责人"


class Membership(models.Model):
    """A role a user holds in one organ; a user may hold different roles in different organs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships")
    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(fields=["user", "organ", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organ.display_name} · {self.get_role_display()}"


class AuditEventType(models.IntegerChoices):
    """Numbered by area: 1xx records, 2xx applications, 3xx organs and roles, 4xx reference data,
    5xx work plans, 6xx consultations, meetings and concerns, 7xx messages and the 口径库."""

    RECORD_CREATED = 101, "创建信息"
    RECORD_EDITED = 102, "修改信息"
    RECORD_SUBMITTED = 103, "提交审核"
    RECORD_APPROVED = 104, "审核通过"
    RECORD_RETURNED = 105, "退回修改"
    RECORD_PUBLISHED = 106, "发布"
    RECORD_SCHEDULED = 107, "定时发布"
    RECORD_WITHDRAWN = 108, "撤回"
    RECORD_FILED = 109, "审定（不主动公开）"
    RECORD_VALIDITY_CHANGED = 110, "变更有效性"
    RECORD_ATTRIBUTE_REDETERMINATION = 111, "申请重新审定公开属性"
    RECORD_IMPORTED = 112, "导入"
    RECORD_DELETED = 113, "删除草稿"
    RECORD_SCHEDULE_FAILED = 114, "定时发布未通过校验"
    RECORD_VALIDITY_CHANGE_REQUESTED = 115, "申请变更有效性"
    RECORD_VALIDITY_CHANGE_REJECTED = 116, "不同意变更有效性"
    ATTACHMENT_ADDED = 121, "添加附件"
    ATTACHMENT_REMOVED = 122, "删除附件"
    ATTACHMENT_WITHHELD = 123, "附件不予公开"
    ATTACHMENT_UNWITHHELD = 124, "附件转为公开"
    ATTACHMENT_DISCLOSURE_REQUESTED = 125, "申请附件转为公开"
    APPLICATION_EVENT = 201, "依申请公开办理"
    APPLICATION_RECEIVED = 202, "收到依申请公开申请"
    APPLICATION_ASSIGNED = 203, "分配经办人"
    APPLICATION_DETERMINED = 204, "作出答复"
    APPLICATION_EXTENSION_REQUESTED = 205, "申请延期"
    APPLICATION_EXTENSION_DECIDED = 206, "审批延期"
    APPLICATION_APPEAL_CHANGED = 207, "行政复议、行政诉讼变更"
    APPLICATION_CONVERTED = 208, "依申请转主动公开"
    APPLICANT_DATA_EXPORTED = 209, "导出申请人个人信息"
    APPLICANT_DATA_ERASED = 210, "删除申请人个人信息"
    APPLICATION_LETTER = 211, "生成告知书"
    APPLICANT_DATA_VIEWED = 212, "查看申请人完整个人信息"
    ORGAN_CHANGED = 301, "机关变更"
    MEMBERSHIP_CHANGED = 302, "角色变更"
    CALENDAR_CHANGED = 401, "工作日调整"
    GENRE_CHANGED = 402, "体裁变更"
    TOPIC_CHANGED = 403, "主题分类变更"
    LETTER_TEMPLATE_CHANGED = 404, "告知书模板变更"
    CATALOG_CHANGED = 405, "公开目录变更"
    GAZETTE_CHANGED = 406, "政府公报变更"
    COLUMN_PAGE_CHANGED = 407, "专栏说明变更"
    SEARCH_TERM_CHANGED = 408, "检索词典变更"
    SITE_CHANGED = 409, "网站设置变更"
    WORKPLAN_CHANGED = 501, "工作要点变更"
    WORKPLAN_PROGRESS = 502, "工作要点进展报告"
    CONSULTATION_CREATED = 601, "创建意见征集"
    CONSULTATION_EDITED = 602, "修改意见征集"
    CONSULTATION_SUBMITTED = 603, "意见征集提交审核"
    CONSULTATION_APPROVED = 604, "意见征集审核通过"
    CONSULTATION_RETURNED = 605, "意见征集退回修改"
    CONSULTATION_PUBLISHED = 606, "发布意见征集"
    CONSULTATION_CLOSED = 607, "意见征集结束"
    CONSULTATION_WITHDRAWN = 608, "撤回意见征集"
    COMMENT_RECEIVED = 611, "收到意见"
    COMMENT_MODERATED = 612, "审核意见"
    COMMENT_DISPOSED = 613, "处理意见"
    FEEDBACK_CHANGED = 621, "修改意见采纳情况反馈"
    FEEDBACK_SUBMITTED = 622, "采纳情况反馈提交审核"
    FEEDBACK_PUBLISHED = 623, "发布意见采纳情况反馈"
    COMMENTS_EXPORTED = 624, "导出意见汇总（含联系方式）"
    FEEDBACK_RETURNED = 625, "采纳情况反馈退回修改"
    DECISION_ITEM_CHANGED = 631, "重大行政决策事项变更"
    DECISION_CATALOG_CREATED = 632, "创建重大行政决策事项目录"
    DECISION_CATALOG_SUBMITTED = 633, "重大行政决策事项目录提交审核"
    DECISION_CATALOG_RETURNED = 634, "重大行政决策事项目录退回修改"
    DECISION_CATALOG_PUBLISHED = 635, "公布重大行政决策事项目录"
    CONCERN_CHANGED = 641, "回应关切台账变更"
    CONCERN_REGISTERED = 642, "登记关切事项"
    CONCERN_RESPONDED = 643, "登记关切回应情况"
    MEETING_CHANGED = 651, "会议活动变更"
    MEETING_REGISTRATION = 652, "列席或参加报名处理"
    MEETING_CREATED = 653, "创建会议活动"
    MEETING_SUBMITTED = 654, "会议活动提交审核"
    MEETING_RETURNED = 655, "会议活动退回修改"
    MEETING_PUBLISHED = 656, "发布会议活动"
    MEETING_CANCELLED = 657, "取消会议活动"
    REGISTRATION_RECEIVED = 658, "收到列席或参加报名"
    SUBSCRIPTION_REQUESTED = 661, "申请订阅"
    SUBSCRIPTION_CONFIRMED = 662, "确认订阅"
    SUBSCRIPTION_CHANGED = 663, "修改订阅"
    SUBSCRIPTION_CANCELLED = 664, "退订"
    PLACE_CREATED = 665, "添加服务场所"
    PLACE_CHANGED = 666, "修改服务场所"
    PLACE_DELETED = 667, "删除服务场所"
    MESSAGE_RECEIVED = 701, "收到留言"
    MESSAGE_ASSIGNED = 702, "分配留言"
    MESSAGE_TRANSFERRED = 703, "转办留言"
    MESSAGE_REPLY_DRAFTED = 704, "拟写留言答复"
    MESSAGE_REPLY_APPROVED = 705, "审核通过留言答复"
    MESSAGE_REPLY_RETURNED = 706, "退回留言答复"
    MESSAGE_CHANGED = 707, "留言变更"
    MESSAGE_RATED = 708, "留言评价"
    MESSAGE_REOPENED = 709, "留言重新办理"
    ANSWER_CHANGED = 721, "口径库条目变更"
    ANSWER_REVIEWED = 722, "审核口径库条目"
    ANSWER_FLAGGED = 723, "口径库条目待复核"
    REPORT_EARLY_SUBMISSION_ALLOWED = 801, "允许年度结束前提交年度报告"


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def update(self, **kwargs):  # noqa: D401 - the log is append-only
        raise PermissionDenied("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionDenied("审计日志只能追加，不能删除。")


class AuditEvent(models.Model):
    """Append-only log of every state change, written in the transaction of the change."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organ = models.ForeignKey(Organ, verbose_name="机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    event_type = models.PositiveSmallIntegerField("事件", choices=AuditEventType.choices)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=300)
    changes = models.JSONField("变更内容", default=dict, blank=True, help_text="字段 → [原值, 新值]")
    note = models.TextField("说明", blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_event_type_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计日志只能追加，不能删除。")


class CalendarOverride(models.Model):
    """A day whose working status differs from the package's schedule (local holiday, next year's notice)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选表示当天上班（如调休上班日），不勾选表示当天放假。")
    note = models.CharField("说明", max_length=200, help_text="例如“2027年春节放假”或所依据的通知文号。")

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'}（{self.note}）"


class CalendarYear(models.Model):
    """Declares that a year's official holiday schedule has been fully entered as overrides."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    note = models.CharField("依据", max_length=200, help_text="国务院办公厅放假安排通知的文号或标题。")

    class Meta:
        verbose_name = "已录入放假安排的年份"
        verbose_name_plural = "已录入放假安排的年份"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年（{self.note}）"



class SubmissionToken(models.Model):
    """A public form's one-time token and what its first submission created (gongkai.core.idempotency)."""

    token = models.CharField("提交令牌", max_length=64, unique=True)
    purpose = models.CharField("表单", max_length=40, help_text="例如 application、message、comment。")
    ref = models.CharField("创建的对象", max_length=64, blank=True, help_text="查询码或编号。")
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "表单提交令牌"
        verbose_name_plural = "表单提交令牌"

    def __str__(self) -> str:
        return f"{self.purpose} {self.ref}"
