"""The statutory clock of a disclosure application (依申请公开答复期限).

The due date is a pure function of the application's event log and a
:class:`~gongkai.workdays.WorkCalendar` — never a stored counter (DESIGN.md).
:func:`compute_clock` replays the log in order, refuses an invalid log with a
:class:`ClockError` (Chinese message), and returns a :class:`ClockResult`: the
due date, the state and why, working days used and left as of ``today``,
whether it is overdue, whether it is provisional (暂定) and why, and the
explanation — the ordered steps in Chinese, so the handler and the applicant
can see why the date is what it is.

Rules (REFERENCE.md §1.1, §1.2, §3.4, §4.6), each choice a field of
:class:`ClockSettings` with the reference's default:

* counting — a limit of n working days after day T ends on the n-th working
  day strictly after T; T never counts, whatever day of the week it is;
* reply — 20 working days after the date of receipt (Art. 33 ¶2), the date of
  receipt set by channel (Art. 31): in person = the day submitted; post needing
  a signature = the day signed for; ordinary post = the day of confirmation with
  the applicant; online and fax = the day both sides confirm;
* correction (补正, Art. 30) — from the request until the corrected
  application is received the application waits; the 20 days then run afresh
  from the day the corrected application is received; no correction in time =
  treated as abandoned (视为放弃申请);
* extension (延期, Art. 33 ¶2) — at most 20 working days, once, added after the
  deadline in force when approved; never after that deadline has passed;
* excluded intervals — third-party / other-agency consultation (Art. 32–34,
  Art. 33 ¶3) and the fee period (§3.4, a setting, on by default): every working
  day from the day the letter or notice is sent through the day the answer or
  payment is received, both included, is not counted; overlapping intervals are
  merged; an interval still open means the clock is paused. An interval that
  begins after the deadline in force has passed does not move it (an overdue
  office is not rescued by a later consultation);
* fee not paid in time — treated as abandoned; determination — the clock stops.

Pure Python: no Django, no I/O, no ``now()``; ``today`` is an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from gongkai.enums import LabelledStrEnum
from gongkai.workdays import Deadline, WorkCalendar, default_calendar, format_day

__all__ = [
    "DEFAULT_SETTINGS",
    "Channel",
    "ClockError",
    "ClockEvent",
    "ClockResult",
    "ClockSettings",
    "ClockState",
    "ConsultedParty",
    "EventKind",
    "ExcludedInterval",
    "compute_clock",
    "correction_notice_deadline",
    "fee_payment_deadline",
    "publication_deadline",
    "reply_deadline",
    "third_party_deadline",
]

_DAY = timedelta(days=1)


class ClockError(ValueError):
    """An event log that cannot be computed (message in Chinese, for the handler)."""


class Channel(LabelledStrEnum):
    """How the application arrived; decides the date of receipt (Art. 31)."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（需签收）"
    POST_ORDINARY = "post_ordinary", "邮寄（平信，无需签收）"
    ONLINE = "online", "网络"
    FAX = "fax", "传真"

    @property
    def needs_confirmation(self) -> bool:
        """Ordinary post, online and fax: the date of receipt is the confirmation day."""
        return self in (Channel.POST_ORDINARY, Channel.ONLINE, Channel.FAX)

    @property
    def receipt_rule(self) -> str:
        """The Art. 31 rule for this channel, in Chinese."""
        return {
            Channel.IN_PERSON: "提交之日为收到申请之日",
            Channel.POST_SIGNED: "签收之日为收到申请之日",
            Channel.POST_ORDINARY: "与申请人确认之日为收到申请之日",
            Channel.ONLINE: "双方确认之日为收到申请之日",
            Channel.FAX: "双方确认之日为收到申请之日",
        }[self]


class EventKind(LabelledStrEnum):
    """The kinds of clock event (the JSON ``kind`` values)."""

    RECEIVED = "received", "收到申请"
    CORRECTION_REQUESTED = "correction_requested", "告知补正"
    CORRECTED = "corrected", "收到补正后的申请"
    CORRECTION_EXPIRED = "correction_expired", "补正期限届满未补正"
    CONSULTATION_SENT = "consultation_sent", "发出征求意见函"
    CONSULTATION_ANSWERED = "consultation_answered", "收到征求意见答复"
    CONSULTATION_EXPIRED = "consultation_expired", "征求意见期限届满"
    FEE_NOTICE_SENT = "fee_notice_sent", "发出收费通知"
    FEE_PAID = "fee_paid", "收到缴费"
    FEE_EXPIRED = "fee_expired", "缴费期限届满未缴费"
    EXTENDED = "extended", "批准延期"
    DETERMINED = "determined", "作出答复"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    REOPENED = "reopened", "复议或诉讼纠正后重新办理"


class ConsultedParty(LabelledStrEnum):
    """Whom a consultation letter goes to."""

    THIRD_PARTY = "third_party", "第三方"  # Art. 32: 15 working days
    CO_PRODUCER = "co_producer", "共同制作机关"  # Art. 34: 15 working days
    AGENCY = "agency", "其他机关"  # Art. 33 ¶3: no statutory period


class ClockState(LabelledStrEnum):
    """Where the clock stands."""

    RUNNING = "running", "计时中"
    PAUSED = "paused", "暂停计时"
    WAITING_CORRECTION = "waiting_correction", "待补正"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "待确认收到"
    STOPPED = "stopped", "已答复，计时停止"
    ABANDONED = "abandoned", "视为放弃申请，终止办理"


@dataclass(frozen=True)
class ClockSettings:
    """Every point on which the texts leave a choice (REFERENCE.md §4.6), with its default.

    The defaults are the project's conventions; change one only on the basis of
    a local rule, and say so where the result is shown.
    """

    #: Art. 33 ¶2: reply within 20 working days of the date of receipt.
    reply_workdays: int = 20
    #: §4.6 counting: the trigger day T never counts (civil-law default, 民法典
    #: Art. 201). True = T counts as day 1 when it is a working day.
    count_trigger_day: bool = False
    #: Receipt on a non-working day (weekend, holiday). False (§4.6): T is that
    #: day and the first working day after it is day 1. True: receipt is deemed
    #: to happen on the next working day, which itself then does not count
    #: (one working day more) — a local practice some offices follow.
    non_workday_receipt_moves_to_next_workday: bool = False
    #: Ordinary post / online / fax with no confirmation date recorded. True:
    #: the arrival date is taken as the confirmation date (the earliest possible
    #: receipt date, so the office is never late because of it) and a warning
    #: says so. False: the clock waits (state ``awaiting_confirmation``).
    assume_confirmed_on_arrival: bool = True
    #: Art. 30: the correction notice is due within 7 working days of receipt
    #: (a later notice is accepted with a warning).
    correction_notice_workdays: int = 7
    #: §4.6 correction: True = the 20 days run afresh from the day the corrected
    #: application is received (Art. 30). False = the wait from the request to
    #: the corrected application is an excluded interval instead (a pause).
    correction_restarts_clock: bool = True
    #: Art. 33 ¶2: an extension adds at most 20 working days …
    max_extension_workdays: int = 20
    #: … once only …
    max_extensions: int = 1
    #: … and cannot be approved once the deadline in force has passed.
    extension_after_due_allowed: bool = False
    #: Art. 32 / Art. 34: the consulted third party (or co-producing agency)
    #: answers within 15 working days of receiving the letter.
    consultation_workdays: int = 15
    #: §3.4 (unconfirmed wording, "if adopted"): the fee period — from the day
    #: the fee notice is issued through the day of payment — is not counted.
    #: Adopted by default, like the consultation pause; False = the fee notice
    #: does not pause the clock (non-payment still ends the application).
    fee_period_excluded: bool = True
    #: §3.4: payment is due within 20 working days from the day after the
    #: applicant receives the fee notice.
    fee_payment_workdays: int = 20
    #: Art. 26: proactive publication within 20 working days of the
    #: information being formed or changed.
    publication_workdays: int = 20

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("int", int) and (not isinstance(value, int) or isinstance(value, bool)):
                raise ClockError(f"设置 {f.name} 应为整数")
            if f.type in ("bool", bool) and not isinstance(value, bool):
                raise ClockError(f"设置 {f.name} 应为 true 或 false")
        if self.reply_workdays < 1:
            raise ClockError("设置 reply_workdays 应至少为 1 个工作日")
        for name in (
            "correction_notice_workdays",
            "consultation_workdays",
            "fee_payment_workdays",
            "publication_workdays",
            "max_extension_workdays",
            "max_extensions",
        ):
            if getattr(self, name) < 0:
                raise ClockError(f"设置 {name} 不能为负数")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ClockSettings:
        """Settings from a JSON-like mapping; unknown keys are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ClockError(
                f"未知的设置项：{'、'.join(unknown)}；可用：{'、'.join(sorted(known))}"
            )
        return cls(**dict(values))

    def as_dict(self) -> dict[str, Any]:
        """The settings as a plain dict (for JSON output)."""
        return asdict(self)


DEFAULT_SETTINGS = ClockSettings()


@dataclass(frozen=True)
class ClockEvent:
    """One entry of an application's event log.

    ``date`` is the day the thing happened: for ``received`` the day the
    application arrived (submitted in person, signed for, arrived by post,
    submitted online or by fax) — with ``confirmed`` the confirmation day where
    the channel needs one (Art. 31); for ``corrected`` the day the corrected
    application is received; for ``*_sent`` the day the letter or notice is
    sent; for ``consultation_answered`` / ``fee_paid`` the day the answer or
    payment is received; for ``consultation_expired`` the last day of the
    consulted party's period; for ``correction_expired`` / ``fee_expired`` the
    day the office records that the period ran out.

    Optional fields: ``delivered`` (day the consulted party or the applicant
    received the letter/notice, to check the period precisely), ``deadline``
    (on ``correction_requested``: the correction period the office set),
    ``party`` and ``ref`` (on consultations: whom, and a reference pairing an
    answer with its letter), ``workdays`` (on ``extended``: required), and a
    free ``note``.
    """

    kind: EventKind
    date: date
    channel: Channel | None = None
    confirmed: date | None = None
    workdays: int | None = None
    delivered: date | None = None
    deadline: date | None = None
    party: ConsultedParty | None = None
    ref: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        kind = self.kind
        if not isinstance(kind, EventKind):
            raise ClockError(f"未知的事件类型：{kind!r}")
        if not isinstance(self.date, date):
            raise ClockError(f"{kind.label}：缺少日期")
        if kind is EventKind.RECEIVED:
            if not isinstance(self.channel, Channel):
                raise ClockError("收到申请事件须注明渠道（channel）")
            if self.confirmed is not None:
                if not self.channel.needs_confirmation:
                    raise ClockError(
                        f"{self.channel.label}的申请无需确认：{self.channel.receipt_rule}，不应填写确认日期（confirmed）"
                    )
                if self.confirmed < self.date:
                    raise ClockError(
                        f"确认日期 {self.confirmed.isoformat()} 早于申请到达日期 {self.date.isoformat()}"
                    )
        elif self.channel is not None or self.confirmed is not None:
            raise ClockError(f"{kind.label}事件不应有渠道（channel）或确认日期（confirmed）")
        if kind is EventKind.EXTENDED:
            if (
                not isinstance(self.workdays, int)
                or isinstance(self.workdays, bool)
                or self.workdays < 1
            ):
                raise ClockError("批准延期事件须注明延长的工作日数（workdays，正整数）")
        elif kind is EventKind.REOPENED:
            if self.workdays is not None and (
                not isinstance(self.workdays, int)
                or isinstance(self.workdays, bool)
                or self.workdays < 1
            ):
                raise ClockError("重新办理的期限（workdays）应为正整数个工作日")
        elif self.workdays is not None:
            raise ClockError(f"{kind.label}事件不应有工作日数（workdays）")
        if self.delivered is not None:
            if kind not in (EventKind.CONSULTATION_SENT, EventKind.FEE_NOTICE_SENT):
                raise ClockError(f"{kind.label}事件不应有送达日期（delivered）")
            if self.delivered < self.date:
                raise ClockError(
                    f"{kind.label}：送达日期 {self.delivered.isoformat()} 早于发出日期 {self.date.isoformat()}"
                )
        if self.deadline is not None:
            if kind is not EventKind.CORRECTION_REQUESTED:
                raise ClockError(f"{kind.label}事件不应有期限（deadline）")
            if self.deadline < self.date:
                raise ClockError(
                    f"补正期限 {self.deadline.isoformat()} 早于告知补正日期 {self.date.isoformat()}"
                )
        if self.party is not None and kind is not EventKind.CONSULTATION_SENT:
            raise ClockError(f"{kind.label}事件不应有征求对象（party）")
        if self.ref is not None and kind not in (
            EventKind.CONSULTATION_SENT,
            EventKind.CONSULTATION_ANSWERED,
            EventKind.CONSULTATION_EXPIRED,
        ):
            raise ClockError(f"{kind.label}事件不应有编号（ref）")

    @property
    def receipt_date(self) -> date:
        """For ``received``: the Art. 31 date of receipt, if known (confirmation day or arrival)."""
        return self.confirmed or self.date

    @property
    def effective_date(self) -> date:
        """The date that orders this event in the log."""
        return self.receipt_date if self.kind is EventKind.RECEIVED else self.date


@dataclass(frozen=True)
class ExcludedInterval:
    """Working days not counted (Art. 33 ¶3; fee period §3.4; correction if it pauses)."""

    start: date
    end: date | None  # None: still open (the clock is paused)
    reasons: tuple[str, ...]
    workdays: int  # working days not counted (so far, if open)

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "reasons": list(self.reasons),
            "workdays": self.workdays,
        }


@dataclass(frozen=True)
class ClockResult:
    """What :func:`compute_clock` found. Dates are ``None`` where not (yet) defined."""

    state: ClockState
    state_reason: str
    receipt_date: date | None
    start_date: date | None  # T in force: date of receipt, or of the corrected application
    first_counted_day: date | None  # 起算日: the first working day that counts
    due_date: date | None
    reply_workdays: int
    extension_workdays: int
    excluded_workdays: int
    as_of: date | None
    workdays_used: int | None
    workdays_left: int | None
    workdays_overdue: int | None
    overdue: bool | None
    provisional: bool
    provisional_reasons: tuple[str, ...]
    excluded_intervals: tuple[ExcludedInterval, ...]
    warnings: tuple[str, ...]
    explanation: tuple[str, ...]
    stopped_on: date | None = None
    projected_due_date: date | None = None  # while paused/waiting: due date if it resumed on as_of
    calendar_source: str = ""
    settings: ClockSettings = field(default=DEFAULT_SETTINGS)

    @property
    def state_label(self) -> str:
        """Chinese label of the state."""
        return self.state.label

    @property
    def total_workdays(self) -> int:
        """Working days allowed: reply limit plus extension."""
        return self.reply_workdays + self.extension_workdays

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (ISO dates, Chinese texts)."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "due_date": iso(self.due_date),
            "state": self.state.value,
            "state_label": self.state.label,
            "state_reason": self.state_reason,
            "receipt_date": iso(self.receipt_date),
            "start_date": iso(self.start_date),
            "first_counted_day": iso(self.first_counted_day),
            "reply_workdays": self.reply_workdays,
            "extension_workdays": self.extension_workdays,
            "excluded_workdays": self.excluded_workdays,
            "total_workdays": self.total_workdays,
            "as_of": iso(self.as_of),
            "workdays_used": self.workdays_used,
            "workdays_left": self.workdays_left,
            "workdays_overdue": self.workdays_overdue,
            "overdue": self.overdue,
            "stopped_on": iso(self.stopped_on),
            "projected_due_date": iso(self.projected_due_date),
            "provisional": self.provisional,
            "provisional_reasons": list(self.provisional_reasons),
            "excluded_intervals": [i.as_dict() for i in self.excluded_intervals],
            "warnings": list(self.warnings),
            "explanation": list(self.explanation),
            "calendar": self.calendar_source,
        }


# -- deadline helpers -----------------------------------------------------------


def _count(cal: WorkCalendar, settings: ClockSettings, trigger: date, n: int) -> Deadline:
    """n working days after ``trigger`` under the counting setting."""
    anchor = trigger - _DAY if settings.count_trigger_day else trigger
    d = cal.deadline(anchor, n)
    return Deadline(trigger, n, d.date, d.provisional, d.reasons)


def reply_deadline(
    receipt: date,
    *,
    calendar: WorkCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
) -> Deadline:
    """Art. 33 ¶2: the reply deadline for an application received on ``receipt``
    (no correction, pause or extension; see :func:`compute_clock` for those)."""
    return _count(calendar or default_calendar(), settings, receipt, settings.reply_workdays)


def correction_notice_deadline(
    receipt: date,
    *,
    calendar: WorkCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
) -> Deadline:
    """Art. 30: last day to send the one-time correction notice (7 working days after receipt)."""
    return _count(
        calendar or default_calendar(), settings, receipt, settings.correction_notice_workdays
    )


def third_party_deadline(
    letter_received: date,
    *,
    calendar: WorkCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
) -> Deadline:
    """Art. 32 (and Art. 34 for co-producers): the consulted party's last day to answer,
    15 working days after it receives the consultation letter."""
    return _count(
        calendar or default_calendar(), settings, letter_received, settings.consultation_workdays
    )


def fee_payment_deadline(
    notice_received: date,
    *,
    calendar: WorkCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
) -> Deadline:
    """§3.4: the applicant's last day to pay — 20 working days counted from the day
    after receiving the fee notice (= the 20th working day strictly after it)."""
    return _count(
        calendar or default_calendar(), settings, notice_received, settings.fee_payment_workdays
    )


def publication_deadline(
    formed_or_changed: date,
    *,
    calendar: WorkCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
) -> Deadline:
    """Art. 26: last day to publish proactively, 20 working days after the
    information is formed or changed (another limit set by law prevails)."""
    return _count(
        calendar or default_calendar(), settings, formed_or_changed, settings.publication_workdays
    )


# -- the clock --------------------------------------------------------------------


@dataclass
class _Interval:
    """A closed excluded interval, both ends included."""

    start: date
    end: date
    reasons: list[str]


@dataclass
class _Open:
    """An open reason to pause: a consultation letter, the fee notice, a correction wait."""

    kind: str  # "consultation" | "fee" | "correction"
    since: date
    label: str
    ref: str | None = None
    expiry_from: date | None = None  # earliest day its expiry may be recorded


@dataclass
class _Block:
    """The open excluded interval: from the first open reason until none is left."""

    start: date
    effective: bool  # False: it began after the deadline had passed, so it moves nothing
    reasons: list[str]


def _fmt(d: date) -> str:
    return d.isoformat()


class _Clock:
    """Replays one event log. Internal; use :func:`compute_clock`."""

    def __init__(self, cal: WorkCalendar, settings: ClockSettings) -> None:
        self.cal = cal
        self.s = settings
        self.steps: list[str] = []
        self.warnings: list[str] = []
        self.state: ClockState | None = None
        self.state_reason = ""
        self.receipt: date | None = None  # Art. 31 date of receipt of the application
        self.start: date | None = None  # T in force (receipt, or corrected application)
        self.anchor: date | None = None  # the last day that does not count
        self.budget = settings.reply_workdays
        self.extension = 0
        self.n_extensions = 0
        self.n_corrections = 0
        self.intervals: list[_Interval] = []  # closed, effective, merged, in order
        self.open: list[_Open] = []
        self.block: _Block | None = None
        self.correction_on: date | None = None
        self.correction_deadline: date | None = None
        self.fee_notices = 0
        self.fee_payment_due: date | None = None
        self.stopped_on: date | None = None
        self.withdrawn = False
        self.reopened = False
        self.last_date: date | None = None
        self.pending_notes: tuple[str, ...] = ()

    # -- arithmetic on the current state -------------------------------------------

    def _blocks(self, open_end: date | None) -> list[tuple[date, date | None]]:
        blocks: list[tuple[date, date | None]] = [(i.start, i.end) for i in self.intervals]
        if self.block is not None and self.block.effective:
            blocks.append((self.block.start, open_end))
        return blocks

    def _due(self) -> date | None:
        """The deadline in force; None while an effective pause is open and the
        budget is not used up before it."""
        cal = self.cal
        assert self.anchor is not None
        counted = 0
        pos = self.anchor  # every day up to pos has been accounted for
        for s, f in self._blocks(None):
            gap_end = s - _DAY
            if gap_end > pos:
                c = cal.workdays_between(pos, gap_end)
                if counted + c >= self.budget:
                    return cal.add_workdays(pos, self.budget - counted)
                counted += c
            if f is None:
                return None
            pos = max(pos, f)
        return cal.add_workdays(pos, self.budget - counted)

    def _used(self, until: date) -> int:
        """Working days counted in (anchor, until]: not inside an excluded interval."""
        cal = self.cal
        assert self.anchor is not None
        if until <= self.anchor:
            return 0
        total = cal.workdays_between(self.anchor, until)
        covered = self.anchor
        for s, f in self._blocks(until):
            lo = max(s - _DAY, covered)
            hi = min(f or until, until)
            if hi > lo:
                total -= cal.workdays_between(lo, hi)
            covered = max(covered, hi)
        return total

    def _excluded(self, start: date, end: date) -> int:
        """Working days of [start, end] that would otherwise count."""
        assert self.anchor is not None
        lo = max(start - _DAY, self.anchor)
        return self.cal.workdays_between(lo, end) if end > lo else 0

    def _excluded_total(self) -> int:
        return sum(self._excluded(i.start, i.end) for i in self.intervals)

    def _due_if_resumed(self, on: date) -> date | None:
        """The deadline if the open pause ended on ``on``."""
        if self.block is None or not self.block.effective:
            return self._due()
        saved = self.block
        self.intervals.append(_Interval(saved.start, max(on, saved.start), saved.reasons))
        self.block = None
        try:
            return self._due()
        finally:
            self.intervals.pop()
            self.block = saved

    def _day(self, d: date) -> str:
        """``2025-09-28（周日，调休上班（国庆节））``; plain :func:`format_day` for an ordinary day."""
        info = self.cal.day(d)
        text = format_day(d)
        if info.kind.value in ("workday", "weekend"):
            return f"{text[:-1]}，暂定）" if info.provisional else text
        return f"{text[:-1]}，{info.label}）"

    # -- replay ----------------------------------------------------------------------

    def run(self, events: Sequence[ClockEvent], today: date | None) -> ClockResult:
        if not events:
            raise ClockError("事件记录为空：第一条事件必须是“收到申请”（received）")
        for index, ev in enumerate(events, start=1):
            if not isinstance(ev, ClockEvent):
                raise ClockError(f"第 {index} 条事件不是有效的事件")
            try:
                self._check_order(ev, today)
                self._apply(ev)
            except ClockError as exc:
                raise ClockError(
                    f"第 {index} 条事件（{_fmt(ev.date)} {ev.kind.label}）：{exc}"
                ) from None
            self.last_date = ev.effective_date
        return self._result(today)

    def _check_order(self, ev: ClockEvent, today: date | None) -> None:
        when = ev.effective_date
        if today is not None and when > today:
            raise ClockError(f"事件日期晚于计算日 {_fmt(today)}")
        if self.state is None:
            if ev.kind is not EventKind.RECEIVED:
                raise ClockError("事件早于收到申请：第一条事件必须是“收到申请”（received）")
            return
        if ev.kind is EventKind.RECEIVED:
            raise ClockError(
                "重复的“收到申请”事件：一份申请只能收到一次（补正后的申请请用 corrected）"
            )
        if ev.kind is EventKind.REOPENED:
            if self.state not in (ClockState.STOPPED, ClockState.ABANDONED) or self.withdrawn:
                raise ClockError("只有已作出答复或已终止办理（非申请人撤回）的申请，才能因复议、诉讼纠正而重新办理")
        elif self.state is ClockState.STOPPED:
            raise ClockError(f"已于 {_fmt(self.stopped_on or when)} 作出答复，其后不能再有事件")
        elif self.state is ClockState.ABANDONED:
            raise ClockError(f"申请已于 {_fmt(self.stopped_on or when)} 视为放弃，其后不能再有事件")
        if self.state is ClockState.AWAITING_CONFIRMATION:
            raise ClockError(
                "尚未确认收到申请（第三十一条），不能记录后续事件；请在收到申请事件中填写确认日期（confirmed）"
            )
        assert self.receipt is not None and self.last_date is not None
        if when < self.receipt:
            raise ClockError(f"事件早于收到申请之日 {_fmt(self.receipt)}")
        if when < self.last_date:
            raise ClockError(
                f"事件顺序与日期不符：早于上一条事件的日期 {_fmt(self.last_date)}，事件须按时间先后排列"
            )

    def _apply(self, ev: ClockEvent) -> None:
        kind = ev.kind
        if kind is EventKind.RECEIVED:
            self._received(ev)
            return
        if kind is EventKind.REOPENED:
            self._reopened(ev)
            return
        if self.state is ClockState.WAITING_CORRECTION and kind not in (
            EventKind.CORRECTED,
            EventKind.CORRECTION_EXPIRED,
            EventKind.WITHDRAWN,
        ):
            raise ClockError(
                "申请待补正期间只能记录收到补正（corrected）或补正期限届满（correction_expired）"
            )
        if kind is EventKind.CORRECTION_REQUESTED:
            self._correction_requested(ev)
        elif kind is EventKind.CORRECTED:
            self._corrected(ev)
        elif kind is EventKind.CORRECTION_EXPIRED:
            self._correction_expired(ev)
        elif kind is EventKind.CONSULTATION_SENT:
            self._consultation_sent(ev)
        elif kind in (EventKind.CONSULTATION_ANSWERED, EventKind.CONSULTATION_EXPIRED):
            self._consultation_closed(ev)
        elif kind is EventKind.FEE_NOTICE_SENT:
            self._fee_notice_sent(ev)
        elif kind in (EventKind.FEE_PAID, EventKind.FEE_EXPIRED):
            self._fee_closed(ev)
        elif kind is EventKind.EXTENDED:
            self._extended(ev)
        elif kind is EventKind.WITHDRAWN:
            self._withdrawn(ev)
        else:
            self._determined(ev)

    # -- received / correction ---------------------------------------------------------

    def _start_clock(self, t: date, what: str) -> str:
        """(Re)start the reply period from trigger day ``t``; return the step text."""
        s = self.s
        cal = self.cal
        prefix = ""
        if s.non_workday_receipt_moves_to_next_workday and not cal.is_workday(t):
            moved = cal.next_workday(t)
            prefix = f"→ 非工作日收到，按设置视为 {format_day(moved)} 收到 "
            t = moved
        self.start = t
        self.anchor = t - _DAY if s.count_trigger_day else t
        self.budget = s.reply_workdays
        self.intervals = []
        first = cal.next_workday(self.anchor)
        due = self._due()
        assert due is not None
        rule = "收到当日计入（按设置）" if s.count_trigger_day else "收到当日不计"
        self.pending_notes = cal.describe_span(self.anchor, due)
        return (
            f"{prefix}→ {rule}，起算日 {self._day(first)}"
            f"→ {s.reply_workdays} 个工作日{what}，答复期限 {self._day(due)}"
        )

    def _add_span_notes(self) -> None:
        if self.pending_notes:
            self.steps.append("  期间：" + "；".join(self.pending_notes))
            self.pending_notes = ()

    def _received(self, ev: ClockEvent) -> None:
        ch = ev.channel
        assert ch is not None
        self.state = ClockState.RUNNING
        self.state_reason = "答复期限计时中"
        if ch.needs_confirmation and ev.confirmed is None:
            if not self.s.assume_confirmed_on_arrival:
                self.receipt = ev.date
                self.state = ClockState.AWAITING_CONFIRMATION
                self.state_reason = f"{ch.label}申请以{ch.receipt_rule}（第三十一条）；尚未记录确认日期，答复期限尚未起算"
                self.steps.append(f"{self._day(ev.date)} 申请到达（{ch.label}），待确认")
                return
            self.warnings.append(
                f"{ch.label}申请以{ch.receipt_rule}（第三十一条）；未记录确认日期（confirmed），"
                f"按到达日 {_fmt(ev.date)} 计算（最早可能的日期）"
            )
        if ch is Channel.POST_ORDINARY and ev.confirmed is not None and ev.confirmed > ev.date:
            self.warnings.append(
                f"平信应于到达当日与申请人确认（第三十一条）；信件 {_fmt(ev.date)} 到达，"
                f"{_fmt(ev.confirmed)} 才确认"
            )
        receipt = ev.receipt_date
        self.receipt = receipt
        arrived = (
            f"，{_fmt(ev.date)} 到达"
            if ev.confirmed is not None and ev.confirmed != ev.date
            else ""
        )
        self.steps.append(
            f"{self._day(receipt)} 收到申请（{ch.label}，{ch.receipt_rule}{arrived}）"
            + self._start_clock(receipt, "（第三十三条第二款）")
        )
        self._add_span_notes()

    def _correction_requested(self, ev: ClockEvent) -> None:
        if self.n_corrections:
            raise ClockError("补正应一次性告知（第三十条），本申请已告知过补正")
        if self.open:
            raise ClockError("征求意见或缴费期间不能告知补正；补正应在收到申请后一次性告知")
        if self.extension:
            raise ClockError("已批准延期的申请不能再告知补正")
        due = self._due()
        assert due is not None and self.receipt is not None
        if ev.date > due:
            raise ClockError(f"答复期限已于 {_fmt(due)} 届满，不能再告知补正")
        limit = _count(self.cal, self.s, self.receipt, self.s.correction_notice_workdays).date
        if ev.date > limit:
            self.warnings.append(
                f"补正通知应在收到申请之日起 {self.s.correction_notice_workdays} 个工作日内发出"
                f"（第三十条），即不晚于 {_fmt(limit)}；实际于 {_fmt(ev.date)} 发出"
            )
        self.n_corrections += 1
        self.correction_on = ev.date
        self.correction_deadline = ev.deadline
        self.state = ClockState.WAITING_CORRECTION
        period = f"，补正期限至 {_fmt(ev.deadline)}" if ev.deadline else ""
        if self.s.correction_restarts_clock:
            self.state_reason = "已一次性告知补正，等待申请人补正；自收到补正后的申请之日起重新计算答复期限（第三十条）"
            self.steps.append(
                f"{self._day(ev.date)} 一次性告知补正{period} → 等待补正；"
                "答复期限自收到补正后的申请之日起重新计算（第三十条）"
            )
        else:
            self.state_reason = (
                "已一次性告知补正，等待申请人补正；补正期间不计算在答复期限内（按设置）"
            )
            self.steps.append(f"{self._day(ev.date)} 一次性告知补正{period}")
            self._open(_Open("correction", ev.date, "等待补正（按设置不计）"))

    def _expect_waiting_correction(self) -> None:
        if self.state is not ClockState.WAITING_CORRECTION:
            raise ClockError("没有待补正的告知：须先有“告知补正”（correction_requested）")

    def _corrected(self, ev: ClockEvent) -> None:
        self._expect_waiting_correction()
        self.state = ClockState.RUNNING
        self.state_reason = "答复期限计时中"
        if self.s.correction_restarts_clock:
            self.steps.append(
                f"{self._day(ev.date)} 收到补正后的申请，重新起算（第三十条）"
                + self._start_clock(ev.date, "")
            )
            self._add_span_notes()
        else:
            self.steps.append(f"{self._day(ev.date)} 收到补正后的申请")
            self._close("correction", ev.date, None)

    def _correction_expired(self, ev: ClockEvent) -> None:
        self._expect_waiting_correction()
        if self.correction_deadline is not None and ev.date <= self.correction_deadline:
            raise ClockError(f"补正期限至 {_fmt(self.correction_deadline)}，尚未届满")
        self._end_all_pauses(ev.date)
        self.state = ClockState.ABANDONED
        self.stopped_on = ev.date
        self.state_reason = (
            "申请人无正当理由逾期不补正，视为放弃申请，不再处理（第三十条；年度报告表三（六）1）"
        )
        self.steps.append(
            f"{self._day(ev.date)} 补正期限届满未补正 → 视为放弃申请，终止办理（第三十条）"
        )

    # -- excluded intervals ------------------------------------------------------------

    def _pauses(self, item: _Open) -> bool:
        return item.kind != "fee" or self.s.fee_period_excluded

    def _open(self, item: _Open) -> None:
        """An open reason to pause begins on ``item.since``."""
        self.open.append(item)
        if not self._pauses(item):
            return
        if self.block is not None:
            if item.label not in self.block.reasons:
                self.block.reasons.append(item.label)
            return
        due = self._due()
        assert due is not None
        effective = item.since <= due
        self.block = _Block(item.since, effective, [item.label])
        if effective:
            if self.state is ClockState.RUNNING:
                self.state = ClockState.PAUSED
            self.steps.append(
                f"  → 自 {_fmt(item.since)} 起暂停计时（{item.label}，不计算在答复期限内）"
            )
        else:
            self.steps.append(
                f"  → 答复期限已于 {_fmt(due)} 届满，此后的{item.label}期间不再顺延期限"
            )

    def _close(self, kind: str, when: date, ref: str | None) -> None:
        """A reason to pause ends on ``when`` (that day still not counted)."""
        candidates = [o for o in self.open if o.kind == kind and (ref is None or o.ref == ref)]
        assert candidates, "caller checks that the item is open"
        item = candidates[0]  # the earliest; the union of intervals does not depend on which
        self.open.remove(item)
        block = self.block
        if not self._pauses(item) or block is None or any(self._pauses(o) for o in self.open):
            return
        self.block = None
        if self.state is ClockState.PAUSED:
            self.state = ClockState.RUNNING
            self.state_reason = "答复期限计时中"
        if not block.effective:
            return
        skipped = self._record_interval(block.start, when, block.reasons)
        due = self._due()
        assert due is not None
        self.steps.append(
            f"  → {_fmt(block.start)}至{_fmt(when)}（{'、'.join(block.reasons)}）"
            f"共 {skipped} 个工作日不计算在内，恢复计时，答复期限顺延至 {self._day(due)}"
        )

    def _record_interval(self, start: date, end: date, reasons: list[str]) -> int:
        """Add the closed interval [start, end] (merged with an adjoining one); return
        the working days it newly takes out of the count."""
        before = self._excluded_total()
        last = self.intervals[-1] if self.intervals else None
        if last is not None and start <= last.end + _DAY:
            last.end = max(last.end, end)
            last.reasons.extend(r for r in reasons if r not in last.reasons)
        else:
            self.intervals.append(_Interval(start, end, list(reasons)))
        return self._excluded_total() - before

    def _end_all_pauses(self, when: date) -> int | None:
        """The application ends on ``when``: close every open reason there. Returns the
        working days not counted in the open pause, or None if none was in effect."""
        block = self.block
        self.open = []
        self.block = None
        if block is None or not block.effective:
            return None
        return self._record_interval(block.start, when, block.reasons)

    def _consultation_sent(self, ev: ClockEvent) -> None:
        party = ev.party or ConsultedParty.THIRD_PARTY
        expiry_from = None
        detail = ""
        if party is not ConsultedParty.AGENCY:
            n = self.s.consultation_workdays
            article = "第三十二条" if party is ConsultedParty.THIRD_PARTY else "第三十四条"
            expiry_from = _count(self.cal, self.s, ev.delivered or ev.date, n).date
            if ev.delivered:
                detail = f"，{_fmt(ev.delivered)} 送达，最迟于 {_fmt(expiry_from)} 答复（{article}，{n} 个工作日）"
            else:
                detail = f"，自收到之日起 {n} 个工作日内答复（{article}；当日送达则至 {_fmt(expiry_from)}）"
        ref = f"〔{ev.ref}〕" if ev.ref else ""
        self.steps.append(f"{self._day(ev.date)} 向{party.label}发出征求意见函{ref}{detail}")
        self._open(_Open("consultation", ev.date, f"征求{party.label}意见", ev.ref, expiry_from))

    def _consultation_closed(self, ev: ClockEvent) -> None:
        pending = [
            o for o in self.open if o.kind == "consultation" and (ev.ref is None or o.ref == ev.ref)
        ]
        if not pending:
            ref = f"〔{ev.ref}〕" if ev.ref else ""
            raise ClockError(
                f"没有未结的征求意见函{ref}：须先有“发出征求意见函”（consultation_sent）"
            )
        item = pending[0]
        if ev.kind is EventKind.CONSULTATION_EXPIRED:
            if item.expiry_from is not None and ev.date < item.expiry_from:
                raise ClockError(
                    f"征求意见的答复期限（{self.s.consultation_workdays} 个工作日）最早至 "
                    f"{_fmt(item.expiry_from)} 才届满"
                )
            self.steps.append(
                f"{self._day(ev.date)} 征求意见期限届满（{item.label}；逾期未答复的，由本机关依法决定）"
            )
        else:
            self.steps.append(f"{self._day(ev.date)} 收到答复（{item.label}）")
        self._close("consultation", ev.date, item.ref)

    def _paused(self) -> bool:
        return self.block is not None and self.block.effective

    def _fee_notice_sent(self, ev: ClockEvent) -> None:
        if self.fee_notices:
            raise ClockError("本申请已发出过收费通知：一件申请只能选择一种标准、收取一次信息处理费")
        if not self._paused():
            due = self._due()
            assert due is not None
            if ev.date > due:
                raise ClockError(
                    f"收费通知应在答复期限内发出（《信息处理费管理办法》），答复期限已于 {_fmt(due)} 届满"
                )
        self.fee_notices += 1
        n = self.s.fee_payment_workdays
        pay = _count(self.cal, self.s, ev.delivered or ev.date, n).date
        self.fee_payment_due = pay
        if ev.delivered:
            when = f"{_fmt(ev.delivered)} 送达，最迟于 {_fmt(pay)} 缴费"
        else:
            when = f"申请人自收到通知次日起 {n} 个工作日内缴费（当日收到则至 {_fmt(pay)}）"
        pause = "" if self.s.fee_period_excluded else "；按设置，缴费期间照常计时"
        self.steps.append(f"{self._day(ev.date)} 发出收费通知（{when}{pause}）")
        self._open(_Open("fee", ev.date, "等待缴纳信息处理费"))

    def _fee_closed(self, ev: ClockEvent) -> None:
        if not any(o.kind == "fee" for o in self.open):
            raise ClockError("没有待缴费的收费通知：须先有“发出收费通知”（fee_notice_sent）")
        due = self.fee_payment_due
        assert due is not None
        if ev.kind is EventKind.FEE_PAID:
            late = ""
            if ev.date > due and self.s.fee_payment_workdays:
                late = f"（晚于缴费期限 {_fmt(due)}）"
                self.warnings.append(f"缴费日期 {_fmt(ev.date)} 晚于缴费期限 {_fmt(due)}")
            self.steps.append(f"{self._day(ev.date)} 收到缴费{late}")
            self._close("fee", ev.date, None)
            return
        if ev.date <= due:
            raise ClockError(f"缴费期限最早至 {_fmt(due)} 才届满")
        self._end_all_pauses(ev.date)
        self.state = ClockState.ABANDONED
        self.stopped_on = ev.date
        self.state_reason = (
            "申请人逾期未按收费通知要求缴纳费用，视为放弃申请，不再处理（年度报告表三（六）2）"
        )
        self.steps.append(f"{self._day(ev.date)} 缴费期限届满未缴费 → 视为放弃申请，终止办理")

    def _withdrawn(self, ev: ClockEvent) -> None:
        """The applicant withdraws (申请人撤回): processing ends; table 三 (六) 3 其他."""
        self.withdrawn = True
        self._end_all_pauses(ev.date)
        self.state = ClockState.ABANDONED
        self.stopped_on = ev.date
        self.state_reason = "申请人撤回申请，终止办理（年度报告表三（六）3 其他）"
        self.steps.append(f"{self._day(ev.date)} 申请人撤回申请 → 终止办理")

    def _reopened(self, ev: ClockEvent) -> None:
        """A 复议决定 or judgment annuls the answer (结果纠正) and orders a new one (行政复议法 Art. 64,
        行政诉讼法 Art. 70): the application is handled again, within the period the decision sets
        (``workdays``), by default the 条例's reply period, counted from ``date`` — the day the
        office received the decision (docs/applications-remedies.md §4)."""
        n = ev.workdays or self.s.reply_workdays
        self.state = ClockState.RUNNING
        self.state_reason = "复议决定或判决纠正了原答复，重新办理，答复期限计时中"
        self.stopped_on = None
        self.open = []
        self.block = None
        self.correction_on = None
        self.correction_deadline = None
        self.start = ev.date
        self.anchor = ev.date
        self.budget = n
        self.extension = 0
        self.reopened = True  # the decision sets the period: no Art. 33 extension
        self.intervals = []
        due = self._due()
        assert due is not None
        source = "复议决定书或判决书确定的期限" if ev.workdays else "未另定期限的，按第三十三条"
        self.steps.append(
            f"{self._day(ev.date)} 收到纠正原答复的复议决定书或判决书，重新办理 → 自次日起 {n} 个工作日"
            f"（{source}），答复期限 {self._day(due)}"
        )
        self.pending_notes = self.cal.describe_span(self.anchor, due)
        self._add_span_notes()

    # -- extension, determination --------------------------------------------------------

    def _extended(self, ev: ClockEvent) -> None:
        s = self.s
        k = ev.workdays
        assert k is not None
        if self.reopened:
            raise ClockError("重新办理的期限由复议决定书或判决书确定，不适用第三十三条第二款的延期")
        if self.n_extensions >= s.max_extensions:
            raise ClockError(
                f"延长答复期限只能一次（第三十三条第二款），本申请已延期 {self.n_extensions} 次"
            )
        if k > s.max_extension_workdays:
            raise ClockError(
                f"延长的期限最长不超过 {s.max_extension_workdays} 个工作日（第三十三条第二款），不能延长 {k} 个"
            )
        before = None if self._paused() else self._due()
        if before is not None and ev.date > before and not s.extension_after_due_allowed:
            raise ClockError(f"答复期限已于 {_fmt(before)} 届满，不能再延期")
        self.n_extensions += 1
        self.extension += k
        self.budget += k
        basis = "第三十三条第二款，经政府信息公开工作机构负责人同意并告知申请人"
        if before is None:
            self.steps.append(
                f"{self._day(ev.date)} 批准延期 {k} 个工作日（{basis}）；计时暂停中，恢复后一并计算"
            )
            return
        after = self._due()
        assert after is not None
        text = (
            f"{self._day(ev.date)} 批准延期 {k} 个工作日（{basis}）"
            f"→ 答复期限由 {_fmt(before)} 延至 {self._day(after)}"
        )
        self.steps.append(text)
        self.pending_notes = self.cal.describe_span(before, after)
        self._add_span_notes()

    def _determined(self, ev: ClockEvent) -> None:
        block = self.block if self._paused() else None
        skipped = self._end_all_pauses(ev.date)
        note = None
        if block is not None:
            note = (
                f"  作出答复时仍有未结事项（{'、'.join(block.reasons)}）：{_fmt(block.start)}至"
                f"{_fmt(ev.date)} 共 {skipped} 个工作日不计算在内"
            )
        due = self._due()
        assert due is not None
        self.state = ClockState.STOPPED
        self.stopped_on = ev.date
        if ev.date <= due:
            left = self.cal.workdays_between(ev.date, due)
            self.state_reason = f"已于 {_fmt(ev.date)} 作出答复，在答复期限 {_fmt(due)} 内"
            self.steps.append(
                f"{self._day(ev.date)} 作出答复 → 计时停止；在答复期限 {_fmt(due)} 内"
                f"（尚余 {left} 个工作日）"
            )
        else:
            late = self.cal.workdays_between(due, ev.date)
            self.state_reason = (
                f"已于 {_fmt(ev.date)} 作出答复，超过答复期限 {_fmt(due)}（逾期 {late} 个工作日）"
            )
            self.steps.append(
                f"{self._day(ev.date)} 作出答复 → 计时停止；超过答复期限 {_fmt(due)}，逾期 {late} 个工作日"
            )
        if note:
            self.steps.append(note)

    # -- result ----------------------------------------------------------------------

    def _result(self, today: date | None) -> ClockResult:
        s = self.s
        cal = self.cal
        state = self.state
        assert state is not None
        explanation = list(self.steps)
        common: dict[str, Any] = {
            "state": state,
            "receipt_date": self.receipt,
            "reply_workdays": s.reply_workdays,
            "extension_workdays": self.extension,
            "warnings": tuple(self.warnings),
            "stopped_on": self.stopped_on,
            "calendar_source": cal.source,
            "settings": s,
        }
        if self.anchor is None:  # awaiting confirmation of receipt
            return ClockResult(
                state_reason=self.state_reason, start_date=None, first_counted_day=None,
                due_date=None, excluded_workdays=0, as_of=today, workdays_used=None,
                workdays_left=None, workdays_overdue=None, overdue=None, provisional=False,
                provisional_reasons=(), excluded_intervals=(), explanation=tuple(explanation),
                **common,
            )  # fmt: skip
        anchor = self.anchor
        first = cal.next_workday(anchor)
        as_of = self.stopped_on if self.stopped_on is not None else today
        resume_on = as_of or self.last_date
        assert resume_on is not None
        suspended = s.correction_restarts_clock and (
            state is ClockState.WAITING_CORRECTION
            or (state is ClockState.ABANDONED and self.correction_on is not None)
        )

        # Due date and projection.
        due: date | None = None
        projected: date | None = None
        if state in (ClockState.RUNNING, ClockState.STOPPED):
            due = self._due()
        elif suspended:
            if state is ClockState.WAITING_CORRECTION:
                projected = _count(cal, s, resume_on, s.reply_workdays).date
        elif state is not ClockState.ABANDONED:  # paused, or waiting while correction pauses
            projected = self._due_if_resumed(resume_on)

        # Excluded intervals (the open one as far as as_of).
        intervals = [
            ExcludedInterval(i.start, i.end, tuple(i.reasons), self._excluded(i.start, i.end))
            for i in self.intervals
        ]
        if self._paused():
            assert self.block is not None
            b = self.block
            intervals.append(
                ExcludedInterval(
                    b.start, None, tuple(b.reasons), self._excluded(b.start, resume_on)
                )
            )
        excluded = sum(i.workdays for i in intervals)

        # Used, left, overdue.
        used = left = overdue_by = None
        overdue: bool | None = None
        if as_of is not None and not suspended:
            used = self._used(as_of)
            if state is not ClockState.ABANDONED:
                left = max(0, self.budget - used)
            overdue_by = max(0, used - self.budget)
            if state is ClockState.STOPPED:
                assert due is not None and self.stopped_on is not None
                overdue = self.stopped_on > due
            elif state is ClockState.RUNNING:
                assert due is not None
                overdue = as_of > due
            else:
                overdue = False
                overdue_by = 0
        elif as_of is not None:
            overdue = False

        # Provisional: every day the computation had to look at.
        horizon = max(d for d in (first, due, as_of, projected) if d is not None)
        reasons = cal.provisional_reasons(anchor, horizon)

        reason = self.state_reason
        if state is ClockState.PAUSED and self.block is not None:
            reason = (
                f"暂停计时：{'、'.join(self.block.reasons)}（自 {_fmt(self.block.start)} 起，"
                "不计算在答复期限内）"
            )
        elif state is ClockState.RUNNING and overdue:
            assert due is not None
            reason = f"已超过答复期限 {_fmt(due)}，尚未作出答复（逾期 {overdue_by} 个工作日）"

        if state is ClockState.RUNNING and due is not None:
            parts = [f"共 {self.budget} 个工作日"]
            if self.extension:
                parts.append(f"含延期 {self.extension} 个")
            if excluded:
                parts.append(f"另有 {excluded} 个工作日不计算在内")
            explanation.append(f"答复期限：{self._day(due)}（{'，'.join(parts)}）")
        if (
            as_of is not None
            and used is not None
            and state in (ClockState.RUNNING, ClockState.PAUSED)
        ):
            if overdue:
                explanation.append(
                    f"截至 {_fmt(as_of)}：已用 {used} 个工作日，已超过答复期限（逾期 {overdue_by} 个工作日）"
                )
            else:
                explanation.append(
                    f"截至 {_fmt(as_of)}：已用 {used} 个工作日，尚余 {left} 个工作日"
                )
        if projected is not None:
            if state is ClockState.WAITING_CORRECTION and suspended:
                explanation.append(
                    f"如于 {_fmt(resume_on)} 收到补正后的申请，答复期限将为 {self._day(projected)}"
                )
            else:
                explanation.append(
                    f"如于 {_fmt(resume_on)} 恢复计时，答复期限将为 {self._day(projected)}"
                )
        if reasons:
            explanation.append("暂定：" + "；".join(reasons))

        return ClockResult(
            state_reason=reason,
            start_date=self.start,
            first_counted_day=first,
            due_date=due,
            excluded_workdays=excluded,
            as_of=as_of,
            workdays_used=used,
            workdays_left=left,
            workdays_overdue=overdue_by,
            overdue=overdue,
            provisional=bool(reasons),
            provisional_reasons=reasons,
            excluded_intervals=tuple(intervals),
            explanation=tuple(explanation),
            projected_due_date=projected,
            **common,
        )


def compute_clock(
    events: Iterable[ClockEvent],
    *,
    calendar: WorkCalendar | None = None,
    settings: ClockSettings = DEFAULT_SETTINGS,
    today: date | None = None,
) -> ClockResult:
    """The clock of one application: a pure function of its event log and the calendar.

    :param events: the log in chronological order (same-day events in the order
        they happened); the first must be ``received``.
    :param calendar: the working-day calendar with an admin's overrides; the
        package calendar if omitted.
    :param settings: the conventions (REFERENCE.md §4.6 defaults).
    :param today: the day "used / left / overdue" are computed for; events after
        it are refused. Without it those fields are ``None`` — except for a
        stopped or abandoned application, for which they are given as of the
        day it ended.
    :raises ClockError: an invalid log (Chinese message naming the event).
    """
    return _Clock(calendar or default_calendar(), settings).run(list(events), today)
