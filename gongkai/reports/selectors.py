"""Reads: the facts behind the tables, the figures of a report, drill-down, roll-up, compliance.

Everything is counted from the other apps' models (records, applications),
never from their internals: the applications app has no year-level selector,
so the facts of table 三 and 四 are read here straight from its models
(``Application``, ``Determination``, ``Reconsideration``, ``Litigation``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.applications.models import Application, FeeNotice, Litigation, Reconsideration
from gongkai.core.models import AuditEvent, AuditEventType, Organ, OrganKind
from gongkai.records.models import Record, Status, Validity

from . import tables
from .models import AnnualReport

# -- facts -----------------------------------------------------------------------------------


def report_organs(organ: Organ, include_subordinates: bool) -> QuerySet[Organ]:
    if include_subordinates:
        return Organ.objects.subtree(organ)
    return Organ.objects.filter(pk=organ.pk)


#: The table-三 row of an application closed without a determination (申请人撤回): 三(六)3 其他.
CLOSED_WITHOUT_ANSWER = "r3_6_3"


def application_facts(organs, year: int, *, from_year: int | None = None) -> Iterable[tables.ApplicationFact]:
    """Applications that may land in table 三 of ``from_year`` … ``year`` (received by 31 Dec, open on 1 Jan or later)."""
    start, end = tables.year_bounds(from_year or year)[0], tables.year_bounds(year)[1]
    rows = (Application.objects.filter(organ__in=organs, arrived_on__lte=end)
            .filter(Q(determination__isnull=True) | Q(determination__decided_on__gte=start))
            .filter(Q(determination__isnull=False) | Q(closed_on__isnull=True) | Q(closed_on__gte=start))
            .values_list("pk", "applicant_kind", "arrived_on", "confirmed_on",
                         "determination__decided_on", "determination__outcome", "closed_on"))
    for pk, kind, arrived, confirmed, decided, outcome, closed in rows.iterator(chunk_size=5000):
        if decided is None and closed is not None:
            # Closed with no answer: the applicant withdrew (申请人撤回) → 三(六)3 其他.
            decided, outcome = closed, CLOSED_WITHOUT_ANSWER
        yield tables.ApplicationFact(kind=kind, received=confirmed or arrived, decided=decided, outcome=outcome, ref=pk)


def appeal_facts(organs, year: int, *, from_year: int | None = None) -> list[tables.AppealFact]:
    start, end = tables.year_bounds(from_year or year)[0], tables.year_bounds(year)[1]
    window = Q(filed_on__lte=end) & (Q(decided_on__isnull=True) | Q(decided_on__gte=start) | Q(filed_on__gte=start))
    out = [tables.AppealFact("reconsideration", filed, decided, result, ref=f"reconsideration:{pk}")
           for pk, filed, decided, result in Reconsideration.objects.filter(window, application__organ__in=organs)
           .values_list("pk", "filed_on", "decided_on", "result")]
    for pk, after, filed, decided, result in (Litigation.objects.filter(window, application__organ__in=organs)
                                              .values_list("pk", "after_reconsideration", "filed_on", "decided_on", "result")):
        group = "litigation_after" if after else "litigation_direct"
        out.append(tables.AppealFact(group, filed, decided, result, ref=f"litigation:{pk}"))
    return out


ENDED_HOW = {Validity.REPEALED: "repealed", Validity.EXPIRED: "expired", Validity.REVISED: "revised"}


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def document_facts(organs, year: int) -> list[tables.DocumentFact]:
    """规章 and 行政规范性文件 published by the organs, with the day each stopped being in force.

    制发 = 成文日期 (or the publication date when it has none). The end of
    force is dated by the documents (:func:`tables.document_end`): the repealing
    document's 施行日期, else its 成文日期 or 发布日期, or the day after 有效期至.
    Only a document marked repealed, expired or revised whose documents carry no
    date at all falls back to the day its 有效性 was changed in the system (the
    audit log, else its last change), and the facts say so (``ended_by_audit``).
    """
    from django.db.models.functions import Coalesce, TruncDate

    end = tables.year_bounds(year)[1]
    rows = list(Record.objects.filter(organ__in=organs, genre__code__in=list(tables.T2_GENRES.values()),
                                      status=Status.PUBLISHED)
                .annotate(made=Coalesce("written_on", TruncDate("published_at")))
                .filter(made__lte=end)
                .values_list("pk", "genre__code", "made", "validity", "valid_until", "superseded_by__valid_from",
                             "superseded_by__written_on", "superseded_by__published_at"))
    genre_row = {v: k for k, v in tables.T2_GENRES.items()}
    dated: dict[int, dt.date | None] = {
        r[0]: tables.document_end(valid_until=r[4], successor_effective=r[5], successor_written=r[6],
                                  successor_published=_local_date(r[7]))
        for r in rows}
    undated = [r[0] for r in rows if r[3] != Validity.VALID and dated[r[0]] is None]
    changes: dict[int, dt.date] = {}
    for i in range(0, len(undated), 2000):
        chunk = undated[i:i + 2000]
        events = (AuditEvent.objects.filter(object_type="records.record", object_id__in=[str(x) for x in chunk],
                                            event_type__in=[AuditEventType.RECORD_VALIDITY_CHANGED,
                                                            AuditEventType.RECORD_EDITED,
                                                            AuditEventType.RECORD_IMPORTED])
                  .order_by("created_at", "id").values_list("object_id", "created_at", "changes"))
        for object_id, created, change in events:
            pair = (change or {}).get("validity")
            if pair and pair[1] != Validity.VALID and pair[0] != pair[1]:
                changes[int(object_id)] = _local_date(created)  # the last one wins
        missing = [x for x in chunk if x not in changes]
        if missing:
            changes.update((pk, _local_date(u)) for pk, u in Record.objects.filter(pk__in=missing)
                           .values_list("pk", "updated_at"))
    out = []
    for pk, genre, made, validity, valid_until, *_ in rows:
        ended, how, by_audit = dated[pk], "", False
        if validity != Validity.VALID:
            how = ENDED_HOW[Validity(validity)]
            if ended is None:
                ended, by_audit = changes.get(pk), True
        elif valid_until is not None:
            ended, how = valid_until + dt.timedelta(days=1), "expired"
        else:
            ended = None
        out.append(tables.DocumentFact(row=genre_row[genre], made=made, ended=ended, ended_how=how, ref=pk,
                                       ended_by_audit=by_audit))
    return out


def fees_collected(organs, year: int) -> tuple[int, Decimal]:
    """信息处理费 paid in ``year`` (count, yuan), for section 六."""
    from django.db.models import Count, Sum

    agg = FeeNotice.objects.filter(application__organ__in=organs, paid_on__year=year).aggregate(
        n=Count("pk"), total=Sum("amount"))
    return agg["n"] or 0, agg["total"] or Decimal("0")


def fees_sentence(organs, year: int) -> str:
    n, total = fees_collected(organs, year)
    if not n:
        return f"{year}年度，本机关未收取政府信息公开信息处理费。"
    return f"{year}年度，本机关依据《政府信息公开信息处理费管理办法》收取信息处理费{n}件，共计{tables.fmt(total)}元。"


# -- the figures of one report -------------------------------------------------------------------


@dataclass
class ReportData:
    """Everything a page or a file needs about one report."""

    organ: Organ
    year: int
    report: AnnualReport | None
    include_subordinates: bool
    organs: list[Organ]
    computed: tables.Computed
    entries: dict[str, tables.Value]
    sources: dict[str, str]
    values: dict[str, tables.Value]
    discrepancies: list[tables.Discrepancy]
    findings: list[tables.Finding]
    previous: dict[str, tables.Value] | None
    previous_report: AnnualReport | None
    monthly: list[int] = field(default_factory=list)
    frozen: bool = False
    #: Notes printed under table 二 (cells counting documents dated by the audit log).
    notes: list[str] = field(default_factory=list)
    #: Entered-only cells (许可/处罚/强制/收费) that have a figure, typed or confirmed as 0.
    entered_keys: frozenset[str] = frozenset()
    #: The day the figures were read (decides whether the year is over).
    as_of: dt.date | None = None

    @property
    def year_over(self) -> bool:
        """The report year has ended (31 December is past), or the figures were frozen."""
        return self.frozen or (self.as_of is not None and self.as_of > tables.year_bounds(self.year)[1])

    @property
    def preview(self) -> bool:
        """Figures of a year not yet over: a preview, never final (no claim on 12月31日 nor on the checks)."""
        return not self.year_over

    @property
    def unentered(self) -> list[str]:
        """Entered-only cells with no figure and no confirmed 0."""
        return [k for k in tables.T2_ENTERED_KEYS if k not in self.entered_keys]

    @property
    def title(self) -> str:
        return f"{self.organ.name}{self.year}年政府信息公开工作年度报告"

    @property
    def errors(self) -> list[tables.Finding]:
        return tables.errors(self.findings)

    def prose(self, name: str) -> str:
        if self.frozen and self.report is not None:
            return self.report.snapshot.get("prose", {}).get(name, "")
        return getattr(self.report, name, "") if self.report else ""


def parsed_entries(report: AnnualReport | None) -> dict[str, tables.Value]:
    if report is None:
        return {}
    out = {}
    for key, raw in (report.entries or {}).items():
        if key in tables.KEY_SET and str(raw).strip() != "":
            try:
                out[key] = tables.parse_entry(key, str(raw))
            except ValueError:
                continue  # services never store a bad entry; skip one written by hand
    return out


def monthly_received(facts: Iterable[tables.ApplicationFact], year: int) -> list[int]:
    months = [0] * 12
    for a in facts:
        if a.received.year == year:
            months[a.received.month - 1] += 1
    return months


def compute(organ: Organ, year: int, *, include_subordinates: bool = False, keep_refs: bool = True
            ) -> tuple[tables.Computed, list[int]]:
    computed, monthly, _ = compute_with_previous(organ, year, include_subordinates=include_subordinates,
                                                 keep_refs=keep_refs, previous=False)
    return computed, monthly


def compute_with_previous(organ: Organ, year: int, *, include_subordinates: bool = False, keep_refs: bool = True,
                          previous: bool = True) -> tuple[tables.Computed, list[int], tables.Computed | None]:
    """``year``'s figures (with drill-down refs) and, from the same rows, last year's (without)."""
    organs = report_organs(organ, include_subordinates)
    first = year - 1 if previous else year
    apps = list(application_facts(organs, year, from_year=first))
    appeals = appeal_facts(organs, year, from_year=first)
    docs = document_facts(organs, year)
    computed = tables.compute(year, applications=apps, appeals=appeals, documents=docs, keep_refs=keep_refs)
    before = tables.compute(year - 1, applications=apps, appeals=appeals, documents=docs, keep_refs=False) \
        if previous else None
    return computed, monthly_received(apps, year), before


def _subordinate_entries(organ: Organ, year: int) -> dict[str, tables.Value]:
    """The entered-only cells (许可/处罚/强制/收费) of the organs below, for a roll-up."""
    total: dict[str, tables.Value] = defaultdict(int)
    for report in AnnualReport.objects.filter(organ__in=Organ.objects.subtree(organ).exclude(pk=organ.pk), year=year):
        for key, value in parsed_entries(report).items():
            if key in tables.T2_ENTERED_KEYS:
                total[key] = total[key] + value
    return dict(total)


def values_from_snapshot(snapshot: dict[str, Any]) -> dict[str, tables.Value]:
    raw = snapshot.get("values", {})
    return {k: (Decimal(str(raw.get(k, "0"))) if tables.is_amount(k) else int(raw.get(k, 0))) for k in tables.ALL_KEYS}


def final_values(organ: Organ, year: int, *, include: bool = False, computed: tables.Computed | None = None
                 ) -> dict[str, tables.Value] | None:
    """A year's figures for the same organs (the organ alone, or its subtree when ``include``), for I4/I6.

    The figures frozen in that year's report when it covered the same organs,
    else counted (``computed`` may be passed when already counted for them) and
    merged with that year's entries. None when there is nothing to compare with.
    """
    report = AnnualReport.objects.filter(organ=organ, year=year).first()
    if report is not None and report.snapshot.get("values") and \
            bool(report.snapshot.get("include_subordinates", report.include_subordinates)) == include:
        return values_from_snapshot(report.snapshot)
    organs = report_organs(organ, include)
    if report is None and not Application.objects.filter(organ__in=organs, arrived_on__year__lte=year).exists() and \
            not Record.objects.filter(organ__in=organs, genre__code__in=list(tables.T2_GENRES.values())).exists():
        return None
    if computed is None:
        computed, _ = compute(organ, year, include_subordinates=include, keep_refs=False)
    entries = parsed_entries(report)
    if include:
        entries = {**_subordinate_entries(organ, year), **entries}
    return tables.merge(computed.values, entries)[0]


def report_data(organ: Organ, year: int, *, frozen: bool = False, include_subordinates: bool | None = None,
                today: dt.date | None = None) -> ReportData:
    """The report of ``organ`` for ``year``: computed, merged with entries, checked against last year.

    ``frozen`` shows what was sent for publication (the snapshot) when there is one.
    """
    today = today or timezone.localdate()
    report = AnnualReport.objects.filter(organ=organ, year=year).first()
    include = include_subordinates if include_subordinates is not None else bool(report and report.include_subordinates)
    previous_report = AnnualReport.objects.filter(organ=organ, year=year - 1).first()
    organs = tree_order(report_organs(organ, include))
    if frozen and report is not None and report.snapshot.get("values"):
        snap_include = bool(report.snapshot.get("include_subordinates", include))
        previous = final_values(organ, year - 1, include=snap_include)
        values = values_from_snapshot(report.snapshot)
        return ReportData(
            organ=organ, year=year, report=report, include_subordinates=snap_include,
            organs=organs, computed=tables.Computed(values=dict(values)), entries={}, sources=report.snapshot.get("sources", {}),
            values=values, discrepancies=[], findings=tables.check(values, previous), previous=previous,
            previous_report=previous_report, monthly=list(report.snapshot.get("monthly", [0] * 12)), frozen=True,
            notes=list(report.snapshot.get("notes", [])), entered_keys=frozenset(tables.T2_ENTERED_KEYS),
            as_of=today)
    computed, monthly, before = compute_with_previous(organ, year, include_subordinates=include)
    previous = final_values(organ, year - 1, include=include, computed=before)
    entries = parsed_entries(report)
    merged_entries = {**_subordinate_entries(organ, year), **entries} if include else entries
    values, discrepancies = tables.merge(computed.values, merged_entries)
    return ReportData(
        organ=organ, year=year, report=report, include_subordinates=include, organs=organs, computed=computed,
        entries=entries, sources=dict(report.sources) if report else {}, values=values,
        discrepancies=discrepancies, findings=tables.check(values, previous), previous=previous,
        previous_report=previous_report, monthly=monthly,
        notes=[tables.audit_dated_note(k, computed.audit_dated[k]) for k in tables.ALL_KEYS if k in computed.audit_dated],
        entered_keys=frozenset(k for k in merged_entries if k in tables.T2_ENTERED_KEYS), as_of=today)


# -- drill-down -----------------------------------------------------------------------------------


def drill_down(data: ReportData, key: str) -> dict[str, Any]:
    """The records, applications or cases counted in one cell."""
    refs = data.computed.refs.get(key, [])
    table = key.split(".")[0]
    if table == "t2":
        if key in tables.T2_ENTERED_KEYS:
            return {"kind": "entered", "items": []}
        qs = Record.objects.filter(pk__in=refs).select_related("organ", "genre").order_by("written_on", "pk")
        return {"kind": "records", "items": qs}
    if table == "t3":
        qs = (Application.objects.filter(pk__in=refs).select_related("organ", "determination")
              .order_by("arrived_on", "pk"))
        return {"kind": "applications", "items": qs}
    recon = [int(r.split(":")[1]) for r in refs if str(r).startswith("reconsideration:")]
    lit = [int(r.split(":")[1]) for r in refs if str(r).startswith("litigation:")]
    items = list(Reconsideration.objects.filter(pk__in=recon).select_related("application__organ")) + \
        list(Litigation.objects.filter(pk__in=lit).select_related("application__organ"))
    return {"kind": "appeals", "items": items}


# -- roll-up: which organs below have published ------------------------------------------------------


def deadline_for(organ: Organ, year: int) -> dt.date:
    """条例 Art. 49: departments by 31 January, a government's own report by 31 March.

    Towns and other units follow local rules; the departments' date is used for them.
    """
    return dt.date(year + 1, 3, 31) if organ.kind == OrganKind.GOVERNMENT else dt.date(year + 1, 1, 31)


@dataclass
class RollupRow:
    organ: Organ
    deadline: dt.date
    published_on: dt.date | None
    record: Record | None
    report: AnnualReport | None
    overdue: bool
    year: int = 0

    @property
    def slug(self) -> str:
        return f"{self.organ.code}-{self.year}"

    @property
    def state(self) -> str:
        if self.published_on:
            late = self.published_on > self.deadline
            return "逾期发布" if late else "已按时发布"
        if self.report is not None and self.report.record_id:
            return "审核中"
        return "逾期未发布" if self.overdue else "未发布"


def published_reports(organs, year: int) -> dict[int, Record]:
    """Organ id → its public annual report record for ``year`` (ours, or one imported by title)."""
    out: dict[int, Record] = {}
    qs = (Record.objects.public().filter(organ__in=organs, genre__code="annual_report")
          .filter(Q(annual_report__year=year) | Q(title__contains=f"{year}年")).order_by("published_at"))
    for record in qs:
        out.setdefault(record.organ_id, record)
    return out


def tree_order(organs: Iterable[Organ]) -> list[Organ]:
    """Organs depth-first, siblings by their 排序 then by when they were added (not by the path's text)."""
    organs = list(organs)
    order = {o.pk: o.order for o in organs}

    def key(o: Organ) -> list[tuple[int, int]]:
        ids = [int(x) for x in o.path.strip("/").split("/") if x]
        return [(order.get(i, 0), i) for i in ids]

    return sorted(organs, key=key)


def rollup(organ: Organ, year: int, *, today: dt.date) -> list[RollupRow]:
    organs = tree_order(Organ.objects.subtree(organ).active())
    organs = [o for o in organs if o.pk != organ.pk]
    published = published_reports(organs, year)
    reports = {r.organ_id: r for r in AnnualReport.objects.filter(organ__in=organs, year=year)}
    rows = []
    for o in organs:
        record = published.get(o.pk)
        deadline = deadline_for(o, year)
        published_on = _local_date(record.published_at) if record else None
        rows.append(RollupRow(o, deadline, published_on, record, reports.get(o.pk),
                              overdue=published_on is None and today > deadline, year=year))
    return rows


def public_report(code: str, year: int) -> AnnualReport | None:
    """A report whose record went public through the one door, else None."""
    return (AnnualReport.objects.select_related("organ", "record")
            .filter(organ__code=code, year=year, record__in=Record.objects.public()).first())
