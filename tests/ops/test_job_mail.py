"""A periodic job's mails are sent exactly once per (job, period, recipient, object), however often
the job runs: a retry after a failure, or a worker killed after sending but before marking done."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from gongkai.applications import services
from gongkai.core.models import Role
from gongkai.ops import jobs, mail
from gongkai.ops.management.commands.worker import GongkaiWorker
from gongkai.ops.models import JobMail, JobRun, JobRunStatus
from tests.factories import member

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
NOW = dt.datetime(2026, 12, 7, 2, 0, 10, tzinfo=dt.UTC)


def drain() -> int:
    ran = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim("test-worker")
        GongkaiWorker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                      max_tasks=None, worker_id="test-worker").run_task(row)
        ran += 1
    return ran


def rerun(job: str, period: str) -> None:
    """What a second worker does with a task whose first worker died before marking the run done."""
    JobRun.objects.filter(job=job, period=period).update(status=JobRunStatus.RUNNING)
    jobs.run_periodic_job.call(job, period)


@pytest.fixture
def mailing_job(settings, monkeypatch):
    settings.TASKS = DB_QUEUE
    settings.GONGKAI_JOB_RETRIES = 3
    settings.GONGKAI_JOB_BACKOFF = 0
    state = {"runs": 0}

    def remind() -> str:
        state["runs"] += 1
        sent = mail.send_once("提醒", "正文", ["a@example.org", "b@example.org"], "organ:1")
        if state["runs"] == 1:
            raise RuntimeError("发送之后、标记完成之前出错")
        return f"发送 {sent} 封"

    monkeypatch.setattr(jobs, "registry", lambda: {"remind": jobs.PeriodicJob(
        "remind", "测试提醒", jobs.DAILY, remind)})
    return state


def test_a_retried_job_mails_each_recipient_once(db, mailing_job, mailoutbox):
    jobs.schedule(now=NOW)
    assert drain() == 2  # the failed attempt, then its retry
    run = JobRun.objects.get(job="remind")
    assert run.status == JobRunStatus.DONE and run.attempts == 2 and run.summary == "发送 0 封"
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    rerun("remind", run.period)
    assert len(mailoutbox) == 2
    assert JobMail.objects.filter(job="remind", period=run.period).count() == 2


def test_a_refused_mail_is_sent_by_the_retry(db, settings, monkeypatch, mailoutbox):
    calls = {"n": 0}
    real_send = mail.send_mail

    def flaky(subject, body, sender, to):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("邮件服务器拒收")
        return real_send(subject, body, sender, to)

    monkeypatch.setattr(mail, "send_mail", flaky)
    token = mail.current_run.set(("remind", "2026-12-07"))
    try:
        with pytest.raises(OSError):
            mail.send_once("提醒", "正文", ["a@example.org", "b@example.org"], "organ:1")
        assert list(JobMail.objects.values_list("recipient", flat=True)) == ["a@example.org"]
        assert mail.send_once("提醒", "正文", ["a@example.org", "b@example.org"], "organ:1") == 1
    finally:
        mail.current_run.reset(token)
    assert [m.to[0] for m in mailoutbox] == ["a@example.org", "b@example.org"]


def test_the_daily_job_reminds_a_handler_once_when_run_twice(organ, settings, monkeypatch, mailoutbox):
    settings.TASKS = DB_QUEUE
    member(organ, Role.HANDLER, "handler", email="handler@example.org")
    services.application_submit(organ=organ, data={
        "applicant_kind": "natural_person", "name": "张三", "id_type": "resident_id",
        "id_number": "11010519491231002X", "phone": "13812345678", "email": "zhangsan@example.com",
        "address": "河北省保定市竞秀区东风路1号", "postcode": "071000", "title": "道路建设资金使用情况",
        "description": "申请公开道路建设项目的资金拨付和使用情况。", "delivery": "paper", "receive_via": "post"})
    monkeypatch.setattr(services, "today", lambda: dt.date(2099, 1, 5))  # long overdue
    monkeypatch.setattr(jobs, "registry", lambda: {"applications_daily": jobs.PeriodicJob(
        "applications_daily", "重算答复期限并提醒经办人", jobs.DAILY, jobs._applications_daily)})
    [run] = jobs.schedule(now=NOW)
    drain()
    reminders = [m for m in mailoutbox if "依申请公开提醒" in m.subject]
    assert len(reminders) == 1 and reminders[0].to == ["handler@example.org"]
    rerun("applications_daily", run.period)
    assert len([m for m in mailoutbox if "依申请公开提醒" in m.subject]) == 1
    assert JobMail.objects.get().object_key.startswith("user:")
