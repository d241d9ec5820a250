"""The periodic jobs on the persistent queue: enqueued once per period, run once, retried, visible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.ops import jobs
from gongkai.ops.management.commands.worker import GongkaiWorker
from gongkai.ops.models import JobRun, JobRunStatus

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
NOW = dt.datetime(2026, 12, 7, 2, 0, 10, tzinfo=dt.UTC)  # a Monday, 10:00 in Beijing


@pytest.fixture
def queue(settings, monkeypatch):
    settings.TASKS = DB_QUEUE
    settings.GONGKAI_JOB_RETRIES = 3
    calls = {"count": 0, "fail": 0}

    def counting() -> str:
        calls["count"] += 1
        if calls["fail"]:
            calls["fail"] -= 1
            raise RuntimeError("邮件服务器无应答")
        return f"第{calls['count']}次"

    monkeypatch.setattr(jobs, "registry", lambda: {"counting": jobs.PeriodicJob(
        "counting", "测试任务", jobs.INTERVAL, counting, seconds=60)})
    return calls


def worker() -> GongkaiWorker:
    return GongkaiWorker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                         startup_delay=False, max_tasks=None, worker_id="test-worker")


def drain(now=None) -> int:
    """Run every ready task (the worker's claim and run, without its exclusive transaction)."""
    ran = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim("test-worker")
        worker().run_task(row)
        ran += 1
    return ran


def test_each_period_is_enqueued_exactly_once_by_any_number_of_schedulers(db, queue):
    first = jobs.schedule(now=NOW)
    again = jobs.schedule(now=NOW + dt.timedelta(seconds=30))  # another server, same minute
    assert [(r.job, r.period) for r in first] == [("counting", "2026-12-07T02:00:00Z")]
    assert again == []
    assert DBTaskResult.objects.count() == 1
    assert [r.period for r in jobs.schedule(now=NOW + dt.timedelta(minutes=1))] == ["2026-12-07T02:01:00Z"]
    assert DBTaskResult.objects.count() == 2


def test_a_worker_runs_the_job_and_a_second_run_of_the_same_period_does_nothing(db, queue):
    jobs.schedule(now=NOW)
    assert drain() == 1
    run = JobRun.objects.get()
    assert (run.status, run.attempts, run.summary) == (JobRunStatus.DONE, 1, "第1次")
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    jobs.run_periodic_job.enqueue("counting", run.period)  # e.g. a task requeued after a lost worker
    drain()
    assert queue["count"] == 1


def test_a_failing_job_is_retried_with_backoff_then_shown_as_failed(db, queue):
    queue["fail"] = 5
    jobs.schedule(now=NOW)
    drain()
    run = JobRun.objects.get()
    assert run.status == JobRunStatus.RETRYING and "邮件服务器无应答" in run.last_error
    retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
    wait = (retry.run_after - timezone.now()).total_seconds()
    assert 25 < wait <= 30  # the first backoff
    assert DBTaskResult.objects.failed().get().exception_class_path == "builtins.RuntimeError"
    for _ in range(2):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        drain()
    run.refresh_from_db()
    assert (run.status, run.attempts, queue["count"]) == (JobRunStatus.FAILED, 3, 3)
    assert not DBTaskResult.objects.ready().exists()  # no endless retries
    assert [jobs.backoff_seconds(n) for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]


def test_a_retry_that_succeeds_completes_the_period(db, queue):
    queue["fail"] = 1
    jobs.schedule(now=NOW)
    drain()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    drain()
    run = JobRun.objects.get()
    assert (run.status, run.attempts, run.summary) == (JobRunStatus.DONE, 2, "第2次")


def test_a_task_left_running_by_a_dead_worker_is_requeued_after_the_timeout(db, queue, settings):
    settings.GONGKAI_JOB_TIMEOUT = 60
    jobs.schedule(now=NOW)
    row = DBTaskResult.objects.get()
    row.claim("killed-worker")
    jobs.beat("killed-worker")
    assert jobs.requeue_stale() == 0  # still within the timeout
    DBTaskResult.objects.update(started_at=timezone.now() - dt.timedelta(seconds=61))
    assert jobs.requeue_stale(now=timezone.now() + dt.timedelta(seconds=61)) == 1  # silent for 61 s
    drain()
    assert JobRun.objects.get().status == JobRunStatus.DONE and queue["count"] == 1


def test_a_long_job_of_a_live_worker_is_never_run_twice(db, queue, settings):
    settings.GONGKAI_JOB_TIMEOUT = 60
    jobs.schedule(now=NOW)
    DBTaskResult.objects.get().claim("busy-worker")
    DBTaskResult.objects.update(started_at=timezone.now() - dt.timedelta(hours=2))  # a long job
    jobs.beat("busy-worker")  # its heartbeat thread still beats
    assert jobs.requeue_stale() == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING
    assert jobs.requeue_stale(own_worker="another-worker") == 0


def test_a_worker_restarted_under_its_id_takes_back_its_task_at_once(db, queue):
    jobs.schedule(now=NOW)
    DBTaskResult.objects.get().claim("worker1")
    jobs.beat("worker1")
    worker_ = GongkaiWorker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                            startup_delay=False, max_tasks=None, worker_id="worker1")
    worker_.start_beating()  # the restarted process: its predecessor was killed mid-job
    worker_._beating.set()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    drain()
    assert JobRun.objects.get().status == JobRunStatus.DONE and queue["count"] == 1


def test_periodic_jobs_go_before_other_queued_work(db, queue):
    from gongkai.applications.tasks import letter_render

    letter_render.using(backend="default").enqueue(0)
    jobs.schedule(now=NOW)
    assert DBTaskResult.objects.ready().get_locked().task_path.endswith("run_periodic_job")


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_loop_runs_the_queue(queue):
    jobs.schedule(now=NOW)
    worker().run()  # batch: stops when the queue is empty
    assert JobRun.objects.get().status == JobRunStatus.DONE


def test_the_real_jobs_keep_what_serve_ran(db):
    found = jobs.registry()
    assert {"publish_due", "consultations_close", "applications_daily", "workplan_remind",
            "report_digest"} <= set(found)
    monday = dt.datetime(2026, 12, 6, 16, 30, tzinfo=dt.UTC)  # 00:30 on Monday in Beijing
    assert found["applications_daily"].period(monday) == "2026-12-07"
    assert found["report_digest"].period(monday) == "2026-W50"
    assert found["report_digest"].period(monday - dt.timedelta(hours=1)) == "2026-W49"


def test_real_jobs_run_immediately_without_a_queue(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs them on commit
        runs = jobs.schedule(now=NOW, only={"publish_due", "applications_daily"})
    assert {r.job for r in runs} == {"publish_due", "applications_daily"}
    done = {r.job: r for r in JobRun.objects.all()}
    assert done["publish_due"].status == JobRunStatus.DONE
    assert done["publish_due"].summary == "0条已发布，0条未通过校验"


def test_platform_admins_see_failed_jobs_with_their_error(db, client, admin_user, queue):
    JobRun.objects.create(job="counting", period="2026-12-07", status=JobRunStatus.FAILED,
                          attempts=5, last_error="RuntimeError: 邮件服务器无应答")
    client.force_login(admin_user)
    page = client.get(reverse("admin:ops_jobrun_changelist") + "?status__exact=failed")
    assert page.status_code == 200 and "counting" in page.content.decode()
    detail = client.get(reverse("admin:ops_jobrun_change", args=[JobRun.objects.get().pk]))
    assert "邮件服务器无应答" in detail.content.decode()
