"""``gongkai clock FILE.json``: JSON in, JSON out; bad input → Chinese message, exit 2."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from gongkai.applications.clock_cli import run
from gongkai.workdays import Override, WorkCalendar


def call(payload, *args, calendar=None, tmp_path=None):
    stdin = io.StringIO(payload if isinstance(payload, str) else json.dumps(payload))
    out, err = io.StringIO(), io.StringIO()
    code = run(["-", *args], calendar=calendar, stdin=stdin, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_issue_example(tmp_path):
    path = tmp_path / "app.json"
    path.write_text(
        json.dumps(
            {
                "events": [{"kind": "received", "date": "2025-09-26", "channel": "online"}],
                "today": "2025-10-15",
            }
        ),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    assert run([str(path)], stdout=out, stderr=err) == 0
    data = json.loads(out.getvalue())
    assert data["due_date"] == "2025-10-30"
    assert data["state"] == "running"
    assert data["workdays_used"] == 9
    assert data["provisional"] is False
    assert data["explanation"][0].startswith("2025-09-26（周五） 收到申请（网络")
    assert "起算日 2025-09-28" in data["explanation"][0]


def test_every_kind_is_accepted():
    payload = {
        "events": [
            {
                "kind": "received",
                "date": "2025-03-03",
                "channel": "post_ordinary",
                "confirmed": "2025-03-03",
            },
            {"kind": "correction_requested", "date": "2025-03-04", "deadline": "2025-03-14"},
            {"kind": "corrected", "date": "2025-03-10"},
            {
                "kind": "consultation_sent",
                "date": "2025-03-11",
                "party": "third_party",
                "ref": "A",
                "delivered": "2025-03-12",
            },
            {"kind": "consultation_sent", "date": "2025-03-11", "party": "agency", "ref": "B"},
            {"kind": "consultation_answered", "date": "2025-03-13", "ref": "B"},
            {"kind": "consultation_expired", "date": "2025-04-03", "ref": "A"},
            {"kind": "fee_notice_sent", "date": "2025-04-07", "delivered": "2025-04-08"},
            {"kind": "fee_paid", "date": "2025-04-09"},
            {"kind": "extended", "date": "2025-04-10", "workdays": 20, "note": "经负责人同意"},
            {"kind": "determined", "date": "2025-05-06"},
        ],
        "today": "2025-05-07",
    }
    code, out, err = call(payload)
    assert code == 0, err
    data = json.loads(out)
    assert data["state"] == "stopped" and data["overdue"] is False
    assert data["extension_workdays"] == 20


def test_abandoned_via_fee():
    payload = {
        "events": [
            {"kind": "received", "date": "2026-09-21", "channel": "in_person"},
            {"kind": "fee_notice_sent", "date": "2026-09-28"},
            {"kind": "fee_expired", "date": "2026-11-02"},
        ],
        "today": "2026-11-03",
    }
    code, out, _ = call(payload)
    assert code == 0 and json.loads(out)["state"] == "abandoned"


def test_correction_expired_kind():
    payload = {
        "events": [
            {"kind": "received", "date": "2025-03-03", "channel": "in_person"},
            {"kind": "correction_requested", "date": "2025-03-04"},
            {"kind": "correction_expired", "date": "2025-03-20"},
        ],
        "today": "2025-03-21",
    }
    code, out, _ = call(payload)
    assert code == 0 and json.loads(out)["state"] == "abandoned"


def test_today_option_wins_and_compact_output():
    payload = {
        "events": [{"kind": "received", "date": "2025-03-03", "channel": "fax"}],
        "today": "2025-03-04",
    }
    code, out, _ = call(payload, "--today", "2025-04-01", "--compact")
    assert code == 0 and "\n" not in out.strip()
    data = json.loads(out)
    assert data["as_of"] == "2025-04-01" and data["overdue"] is True


def test_without_today_uses_the_date_in_china():
    code, out, _ = call({"events": [{"kind": "received", "date": "2025-03-03", "channel": "fax"}]})
    assert code == 0 and json.loads(out)["as_of"] >= "2025-11-01"


def test_calendar_argument_and_json_overrides():
    payload = {
        "events": [{"kind": "received", "date": "2026-12-14", "channel": "in_person"}],
        "today": "2026-12-15",
    }
    code, out, _ = call(payload)
    data = json.loads(out)
    assert data["due_date"] == "2027-01-12" and data["provisional"] is True
    assert "2027年" in data["provisional_reasons"][0]
    # The Django side passes a calendar with the admin's overrides.
    cal = WorkCalendar.from_package(
        overrides=[Override(date(2027, 1, 1), False, "元旦")], covered_years={2027}
    )
    code, out, _ = call(payload, calendar=cal)
    data = json.loads(out)
    assert data["due_date"] == "2027-01-12" and data["provisional"] is False
    # Or the JSON brings them, for checking by hand.
    payload["calendar"] = {
        "overrides": [{"date": "2027-01-01", "workday": False, "note": "元旦"}],
        "covered_years": [2027],
    }
    code, out, _ = call(payload)
    assert json.loads(out)["due_date"] == "2027-01-12"


def test_settings_in_json():
    payload = {
        "events": [{"kind": "received", "date": "2025-03-03", "channel": "in_person"}],
        "settings": {"reply_workdays": 15},
    }
    code, out, _ = call(payload)
    assert code == 0 and json.loads(out)["due_date"] == "2025-03-24"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{", "JSON 格式错误"),
        ("[]", "输入应为 JSON 对象"),
        ({"evnts": []}, "未知字段：evnts"),
        ({"events": {}}, "缺少 events"),
        ({"events": []}, "事件记录为空"),
        ({"events": [{"kind": "arrived", "date": "2025-03-03"}]}, "kind 无效"),
        ({"events": [{"kind": "received", "date": "2025-03-03"}]}, "渠道"),
        ({"events": [{"kind": "received", "date": "2025/03/03", "channel": "fax"}]}, "YYYY-MM-DD"),
        (
            {"events": [{"kind": "received", "date": "2025-02-30", "channel": "fax"}]},
            "不是有效日期",
        ),
        (
            {"events": [{"kind": "received", "date": "2025-03-03", "chanel": "fax"}]},
            "未知字段：chanel",
        ),
        (
            {"events": [{"kind": "received", "date": "2025-03-03", "channel": "post"}]},
            "post_signed",
        ),
        (
            {
                "events": [
                    {"kind": "received", "date": "2025-03-03", "channel": "fax"},
                    {"kind": "extended", "date": "2025-03-04"},
                ]
            },
            "workdays",
        ),
        (
            {
                "events": [
                    {"kind": "received", "date": "2025-03-03", "channel": "fax"},
                    {"kind": "extended", "date": "2025-03-04", "workdays": "5"},
                ]
            },
            "整数",
        ),
        (
            {
                "events": [
                    {"kind": "received", "date": "2025-03-03", "channel": "fax"},
                    {"kind": "consultation_answered", "date": "2025-03-04"},
                ]
            },
            "没有未结的征求意见函",
        ),
        (
            {
                "events": [{"kind": "received", "date": "2025-03-03", "channel": "fax"}],
                "today": "2025-03-01",
            },
            "晚于计算日",
        ),
        (
            {
                "events": [{"kind": "received", "date": "2025-03-03", "channel": "fax"}],
                "settings": {"x": 1},
            },
            "未知的设置项",
        ),
        (
            {
                "events": [{"kind": "received", "date": "2025-03-03", "channel": "fax"}],
                "calendar": {"overrides": [{"date": "2027-01-01"}]},
            },
            "workday",
        ),
        (
            {"events": [{"kind": "received", "date": "2100-12-20", "channel": "fax"}]},
            "超出工作日历范围",
        ),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(payload, message):
    code, out, err = (
        call(payload, "--today", "2100-12-31") if "2100" in json.dumps(payload) else call(payload)
    )
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and message in err
    assert "Traceback" not in err


def test_missing_file(tmp_path):
    err = io.StringIO()
    assert run([str(tmp_path / "nope.json")], stderr=err, stdout=io.StringIO()) == 2
    assert "无法读取文件" in err.getvalue()


def test_usage_error_returns_2(capsys):
    assert run([]) == 2
