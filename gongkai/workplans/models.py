"""Work plans (工作要点), their items as a task ledger (工作台账), progress reports and reminders."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.core.models import Organ
from gongkai.records.models import Record

from .parsing.model import Deadline


def text_fingerprint(text: str) -> str:
    """SHA-256 of a plan's ideographs, letters and digits (NFKC): the same text pasted or uploaded twice."""
    kept = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", unicodedata.normalize("NFKC", text or ""))
    return hashlib.sha256(kept.encode("utf-8")).hexdigest() if kept else ""


class PlanStatus(models.TextChoices):
    """待确认 until the 公开办 starts it; only 执行中 plans have overdue tasks and send reminders.

    已归档 is a plan of a past year kept for the record (imported afterwards, or
    archived when its year is over): shown and published, never reminded.
    """

    DRAFT = "draft", "待确认"
    ACTIVE = "active", "执行中"
    CLOSED = "closed", "已结束"
    ARCHIVED = "archived", "已归档"


class WorkPlan(models.Model):
    """One imported plan; its items are the :class:`Task` rows."""

    organ = models.ForeignKey(Organ, verbose_name="负责机关", on_delete=models.PROTECT, related_name="work_plans",
                              help_text="由哪个机关的公开办管理这份工作要点；单位名称在该机关所属的政府范围内匹配。")
    title = models.CharField("标题", max_length=200)
    notice_title = models.CharField("印发通知标题", max_length=300, blank=True)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    doc_no = models.CharField("发文字号", max_length=60, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年度", help_text="“年底前”“6月底前”等时限按这一年换算。")
    default_due = models.DateField("默认完成日期", null=True, blank=True,
                                   help_text="没有写明时限的任务按这一天判断是否逾期；留空则不判断。")
    source_name = models.CharField("原文件名", max_length=200, blank=True)
    source_text = models.TextField("原文", blank=True, help_text="导入时的原文（网页、Word、Excel已转为文字）。")
    source_hash = models.CharField("原文指纹", max_length=64, blank=True, db_index=True, editable=False,
                                   help_text="原文中汉字、字母和数字的SHA-256，用于发现重复导入（与空格、标点和排版无关）。")
    parsed = models.JSONField("解析结果", default=dict, blank=True, editable=False)
    source_record = models.ForeignKey(Record, verbose_name="对应的公开信息", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", help_text="这份工作要点本身在本平台公开的信息（可选）。")
    report_promise = models.TextField("公开承诺", blank=True, help_text="工作要点中关于向社会公开落实情况的要求。")
    summary = models.TextField("执行情况总结", blank=True, help_text="年度报告“年度工作”一节可以引用的总结。")
    summary_record = models.ForeignKey(Record, verbose_name="执行情况公开信息", null=True, blank=True, editable=False,
                                       on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, editable=False)
    is_public = models.BooleanField("公开执行情况", default=False, editable=False,
                                    help_text="公开后，门户显示每项任务、责任单位和已审核公开的进展。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作要点"
        verbose_name_plural = "工作要点"
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100), name="workplan_year_range",
                                   violation_error_message="年度应在1990年至2100年之间。"),
            models.CheckConstraint(condition=~Q(is_public=True, status=PlanStatus.DRAFT), name="workplan_public_not_draft",
                                   violation_error_message="待确认的工作要点不能公开。"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplans:plan", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("workplans:public_plan", kwargs={"pk": self.pk})


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"


OVERDUE_LABEL = "逾期"


class TaskQuerySet(models.QuerySet):
    """The one definition of a running task and of "overdue": the ledger, the statistics, 我的任务,
    the overview and the reminders all use these (and :meth:`Task.is_overdue` for a row already held)."""

    def running(self):
        """Tracked tasks (纳入台账) of plans being carried out (执行中): what is reported on and reminded."""
        return self.filter(is_tracked=True, plan__status=PlanStatus.ACTIVE)

    def overdue(self, *, today: dt.date):
        """Running, not done, and the task's time limit (or the plan's 默认完成日期) was before ``today``."""
        return self.running().exclude(status=TaskStatus.DONE).filter(
            Q(due_date__lt=today) | Q(due_date__isnull=True, plan__default_due__lt=today))


class Task(models.Model):
    """An item of the plan; items that count (纳入台账) are tasks a unit reports on."""

    plan = models.ForeignKey(WorkPlan, verbose_name="工作要点", on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey("self", verbose_name="上级条目", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    path = models.CharField("位置", max_length=60, editable=False, help_text="在要点中的位置，如 0001.0002。")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    number = models.CharField("编号", max_length=20, blank=True)
    kind = models.CharField("类型", max_length=20, default="item", editable=False)
    title = models.CharField("标题", max_length=500)
    text = models.TextField("内容", blank=True)
    unit_clauses = models.TextField("原文中的单位表述", blank=True, editable=False)
    deadlines = models.JSONField("时限", default=list, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True, db_index=True,
                                help_text="原文时限中最晚的日期；没有日期的按工作要点的默认完成日期。")
    freq = models.CharField("周期", max_length=20, blank=True, help_text="按月、按季度等周期性工作。")
    is_tracked = models.BooleanField("纳入台账", default=True, help_text="“指导思想”等不需要报送进展的条目可以不纳入台账。")
    separately = models.BooleanField("分别落实", default=False)
    status = models.CharField("状态", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED,
                              editable=False, db_index=True)
    completed_on = models.DateField("完成日期", null=True, blank=True, editable=False)
    line = models.PositiveIntegerField("原文行号", default=0, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "path"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "path"], name="task_unique_path"),
            models.CheckConstraint(condition=~Q(status=TaskStatus.DONE) | Q(completed_on__isnull=False),
                                   name="task_done_has_date", violation_error_message="已完成的任务必须有完成日期。"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("workplans:task", kwargs={"pk": self.pk})

    @property
    def label(self) -> str:
        return self.number or "·"

    def effective_due(self) -> dt.date | None:
        return self.due_date or self.plan.default_due

    def is_running(self) -> bool:
        """The rule of :meth:`TaskQuerySet.running` for this row."""
        return self.is_tracked and self.plan.status == PlanStatus.ACTIVE

    def is_overdue(self, today: dt.date) -> bool:
        """The rule of :meth:`TaskQuerySet.overdue` for this row (a page that already holds the rows)."""
        due = self.effective_due()
        return self.is_running() and self.status != TaskStatus.DONE and due is not None and due < today

    def display_status(self, today: dt.date) -> str:
        return OVERDUE_LABEL if self.is_overdue(today) else self.get_status_display()

    def status_code(self, today: dt.date) -> str:
        return "overdue" if self.is_overdue(today) else self.status

    def deadline_objects(self) -> list[Deadline]:
        return [Deadline.from_dict(d) for d in self.deadlines]

    def deadline_labels(self) -> list[str]:
        return [d.label() for d in self.deadline_objects()]


class UnitRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    RESPONSIBLE = "responsible", "责任单位"
    COOPERATING = "cooperating", "配合单位"


class TaskUnit(models.Model):
    """A unit named for a task, as written, and the organs it was matched to."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="units")
    role = models.CharField("角色", max_length=20, choices=UnitRole.choices)
    name = models.CharField("原文名称", max_length=100)
    order = models.PositiveSmallIntegerField("排序", default=0)
    organs = models.ManyToManyField(Organ, verbose_name="对应机关", blank=True, related_name="+")

    class Meta:
        verbose_name = "任务单位"
        verbose_name_plural = "任务单位"
        ordering = ["task", "role", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "role", "name"], name="taskunit_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.name}"


class UnitAlias(models.Model):
    """A unit name as plans write it, and the organs it means, within one government's organs."""

    scope = models.ForeignKey(Organ, verbose_name="适用范围", on_delete=models.CASCADE, related_name="+",
                              help_text="在哪个政府（或机关）及其下属机关的工作要点中使用这个对照。")
    name = models.CharField("单位名称", max_length=100, help_text="工作要点中的写法，如“市委编办”“各县（市、区）政府”。")
    organs = models.ManyToManyField(Organ, verbose_name="对应机关", related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位名称对照"
        verbose_name_plural = "单位名称对照"
        ordering = ["scope", "name"]
        constraints = [models.UniqueConstraint(fields=["scope", "name"], name="unitalias_unique_name")]

    def __str__(self) -> str:
        return self.name


class Publication(models.TextChoices):
    INTERNAL = "internal", "不公开"
    PROPOSED = "proposed", "拟公开（待审核）"
    APPROVED = "approved", "已审核公开"


class ProgressReport(models.Model):
    """What a unit did on a task (进展报送), with its evidence."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reports")
    organ = models.ForeignKey(Organ, verbose_name="报送单位", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField("进展日期")
    text = models.TextField("进展情况", help_text="做了什么、取得什么成效，写给公开办和公众看。")
    records = models.ManyToManyField(Record, verbose_name="佐证信息", blank=True, related_name="+",
                                     help_text="本平台已公开的相关信息，例如公开的文件、解读。")
    link = models.URLField("佐证链接", blank=True)
    publication = models.CharField("公开", max_length=10, choices=Publication.choices, default=Publication.INTERNAL,
                                   editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    reviewed_at = models.DateTimeField("公开审核时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(publication=Publication.APPROVED) | Q(reviewed_by__isnull=False),
                                   name="progress_public_reviewed", violation_error_message="公开的进展必须经过审核。"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.reported_on:%Y-%m-%d}"


class ProgressAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, verbose_name="进展", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="workplans/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)

    class Meta:
        verbose_name = "进展附件"
        verbose_name_plural = "进展附件"

    def __str__(self) -> str:
        return self.name


class ReminderKind(models.TextChoices):
    DEADLINE = "deadline", "临近完成时限"
    OVERDUE = "overdue", "已逾期"
    RECURRING = "recurring", "周期性工作本期未报送"


class Reminder(models.Model):
    """A reminder produced by the daily job; one row per task, kind and date, so it is never sent twice."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("类型", max_length=20, choices=ReminderKind.choices)
    due = models.DateField("对应时限")
    created_on = models.DateField("提醒日期")
    message = models.CharField("内容", max_length=300)
    recipients = models.TextField("发送对象", blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_on", "task"]
        constraints = [models.UniqueConstraint(fields=["task", "kind", "due"], name="reminder_once")]

    def __str__(self) -> str:
        return self.message


class PlanEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("工作要点的操作记录只能追加，不能修改。")

    def delete(self):
        raise PermissionDenied("工作要点的操作记录只能追加，不能删除。")


class PlanEvent(models.Model):
    """Append-only history of a plan: import, unit resolution, status changes, progress, publication."""

    plan = models.ForeignKey(WorkPlan, verbose_name="工作要点", on_delete=models.CASCADE, related_name="events")
    task = models.ForeignKey(Task, verbose_name="任务", null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField("操作", max_length=40)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = PlanEventQuerySet.as_manager()

    class Meta:
        verbose_name = "工作要点操作记录"
        verbose_name_plural = "工作要点操作记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} · {self.plan}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("工作要点的操作记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("工作要点的操作记录只能追加，不能删除。")
