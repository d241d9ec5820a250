"""The compliance monitor of a 公开办: indicators over its organ and the organs below, each with its list.

Every indicator is computed on the working-day calendar (``get_work_calendar``)
and takes ``today`` as an argument. Dates of records are their local
(Asia/Shanghai) calendar days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import Organ
from gongkai.records.models import Record, Status, Validity
from gongkai.workdays import CalendarError, WorkCalendar

from . import selectors

PUBLISH_WORKDAYS = 20         # 条例第二十六条
INTERPRETATION_WORKDAYS = 3   # seed 台儿庄: 文件公布后3个工作日内
EXPIRY_WINDOW_DAYS = 30
DUE_SOON_WORKDAYS = 5
FEEDBACK_WORKDAYS = 20        # 意见采纳情况反馈: by analogy with 条例第二十六条's 20 working days


@dataclass
class Row:
    """One line of an indicator's list."""

    title: str
    url: str
    organ: str
    detail: str
    date: dt.date | None = None


@dataclass
class Indicator:
    code: str
    title: str
    basis: str
    rows: list[Row]

    @property
    def count(self) -> int:
        return len(self.rows)


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def _late(cal: WorkCalendar, start: dt.date, end: dt.date, n: int) -> int | None:
    """Working days beyond the limit (None when in time or outside the calendar)."""
    try:
        limit = cal.add_workdays(start, n)
        return cal.workdays_between(limit, end) if end > limit else None
    except CalendarError:
        return None


def _record_url(record: Record) -> str:
    from django.urls import reverse

    return reverse("workspace:record", kwargs={"pk": record.pk})


def _app_url(app: Application) -> str:
    return app.get_absolute_url()


def late_publication(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    start = dt.date(today.year, 1, 1)
    qs = (Record.objects.public().filter(organ__in=organs, written_on__isnull=False,
                                         published_at__date__gte=start - dt.timedelta(days=1))
          .select_related("organ").order_by("published_at"))
    rows = []
    for r in qs:
        published = _day(r.published_at)
        if published is None or published < start:
            continue
        late = _late(cal, r.written_on, published, PUBLISH_WORKDAYS)
        if late:
            rows.append(Row(r.title, _record_url(r), r.organ.display_name,
                            f"成文 {r.written_on:%Y-%m-%d}，发布 {published:%Y-%m-%d}，超过20个工作日 {late} 个工作日", published))
    return rows


def missing_interpretation(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    public = Record.objects.public()
    qs = (public.filter(organ__in=organs, genre__code__in=["normative", "rule"]).in_force(today)
          .exclude(interpretations__in=public).select_related("organ", "genre").order_by("-published_at"))
    return [Row(r.title, _record_url(r), r.organ.display_name, f"{r.genre.name}，{_day(r.published_at):%Y-%m-%d} 发布，尚无公开的政策解读",
                _day(r.published_at)) for r in qs]


def late_interpretation(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    start = dt.date(today.year, 1, 1)
    qs = (Record.objects.public().filter(organ__in=organs, genre__is_interpretation=True, interprets__isnull=False,
                                         interprets__published_at__isnull=False,
                                         published_at__date__gte=start - dt.timedelta(days=1))
          .select_related("organ", "interprets").order_by("published_at"))
    rows = []
    for r in qs:
        doc_day, own_day = _day(r.interprets.published_at), _day(r.published_at)
        if own_day is None or doc_day is None or own_day < start:
            continue
        late = _late(cal, doc_day, own_day, INTERPRETATION_WORKDAYS)
        if late:
            rows.append(Row(r.title, _record_url(r), r.organ.display_name,
                            f"文件 {doc_day:%Y-%m-%d} 公布，解读 {own_day:%Y-%m-%d} 发布，超过3个工作日 {late} 个工作日", own_day))
    return rows


def expiring(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    qs = (Record.objects.filter(organ__in=organs, status=Status.PUBLISHED, genre__code__in=["normative", "rule"],
                                validity=Validity.VALID, valid_until__gte=today,
                                valid_until__lte=today + dt.timedelta(days=EXPIRY_WINDOW_DAYS))
          .select_related("organ").order_by("valid_until"))
    return [Row(r.title, _record_url(r), r.organ.display_name,
                f"有效期至 {r.valid_until:%Y-%m-%d}（还有 {(r.valid_until - today).days} 天），请评估是否延续、修订或废止",
                r.valid_until) for r in qs]


def expired_undecided(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    qs = (Record.objects.filter(organ__in=organs, status=Status.PUBLISHED, genre__code__in=["normative", "rule"],
                                validity=Validity.VALID, valid_until__lt=today)
          .select_related("organ").order_by("valid_until"))
    return [Row(r.title, _record_url(r), r.organ.display_name,
                f"有效期已于 {r.valid_until:%Y-%m-%d} 届满，尚未作出延续、修订或废止的决定", r.valid_until) for r in qs]


def _apps(organs):
    return Application.objects.filter(organ__in=organs).select_related("organ")


def applications_due_soon(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    qs = _apps(organs).due_soon(today=today, workdays=DUE_SOON_WORKDAYS, calendar=cal).order_by("due_date")
    return [Row(f"{a.tracking_code} {a.title}", _app_url(a), a.organ.display_name, f"答复期限 {a.due_date:%Y-%m-%d}",
                a.due_date) for a in qs]


def applications_overdue(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    qs = _apps(organs).overdue(today=today).order_by("due_date")
    return [Row(f"{a.tracking_code} {a.title}", _app_url(a), a.organ.display_name,
                f"答复期限 {a.due_date:%Y-%m-%d}，已逾期 {(today - a.due_date).days} 天", a.due_date) for a in qs]


def applications_answered_late(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    """Answered this year after the due date (the clock's cached due date at closing)."""
    qs = (Application.objects.filter(organ__in=organs, determination__decided_on__year=today.year,
                                     due_date__isnull=False, determination__decided_on__gt=F("due_date"))
          .select_related("organ", "determination").order_by("determination__decided_on"))
    rows = []
    for a in qs:
        decided = a.determination.decided_on
        late = _late(cal, a.due_date, decided, 0)
        rows.append(Row(f"{a.tracking_code} {a.title}", _app_url(a), a.organ.display_name,
                        f"答复期限 {a.due_date:%Y-%m-%d}，{decided:%Y-%m-%d} 答复" + (f"，迟延 {late} 个工作日" if late else ""),
                        decided))
    return rows


def consultation_feedback_missing(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    """Consultations whose period ended more than FEEDBACK_WORKDAYS ago without published feedback."""
    from django.urls import reverse

    from gongkai.participation.selectors.consultations import consultations_without_feedback

    rows = []
    for c in consultations_without_feedback(organs=organs, today=today):
        late = _late(cal, c.ends_on, today, FEEDBACK_WORKDAYS)
        if late:
            rows.append(Row(c.title, reverse("participation_staff:consultation", kwargs={"pk": c.pk}),
                            c.organ.display_name,
                            f"{c.ends_on:%Y-%m-%d} 征集结束，超过{FEEDBACK_WORKDAYS}个工作日 {late} 个工作日仍未发布采纳情况反馈",
                            c.ends_on))
    return rows


def messages_overdue(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    """Open messages past their reply deadline (working days, per organ and type)."""
    from django.urls import reverse

    from gongkai.participation.models import Message

    qs = Message.objects.filter(organ__in=organs).overdue(today).select_related("organ").order_by("due_on")
    return [Row(f"{m.receipt_code} {m.subject}", reverse("participation_staff:message", kwargs={"pk": m.pk}),
                m.organ.display_name, f"答复期限 {m.due_on:%Y-%m-%d}" + ("（暂定）" if m.due_provisional else "")
                + f"，已逾期 {cal.workdays_between(m.due_on, today)} 个工作日", m.due_on) for m in qs]


def message_figures(organ: Organ, *, today: dt.date) -> tuple[list[Any], Any]:
    """Message figures of this year so far, one row per organ of the subtree that received any, and the total:
    received, replied, on time, average working days, satisfaction (the same figures /messages/stats/ shows)."""
    from gongkai.participation.selectors.messages import message_stats, message_stats_by_organ

    organs = Organ.objects.subtree(organ).filter(is_active=True)
    start = dt.date(today.year, 1, 1)
    return (message_stats_by_organ(start=start, end=today, organs=organs),
            message_stats(organs=organs, start=start, end=today))


def answers_flagged(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    """口径库 entries whose basis was revised, repealed or expired and that wait for review."""
    from django.urls import reverse

    from gongkai.participation.models import Answer, AnswerStatus

    qs = Answer.objects.filter(organ__in=organs, status=AnswerStatus.FLAGGED).select_related("organ")
    return [Row(a.question, reverse("participation_staff:answer", kwargs={"pk": a.pk}), a.organ.display_name,
                a.flag_reason, _day(a.updated_at)) for a in qs.order_by("updated_at")]


def concerns_overdue(organs, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    """Lines of the 舆情回应台账 still waiting for a response after their deadline."""
    from django.urls import reverse

    from gongkai.participation.services.concerns import concerns_overdue as overdue

    url = reverse("participation_staff:concerns") + "?status=overdue"
    return [Row(c.title, url, c.organ.display_name,
                f"回应时限 {c.deadline:%Y-%m-%d}，已逾期 {(today - c.deadline).days} 天（{c.get_source_display()}）",
                c.deadline)
            for c in overdue(organs=organs, today=today)]


def reports_missing(organ: Organ, *, today: dt.date, cal: WorkCalendar) -> list[Row]:
    from django.urls import reverse

    year = today.year - 1
    rows = []
    for r in selectors.rollup(organ, year, today=today):
        if r.overdue:
            rows.append(Row(f"{r.organ.name}{year}年政府信息公开工作年度报告", reverse(
                "reports:edit", kwargs={"slug": f"{r.organ.code}-{year}"}), r.organ.display_name,
                f"应于 {r.deadline:%Y-%m-%d} 前公布，至今未发布", r.deadline))
    return rows


INDICATORS: list[tuple[str, str, str, Callable[..., list[Row]]]] = [
    ("late_publication", "超过20个工作日才公开的信息（本年）", "条例第二十六条", late_publication),
    ("missing_interpretation", "没有政策解读的规章和行政规范性文件（现行有效）", "政策文件与解读同步", missing_interpretation),
    ("late_interpretation", "晚于文件3个工作日发布的政策解读（本年）", "文件公布后3个工作日内发布解读", late_interpretation),
    ("expiring", "30天内到期的规范性文件", "有效期届满前评估", expiring),
    ("expired_undecided", "有效期已过但未作决定的规范性文件", "有效期届满前评估", expired_undecided),
    ("applications_due_soon", "即将到期的依申请公开（5个工作日内）", "条例第三十三条", applications_due_soon),
    ("applications_overdue", "已逾期未答复的依申请公开", "条例第三十三条", applications_overdue),
    ("applications_answered_late", "本年逾期答复的依申请公开", "条例第三十三条", applications_answered_late),
    ("consultation_feedback_missing", "征集结束超过20个工作日仍未发布意见采纳情况反馈的意见征集",
     "意见采纳情况反馈", consultation_feedback_missing),
    ("messages_overdue", "已逾期未答复的留言", "留言答复期限（工作日）", messages_overdue),
    ("answers_flagged", "依据文件已修订、废止或失效，待复核的口径", "口径库依据有效", answers_flagged),
    ("concerns_overdue", "逾期未回应的社会关切（回应关切台账）", "回应关切", concerns_overdue),
    ("reports_missing", "逾期未发布上年度报告的下属机关", "条例第四十九条", None),  # type: ignore[list-item]
]
CODES = [code for code, *_ in INDICATORS]


def indicator(organ: Organ, code: str, *, today: dt.date, cal: WorkCalendar | None = None) -> Indicator:
    cal = cal or get_work_calendar()
    for c, title, basis, fn in INDICATORS:
        if c == code:
            if fn is None:
                rows = reports_missing(organ, today=today, cal=cal)
            else:
                rows = fn(Organ.objects.subtree(organ).filter(Q(is_active=True)), today=today, cal=cal)
            return Indicator(c, title, basis, rows)
    raise KeyError(code)


def indicators(organ: Organ, *, today: dt.date) -> list[Indicator]:
    cal = get_work_calendar()
    return [indicator(organ, code, today=today, cal=cal) for code in CODES]


DIGEST_MESSAGE_ORGANS = 10  # organs listed by name in the digest's message figures; the page lists all


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def message_figures_line(stats: Any) -> str:
    """One organ's (or the total's) message figures as the monitor's table shows them."""
    text = (f"收到 {stats.received} 件，已答复 {stats.replied} 件（按期 {stats.on_time} 件，"
            f"按期答复率 {_rate(stats.on_time_rate)}）")
    if stats.avg_workdays is not None:
        text += f"，平均用时 {stats.avg_workdays:.1f} 个工作日"
    return text + f"，满意率 {_rate(stats.satisfaction_rate)}（评价 {stats.rated} 件）"


def message_digest_lines(organ: Organ, *, today: dt.date) -> list[str]:
    """The year's message figures per organ of the subtree, for the weekly digest (as on the monitor page)."""
    rows, total = message_figures(organ, today=today)
    period = f"· 本年网民留言（{today.year}年1月1日至{today.month}月{today.day}日）："
    if not total.received:
        return [period + "还没有收到留言。"]
    lines = [period + message_figures_line(total)]
    for row in rows[:DIGEST_MESSAGE_ORGANS]:
        lines.append(f"    - {row.organ.display_name}：{message_figures_line(row)}")
    if len(rows) > DIGEST_MESSAGE_ORGANS:
        lines.append(f"    - ……另有 {len(rows) - DIGEST_MESSAGE_ORGANS} 个机关")
    return lines


def digest_text(organ: Organ, found: list[Indicator], *, today: dt.date, base_url: str = "",
                messages: list[str] | None = None) -> str:
    lines = [f"{organ.name}政务公开合规监测周报（{today:%Y-%m-%d}）", ""]
    for ind in found:
        lines.append(f"· {ind.title}：{ind.count} 项")
        for row in ind.rows[:5]:
            lines.append(f"    - {row.organ} {row.title}：{row.detail}")
        if ind.count > 5:
            lines.append(f"    - ……另有 {ind.count - 5} 项")
    if messages:
        lines += ["", *messages]
    lines += ["", f"完整清单：{base_url}/workspace/reports/{organ.code}/monitor/"]
    return "\n".join(lines)


def as_dict(found: list[Indicator]) -> list[dict[str, Any]]:
    return [{"code": i.code, "title": i.title, "count": i.count} for i in found]
