"""What an import plan is made of: the problems found and, per row, what will happen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.core.models import Organ

from ..models import Attribute, Record
from .columns import column_label

ACTION_LABELS = {"create": "新建", "update": "更新", "skip": "跳过"}


@dataclass
class Problem:
    """One thing wrong with the import, said so that the clerk can find and fix it."""

    where: str  # "metadata.csv 第3行" or "metadata.csv"
    message: str
    field: str | None = None  # column key

    def __str__(self) -> str:
        if self.field:
            return f"{self.where} “{column_label(self.field)}”：{self.message}"
        return f"{self.where}：{self.message}"


class ImportFailed(Exception):
    """The import cannot go ahead (or failed late and was rolled back); nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(eq=False)  # rows are compared by identity
class RowPlan:
    number: int
    where: str
    path: Path
    organ: Organ
    issuers: list[Organ]
    data: dict[str, Any]
    attachments: list[Path]
    published_at: dt.datetime | None
    interprets_ref: str = ""
    interprets: RowPlan | Record | None = None
    existing: Record | None = None
    action: str = "create"
    publish: bool = False
    scheduled: bool = False
    skip_reason: str = ""
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    record: Record | None = None

    @property
    def outcome(self) -> str:
        """What happens to the row, in Chinese, e.g. "新建并发布"."""
        if self.action == "skip":
            return f"跳过（{self.skip_reason}）" if self.skip_reason else "跳过"
        verb = ACTION_LABELS[self.action]
        if self.action == "update" and not self.changes:
            verb = ""
        if not self.publish:
            return verb + ("草稿" if self.action == "create" else "")
        if self.data["attribute"] != Attribute.PROACTIVE:
            return verb + ("并" if verb else "") + "审定（不主动公开）"
        if self.scheduled:
            return verb + ("并" if verb else "") + "定时发布"
        return verb + ("并" if verb else "") + "发布"

    def describe(self) -> str:
        bits = [self.organ.name]
        if self.data.get("doc_no"):
            bits.append(self.data["doc_no"])
        line = f"{self.where} {self.outcome}：{self.data['title']}（{'，'.join(bits)}）"
        if self.changes:
            line += f"；变更：{'、'.join(self.changes)}"
        return line


@dataclass
class ImportPlan:
    source: str
    directory: Path
    publish: bool
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> str:
        published = sum(1 for row in self.rows if row.publish)
        text_ = f"共{len(self.rows)}行：新建{self.count('create')}条，更新{self.count('update')}条，跳过{self.count('skip')}条"
        if published:
            text_ += f"；其中{published}条随导入自动登记保密审查并发布或审定"
        return text_ + "。"
