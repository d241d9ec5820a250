"""The 信息处理费 tariff (REFERENCE.md §3): every threshold, the worked examples, the rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications.fees import (
    PER_PAGE_DELIVERIES,
    Delivery,
    FeeError,
    FeeStandard,
    FeeWaiver,
    amount_in_words,
    billing_month,
    fee_options,
    fee_quote,
    per_application_fee,
    per_application_month_total,
    per_application_rate,
    per_page_fee,
)


def Y(value) -> Decimal:
    return Decimal(value)


# -- 按件计收 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "rate"),
    [
        (1, 0), (10, 0),  # 1–10 free
        (11, 100), (30, 100),  # 11–30: 100 元/件
        (31, 200), (40, 200),  # 31–40: 200
        (41, 300), (50, 300),  # 41–50: 300
        (51, 400), (60, 400),  # 51–60: 400
        (61, 500), (100, 800), (101, 900),
    ],
)  # fmt: skip
def test_per_application_rate_at_every_threshold(k, rate):
    assert per_application_rate(k) == Y(rate)
    # REFERENCE.md §3.1 formula
    formula = 0 if k <= 10 else 100 if k <= 30 else 100 * (2 + (k - 31) // 10)
    assert per_application_rate(k) == Y(formula)


@pytest.mark.parametrize(
    ("count", "total"),
    [
        (8, 0),  # §3.5: the 8th application in May
        (10, 0),
        (11, 100),
        (25, 1500),  # §3.5: 15 × 100
        (30, 2000),
        (31, 2200),
        (35, 3000),
        (40, 4000),
        (41, 4300),
        (45, 5500),  # §3.5: 20 × 100 + 10 × 200 + 5 × 300
        (50, 7000),
        (51, 7400),
    ],
)
def test_per_application_month_totals(count, total):
    assert per_application_month_total(count).amount == Y(total)


def test_the_35th_application_costs_200():
    quote = per_application_fee(prior_in_month=34)
    assert quote.amount == Y(200)  # §3.5
    assert quote.breakdown[1] == "第35件：1 件 × 200.00 元/件 = 200.00 元"


def test_per_application_breakdown_in_chinese():
    quote = per_application_month_total(45)
    assert quote.standard is FeeStandard.PER_APPLICATION
    assert [line.text for line in quote.lines] == [
        "第1–10件：10 件 × 0.00 元/件 = 0.00 元",
        "第11–30件：20 件 × 100.00 元/件 = 2,000.00 元",
        "第31–40件：10 件 × 200.00 元/件 = 2,000.00 元",
        "第41–45件：5 件 × 300.00 元/件 = 1,500.00 元",
    ]
    assert quote.breakdown[0].startswith(
        "按件计收（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号））"
    )
    assert quote.breakdown[-1] == "应缴金额：5,500.00 元（大写：伍仟伍佰元整）"


def test_a_split_application_counts_as_several():
    # 一事一申请: an application split into 3 units, the applicant's 10th–12th of the month.
    quote = per_application_fee(prior_in_month=9, units=3)
    assert quote.amount == Y(200)
    assert [(line.count, line.rate) for line in quote.lines] == [(1, Y(0)), (2, Y(100))]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=40))
def test_cumulative_fee_is_the_sum_of_single_fees(prior, units):
    together = per_application_fee(prior_in_month=prior, units=units).amount
    one_by_one = sum(per_application_fee(prior_in_month=prior + i).amount for i in range(units))
    assert together == one_by_one
    assert (
        sum(line.count for line in per_application_fee(prior_in_month=prior, units=units).lines)
        == units
    )


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=300))
def test_rates_never_decrease(k):
    assert per_application_rate(k) <= per_application_rate(k + 1)


# -- 按量计收 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0), (1, 0), (30, 0),  # §3.5: 30 pages → 0
        (31, 10), (100, 700),  # §3.5: 70 × 10
        (101, 720), (120, 1100),  # §3.5: 700 + 20 × 20
        (200, 2700), (201, 2740),
        (250, 4700),  # §3.5: 700 + 2000 + 50 × 40
    ],
)  # fmt: skip
def test_per_page_at_every_threshold(pages, fee):
    assert per_page_fee(pages, delivery=Delivery.PAPER).amount == Y(fee)


def test_per_page_breakdown():
    quote = per_page_fee(250, delivery=Delivery.EMAIL)
    assert [line.text for line in quote.lines] == [
        "第1–30页：30 页 × 0.00 元/页 = 0.00 元",
        "第31–100页：70 页 × 10.00 元/页 = 700.00 元",
        "第101–200页：100 页 × 20.00 元/页 = 2,000.00 元",
        "第201–250页：50 页 × 40.00 元/页 = 2,000.00 元",
    ]
    assert "250 页（电子邮件）" in quote.summary


def test_per_page_only_for_paper_email_or_copied_data():
    assert PER_PAGE_DELIVERIES == {Delivery.PAPER, Delivery.EMAIL, Delivery.ELECTRONIC_COPY}
    for delivery in PER_PAGE_DELIVERIES:
        assert per_page_fee(31, delivery=delivery).amount == Y(10)
    for delivery in (Delivery.ONLINE, Delivery.INSPECTION, Delivery.OTHER):
        with pytest.raises(FeeError, match="按件计收"):
            per_page_fee(31, delivery=delivery)


# -- one standard per application, waivers ---------------------------------------------------


def test_one_standard_never_both():
    # §3.5 last row: 250 pages, the applicant's 12th application → 100 or 4700, never 4800.
    options = fee_options(prior_in_month=11, pages=250, delivery=Delivery.PAPER)
    assert options.per_application.amount == Y(100)
    assert options.per_page is not None and options.per_page.amount == Y(4700)
    chosen = fee_quote(
        standard=FeeStandard.PER_PAGE, prior_in_month=11, pages=250, delivery=Delivery.PAPER
    )
    assert chosen.amount == Y(4700) and chosen.standard is FeeStandard.PER_PAGE
    chosen = fee_quote(
        standard="per_application", prior_in_month=11, pages=250, delivery=Delivery.PAPER
    )
    assert chosen.amount == Y(100)
    assert fee_options(prior_in_month=11, pages=250, delivery=Delivery.ONLINE).per_page is None
    with pytest.raises(FeeError, match="页数"):
        fee_quote(standard=FeeStandard.PER_PAGE)


def test_no_waiver_by_default_and_waiver_needs_a_basis():
    quote = per_application_month_total(25)
    assert quote.waiver is None and quote.reduction == 0 and quote.amount == quote.gross
    with pytest.raises(FeeError, match="依据"):
        FeeWaiver("  ")
    full = per_application_fee(prior_in_month=20, waiver=FeeWaiver("某市实施办法第八条"))
    assert full.gross == Y(100) and full.amount == 0
    assert "免收（依据：某市实施办法第八条）：-100.00 元" in full.breakdown
    assert full.breakdown[-1] == "应缴金额：0.00 元（大写：零元整）"
    part = per_page_fee(
        120, delivery=Delivery.PAPER, waiver=FeeWaiver("某市实施办法第八条", Y(100))
    )
    assert part.amount == Y(1000) and "减收" in part.breakdown[-2]
    with pytest.raises(FeeError, match="超过"):
        per_page_fee(31, delivery=Delivery.PAPER, waiver=FeeWaiver("x", Y(11)))


def test_amounts_are_exact_decimals():
    quote = per_application_month_total(45)
    assert isinstance(quote.amount, Decimal) and quote.amount.as_tuple().exponent == -2


def test_invalid_counts():
    for bad in (-1, True, 1.5):
        with pytest.raises(FeeError):
            per_application_fee(prior_in_month=bad)
    with pytest.raises(FeeError):
        per_application_fee(prior_in_month=0, units=0)
    with pytest.raises(FeeError):
        per_page_fee(-1, delivery=Delivery.PAPER)
    with pytest.raises(FeeError):
        per_application_rate(0)


def test_billing_month_is_the_month_of_receipt():
    from datetime import date

    assert billing_month(date(2025, 5, 31)) == (2025, 5)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("100", "壹佰元整"),
        ("1010", "壹仟零壹拾元整"),
        ("1100", "壹仟壹佰元整"),
        ("4700", "肆仟柒佰元整"),
        ("5500", "伍仟伍佰元整"),
        ("10005", "壹万零伍元整"),
        ("100100", "壹拾万零壹佰元整"),
        ("100010001", "壹亿零壹万零壹元整"),
        ("12.34", "壹拾贰元叁角肆分"),
        ("12.30", "壹拾贰元叁角整"),
        ("12.04", "壹拾贰元零肆分"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words
