"""The 信息处理费 tariff — 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）.

REFERENCE.md §3. Providing information on application is free (条例 Art. 42);
only where volume or frequency clearly exceeds a reasonable range may a fee be
charged, by one of two standards, both progressive by excess (超额累进):

* 按件计收 (:func:`per_application_fee`) — counted per applicant per natural
  month, cumulatively, for every kind of decision: the 1st–10th application of
  the month are free, the 11th–30th cost 100 元 each, and from the 31st on, in
  bands of ten, each band costs 100 元 more per application (31–40: 200,
  41–50: 300, …);
* 按量计收 (:func:`per_page_fee`) — counted per application by the pages
  provided, only for paper copies, e-mail or copied electronic data: pages
  1–30 free, 31–100 at 10 元, 101–200 at 20 元, 201 and above at 40 元 a page.

For each application the office chooses **one** standard, never both
(:func:`fee_quote` takes exactly one; :func:`fee_options` shows the two side by
side for the choice). The national 办法 has no waiver list; a waiver or
reduction under a local rule is a :class:`FeeWaiver` with its legal basis,
absent by default. Amounts are exact :class:`~decimal.Decimal` yuan (to the
fen), and every quote carries its breakdown in Chinese.

Pure Python: no Django, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongkai.enums import LabelledStrEnum

__all__ = [
    "PER_APPLICATION_FREE",
    "PER_PAGE_BANDS",
    "PER_PAGE_DELIVERIES",
    "Delivery",
    "FeeError",
    "FeeLine",
    "FeeOptions",
    "FeeQuote",
    "FeeStandard",
    "FeeWaiver",
    "amount_in_words",
    "billing_month",
    "fee_options",
    "fee_quote",
    "per_application_fee",
    "per_application_month_total",
    "per_application_rate",
    "per_page_fee",
]

_CENT = Decimal("0.01")
LEGAL_BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class FeeError(ValueError):
    """Invalid fee input (message in Chinese)."""


class FeeStandard(LabelledStrEnum):
    """The two standards of Art. 3 of the 办法."""

    PER_APPLICATION = "per_application", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class Delivery(LabelledStrEnum):
    """The form in which the applicant receives the information."""

    PAPER = "paper", "纸质文本"
    EMAIL = "email", "电子邮件"
    ELECTRONIC_COPY = "electronic_copy", "拷贝电子数据（光盘、U盘等）"
    ONLINE = "online", "网上获取"
    INSPECTION = "inspection", "现场查阅"
    OTHER = "other", "其他方式"


#: 按量计收 is available only for these forms (REFERENCE.md §3.1).
PER_PAGE_DELIVERIES = frozenset({Delivery.PAPER, Delivery.EMAIL, Delivery.ELECTRONIC_COPY})

#: 按件计收: the first ten applications of the month are free …
PER_APPLICATION_FREE = 10
#: … the 11th–30th cost 100 元 each …
_PER_APPLICATION_FLAT_LAST = 30
_PER_APPLICATION_FLAT_RATE = Decimal(100)
#: … then bands of ten, each +100 元 per application.
_PER_APPLICATION_BAND = 10
_PER_APPLICATION_STEP = Decimal(100)

#: 按量计收: (first page, last page or None, 元 per page).
PER_PAGE_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (1, 30, Decimal(0)),
    (31, 100, Decimal(10)),
    (101, 200, Decimal(20)),
    (201, None, Decimal(40)),
)


def format_yuan(d: Decimal | int) -> str:
    """``4,140.00`` — yuan to the fen, with a thousands separator (letters and pages)."""
    return f"{Decimal(d).quantize(_CENT):,}"


_yuan = format_yuan


@dataclass(frozen=True)
class FeeLine:
    """One band of a breakdown: ``第11–30件：15 件 × 100.00 元/件 = 1,500.00 元``."""

    band: str
    count: int
    unit: str  # "件" or "页"
    rate: Decimal
    subtotal: Decimal

    @property
    def text(self) -> str:
        """The line in Chinese."""
        return (
            f"{self.band}：{self.count} {self.unit} × {_yuan(self.rate)} 元/{self.unit}"
            f" = {_yuan(self.subtotal)} 元"
        )


@dataclass(frozen=True)
class FeeWaiver:
    """A waiver (全额免收) or reduction (减收 ``amount`` 元) under a local rule.

    The national 办法 lists none (REFERENCE.md §3.3); an office applying one must
    name its legal basis, which is printed on the notice.
    """

    legal_basis: str
    amount: Decimal | None = None  # None: waived in full

    def __post_init__(self) -> None:
        if not self.legal_basis.strip():
            raise FeeError("减免信息处理费须注明依据")
        if self.amount is not None and (
            not isinstance(self.amount, Decimal) or self.amount <= 0 or not self.amount.is_finite()
        ):
            raise FeeError("减收金额应为正数（Decimal）")


@dataclass(frozen=True)
class FeeQuote:
    """The fee of one application under one standard, with its breakdown."""

    standard: FeeStandard
    lines: tuple[FeeLine, ...]
    gross: Decimal
    reduction: Decimal
    amount: Decimal
    waiver: FeeWaiver | None
    summary: str  # what was counted, in Chinese

    @property
    def breakdown(self) -> tuple[str, ...]:
        """The notice's computation in Chinese, line by line."""
        out = [f"{self.standard.label}（{LEGAL_BASIS}）：{self.summary}"]
        out.extend(line.text for line in self.lines)
        out.append(f"小计：{_yuan(self.gross)} 元")
        if self.waiver is not None:
            kind = "免收" if self.waiver.amount is None else "减收"
            out.append(f"{kind}（依据：{self.waiver.legal_basis}）：-{_yuan(self.reduction)} 元")
        out.append(f"应缴金额：{_yuan(self.amount)} 元（大写：{amount_in_words(self.amount)}）")
        return tuple(out)


@dataclass(frozen=True)
class FeeOptions:
    """Both standards side by side, for the office's choice of one (never the sum)."""

    per_application: FeeQuote
    per_page: FeeQuote | None  # None when the delivery form does not allow 按量计收


def _apply_waiver(
    standard: FeeStandard,
    lines: list[FeeLine],
    summary: str,
    waiver: FeeWaiver | None,
) -> FeeQuote:
    gross = sum((line.subtotal for line in lines), Decimal(0)).quantize(_CENT)
    reduction = Decimal(0).quantize(_CENT)
    if waiver is not None:
        reduction = gross if waiver.amount is None else waiver.amount.quantize(_CENT)
        if reduction > gross:
            raise FeeError(f"减收金额 {_yuan(reduction)} 元超过应收金额 {_yuan(gross)} 元")
    return FeeQuote(
        standard=standard,
        lines=tuple(lines),
        gross=gross,
        reduction=reduction,
        amount=gross - reduction,
        waiver=waiver,
        summary=summary,
    )


def _check_count(value: int, name: str, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise FeeError(f"{name}应为不小于 {minimum} 的整数")


# -- 按件计收 -------------------------------------------------------------------------


def per_application_rate(k: int) -> Decimal:
    """元 for the k-th application of the applicant in the natural month (k ≥ 1).

    ``0`` for k ≤ 10, ``100`` for k ≤ 30, then ``100 × (2 + (k − 31) // 10)``.
    """
    _check_count(k, "本月申请序号", 1)
    if k <= PER_APPLICATION_FREE:
        return Decimal(0)
    if k <= _PER_APPLICATION_FLAT_LAST:
        return _PER_APPLICATION_FLAT_RATE
    band = (k - _PER_APPLICATION_FLAT_LAST - 1) // _PER_APPLICATION_BAND
    return _PER_APPLICATION_FLAT_RATE + _PER_APPLICATION_STEP * (band + 1)


def _per_application_band_last(k: int) -> int:
    """The last application number of the band containing the k-th."""
    if k <= PER_APPLICATION_FREE:
        return PER_APPLICATION_FREE
    if k <= _PER_APPLICATION_FLAT_LAST:
        return _PER_APPLICATION_FLAT_LAST
    band = (k - _PER_APPLICATION_FLAT_LAST - 1) // _PER_APPLICATION_BAND
    return _PER_APPLICATION_FLAT_LAST + (band + 1) * _PER_APPLICATION_BAND


def per_application_fee(
    *, prior_in_month: int, units: int = 1, waiver: FeeWaiver | None = None
) -> FeeQuote:
    """按件计收 for one application.

    :param prior_in_month: how many applications (counted in units) the same
        applicant already made earlier in the same natural month. Which date
        places an application in a month is not spelled out; the convention is
        the date of receipt (:func:`billing_month`).
    :param units: how many applications this one counts as — 1, or more where a
        request with several items is split into the smallest reasonable units
        under 一事一申请.
    :param waiver: a waiver or reduction with its legal basis (default none).
    """
    _check_count(prior_in_month, "本月此前的申请件数", 0)
    _check_count(units, "本申请计件数", 1)
    first_k = prior_in_month + 1
    last_k = prior_in_month + units
    lines: list[FeeLine] = []
    k = first_k
    while k <= last_k:
        upto = min(last_k, _per_application_band_last(k))
        count = upto - k + 1
        rate = per_application_rate(k)
        label = f"第{k}件" if count == 1 else f"第{k}–{upto}件"
        lines.append(FeeLine(label, count, "件", rate, (rate * count).quantize(_CENT)))
        k = upto + 1
    which = f"第 {first_k} 件" if units == 1 else f"第 {first_k}–{last_k} 件（计 {units} 件）"
    summary = f"本申请为该申请人本自然月{which}"
    return _apply_waiver(FeeStandard.PER_APPLICATION, lines, summary, waiver)


def per_application_month_total(count: int) -> FeeQuote:
    """按件计收 for all ``count`` applications of an applicant in one month (REFERENCE.md §3.5)."""
    _check_count(count, "本月申请件数", 1)
    return per_application_fee(prior_in_month=0, units=count)


# -- 按量计收 -------------------------------------------------------------------------


def per_page_fee(pages: int, *, delivery: Delivery, waiver: FeeWaiver | None = None) -> FeeQuote:
    """按量计收 for one application providing ``pages`` pages.

    Only for paper copies, e-mail or copied electronic data
    (:data:`PER_PAGE_DELIVERIES`); otherwise :class:`FeeError` — use 按件计收.
    How pages of electronic data are counted (A4 equivalent?) is not settled;
    the caller passes the count it decided.
    """
    delivery = Delivery(delivery)
    if delivery not in PER_PAGE_DELIVERIES:
        raise FeeError(
            f"按量计收仅适用于纸质文本、电子邮件或拷贝电子数据，{delivery.label}不适用；请按件计收"
        )
    _check_count(pages, "页数", 0)
    lines: list[FeeLine] = []
    for first, last, rate in PER_PAGE_BANDS:
        if pages < first:
            break
        upto = pages if last is None else min(pages, last)
        count = upto - first + 1
        label = f"第{first}页" if count == 1 else f"第{first}–{upto}页"
        lines.append(FeeLine(label, count, "页", rate, (rate * count).quantize(_CENT)))
    summary = f"本申请提供 {pages} 页（{delivery.label}）"
    return _apply_waiver(FeeStandard.PER_PAGE, lines, summary, waiver)


# -- choosing one -----------------------------------------------------------------------


def fee_quote(
    *,
    standard: FeeStandard,
    prior_in_month: int = 0,
    units: int = 1,
    pages: int | None = None,
    delivery: Delivery | None = None,
    waiver: FeeWaiver | None = None,
) -> FeeQuote:
    """The fee of one application under the **one** standard the office chose."""
    standard = FeeStandard(standard)
    if standard is FeeStandard.PER_APPLICATION:
        return per_application_fee(prior_in_month=prior_in_month, units=units, waiver=waiver)
    if pages is None or delivery is None:
        raise FeeError("按量计收须提供页数（pages）和提供方式（delivery）")
    return per_page_fee(pages, delivery=delivery, waiver=waiver)


def fee_options(
    *,
    prior_in_month: int,
    units: int = 1,
    pages: int | None = None,
    delivery: Delivery | None = None,
) -> FeeOptions:
    """Both standards for the office to choose from ("according to the actual
    situation", Art. 3) — one of them goes on the notice, never both."""
    per_app = per_application_fee(prior_in_month=prior_in_month, units=units)
    per_page = None
    if pages is not None and delivery is not None and Delivery(delivery) in PER_PAGE_DELIVERIES:
        per_page = per_page_fee(pages, delivery=delivery)
    return FeeOptions(per_app, per_page)


def billing_month(receipt: date) -> tuple[int, int]:
    """The natural month an application counts in for 按件计收: that of its date of
    receipt (Art. 31) — the natural reading; the 办法 does not say (unconfirmed)."""
    return receipt.year, receipt.month


# -- 大写金额 ----------------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def _group_words(n: int) -> str:
    """0 < n < 10000, without leading 零."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _SMALL_UNITS[pos]
    return out


def _integer_words(n: int) -> str:
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_GROUP_UNITS):
        raise FeeError("金额过大")
    out = ""
    gap = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _group_words(g) + _GROUP_UNITS[i]
        gap = False
    return out


def amount_in_words(amount: Decimal) -> str:
    """Chinese financial capitals for a yuan amount: ``1500`` → ``壹仟伍佰元整``."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        raise FeeError("金额应为非负的 Decimal")
    cents = int((amount.quantize(_CENT) * 100).to_integral_value())
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if cents == 0:
        return "零元整"
    out = _integer_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return out + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    else:
        out += "整"
    return out
