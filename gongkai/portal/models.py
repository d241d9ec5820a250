"""Texts of an organ's 政府信息公开专栏 that are not records: its guide, its rules, how to apply."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from gongkai.core.models import Organ


class ColumnKind(models.TextChoices):
    GUIDE = "guide", "政府信息公开指南"
    RULES = "rules", "政府信息公开制度"
    APPLY = "apply", "依申请公开说明"


class ColumnPage(models.Model):
    """One sub-column text of an organ's 专栏 (条例第十二条: the guide must be kept current)."""

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="column_pages")
    kind = models.CharField("栏目", max_length=20, choices=ColumnKind.choices)
    body = models.TextField(
        "正文",
        help_text="可以粘贴网页或Word中的格式；脚本等不安全内容会被自动清除。留空时门户按机关信息自动生成标准文本。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专栏页面"
        verbose_name_plural = "专栏页面"
        constraints = [models.UniqueConstraint(fields=["organ", "kind"], name="portal_column_page_unique")]

    def __str__(self) -> str:
        return f"{self.organ.name} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        name = {ColumnKind.GUIDE: "portal:organ_guide", ColumnKind.RULES: "portal:organ_rules"}.get(
            self.kind, "portal:organ_apply"
        )
        return reverse(name, kwargs={"code": self.organ.code})
