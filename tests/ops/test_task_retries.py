"""Queued tasks other than the periodic jobs: retried with backoff on the database queue, a failure
kept for the platform admins with its error (gongkai/ops/task_retries.py, docs/adr/0017)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.ops import jobs, task_retries
from gongkai.ops.management.commands.worker import GongkaiWorker
from gongkai.ops.models import JobRun, TaskFailure, TaskFailureStatus
from gongkai.reports import stored
from gongkai.reports.tasks import pregenerate_report_files
from tests.factories import AnnualReportFactory, UserFactory

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def flaky(settings, monkeypatch):
    """The report files' task on the database queue, failing as many times as ``calls["fail"]`` says."""
    settings.TASKS = DB_QUEUE
    settings.GONGKAI_JOB_RETRIES = 3
    settings.GONGKAI_JOB_BACKOFF = 30
    calls = {"count": 0, "fail": 0}

    def pregenerate(report) -> int:
        calls["count"] += 1
        if calls["fail"]:
            calls["fail"] -= 1
            raise OSError("存储服务暂时不可用")
        return 2

    monkeypatch.setattr(stored, "pregenerate", pregenerate)
    return calls


def drain() -> int:
    """Run every ready task as the worker does (claim, run, the task_finished signal)."""
    ran = 0
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        row.claim("test-worker")
        GongkaiWorker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                      max_tasks=None, worker_id="test-worker").run_task(row)
        ran += 1
    return ran


def time_passes() -> None:
    """The backoff is over: the retries waiting in the queue become ready."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now() - dt.timedelta(seconds=1))


def waiting() -> list[float]:
    """Seconds each queued retry waits from now (rounded)."""
    now = timezone.now()
    return [round((row.run_after - now).total_seconds())
            for row in DBTaskResult.objects.filter(status=TaskResultStatus.READY)]


def test_a_failing_task_is_retried_with_backoff_until_it_succeeds(db, flaky):
    report = AnnualReportFactory()
    flaky["fail"] = 2
    pregenerate_report_files.enqueue(report.pk)
    assert drain() == 1
    failure = TaskFailure.objects.get()
    assert failure.task == "gongkai.reports.tasks.pregenerate_report_files"
    assert failure.arguments == str(report.pk)
    assert (failure.status, failure.attempts) == (TaskFailureStatus.RETRYING, 1)
    assert "OSError" in failure.last_error and "存储服务暂时不可用" in failure.last_error
    assert waiting() == [30] and drain() == 0  # not before its time

    time_passes()
    assert drain() == 1
    failure.refresh_from_db()
    assert (failure.status, failure.attempts) == (TaskFailureStatus.RETRYING, 2)
    assert waiting() == [60]

    time_passes()
    assert drain() == 1
    failure.refresh_from_db()
    assert failure.status == TaskFailureStatus.RECOVERED and failure.recovered_at is not None
    assert flaky["count"] == 3
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == [TaskResultStatus.FAILED, TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    assert DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL).args_kwargs["args"] == [report.pk]


def test_a_task_that_keeps_failing_is_given_up_and_counted_in_the_metrics(db, flaky, client):
    report = AnnualReportFactory()
    flaky["fail"] = 99
    pregenerate_report_files.enqueue(report.pk)
    for _ in range(5):
        drain()
        time_passes()
    failure = TaskFailure.objects.get()
    assert (failure.status, failure.attempts, failure.next_attempt_at) == (TaskFailureStatus.FAILED, 3, None)
    assert flaky["count"] == 3 and not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    body = client.get("/metrics").content.decode()
    assert 'gongkai_jobs_failed{kind="task_given_up"} 1.0' in body

    flaky["fail"] = 1  # enqueued again later (the report published anew): counted afresh
    pregenerate_report_files.enqueue(report.pk)
    drain()
    failure.refresh_from_db()
    assert (failure.status, failure.attempts) == (TaskFailureStatus.RETRYING, 1)


def test_each_arguments_have_their_own_count(db, flaky):
    first, second = AnnualReportFactory(), AnnualReportFactory(year=2023)
    flaky["fail"] = 2
    pregenerate_report_files.enqueue(first.pk)
    pregenerate_report_files.enqueue(second.pk)
    drain()
    assert sorted(TaskFailure.objects.values_list("arguments", "attempts")) == sorted(
        [(str(first.pk), 1), (str(second.pk), 1)])


def test_periodic_jobs_keep_their_own_retries(db, settings, monkeypatch):
    settings.TASKS = DB_QUEUE

    def broken() -> str:
        raise RuntimeError("邮件服务器无应答")

    monkeypatch.setattr(jobs, "registry", lambda: {"broken": jobs.PeriodicJob(
        "broken", "测试任务", jobs.INTERVAL, broken, seconds=60)})
    jobs.schedule(now=dt.datetime(2026, 12, 7, 2, 0, 10, tzinfo=dt.UTC))
    drain()
    assert JobRun.objects.get().attempts == 1
    assert not TaskFailure.objects.exists()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1  # one retry, not two


def test_with_the_immediate_backend_a_failure_is_recorded_not_retried(db, monkeypatch):
    report = AnnualReportFactory()

    def pregenerate(report) -> int:
        raise OSError("存储服务暂时不可用")

    monkeypatch.setattr(stored, "pregenerate", pregenerate)
    result = pregenerate_report_files.enqueue(report.pk)  # the conftest's immediate backend
    assert result.status == TaskResultStatus.FAILED
    failure = TaskFailure.objects.get()
    assert (failure.status, failure.attempts) == (TaskFailureStatus.FAILED, 1)
    assert "存储服务暂时不可用" in failure.last_error


def test_a_bookkeeping_error_never_fails_the_caller(db, monkeypatch, caplog):
    report = AnnualReportFactory()

    def pregenerate(report) -> int:
        raise OSError("存储服务暂时不可用")

    def broken_record(task_result, **kwargs):
        raise RuntimeError("数据库只读")

    monkeypatch.setattr(stored, "pregenerate", pregenerate)
    monkeypatch.setattr(task_retries, "record_failure", broken_record)
    result = pregenerate_report_files.enqueue(report.pk)
    assert result.status == TaskResultStatus.FAILED
    assert "task failure bookkeeping failed" in caplog.text


def test_platform_admins_see_failed_tasks_with_their_error(db, client, admin_user):
    row = TaskFailure.objects.create(task="gongkai.applications.tasks.letter_render", args_key="k", arguments="17",
                                     status=TaskFailureStatus.FAILED, attempts=5, last_failed_at=timezone.now(),
                                     last_error="OSError: 存储服务暂时不可用")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:ops_taskfailure_changelist") + "?status__exact=failed")
    assert listing.status_code == 200 and "letter_render" in listing.content.decode()
    detail = client.get(reverse("admin:ops_taskfailure_change", args=[row.pk]))
    assert "存储服务暂时不可用" in detail.content.decode()

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:ops_taskfailure_changelist")).status_code in {302, 403}
