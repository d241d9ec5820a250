"""信息处理费: the fee notice (one standard, the exact amount), payment and non-payment."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.core.calendar import get_work_calendar

from .. import fees
from ..clock import EventKind
from ..models import Application, FeeNotice, LetterKind, Outcome, ReplyType
from .base import CLOCK_SETTINGS, ApplicationActionError, date_cn, require_handle
from .determination import close_with
from .events import append_event
from .letters import issue_letter


def prior_in_month(application: Application) -> int:
    """Applications of the same applicant received earlier in the same natural month (按件计收)."""
    year, month = fees.billing_month(application.receipt_date)
    first = dt.date(year, month, 1)
    same = Application.objects.filter(id_number=application.id_number, erased_at__isnull=True).exclude(pk=application.pk)
    count = 0
    for other in same.only("pk", "arrived_on", "confirmed_on"):
        r = other.receipt_date
        if first <= r and (r.year, r.month) == (year, month) and (r, other.pk) < (application.receipt_date, application.pk):
            count += 1
    return count


@transaction.atomic
def application_fee_notice(*, actor, application: Application, on: dt.date, standard: fees.FeeStandard | str,
                           pages: int | None = None, units: int = 1, how_to_pay: str = "") -> Application:
    require_handle(actor, application)
    standard = fees.FeeStandard(standard)
    prior = prior_in_month(application)
    try:
        quote = fees.fee_quote(standard=standard, prior_in_month=prior, units=units, pages=pages,
                               delivery=fees.Delivery(application.delivery))
    except fees.FeeError as exc:
        raise ApplicationActionError(str(exc)) from exc
    if quote.amount <= 0:
        raise ApplicationActionError("按所选标准计算，本申请无需收费（应缴金额为 0），不发收费通知。")
    r = append_event(application, actor=actor, kind=EventKind.FEE_NOTICE_SENT, on=on)
    cal = get_work_calendar()
    pay_by = cal.add_workdays(on, CLOCK_SETTINGS.fee_payment_workdays)
    FeeNotice.objects.create(application=r.application, standard=standard.value, prior_in_month=prior, units=units,
                             pages=pages, amount=quote.amount, breakdown=list(quote.breakdown), issued_on=on,
                             pay_by=pay_by)
    # The letter states the amount once, in its own sentence: not again in the breakdown.
    lines = [line for line in quote.breakdown if not line.startswith("应缴金额")]
    issue_letter(r.application, kind=LetterKind.FEE, clock=r.clock, actor=actor, event=r.event,
                 stated_deadlines={"缴费期限": pay_by},
                 standard=standard.label, breakdown=lines, amount=fees.format_yuan(quote.amount),
                 amount_words=fees.amount_in_words(quote.amount), pay_by_cn=date_cn(pay_by),
                 how_to_pay=how_to_pay or "缴入国库（非税收入）",
                 fee_pauses=CLOCK_SETTINGS.fee_period_excluded)
    return r.application


@transaction.atomic
def application_fee_paid(*, actor, application: Application, on: dt.date) -> Application:
    require_handle(actor, application)
    r = append_event(application, actor=actor, kind=EventKind.FEE_PAID, on=on)
    FeeNotice.objects.filter(application=r.application).update(paid_on=on)
    return r.application


@transaction.atomic
def application_fee_expired(*, actor, application: Application, on: dt.date) -> Application:
    require_handle(actor, application)
    r = append_event(application, actor=actor, kind=EventKind.FEE_EXPIRED, on=on)
    close_with(r.application, outcome=Outcome.OTHER_NO_FEE, reply_type=ReplyType.ABANDONED_FEE, on=on, actor=actor)
    return r.application
