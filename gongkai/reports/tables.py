"""The national annual-report format (国办公开办函〔2021〕30号) as plain data, and its arithmetic.

Pure Python: no Django, no I/O, no "today". REFERENCE.md §2 is the source of
every heading, row and column label below; they are printed exactly as the
format prints them.

A report's figures are one flat mapping ``cell key → value``:

* table 二: ``t2.<row>.<col>`` (e.g. ``t2.rule.made``, ``t2.fees.amount``);
* table 三: ``t3.<row>.<col>`` with the row keys of REFERENCE.md §2.3
  (``r1``, ``r2``, ``r3_1`` … ``r3_7``, ``r4``) and the applicant columns
  (``natural_person`` … ``other``, ``total``);
* table 四: ``t4.<group>.<col>`` (``reconsideration``, ``litigation_direct``,
  ``litigation_after`` × ``upheld`` … ``total``).

Counts are non-negative ``int``; the fee amount (万元) is a ``Decimal``.
The facts the tables are counted from are small frozen dataclasses, so the
same functions serve the database (selectors build the facts) and the
property tests (hypothesis builds them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

Value = int | Decimal

# -- sections --------------------------------------------------------------------------

SECTIONS: list[tuple[str, str]] = [
    ("一", "总体情况"),
    ("二", "主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况"),
    ("四", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "存在的主要问题及改进情况"),
    ("六", "其他需要报告的事项"),
]
PROSE_SECTIONS = {"一": "overview", "五": "problems", "六": "other_matters"}


def section_heading(number: str) -> str:
    return f"{number}、" + dict(SECTIONS)[number]


# -- table 二 ----------------------------------------------------------------------------

T2_COLUMNS: dict[str, str] = {
    "made": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount": "本年收费金额（单位：万元）",
}
#: (block header, [(row key, 信息内容, [column keys])]) in printed order.
T2_BLOCKS: list[tuple[str, list[tuple[str, str, list[str]]]]] = [
    ("第二十条第（一）项", [
        ("rule", "规章", ["made", "repealed", "in_force"]),
        ("normative", "行政规范性文件", ["made", "repealed", "in_force"]),
    ]),
    ("第二十条第（五）项", [("licensing", "行政许可", ["decisions"])]),
    ("第二十条第（六）项", [
        ("penalty", "行政处罚", ["decisions"]),
        ("coercion", "行政强制", ["decisions"]),
    ]),
    ("第二十条第（八）项", [("fees", "行政事业性收费", ["amount"])]),
]
T2_ROWS: dict[str, tuple[str, str, list[str]]] = {
    key: (block, label, cols) for block, rows in T2_BLOCKS for key, label, cols in rows
}
#: Cells the platform counts from its own records (the rest are entered by the office).
T2_COMPUTED_ROWS = ("rule", "normative")
#: Genre codes of the records behind the computed rows.
T2_GENRES = {"rule": "rule", "normative": "normative"}

# -- table 三 ----------------------------------------------------------------------------

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_COLUMN_GROUP = "申请人情况"
T3_ORG_GROUP = "法人或其他组织"
#: Column key (ApplicantKind value) → label, in printed order; "total" last.
T3_COLUMNS: dict[str, str] = {
    "natural_person": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
    "total": "总计",
}
T3_KINDS = [k for k in T3_COLUMNS if k != "total"]

#: (row key, printed label, group label or "") in printed order.
T3_ROWS: list[tuple[str, str, str]] = [
    ("r1", "一、本年新收政府信息公开申请数量", ""),
    ("r2", "二、上年结转政府信息公开申请数量", ""),
    ("r3_1", "（一）予以公开", ""),
    ("r3_2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("r3_3_1", "1.属于国家秘密", "（三）不予公开"),
    ("r3_3_2", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("r3_3_3", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("r3_3_4", "4.保护第三方合法权益", "（三）不予公开"),
    ("r3_3_5", "5.属于三类内部事务信息", "（三）不予公开"),
    ("r3_3_6", "6.属于四类过程性信息", "（三）不予公开"),
    ("r3_3_7", "7.属于行政执法案卷", "（三）不予公开"),
    ("r3_3_8", "8.属于行政查询事项", "（三）不予公开"),
    ("r3_4_1", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("r3_4_2", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("r3_4_3", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("r3_5_1", "1.信访举报投诉类申请", "（五）不予处理"),
    ("r3_5_2", "2.重复申请", "（五）不予处理"),
    ("r3_5_3", "3.要求提供公开出版物", "（五）不予处理"),
    ("r3_5_4", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("r3_5_5", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    ("r3_6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("r3_6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "（六）其他处理"),
    ("r3_6_3", "3.其他", "（六）其他处理"),
    ("r3_7", "（七）总计", ""),
    ("r4", "四、结转下年度继续办理", ""),
]
T3_ROW_LABELS = {key: label for key, label, _ in T3_ROWS}
T3_BLOCK_HEADER = "三、本年度办理结果"
#: The outcome rows (each closed application is counted in exactly one).
OUTCOME_ROWS = [key for key, _, _ in T3_ROWS if key.startswith("r3_") and key != "r3_7"]

# -- table 四 ----------------------------------------------------------------------------

T4_GROUPS: dict[str, str] = {
    "reconsideration": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after": "复议后起诉",
}
T4_SUPER = {"reconsideration": "", "litigation_direct": "行政诉讼", "litigation_after": "行政诉讼"}
T4_COLUMNS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
T4_RESULTS = [k for k in T4_COLUMNS if k != "total"]

# -- cell keys and labels ------------------------------------------------------------------


def t2_keys() -> list[str]:
    return [f"t2.{row}.{col}" for _, rows in T2_BLOCKS for row, _, cols in rows for col in cols]


def t3_keys() -> list[str]:
    return [f"t3.{row}.{col}" for row, _, _ in T3_ROWS for col in T3_COLUMNS]


def t4_keys() -> list[str]:
    return [f"t4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS]


ALL_KEYS: list[str] = t2_keys() + t3_keys() + t4_keys()
KEY_SET = frozenset(ALL_KEYS)
T2_ENTERED_KEYS = [k for k in t2_keys() if k.split(".")[1] not in T2_COMPUTED_ROWS]


def cell_label(key: str) -> str:
    """A cell as a person names it: 表三“一、本年新收政府信息公开申请数量”行“自然人”列."""
    table, row, col = key.split(".")
    if table == "t2":
        block, label, _ = T2_ROWS[row]
        return f"表二{block}“{label}”行“{T2_COLUMNS[col]}”列"
    if table == "t3":
        group = dict((k, g) for k, _, g in T3_ROWS)[row]
        row_label = (group + T3_ROW_LABELS[row]) if group else T3_ROW_LABELS[row]
        return f"表三“{row_label}”行“{T3_COLUMNS[col]}”列"
    if table == "t4":
        group = (T4_SUPER[row] + "·" if T4_SUPER[row] else "") + T4_GROUPS[row]
        return f"表四“{group}”“{T4_COLUMNS[col]}”"
    raise KeyError(key)


def is_amount(key: str) -> bool:
    return key == "t2.fees.amount"


def zero() -> dict[str, Value]:
    return {k: (Decimal("0") if is_amount(k) else 0) for k in ALL_KEYS}


def add(*figures: Mapping[str, Value]) -> dict[str, Value]:
    """Cell-wise sum (a government's roll-up of its own and its organs' figures)."""
    out = zero()
    for f in figures:
        for k in ALL_KEYS:
            out[k] = out[k] + f.get(k, 0)
    return out


# -- facts → tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFact:
    """What table 三 needs of one application."""

    kind: str                      # applicant column (ApplicantKind value)
    received: dt.date              # 收到申请之日 (Art. 31)
    decided: dt.date | None = None  # 答复日期 (办结), None while open
    outcome: str | None = None     # table-三 row key r3_1 … r3_6_3 when decided
    ref: object = None             # the caller's id (for drill-down)


@dataclass(frozen=True)
class AppealFact:
    """One reconsideration or lawsuit for table 四."""

    group: str                     # reconsideration / litigation_direct / litigation_after
    filed: dt.date
    decided: dt.date | None = None
    result: str = "pending"        # upheld / corrected / other / pending
    ref: object = None


@dataclass(frozen=True)
class DocumentFact:
    """A 规章 or 行政规范性文件 and the dates of its life, for table 二."""

    row: str                       # rule / normative
    made: dt.date                  # 成文日期 (制发)
    ended: dt.date | None = None   # first day it is no longer in force
    ended_how: str = ""            # repealed / expired / revised
    ref: object = None
    #: True when ``ended`` is not a date of the documents but the day someone changed the
    #: validity in the system (the documents carry no date): the cells it lands in say so.
    ended_by_audit: bool = False


def document_end(
    *, valid_until: dt.date | None, successor_effective: dt.date | None = None,
    successor_written: dt.date | None = None, successor_published: dt.date | None = None,
) -> dt.date | None:
    """The first day a document is no longer in force, from the documents' own dates, or None.

    A repeal takes effect on the repealing document's 施行日期, or its 成文日期
    (or 发布日期) when it states none; a document with 有效期至 lapses the day
    after. When both are known the earlier one ends it.
    """
    successor = successor_effective or successor_written or successor_published
    lapse = valid_until + dt.timedelta(days=1) if valid_until is not None else None
    dates = [d for d in (successor, lapse) if d is not None]
    return min(dates) if dates else None


#: How a document stops being in force that counts as 本年废止 (废止 and 宣布失效); revision does not.
REPEALING = ("repealed", "expired")


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def t3_cells(fact: ApplicationFact, year: int) -> list[str]:
    """The table-三 rows an application lands in for ``year`` (without the column), or [].

    In = received this year (r1) or carried over (r2: received earlier, not yet
    decided on 1 January). Out = decided this year (its outcome row and r3_7) or
    carried to next year (r4). A decision dated before receipt (bad data) counts
    as made on the day of receipt.
    """
    start, end = year_bounds(year)
    if fact.received > end:
        return []
    decided = max(fact.decided, fact.received) if fact.decided is not None else None
    if fact.received >= start:
        rows = ["r1"]
    elif decided is None or decided >= start:
        rows = ["r2"]
    else:
        return []
    if decided is not None and decided <= end:
        if fact.outcome not in OUTCOME_ROWS:
            raise ValueError(f"办理结果“{fact.outcome}”不是表三的类别")
        rows += [fact.outcome, "r3_7"]
    else:
        rows.append("r4")
    return rows


def t4_cells(fact: AppealFact, year: int) -> list[str]:
    """Table 四 cells of one case: every case pending at some time in ``year``.

    Filed this year, or filed earlier and not decided before 1 January; the
    result is as at 31 December (decided later → 尚未审结).
    """
    start, end = year_bounds(year)
    if fact.filed > end:
        return []
    if fact.filed < start and fact.decided is not None and fact.decided < start:
        return []
    result = fact.result if fact.decided is not None and fact.decided <= end else "pending"
    return [f"t4.{fact.group}.{result}", f"t4.{fact.group}.total"]


def t2_cells(fact: DocumentFact, year: int) -> list[str]:
    start, end = year_bounds(year)
    cells = []
    if start <= fact.made <= end:
        cells.append(f"t2.{fact.row}.made")
    if fact.ended is not None and start <= fact.ended <= end and fact.ended_how in REPEALING and fact.made <= end:
        cells.append(f"t2.{fact.row}.repealed")
    if fact.made <= end and (fact.ended is None or fact.ended > end):
        cells.append(f"t2.{fact.row}.in_force")
    return cells


@dataclass
class Computed:
    """The computed figures and, per cell, the refs of the facts behind it (drill-down)."""

    values: dict[str, Value] = field(default_factory=zero)
    refs: dict[str, list[object]] = field(default_factory=dict)
    #: Cell → how many of its documents are dated by the audit log (no date on the documents).
    audit_dated: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, ref: object) -> None:
        self.values[key] += 1
        self.refs.setdefault(key, []).append(ref)


def compute(
    year: int,
    *,
    applications: Iterable[ApplicationFact] = (),
    appeals: Iterable[AppealFact] = (),
    documents: Iterable[DocumentFact] = (),
    keep_refs: bool = True,
) -> Computed:
    """Count every computed cell of the three tables for ``year``."""
    out = Computed()
    v = out.values
    if keep_refs:
        for a in applications:
            for row in t3_cells(a, year):
                out.count(f"t3.{row}.{a.kind}", a.ref)
                out.count(f"t3.{row}.total", a.ref)
        for c in appeals:
            for key in t4_cells(c, year):
                out.count(key, c.ref)
        for d in documents:
            for key in t2_cells(d, year):
                out.count(key, d.ref)
                if d.ended_by_audit:
                    out.audit_dated[key] = out.audit_dated.get(key, 0) + 1
        return out
    for a in applications:  # the fast path (benchmark): same arithmetic, no refs
        for row in t3_cells(a, year):
            v[f"t3.{row}.{a.kind}"] += 1
            v[f"t3.{row}.total"] += 1
    for c in appeals:
        for key in t4_cells(c, year):
            v[key] += 1
    for d in documents:
        for key in t2_cells(d, year):
            v[key] += 1
            if d.ended_by_audit:
                out.audit_dated[key] = out.audit_dated.get(key, 0) + 1
    return out


def audit_dated_note(key: str, count: int) -> str:
    """The note printed for a table-二 cell that counts documents dated by the audit log."""
    return (f"{cell_label(key)}中有{count}件文件未载明废止或失效日期（无废止文件的施行日期、成文日期，也无有效期），"
            f"按在平台上变更有效性的时间计算。")


# -- entries (figures typed in by the office) ------------------------------------------------


@dataclass(frozen=True)
class Discrepancy:
    key: str
    computed: Value
    entered: Value

    @property
    def message(self) -> str:
        return (f"{cell_label(self.key)}填报为 {fmt(self.entered)}，"
                f"但平台据本机关记录统计为 {fmt(self.computed)}，请核实并在来源说明中写明差异原因。")


def fmt(value: Value) -> str:
    if isinstance(value, Decimal):
        s = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        return s.rstrip("0").rstrip(".") if "." in s else s
    return str(value)


def merge(computed: Mapping[str, Value], entered: Mapping[str, Value]) -> tuple[dict[str, Value], list[Discrepancy]]:
    """Final figures: an entered figure replaces the computed one; contradictions are listed.

    Table 二's 行政许可/处罚/强制/收费 cells cannot be computed: their entered
    figure (or 0) is simply the value.
    """
    final = dict(computed)
    problems = []
    for key, value in entered.items():
        if key not in KEY_SET:
            raise KeyError(key)
        final[key] = value
        if key not in T2_ENTERED_KEYS and computed.get(key, 0) != value:
            problems.append(Discrepancy(key, computed.get(key, 0), value))
    return final, problems


def parse_entry(key: str, raw: str) -> Value:
    """An office's typed figure → value; ValueError with a Chinese message."""
    text = (raw or "").strip().replace(",", "").replace("，", "")
    label = cell_label(key)
    if is_amount(key):
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise ValueError(f"{label}应为金额（万元），例如 12.5。") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"{label}不能为负数。")
        if value.as_tuple().exponent < -6:  # type: ignore[operator]
            raise ValueError(f"{label}最多保留6位小数（即精确到分）。")
        return value
    if not text.isdigit():
        raise ValueError(f"{label}应为不小于0的整数。")
    return int(text)


# -- identities (REFERENCE.md §2.5) ------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str            # I1 … I6, or N (negative / not a whole number)
    severity: str        # error / warning / hint
    message: str
    cells: tuple[str, ...]

    @property
    def severity_label(self) -> str:
        return {"error": "错误", "warning": "提示", "hint": "参考"}[self.severity]


def _sum(values: Mapping[str, Value], keys: Iterable[str]) -> Value:
    return sum((values.get(k, 0) for k in keys), 0)


def _t3(row: str, col: str) -> str:
    return f"t3.{row}.{col}"


def check(values: Mapping[str, Value], previous: Mapping[str, Value] | None = None) -> list[Finding]:
    """Every identity of the format; each failure in Chinese naming the cells involved.

    I1, I2, I3, I5 are errors (the report must not be published with them); I4
    (this year's 上年结转 = last year's 结转下年度) is a warning and I6 (table 二
    continuity) a hint, both only when last year's figures are given.
    """
    out: list[Finding] = []
    for key in ALL_KEYS:
        v = values.get(key, 0)
        if v < 0 or (not is_amount(key) and not isinstance(v, int)):
            out.append(Finding("N", "error", f"{cell_label(key)}应为不小于0的{'数' if is_amount(key) else '整数'}，现为 {fmt(v)}。", (key,)))
    cols = list(T3_COLUMNS)
    for c in cols:  # I1
        a, b = values.get(_t3("r1", c), 0), values.get(_t3("r2", c), 0)
        x, y = values.get(_t3("r3_7", c), 0), values.get(_t3("r4", c), 0)
        if a + b != x + y:
            out.append(Finding(
                "I1", "error",
                f"“{T3_COLUMNS[c]}”列：第一项加第二项之和（{a}+{b}={a + b}）不等于第三项加第四项之和（{x}+{y}={x + y}）。",
                (_t3("r1", c), _t3("r2", c), _t3("r3_7", c), _t3("r4", c))))
    for c in cols:  # I2
        parts = [_t3(r, c) for r in OUTCOME_ROWS]
        s, total = _sum(values, parts), values.get(_t3("r3_7", c), 0)
        if s != total:
            out.append(Finding(
                "I2", "error",
                f"“{T3_COLUMNS[c]}”列：“（七）总计”为 {total}，但（一）至（六）各项之和为 {s}。",
                (_t3("r3_7", c), *parts)))
    for row, label, group in T3_ROWS:  # I3
        parts = [_t3(row, k) for k in T3_KINDS]
        s, total = _sum(values, parts), values.get(_t3(row, "total"), 0)
        if s != total:
            out.append(Finding(
                "I3", "error",
                f"“{group}{label}”行：“总计”为 {total}，但自然人与五类法人或其他组织之和为 {s}。",
                (_t3(row, "total"), *parts)))
    for g, glabel in T4_GROUPS.items():  # I5
        parts = [f"t4.{g}.{r}" for r in T4_RESULTS]
        s, total = _sum(values, parts), values.get(f"t4.{g}.total", 0)
        if s != total:
            name = (T4_SUPER[g] + "·" if T4_SUPER[g] else "") + glabel
            out.append(Finding(
                "I5", "error",
                f"表四“{name}”：“总计”为 {total}，但维持、纠正、其他结果、尚未审结之和为 {s}。",
                (f"t4.{g}.total", *parts)))
    if previous is not None:
        for c in cols:  # I4
            now, before = values.get(_t3("r2", c), 0), previous.get(_t3("r4", c), 0)
            if now != before:
                out.append(Finding(
                    "I4", "warning",
                    f"“{T3_COLUMNS[c]}”列：本年“上年结转”为 {now}，上年报告“结转下年度继续办理”为 {before}，两者通常应相等。",
                    (_t3("r2", c),)))
        for row in T2_COMPUTED_ROWS:  # I6
            last, made = previous.get(f"t2.{row}.in_force", 0), values.get(f"t2.{row}.made", 0)
            gone, now = values.get(f"t2.{row}.repealed", 0), values.get(f"t2.{row}.in_force", 0)
            if last + made - gone != now:
                label = T2_ROWS[row][1]
                out.append(Finding(
                    "I6", "hint",
                    f"{label}：上年现行有效 {last} 件 + 本年制发 {made} 件 − 本年废止 {gone} 件 = {last + made - gone} 件，"
                    f"与本年现行有效 {now} 件不一致（修订、重新分类时属正常，请核对）。",
                    (f"t2.{row}.made", f"t2.{row}.repealed", f"t2.{row}.in_force")))
    return out


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# -- year on year --------------------------------------------------------------------------


def change(now: Value, before: Value | None) -> str:
    """Year-on-year change as printed beside a figure: "+12（+8.5%）", "持平", "—"."""
    if before is None:
        return "—"
    delta = now - before
    if delta == 0:
        return "持平"
    sign = "+" if delta > 0 else "−"
    text = f"{sign}{fmt(abs(delta))}"
    if before:
        pct = (Decimal(delta) / Decimal(before) * 100).quantize(Decimal("0.1"))
        text += f"（{sign}{abs(pct)}%）"
    return text


# -- the labelled structure (JSON, spreadsheets) ------------------------------------------------


def labelled(values: Mapping[str, Value]) -> dict[str, object]:
    """Every cell keyed by the format's own row and column labels."""

    def num(v: Value) -> object:
        return float(v) if isinstance(v, Decimal) else v

    t2: dict[str, object] = {}
    for block, rows in T2_BLOCKS:
        t2[block] = {label: {T2_COLUMNS[c]: num(values[f"t2.{row}.{c}"]) for c in cols} for row, label, cols in rows}
    t3: dict[str, object] = {}
    for row, label, group in T3_ROWS:
        cells = {T3_COLUMNS[c]: values[_t3(row, c)] for c in T3_COLUMNS}
        if row.startswith("r3_"):
            block = t3.setdefault(T3_BLOCK_HEADER, {})
            if group:
                block.setdefault(group, {})[label] = cells  # type: ignore[union-attr]
            else:
                block[label] = cells  # type: ignore[index]
        else:
            t3[label] = cells
    t4: dict[str, object] = {}
    for g, glabel in T4_GROUPS.items():
        cells = {T4_COLUMNS[c]: values[f"t4.{g}.{c}"] for c in T4_COLUMNS}
        if T4_SUPER[g]:
            t4.setdefault(T4_SUPER[g], {})[glabel] = cells  # type: ignore[union-attr]
        else:
            t4[glabel] = cells
    return {
        section_heading("二"): t2,
        section_heading("三"): t3,
        section_heading("四"): t4,
    }
