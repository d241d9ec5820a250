"""What the parser produces: plain dataclasses, turned into JSON by :meth:`to_dict`.

Nothing here imports Django. Dates are :class:`datetime.date`; the JSON form
writes them as ISO strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

FREQ_RULES = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "half-yearly": "FREQ=MONTHLY;INTERVAL=6",
    "yearly": "FREQ=YEARLY",
}
FREQ_LABELS = {
    "daily": "每日",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "half-yearly": "每半年",
    "yearly": "每年",
}


@dataclass(frozen=True)
class Deadline:
    """One time limit found in an item.

    ``kind``:
      * ``date`` — finish by ``due`` (2021年底前, 6月底前, 2022年8月10日前);
      * ``period`` — a span from ``start`` to ``due`` (2022年8月—12月, (2023年3月));
      * ``recurrence`` — a duty repeated every ``freq`` (按月, 按季度, 每年),
        at least ``times`` times in each period when the plan says so
        (每年至少一次, 年内不少于2次); ``due`` is the end of the plan year
        for counted duties;
      * ``relative`` — within ``workdays``/``days``/``hours`` of an event
        (文件公布后3个工作日内): no calendar date until the event happens;
      * ``ongoing`` — 长期坚持, 持续推进 (table cells);
      * ``text`` — a time limit the parser could not read (kept as written).
    """

    kind: str
    text: str
    due: date | None = None
    start: date | None = None
    freq: str | None = None
    times: int | None = None
    workdays: int | None = None
    days: int | None = None
    hours: int | None = None

    @property
    def rule(self) -> str | None:
        return FREQ_RULES.get(self.freq or "")

    def label(self) -> str:
        """How the ledger shows it, in Chinese."""
        if self.kind == "date" and self.due:
            return f"{self.due.year}年{self.due.month}月{self.due.day}日前"
        if self.kind == "period" and self.due and self.start:
            return f"{self.start:%Y-%m-%d}至{self.due:%Y-%m-%d}"
        if self.kind == "recurrence":
            base = FREQ_LABELS.get(self.freq or "", "定期")
            return f"{base}不少于{self.times}次" if self.times else base
        return self.text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.due:
            out["due"] = self.due.isoformat()
        if self.start:
            out["start"] = self.start.isoformat()
        if self.freq:
            out["freq"] = self.freq
            out["rule"] = self.rule
        for key in ("times", "workdays", "days", "hours"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deadline:
        return cls(
            kind=data["kind"],
            text=data.get("text", ""),
            due=date.fromisoformat(data["due"]) if data.get("due") else None,
            start=date.fromisoformat(data["start"]) if data.get("start") else None,
            freq=data.get("freq"),
            times=data.get("times"),
            workdays=data.get("workdays"),
            days=data.get("days"),
            hours=data.get("hours"),
        )


@dataclass
class Units:
    """Who does an item: lead (牵头), responsible (责任/负责) and cooperating (配合) units.

    Names are kept as written, with brackets unified to full-width （） and
    commas inside brackets turned into 、 (各县（市、区）政府, 各镇（街）).
    ``separately`` records 分别 (each unit leads its own part); ``raw`` keeps
    every clause verbatim, so nothing is lost if the split is wrong.
    """

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    separately: bool = False
    raw: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lead or self.responsible or self.cooperating)

    def merge(self, other: Units) -> None:
        for mine, theirs in ((self.lead, other.lead), (self.responsible, other.responsible),
                             (self.cooperating, other.cooperating)):
            for name in theirs:
                if name not in mine:
                    mine.append(name)
        self.separately = self.separately or other.separately
        self.raw.extend(other.raw)

    def names(self) -> list[str]:
        seen: list[str] = []
        for name in [*self.lead, *self.responsible, *self.cooperating]:
            if name not in seen:
                seen.append(name)
        return seen


@dataclass
class Item:
    """One numbered item (or an unnumbered segment of one) of the plan."""

    number: str = ""          # the label as a person reads it: 一, (一), 1, (1); "" for a segment
    marker: str = ""          # the marker exactly as written: “一、”, “（一）”, “1.”
    style: str = ""           # numbering style (see numbering.STYLES); "segment" or "table-row"
    title: str = ""
    text: str = ""
    units: Units = field(default_factory=Units)
    deadlines: list[Deadline] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    line: int = 0             # 1-based line (paragraph) where the item starts
    guidance: bool = False    # text of the plan (指导思想, 基本原则, 保障措施 …), not a task: see guidance.py

    @property
    def is_segment(self) -> bool:
        return self.style == "segment"

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": "segment" if self.is_segment else "item",
            "guidance": self.guidance,
            "title": self.title,
            "text": self.text,
            "lead_units": list(self.units.lead),
            "responsible_units": list(self.units.responsible),
            "cooperating_units": list(self.units.cooperating),
            "separately": self.units.separately,
            "unit_clauses": list(self.units.raw),
            "deadlines": [d.to_dict() for d in self.deadlines],
            "line": self.line,
            "children": [c.to_dict() for c in self.children],
        }


@dataclass
class Note:
    """Something a person should look at: a line the parser kept but could not place, or a doubt."""

    line: int
    message: str
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message, "text": self.text}


@dataclass
class ParsedPlan:
    title: str = ""
    notice_title: str = ""
    issuer: str = ""
    doc_no: str = ""
    written_on: date | None = None
    published_on: date | None = None
    year: int | None = None
    addressees: str = ""
    notice: list[str] = field(default_factory=list)      # the covering notice (印发通知) paragraphs
    preamble: list[str] = field(default_factory=list)    # the plan's opening paragraphs
    closing: list[str] = field(default_factory=list)     # paragraphs after the last item
    disclosure_note: str = ""                            # (此件公开发布)
    report_promise: str = ""                             # 落实情况……向社会公开
    items: list[Item] = field(default_factory=list)
    unplaced: list[Note] = field(default_factory=list)   # kept verbatim, not fitted into the tree
    ignored: list[Note] = field(default_factory=list)    # navigation noise of a saved web page
    meta_lines: list[Note] = field(default_factory=list) # lines read as metadata, verbatim
    warnings: list[Note] = field(default_factory=list)   # doubts about what was placed

    def walk(self):
        for item in self.items:
            yield from item.walk()

    def unit_names(self) -> list[str]:
        seen: list[str] = []
        for item in self.walk():
            for name in item.units.names():
                if name not in seen:
                    seen.append(name)
        return seen

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "notice_title": self.notice_title,
            "issuer": self.issuer,
            "doc_no": self.doc_no,
            "written_on": self.written_on.isoformat() if self.written_on else None,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "year": self.year,
            "addressees": self.addressees,
            "notice": list(self.notice),
            "preamble": list(self.preamble),
            "closing": list(self.closing),
            "disclosure_note": self.disclosure_note,
            "report_promise": self.report_promise,
            "items": [i.to_dict() for i in self.items],
            "unit_names": self.unit_names(),
            "unplaced": [n.to_dict() for n in self.unplaced],
            "ignored": [n.to_dict() for n in self.ignored],
            "warnings": [n.to_dict() for n in self.warnings],
            "metadata_lines": [n.to_dict() for n in self.meta_lines],
        }
