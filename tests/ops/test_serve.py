"""``gongkai serve``: the daily jobs of its scheduler (the server itself is gunicorn)."""

import datetime as dt
import io

from django.core.management.base import CommandError

from gongkai.ops.management.commands import serve


def run_daily(monkeypatch, day, fail=None):
    calls = []

    def fake_call_command(name, *args, stdout, stderr):
        calls.append((name, *args))
        if name == fail:
            raise CommandError("出错了")
        stdout.write("明细\n共处理3件\n")

    monkeypatch.setattr(serve, "call_command", fake_call_command)
    command = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    command._daily(day)
    return calls, command.stdout.getvalue(), command.stderr.getvalue()


def test_daily_jobs_and_the_monday_digest(monkeypatch):
    calls, out, _ = run_daily(monkeypatch, dt.date(2025, 10, 21))  # a Tuesday
    assert calls == [("applications", "daily"), ("workplan", "remind")]
    assert "每日任务 applications daily：共处理3件" in out and "明细" not in out
    calls, _, _ = run_daily(monkeypatch, dt.date(2025, 10, 20))  # a Monday
    assert calls[-1] == ("report", "digest", "--now")


def test_one_failing_job_does_not_stop_the_others(monkeypatch):
    calls, out, err = run_daily(monkeypatch, dt.date(2025, 10, 21), fail="applications")
    assert calls == [("applications", "daily"), ("workplan", "remind")]
    assert "每日任务 applications daily 失败：出错了" in err
    assert "每日任务 workplan remind：共处理3件" in out
