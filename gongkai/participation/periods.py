"""The consultation period rules (pure Python, no Django).

* 《规章制定程序条例》第十六条: a draft regulation is published for comments for,
  as a rule, not less than 30 days (征求意见的期限一般不少于30日).
* 《重大行政决策程序暂行条例》第十四条: a major administrative decision's draft is
  consulted for, as a rule, not less than 30 days; a shorter period must be
  explained (因情况紧急等原因需要缩短期限的，公开征求意见时应当予以说明).

Other drafts have no statutory minimum; offices usually give them at least 7 days
(GONGKAI's warning, not a refusal). The period counts calendar days, both ends
included: 1 to 30 June is 30 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["MINIMUM_DAYS", "USUAL_DAYS", "PeriodCheck", "check_period", "period_days"]

# Kind code → statutory minimum in calendar days ("一般不少于30日").
MINIMUM_DAYS: dict[str, int] = {"regulation": 30, "major_decision": 30}
# Below this an office is warned for any kind.
USUAL_DAYS = 7


def period_days(starts_on: dt.date, ends_on: dt.date) -> int:
    """Calendar days from ``starts_on`` to ``ends_on``, both included."""
    return (ends_on - starts_on).days + 1


@dataclass(frozen=True)
class PeriodCheck:
    days: int
    minimum: int | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_short(self) -> bool:
        return self.minimum is not None and self.days < self.minimum


def check_period(*, kind: str, starts_on: dt.date, ends_on: dt.date, short_reason: str = "") -> PeriodCheck:
    """Errors (refuse) and warnings (show) for a consultation period of ``kind``."""
    errors: list[str] = []
    warnings: list[str] = []
    if ends_on < starts_on:
        return PeriodCheck(0, MINIMUM_DAYS.get(kind), ("截止日期不能早于开始日期。",), ())
    days = period_days(starts_on, ends_on)
    minimum = MINIMUM_DAYS.get(kind)
    if minimum is not None and days < minimum:
        warnings.append(f"征求意见期限为{days}日，少于法定的一般期限{minimum}日。")
        if not (short_reason or "").strip():
            errors.append(f"征求意见期限少于{minimum}日的，必须写明缩短期限的理由（例如情况紧急），理由会向社会公布。")
    elif minimum is None and days < USUAL_DAYS:
        warnings.append(f"征求意见期限只有{days}日，公众可能来不及提出意见。")
    return PeriodCheck(days, minimum, tuple(errors), tuple(warnings))
