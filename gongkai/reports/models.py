"""The annual report (政府信息公开工作年度报告) of one organ for one year."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from gongkai.core.models import Organ


class AnnualReport(models.Model):
    """What the office writes and enters; every other figure is computed from the records.

    ``entries`` holds the figures typed in by the office (cell key → text as
    typed, validated by :func:`gongkai.reports.tables.parse_entry`), with
    ``sources`` saying where each came from. ``snapshot`` freezes figures and
    prose when the report is sent for publication: the published page, the
    Word and PDF files show the snapshot, never figures that moved later.
    """

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(
        "报告年度", validators=[MinValueValidator(2019), MaxValueValidator(2100)])
    include_subordinates = models.BooleanField(
        "汇总下属机关数据", default=False,
        help_text="勾选后，表二至表四汇总本机关及其下属各机关（部门、乡镇街道）的数据。")
    overview = models.TextField(
        "一、总体情况", blank=True,
        help_text="主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况；政府还应写明考核、评议、责任追究结果。")
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField(
        "六、其他需要报告的事项", blank=True,
        help_text="信息处理费收取情况、人大代表建议和政协提案办理结果公开情况、年度政务公开工作要点落实情况等。")
    entries = models.JSONField("填报数据", default=dict, blank=True, editable=False)
    sources = models.JSONField("数据来源说明", default=dict, blank=True, editable=False)
    snapshot = models.JSONField("提交发布时的数据", default=dict, blank=True, editable=False)
    record = models.OneToOneField(
        "records.Record", verbose_name="发布的政府信息", null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="annual_report")
    submitted_at = models.DateTimeField("提交发布时间", null=True, blank=True, editable=False)
    early_submission_allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="允许提前提交的平台管理员", null=True, blank=True, editable=False,
        on_delete=models.PROTECT, related_name="+")
    early_submission_allowed_at = models.DateTimeField("允许提前提交时间", null=True, blank=True, editable=False)
    early_submission_reason = models.CharField("允许提前提交的理由", max_length=300, blank=True, editable=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
                                   editable=False, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "organ__path"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="annual_report_one_per_organ_year"),
            models.CheckConstraint(condition=models.Q(year__gte=2019) & models.Q(year__lte=2100),
                                   name="annual_report_year_range",
                                   violation_error_message="报告年度应在2019年至2100年之间。"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:public", kwargs={"slug": f"{self.organ.code}-{self.year}"})

    @property
    def title(self) -> str:
        return f"{self.organ.name}{self.year}年政府信息公开工作年度报告"
