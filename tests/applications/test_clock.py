"""The application clock: REFERENCE.md §1.1, §1.2, §3.4, §4.5, §4.6, case by case."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gongkai.applications.clock import (
    DEFAULT_SETTINGS,
    Channel,
    ClockError,
    ClockEvent,
    ClockSettings,
    ClockState,
    ConsultedParty,
    EventKind,
    compute_clock,
    correction_notice_deadline,
    fee_payment_deadline,
    publication_deadline,
    reply_deadline,
    third_party_deadline,
)
from gongkai.workdays import Override, WorkCalendar


def D(s: str) -> date:
    return date.fromisoformat(s)


def ev(kind: str, day: str, **kw) -> ClockEvent:
    for key in ("confirmed", "delivered", "deadline"):
        if isinstance(kw.get(key), str):
            kw[key] = D(kw[key])
    if isinstance(kw.get("channel"), str):
        kw["channel"] = Channel(kw["channel"])
    if isinstance(kw.get("party"), str):
        kw["party"] = ConsultedParty(kw["party"])
    return ClockEvent(EventKind(kind), D(day), **kw)


def received(day: str, channel: str = "in_person", **kw) -> ClockEvent:
    return ev("received", day, channel=channel, **kw)


def clock(*events: ClockEvent, today: str | None = None, **kw):
    return compute_clock(events, today=D(today) if today else None, **kw)


# -- REFERENCE.md §4.5 worked deadlines through the clock ---------------------------------


@pytest.mark.parametrize(
    ("receipt", "channel", "due"),
    [
        ("2025-01-06", "in_person", "2025-02-08"),  # a 调休 Saturday is the last day
        ("2025-01-04", "online", "2025-02-07"),  # online, confirmed on a Saturday
        ("2025-09-22", "post_signed", "2025-10-24"),
        ("2026-02-13", "fax", "2026-03-19"),
        ("2026-09-15", "in_person", "2026-10-19"),
    ],
)
def test_reference_reply_deadlines(receipt, channel, due):
    result = clock(received(receipt, channel), today=receipt)
    assert result.due_date == D(due)
    assert result.state is ClockState.RUNNING
    assert result.workdays_used == 0 and result.workdays_left == 20
    assert not result.provisional and result.overdue is False


def test_reference_extension_counts_from_the_deadline_in_force():
    result = clock(received("2025-01-06"), ev("extended", "2025-02-07", workdays=20))
    assert result.due_date == D("2025-03-07")
    result = clock(received("2026-09-15"), ev("extended", "2026-10-19", workdays=20))
    assert result.due_date == D("2026-11-16")  # REFERENCE.md §4.5


def test_reference_helper_deadlines():
    assert correction_notice_deadline(D("2025-01-06")).date == D("2025-01-15")
    assert correction_notice_deadline(D("2026-02-13")).date == D("2026-03-02")
    assert third_party_deadline(D("2026-04-30")).date == D("2026-05-25")
    assert fee_payment_deadline(D("2026-09-28")).date == D("2026-10-30")
    assert reply_deadline(D("2025-01-06")).date == D("2025-02-08")
    formed = publication_deadline(D("2026-12-20"))  # REFERENCE.md: needs 2027 data
    assert formed.provisional and formed.date == D("2027-01-18") and "2027年" in formed.reasons[0]
    assert not publication_deadline(D("2026-05-06")).provisional


# -- hand-checked cases around every holiday of 2024–2026 ------------------------------------
# Each expected date was counted by hand from the State Council schedule (REFERENCE.md §4.3,
# §4.4; 2024 from the 国办发明电〔2023〕7号 schedule as in chinesecalendar): the receipt day
# never counts; (n) marks the n-th working day; 调休 make-up days count, break days do not.

HOLIDAY_CASES = [
    # 元旦 2024 (off 2023-12-30 Sat – 2024-01-01 Mon, no make-up day). Received Thu 12-28:
    # 12-29 Fri (1), 01-01 off, 01-02 (2) 03 (3) 04 (4) 05 Fri (5), 01-08 (6), 01-09 Tue (7).
    ("2023-12-28", 7, "2024-01-09"),
    # 春节 2024 (off 02-10 Sat – 02-17 Sat; make-up Sun 02-04, Sun 02-18). Received Thu 02-01:
    # 02-02 Fri (1), 02-04 Sun make-up (2), 02-05..09 (3–7), break, 02-18 Sun make-up (8),
    # 02-19..23 (9–13), 02-26..03-01 (14–18), 03-04 Mon (19), 03-05 Tue (20).
    ("2024-02-01", 20, "2024-03-05"),
    # 清明 2024 (off 04-04 Thu – 04-06 Sat; make-up Sun 04-07). Received Mon 04-01:
    # 04-02 (1), 04-03 (2), break, 04-07 Sun (3), 04-08..11 (4–7) → Thu 04-11.
    ("2024-04-01", 7, "2024-04-11"),
    # 劳动节 2024 (off 05-01 Wed – 05-05 Sun; make-up Sun 04-28, Sat 05-11). Received Thu 04-25:
    # 04-26 Fri (1), 04-28 Sun (2), 04-29 (3), 04-30 (4), break, 05-06 (5), 05-07 (6), 05-08 (7).
    ("2024-04-25", 7, "2024-05-08"),
    # … and 20 days: 05-09 (8), 05-10 (9), 05-11 Sat make-up (10), 05-13..17 (11–15),
    # 05-20..24 (16–20) → Fri 05-24.
    ("2024-04-25", 20, "2024-05-24"),
    # 端午 2024 (off Mon 06-10 only). Received Fri 06-07: 06-10 off, 06-11..14 (1–4),
    # 06-17 (5), 06-18 (6), 06-19 Wed (7).
    ("2024-06-07", 7, "2024-06-19"),
    # 中秋 2024 (off 09-15 Sun – 09-17 Tue; make-up Sat 09-14). Received Thu 09-12:
    # 09-13 Fri (1), 09-14 Sat (2), break, 09-18..20 (3–5), 09-23 (6), 09-24 Tue (7).
    ("2024-09-12", 7, "2024-09-24"),
    # 国庆 2024 (off 10-01 Tue – 10-07 Mon; make-up Sun 09-29, Sat 10-12). Received Thu 09-26:
    # 09-27 (1), 09-29 Sun (2), 09-30 (3), break, 10-08..11 (4–7), 10-12 Sat (8),
    # 10-14..18 (9–13), 10-21..25 (14–18), 10-28 (19), 10-29 Tue (20).
    ("2024-09-26", 20, "2024-10-29"),
    # 元旦 2025 (off Wed 01-01). Received Tue 2024-12-31: 01-02 (1), 01-03 (2), 01-06..10 (3–7).
    ("2024-12-31", 7, "2025-01-10"),
    # 春节 2025 (off 01-28 Tue – 02-04 Tue; make-up Sun 01-26, Sat 02-08). Received Fri 01-24:
    # 01-26 Sun (1), 01-27 (2), break, 02-05 (3), 02-06 (4), 02-07 (5), 02-08 Sat (6), 02-10 Mon (7).
    ("2025-01-24", 7, "2025-02-10"),
    # 清明 2025 (off 04-04 Fri – 04-06 Sun). Received Wed 04-02: 04-03 (1), break,
    # 04-07..11 (2–6), 04-14 Mon (7).
    ("2025-04-02", 7, "2025-04-14"),
    # 劳动节 2025 (off 05-01 Thu – 05-05 Mon; make-up Sun 04-27). Received Thu 04-24:
    # 04-25 (1), 04-27 Sun (2), 04-28 (3), 04-29 (4), 04-30 (5), break, 05-06 (6), 05-07 Wed (7).
    ("2025-04-24", 7, "2025-05-07"),
    # 端午 2025 (off 05-31 Sat – 06-02 Mon). Received Thu 05-29: 05-30 (1), break,
    # 06-03..06 (2–5), 06-09 (6), 06-10 Tue (7).
    ("2025-05-29", 7, "2025-06-10"),
    # 国庆、中秋 2025 (off 10-01 Wed – 10-08 Wed; make-up Sun 09-28, Sat 10-11).
    # Received Tue 09-30: break, 10-09 (1), 10-10 (2), 10-11 Sat (3), 10-13..16 (4–7) → Thu 10-16.
    ("2025-09-30", 7, "2025-10-16"),
    # Received on Fri 10-03, inside the break: 10-09 (1), 10-10 (2), 10-11 (3), 10-13..17 (4–8),
    # 10-20..24 (9–13), 10-27..31 (14–18), 11-03 (19), 11-04 Tue (20).
    ("2025-10-03", 20, "2025-11-04"),
    # 元旦 2026 (off 01-01 Thu – 01-03 Sat; make-up Sun 01-04). Received Wed 2025-12-31:
    # break, 01-04 Sun (1), 01-05..09 (2–6), 01-12 Mon (7).
    ("2025-12-31", 7, "2026-01-12"),
    # 春节 2026 (off 02-15 Sun – 02-23 Mon; make-up Sat 02-14, Sat 02-28). Received Tue 02-10:
    # 02-11 (1), 02-12 (2), 02-13 (3), 02-14 Sat (4), break, 02-24..27 (5–8), 02-28 Sat (9),
    # 03-02..06 (10–14), 03-09..13 (15–19), 03-16 Mon (20).
    ("2026-02-10", 20, "2026-03-16"),
    # 清明 2026 (off 04-04 Sat – 04-06 Mon). Received Thu 04-02: 04-03 Fri (1), break,
    # 04-07..10 (2–5), 04-13 (6), 04-14 Tue (7).
    ("2026-04-02", 7, "2026-04-14"),
    # 劳动节 2026 (off 05-01 Fri – 05-05 Tue; make-up Sat 05-09). Received Wed 04-29:
    # 04-30 (1), break, 05-06 (2), 05-07 (3), 05-08 (4), 05-09 Sat (5), 05-11 (6), 05-12 Tue (7).
    ("2026-04-29", 7, "2026-05-12"),
    # 端午 2026 (off 06-19 Fri – 06-21 Sun). Received Wed 06-17: 06-18 (1), break,
    # 06-22..26 (2–6), 06-29 Mon (7).
    ("2026-06-17", 7, "2026-06-29"),
    # 中秋 2026 (off 09-25 Fri – 09-27 Sun; the make-up Sun 09-20 belongs to 国庆).
    # Received Thu 09-17: 09-18 (1), 09-20 Sun (2), 09-21..24 (3–6), break, 09-28 Mon (7).
    ("2026-09-17", 7, "2026-09-28"),
    # 国庆 2026 (off 10-01 Thu – 10-07 Wed; make-up Sun 09-20, Sat 10-10). Received Tue 09-29:
    # 09-30 (1), break, 10-08 (2), 10-09 (3), 10-10 Sat (4), 10-12 (5), 10-13 (6), 10-14 Wed (7).
    ("2026-09-29", 7, "2026-10-14"),
]


@pytest.mark.parametrize(("receipt", "n", "due"), HOLIDAY_CASES)
def test_hand_checked_holiday_cases(receipt, n, due):
    result = clock(received(receipt), settings=ClockSettings(reply_workdays=n))
    assert result.due_date == D(due)
    assert not result.provisional


# -- date of receipt by channel (Art. 31, REFERENCE.md §1.2) ----------------------------------


def test_in_person_and_signed_post_use_the_day_itself():
    for channel in ("in_person", "post_signed"):
        result = clock(received("2025-03-03", channel))
        assert result.receipt_date == D("2025-03-03") and result.warnings == ()


def test_confirmation_day_is_the_date_of_receipt():
    # Online application submitted Friday 2025-03-07, both sides confirm Monday 03-10.
    result = clock(received("2025-03-07", "online", confirmed="2025-03-10"))
    assert result.receipt_date == D("2025-03-10")
    assert result.due_date == D("2025-04-08")  # 20th working day after Monday 03-10
    assert "2025-03-07 到达" in result.explanation[0]
    assert result.warnings == ()


def test_ordinary_post_should_be_confirmed_on_arrival():
    result = clock(received("2025-03-07", "post_ordinary", confirmed="2025-03-10"))
    assert result.receipt_date == D("2025-03-10")
    assert any("到达当日" in w for w in result.warnings)


def test_missing_confirmation_defaults_to_arrival_with_a_warning():
    result = clock(received("2025-09-26", "online"))
    assert result.receipt_date == D("2025-09-26")
    assert result.due_date == D("2025-10-30")
    assert any("未记录确认日期" in w for w in result.warnings)


def test_missing_confirmation_can_make_the_clock_wait():
    s = ClockSettings(assume_confirmed_on_arrival=False)
    result = clock(received("2025-09-26", "fax"), settings=s)
    assert result.state is ClockState.AWAITING_CONFIRMATION
    assert result.due_date is None and result.start_date is None
    with pytest.raises(ClockError, match="尚未确认"):
        clock(received("2025-09-26", "fax"), ev("determined", "2025-09-30"), settings=s)


def test_confirmation_is_refused_where_the_channel_needs_none():
    with pytest.raises(ClockError, match="无需确认"):
        received("2025-03-03", "in_person", confirmed="2025-03-04")
    with pytest.raises(ClockError, match="早于"):
        received("2025-03-05", "online", confirmed="2025-03-04")


def test_issue_example_first_counted_day_is_the_make_up_sunday():
    # The issue's illustration says 起算日 2025-09-29; Sunday 09-28 is a 调休 working day,
    # so the first working day after Friday 09-26 is 09-28.
    result = clock(received("2025-09-26", "online"))
    assert result.first_counted_day == D("2025-09-28")
    assert result.explanation[0].startswith("2025-09-26（周五） 收到申请（网络")
    assert "起算日 2025-09-28（周日，调休上班（国庆节））" in result.explanation[0]


def test_receipt_on_a_non_working_day():
    # Default (§4.6): Saturday 2025-01-04 itself does not count; Monday 01-06 is day 1.
    result = clock(received("2025-01-04", "online"))
    assert result.first_counted_day == D("2025-01-06") and result.due_date == D("2025-02-07")
    # Setting: deemed received on Monday 01-06, which then does not count → one more day.
    s = ClockSettings(non_workday_receipt_moves_to_next_workday=True)
    result = clock(received("2025-01-04", "online"), settings=s)
    assert result.start_date == D("2025-01-06") and result.due_date == D("2025-02-08")
    assert "视为" in result.explanation[0]
    # A working-day receipt is unaffected by that setting.
    assert clock(received("2025-01-06"), settings=s).due_date == D("2025-02-08")


def test_counting_the_trigger_day_setting():
    s = ClockSettings(count_trigger_day=True)
    assert clock(received("2025-01-06"), settings=s).due_date == D("2025-02-07")
    assert clock(received("2025-01-04"), settings=s).due_date == D("2025-02-07")


# -- correction (Art. 30) ------------------------------------------------------------------


def test_correction_restarts_the_twenty_days():
    result = clock(
        received("2025-01-06"),
        ev("correction_requested", "2025-01-10", deadline="2025-01-24"),
        ev("corrected", "2025-01-20"),
        today="2025-01-21",
    )
    # 20 working days after Monday 01-20: 01-21..24 (4), 01-26 Sun (5), 01-27 (6), break,
    # 02-05..07 (9), 02-08 Sat (10), 02-10..14 (15), 02-17..21 (20).
    assert result.due_date == D("2025-02-21")
    assert result.start_date == D("2025-01-20") and result.receipt_date == D("2025-01-06")
    assert result.workdays_used == 1 and result.workdays_left == 19


def test_waiting_for_correction():
    result = clock(
        received("2025-01-06"), ev("correction_requested", "2025-01-10"), today="2025-01-15"
    )
    assert result.state is ClockState.WAITING_CORRECTION
    assert result.due_date is None and result.overdue is False
    # If corrected on 01-15: 01-16, 17 (2), 01-20..24 (7), 01-26 Sun (8), 01-27 (9), break,
    # 02-05..07 (12), 02-08 Sat (13), 02-10..14 (18), 02-17 (19), 02-18 (20).
    assert result.projected_due_date == D("2025-02-18")
    assert "重新计算" in result.state_reason


def test_correction_expired_means_abandoned():
    result = clock(
        received("2025-01-06"),
        ev("correction_requested", "2025-01-10", deadline="2025-01-24"),
        ev("correction_expired", "2025-01-25"),
        today="2025-02-01",
    )
    assert result.state is ClockState.ABANDONED
    assert result.due_date is None and result.overdue is False
    assert "视为放弃申请" in result.state_reason and result.stopped_on == D("2025-01-25")
    with pytest.raises(ClockError, match="尚未届满"):
        clock(
            received("2025-01-06"),
            ev("correction_requested", "2025-01-10", deadline="2025-01-24"),
            ev("correction_expired", "2025-01-24"),
        )


def test_correction_is_one_time_and_needs_a_request():
    with pytest.raises(ClockError, match="一次性"):
        clock(
            received("2025-01-06"),
            ev("correction_requested", "2025-01-07"),
            ev("corrected", "2025-01-08"),
            ev("correction_requested", "2025-01-09"),
        )
    with pytest.raises(ClockError, match="没有待补正"):
        clock(received("2025-01-06"), ev("corrected", "2025-01-08"))
    with pytest.raises(ClockError, match="没有待补正"):
        clock(received("2025-01-06"), ev("correction_expired", "2025-01-08"))


def test_late_correction_notice_is_accepted_with_a_warning():
    result = clock(received("2025-01-06"), ev("correction_requested", "2025-01-16"))
    assert any("7 个工作日" in w and "2025-01-15" in w for w in result.warnings)
    with pytest.raises(ClockError, match="已于 2025-02-08 届满"):
        clock(received("2025-01-06"), ev("correction_requested", "2025-02-10"))


def test_only_correction_events_while_waiting():
    with pytest.raises(ClockError, match="待补正期间"):
        clock(
            received("2025-01-06"),
            ev("correction_requested", "2025-01-07"),
            ev("consultation_sent", "2025-01-08"),
        )


def test_correction_as_a_pause_setting():
    s = ClockSettings(correction_restarts_clock=False)
    result = clock(
        received("2025-03-03"),
        ev("correction_requested", "2025-03-05"),
        ev("corrected", "2025-03-12"),
        settings=s,
    )
    # 03-04 (1); 03-05..03-12 not counted (6 working days); 03-13 (2), 03-14 (3),
    # 03-17..21 (8), 03-24..28 (13), 03-31..04-03 (17), 04-04 Fri 清明, 04-07 (18), 04-08 (19),
    # 04-09 Wed (20).
    assert result.due_date == D("2025-04-09")
    assert result.excluded_workdays == 6


# -- consultation (Arts. 32–34, 33 ¶3) ---------------------------------------------------------


def test_consultation_is_not_counted():
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-10"),
        ev("consultation_answered", "2025-03-14"),
        today="2025-03-17",
    )
    base = clock(received("2025-03-03")).due_date
    assert base == D("2025-03-31")
    # 03-10..14 are 5 working days not counted: the deadline moves 5 working days.
    assert result.due_date == D("2025-04-08")  # 04-01..03 (3), 04-04 清明, 04-07 (4), 04-08 (5)
    assert result.excluded_workdays == 5
    assert result.workdays_used == 5  # 03-04..07 and 03-17
    assert result.excluded_intervals[0].as_dict() == {
        "start": "2025-03-10",
        "end": "2025-03-14",
        "reasons": ["征求第三方意见"],
        "workdays": 5,
    }


def test_open_consultation_means_paused():
    result = clock(
        received("2025-03-03"), ev("consultation_sent", "2025-03-10"), today="2025-03-20"
    )
    assert result.state is ClockState.PAUSED and result.due_date is None
    assert result.workdays_used == 4 and result.workdays_left == 16
    assert result.overdue is False
    # If the answer came on 03-20: 03-21 (5), 03-24..28 (10), 03-31..04-03 (14), 04-07..10 (18),
    # 04-11 (19), 04-14 (20).
    assert result.projected_due_date == D("2025-04-14")
    assert "征求第三方意见" in result.state_reason


def test_overlapping_consultations_are_merged():
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-10", ref="A"),
        ev("consultation_sent", "2025-03-12", ref="B", party="agency"),
        ev("consultation_answered", "2025-03-14", ref="A"),
        ev("consultation_answered", "2025-03-18", ref="B"),
    )
    # One interval 03-10..03-18 (7 working days), not 5 + 5.
    assert result.excluded_workdays == 7
    assert len(result.excluded_intervals) == 1
    assert result.due_date == D("2025-04-10")


def test_consultation_answer_needs_a_letter():
    with pytest.raises(ClockError, match="没有未结的征求意见函"):
        clock(received("2025-03-03"), ev("consultation_answered", "2025-03-10"))
    with pytest.raises(ClockError, match="〔X〕"):
        clock(
            received("2025-03-03"),
            ev("consultation_sent", "2025-03-04", ref="A"),
            ev("consultation_answered", "2025-03-10", ref="X"),
        )


def test_consultation_expiry_cannot_come_before_fifteen_working_days():
    # Sent Monday 2025-03-03: 15 working days later is Monday 03-24.
    with pytest.raises(ClockError, match="2025-03-24"):
        clock(
            received("2025-03-03"),
            ev("consultation_sent", "2025-03-03"),
            ev("consultation_expired", "2025-03-21"),
        )
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-03"),
        ev("consultation_expired", "2025-03-24"),
    )
    assert result.state is ClockState.RUNNING and result.excluded_workdays == 15
    # Delivered later → the third party's period ends later.
    with pytest.raises(ClockError, match="2025-03-26"):
        clock(
            received("2025-03-03"),
            ev("consultation_sent", "2025-03-03", delivered="2025-03-05"),
            ev("consultation_expired", "2025-03-25"),
        )
    # Other agencies have no statutory period.
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-03", party="agency"),
        ev("consultation_expired", "2025-03-05"),
    )
    assert result.excluded_workdays == 2


def test_consultation_after_the_deadline_does_not_rescue_it():
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-04-02"),
        ev("consultation_answered", "2025-04-10"),
        today="2025-04-11",
    )
    assert result.due_date == D("2025-03-31") and result.overdue is True
    assert result.excluded_workdays == 0 and result.workdays_overdue == 8
    assert any("不再顺延" in step for step in result.explanation)


def test_consultation_sent_on_the_last_day_still_pauses():
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-31"),
        ev("consultation_answered", "2025-03-31"),
    )
    assert result.due_date == D("2025-04-01")  # the last day itself was not counted


# -- fee period (§3.4) -----------------------------------------------------------------------


def test_fee_period_is_not_counted_by_default():
    result = clock(
        received("2025-03-03"),
        ev("fee_notice_sent", "2025-03-10"),
        ev("fee_paid", "2025-03-12"),
    )
    assert result.excluded_workdays == 3
    assert result.due_date == D("2025-04-03")  # 2025-03-31 + 3 working days


def test_fee_period_setting_off():
    s = ClockSettings(fee_period_excluded=False)
    result = clock(
        received("2025-03-03"),
        ev("fee_notice_sent", "2025-03-10"),
        ev("fee_paid", "2025-03-12"),
        settings=s,
    )
    assert result.excluded_workdays == 0 and result.due_date == D("2025-03-31")
    open_fee = clock(received("2025-03-03"), ev("fee_notice_sent", "2025-03-10"), settings=s)
    assert open_fee.state is ClockState.RUNNING and open_fee.due_date == D("2025-03-31")


def test_unpaid_fee_means_abandoned():
    # Notice sent (and received) Monday 2026-09-28 → pay by 2026-10-30 (REFERENCE.md §4.5).
    with pytest.raises(ClockError, match="2026-10-30"):
        clock(
            received("2026-09-21"),
            ev("fee_notice_sent", "2026-09-28"),
            ev("fee_expired", "2026-10-30"),
        )
    result = clock(
        received("2026-09-21"),
        ev("fee_notice_sent", "2026-09-28"),
        ev("fee_expired", "2026-11-02"),
        today="2026-11-05",
    )
    assert result.state is ClockState.ABANDONED
    assert "逾期未按收费通知要求缴纳费用" in result.state_reason
    assert result.due_date is None and result.overdue is False
    # The pause ends with the application: 09-28..11-02, no longer open.
    assert result.excluded_intervals[-1].end == D("2026-11-02")
    # Counted before the notice: 09-22, 09-23, 09-24 (09-25 Fri is 中秋, then the weekend).
    assert result.workdays_used == 3


def test_fee_rules():
    with pytest.raises(ClockError, match="已发出过收费通知"):
        clock(
            received("2025-03-03"),
            ev("fee_notice_sent", "2025-03-04"),
            ev("fee_paid", "2025-03-05"),
            ev("fee_notice_sent", "2025-03-06"),
        )
    with pytest.raises(ClockError, match="没有待缴费"):
        clock(received("2025-03-03"), ev("fee_paid", "2025-03-05"))
    with pytest.raises(ClockError, match="答复期限内发出"):
        clock(received("2025-03-03"), ev("fee_notice_sent", "2025-04-01"))
    late = clock(
        received("2025-03-03"),
        ev("fee_notice_sent", "2025-03-04", delivered="2025-03-04"),
        ev("fee_paid", "2025-04-07"),
    )
    assert any("晚于缴费期限 2025-04-01" in w for w in late.warnings)


def test_fee_and_consultation_overlap_merge():
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-10"),
        ev("fee_notice_sent", "2025-03-12"),
        ev("consultation_answered", "2025-03-14"),
        ev("fee_paid", "2025-03-18"),
    )
    assert result.excluded_workdays == 7
    assert result.excluded_intervals[0].reasons == ("征求第三方意见", "等待缴纳信息处理费")


# -- extension (Art. 33 ¶2) ------------------------------------------------------------------


def test_extension_adds_exactly_its_working_days():
    result = clock(received("2025-03-03"), ev("extended", "2025-03-20", workdays=10))
    assert result.due_date == D("2025-04-15")  # 03-31 + 10: 04-01..03, 04-07..11, 04-14, 04-15
    assert result.extension_workdays == 10 and result.total_workdays == 30


def test_extension_rules():
    with pytest.raises(ClockError, match="只能一次"):
        clock(
            received("2025-03-03"),
            ev("extended", "2025-03-20", workdays=5),
            ev("extended", "2025-03-21", workdays=5),
        )
    with pytest.raises(ClockError, match="不超过 20"):
        clock(received("2025-03-03"), ev("extended", "2025-03-20", workdays=21))
    with pytest.raises(ClockError, match="已于 2025-03-31 届满"):
        clock(received("2025-03-03"), ev("extended", "2025-04-01", workdays=20))
    with pytest.raises(ClockError, match="workdays"):
        ev("extended", "2025-03-20")
    on_last_day = clock(received("2025-03-03"), ev("extended", "2025-03-31", workdays=20))
    # 04-01..03 (3), 04-07..11 (8), 04-14..18 (13), 04-21..25 (18), 04-27 Sun 调休 (19), 04-28 (20)
    assert on_last_day.due_date == D("2025-04-28")
    allowed = ClockSettings(extension_after_due_allowed=True, max_extensions=2)
    result = clock(
        received("2025-03-03"),
        ev("extended", "2025-03-10", workdays=5),
        ev("extended", "2025-04-15", workdays=5),
        settings=allowed,
    )
    assert result.extension_workdays == 10


def test_extension_during_a_pause():
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-10"),
        ev("extended", "2025-03-12", workdays=20),
        ev("consultation_answered", "2025-03-14"),
    )
    assert (
        result.due_date
        == clock(
            received("2025-03-03"),
            ev("consultation_sent", "2025-03-10"),
            ev("consultation_answered", "2025-03-14"),
            ev("extended", "2025-03-17", workdays=20),
        ).due_date
    )


# -- determination, order, today --------------------------------------------------------------


def test_determination_stops_the_clock():
    result = clock(received("2025-03-03"), ev("determined", "2025-03-20"), today="2025-05-01")
    assert result.state is ClockState.STOPPED and result.stopped_on == D("2025-03-20")
    assert result.due_date == D("2025-03-31") and result.overdue is False
    assert result.as_of == D("2025-03-20") and result.workdays_used == 13
    assert result.workdays_left == 7


def test_late_determination_is_overdue():
    result = clock(received("2025-03-03"), ev("determined", "2025-04-02"))
    assert result.overdue is True and result.workdays_overdue == 2
    assert "逾期 2 个工作日" in result.state_reason


def test_determination_during_a_pause_closes_it():
    result = clock(
        received("2025-03-03"),
        ev("consultation_sent", "2025-03-10"),
        ev("determined", "2025-03-20"),
    )
    assert result.state is ClockState.STOPPED and result.overdue is False
    assert result.excluded_workdays == 9


def test_nothing_after_the_end():
    with pytest.raises(ClockError, match="作出答复，其后不能再有事件"):
        clock(
            received("2025-03-03"),
            ev("determined", "2025-03-20"),
            ev("extended", "2025-03-21", workdays=5),
        )
    with pytest.raises(ClockError, match="视为放弃"):
        clock(
            received("2025-03-03"),
            ev("correction_requested", "2025-03-04"),
            ev("correction_expired", "2025-03-20"),
            ev("corrected", "2025-03-21"),
        )


def test_order_is_enforced():
    with pytest.raises(ClockError, match="第一条事件必须是"):
        clock(ev("determined", "2025-03-20"))
    with pytest.raises(ClockError, match="事件记录为空"):
        clock()
    with pytest.raises(ClockError, match="早于收到申请之日"):
        clock(
            received("2025-03-03", "online", confirmed="2025-03-05"),
            ev("consultation_sent", "2025-03-04"),
        )
    with pytest.raises(ClockError, match="事件顺序与日期不符"):
        clock(
            received("2025-03-03"),
            ev("consultation_sent", "2025-03-10"),
            ev("consultation_answered", "2025-03-07"),
        )
    with pytest.raises(ClockError, match="重复的"):
        clock(received("2025-03-03"), received("2025-03-04"))
    with pytest.raises(ClockError, match="晚于计算日"):
        clock(received("2025-03-03"), ev("determined", "2025-03-20"), today="2025-03-19")
    with pytest.raises(ClockError, match="第 2 条事件（2025-03-20 作出答复）"):
        clock(received("2025-03-03"), ev("determined", "2025-03-20"), today="2025-03-19")


def test_event_fields_are_checked():
    with pytest.raises(ClockError, match="渠道"):
        ClockEvent(EventKind.RECEIVED, D("2025-03-03"))
    with pytest.raises(ClockError, match="不应有"):
        ev("determined", "2025-03-03", workdays=3)
    with pytest.raises(ClockError, match="不应有"):
        ev("determined", "2025-03-03", channel="online")
    with pytest.raises(ClockError, match="送达日期"):
        ev("consultation_sent", "2025-03-03", delivered="2025-03-01")
    with pytest.raises(ClockError, match="补正期限"):
        ev("correction_requested", "2025-03-03", deadline="2025-03-01")


def test_used_left_and_overdue_as_of_today():
    events = (received("2025-03-03"),)
    assert clock(*events).workdays_used is None and clock(*events).overdue is None
    r = clock(*events, today="2025-03-31")
    assert (r.workdays_used, r.workdays_left, r.overdue) == (20, 0, False)
    r = clock(*events, today="2025-04-01")  # the deadline day ended at 24:00 on 03-31
    assert (r.workdays_used, r.workdays_left, r.overdue, r.workdays_overdue) == (21, 0, True, 1)
    assert "已超过答复期限" in r.state_reason
    r = clock(*events, today="2025-04-05")  # a Saturday (and 清明 week): overdue, 3 working days
    assert r.overdue is True and r.workdays_overdue == 3


# -- provisional: a deadline in a year without a schedule ---------------------------------------


def test_december_2026_application_is_provisional():
    result = clock(received("2026-12-14"), today="2026-12-20")
    # 12-15..18 (4), 12-21..25 (9), 12-28..31 (13), 2027-01-01 Fri 元旦 (estimated off),
    # 01-04..08 (18), 01-11..12 (20).
    assert result.due_date == D("2027-01-12")
    assert result.provisional and "2027年" in result.provisional_reasons[0]
    assert result.explanation[-1].startswith("暂定：")
    assert "暂定" in result.explanation[0]


def test_entering_the_2027_schedule_updates_the_due_date():
    cal = WorkCalendar.from_package(
        overrides=[Override(D("2027-01-01"), False, "元旦")], covered_years={2027}
    )
    result = clock(received("2026-12-14"), calendar=cal)
    assert result.due_date == D("2027-01-12") and not result.provisional


def test_local_holiday_override_reaches_the_clock():
    cal = WorkCalendar.from_package(overrides=[Override(D("2025-03-10"), False, "地方性假日")])
    assert clock(received("2025-03-03"), calendar=cal).due_date == D("2025-04-01")


# -- output ---------------------------------------------------------------------------------


def test_result_is_json_ready():
    result = clock(
        received("2025-09-26", "online"),
        ev("consultation_sent", "2025-10-09"),
        today="2025-10-20",
    )
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    for key in ("due_date", "state", "workdays_used", "provisional", "explanation"):
        assert key in data
    assert data["state"] == "paused" and data["state_label"] == "暂停计时"
    assert data["due_date"] is None and data["projected_due_date"]
    assert all(isinstance(step, str) for step in data["explanation"])


def test_settings_from_mapping():
    assert ClockSettings.from_mapping({}) == DEFAULT_SETTINGS
    assert ClockSettings.from_mapping({"fee_period_excluded": False}).fee_period_excluded is False
    with pytest.raises(ClockError, match="未知的设置项"):
        ClockSettings.from_mapping({"reply_days": 15})
    with pytest.raises(ClockError, match="整数"):
        ClockSettings.from_mapping({"reply_workdays": "15"})
    with pytest.raises(ClockError, match="true 或 false"):
        ClockSettings.from_mapping({"fee_period_excluded": 1})
    with pytest.raises(ClockError, match="至少"):
        ClockSettings(reply_workdays=0)
    assert ClockSettings(reply_workdays=15).as_dict()["reply_workdays"] == 15  # legacy 2007 text
