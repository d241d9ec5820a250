"""The periodic work of the installation as queued jobs (docs/adr/0007-job-queue.md).

* Each :class:`PeriodicJob` names a plain function of the app that owns the work; ``ops``
  only decides *when*.
* :func:`schedule` (run by ``gongkai scheduler`` and inside ``gongkai serve``, on any number of
  servers) inserts one :class:`~gongkai.ops.models.JobRun` row per job and period; the unique
  constraint lets exactly one scheduler win, and it enqueues the job in the same transaction, so
  a period's job is enqueued once and only once.
* :func:`run_periodic_job` is the django-tasks task a worker runs. A period already done is not
  run again (idempotent); a failure is recorded and retried with exponential backoff
  (``GONGKAI_JOB_RETRIES`` attempts), then left as 失败 for the platform admins (admin
  「定时任务运行」, with the error).
* A worker killed in the middle of a job leaves its task 运行中; :func:`requeue_stale` (every
  worker calls it) puts such tasks back in the queue once their worker has not beaten for
  ``GONGKAI_JOB_TIMEOUT`` seconds (a live worker's long job is never run twice at once).
* The periodic jobs go before other queued work (priority): a burst of receipts to render does
  not hold back the publication of scheduled records.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .models import JobRun, JobRunStatus

INTERVAL = "interval"
DAILY = "daily"
WEEKLY = "weekly"


# --- the jobs ------------------------------------------------------------------------


def _publish_due() -> str:
    from gongkai.records.services import record_publish_due

    published, failed = record_publish_due()
    return f"{published}条已发布，{failed}条未通过校验"


def _consultations_close() -> str:
    from gongkai.participation.services.consultations import consultation_close_due

    return f"{consultation_close_due()}项意见征集到期结束"


def _participation_daily() -> str:
    from gongkai.participation.tasks import messages_and_answers_daily

    changed, flagged = messages_and_answers_daily()
    return f"{changed}条留言的答复期限有变化，{flagged}条口径因依据失效待复核"


def _messages_remind() -> str:
    from gongkai.participation.tasks import messages_remind_daily

    return messages_remind_daily()


def _applications_daily() -> str:
    import gongkai.applications.forms  # noqa: F401  (the public forms register their pending directories)
    import gongkai.participation.forms.consultations  # noqa: F401
    import gongkai.participation.forms.messages  # noqa: F401
    from gongkai.applications import services
    from gongkai.core.forms import purge_kept_files

    from .mail import send_once

    counts = services.applications_recompute()
    reminded = services.remind_handlers(send=send_once)
    purged = purge_kept_files()
    return (f"已重算 {counts['total']} 件申请的答复期限（{counts['changed']} 件有变化），提醒 {reminded} 件，"
            f"删除过期待用文件 {purged} 个")


def _workplan_remind() -> str:
    from gongkai.workplans.services import reminders_run, reminders_summary

    return reminders_summary(reminders_run())


def _idempotency_prune() -> str:
    from .idempotency import idempotency_prune

    return f"清除 {idempotency_prune()} 条过期的提交记录"


def _report_digest() -> str:
    from gongkai.reports.tasks import send_weekly_digests

    from .mail import send_once

    return f"已发送 {send_weekly_digests(send=send_once)} 封合规监测周报"


def _push_immediate() -> str:
    from gongkai.participation.services.subscriptions import push_immediate

    return push_immediate()


def _push_daily() -> str:
    from gongkai.participation.services.subscriptions import push_daily

    return push_daily()


def _push_weekly() -> str:
    from gongkai.participation.services.subscriptions import push_weekly

    return push_weekly()


def _open_data() -> str:
    from gongkai.portal.api.opendata import open_data_nightly

    return open_data_nightly()


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    label: str
    every: str  # INTERVAL, DAILY or WEEKLY (Mondays)
    func: Callable[[], str]
    seconds: int = 0  # the period of an INTERVAL job

    def period(self, now: dt.datetime) -> str:
        """The key of the period ``now`` falls in (local time for days and weeks)."""
        if self.every == INTERVAL:
            start = int(now.timestamp()) // self.seconds * self.seconds
            return dt.datetime.fromtimestamp(start, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        day = timezone.localtime(now).date()
        if self.every == DAILY:
            return day.isoformat()
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"


def _interval() -> int:
    return int(getattr(settings, "GONGKAI_PUBLISH_INTERVAL", 30))


def _push_interval() -> int:
    return int(getattr(settings, "GONGKAI_PUSH_INTERVAL", 300))


def registry() -> dict[str, PeriodicJob]:
    jobs = [
        PeriodicJob("publish_due", "定时发布到期的信息", INTERVAL, _publish_due, seconds=_interval()),
        PeriodicJob("consultations_close", "结束期限届满的意见征集", INTERVAL, _consultations_close,
                    seconds=_interval()),
        PeriodicJob("applications_daily", "重算答复期限并提醒经办人", DAILY, _applications_daily),
        PeriodicJob("participation_daily", "重算留言答复期限，复核依据已失效的口径", DAILY, _participation_daily),
        PeriodicJob("messages_remind", "提醒经办人即将到期和已逾期的留言", DAILY, _messages_remind),
        PeriodicJob("workplan_remind", "工作要点任务提醒", DAILY, _workplan_remind),
        PeriodicJob("report_digest", "合规监测周报（每周一）", WEEKLY, _report_digest),
        PeriodicJob("push_immediate", "订阅推送：即时", INTERVAL, _push_immediate, seconds=_push_interval()),
        PeriodicJob("push_daily", "订阅推送：每日汇总", DAILY, _push_daily),
        PeriodicJob("push_weekly", "订阅推送：每周汇总（每周一）", WEEKLY, _push_weekly),
        PeriodicJob("open_data", "生成开放数据文件", DAILY, _open_data),
        PeriodicJob("idempotency_prune", "清除过期的提交记录", DAILY, _idempotency_prune),
    ]
    jobs.extend(EXTRA_JOBS)
    return {job.name: job for job in jobs}


# Jobs other apps' work adds (e.g. tests, or a job that is not yet in the list above).
EXTRA_JOBS: list[PeriodicJob] = []


# --- scheduling ----------------------------------------------------------------------


def schedule(*, now: dt.datetime | None = None, only: set[str] | None = None) -> list[JobRun]:
    """Enqueue every job whose current period has no run yet. Returns the runs this call created."""
    now = now or timezone.now()
    created = []
    for job in registry().values():
        if only is not None and job.name not in only:
            continue
        period = job.period(now)
        if JobRun.objects.filter(job=job.name, period=period).exists():
            continue
        try:
            with transaction.atomic():
                run = JobRun.objects.create(job=job.name, period=period)
                if _queue_is_persistent():
                    # The queue row commits with the JobRun row, or neither does.
                    run_periodic_job.enqueue(job.name, period)
                else:  # the immediate backend runs the job: only once the run row is committed
                    transaction.on_commit(lambda j=job.name, p=period: run_periodic_job.enqueue(j, p))
        except IntegrityError:
            continue  # another scheduler won this period
        created.append(run)
    return created


def _queue_is_persistent() -> bool:
    return run_periodic_job.get_backend().supports_defer


def backoff_seconds(attempt: int) -> int:
    """Seconds before attempt ``attempt + 1``: 30 s, 1 min, 2 min, … at most an hour."""
    base = int(getattr(settings, "GONGKAI_JOB_BACKOFF", 30))
    return min(base * 2 ** max(attempt - 1, 0), 3600)


PERIODIC_PRIORITY = 10  # before the default 0 of other tasks (e.g. letters to render)


@task(priority=PERIODIC_PRIORITY)
def run_periodic_job(job: str, period: str) -> str:
    """Run one job for one period, at most once to completion; retried with backoff on failure."""
    spec = registry().get(job)
    with transaction.atomic():
        run = JobRun.objects.select_for_update().get(job=job, period=period)
        if run.status == JobRunStatus.DONE:
            return run.summary  # already done: running it twice has the effect of once
        run.status = JobRunStatus.RUNNING
        run.attempts += 1
        run.started_at = timezone.now()
        run.save(update_fields=["status", "attempts", "started_at"])
    try:
        if spec is None:
            raise LookupError(f"未知的定时任务：{job}")
        from .mail import current_run

        run_token = current_run.set((job, period))  # its mails are sent once per period (ops/mail.py)
        try:
            summary = spec.func()
        finally:
            current_run.reset(run_token)
    except Exception as exc:
        retries = int(getattr(settings, "GONGKAI_JOB_RETRIES", 5))
        again = run.attempts < retries and spec is not None and _queue_is_persistent()
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRunStatus.RETRYING if again else JobRunStatus.FAILED,
            last_error="".join(traceback.format_exception(exc))[-4000:],
            finished_at=None if again else timezone.now(),
        )
        if again:
            when = timezone.now() + dt.timedelta(seconds=backoff_seconds(run.attempts))
            run_periodic_job.using(run_after=when).enqueue(job, period)
        raise
    JobRun.objects.filter(pk=run.pk).update(status=JobRunStatus.DONE, finished_at=timezone.now(),
                                            summary=str(summary)[:300])
    return summary


def requeue_stale(*, now: dt.datetime | None = None, own_worker: str | None = None) -> int:
    """Put back in the queue the tasks whose worker died in the middle of them.

    A worker beats every few seconds (:class:`~gongkai.ops.models.WorkerBeat`, a thread of its
    own, so a long job does not stop it). A task 运行中 goes back in the queue when its worker has
    not beaten for ``GONGKAI_JOB_TIMEOUT`` seconds — never while a live worker still runs it, however
    long the job takes. ``own_worker``: a worker starting under the id of one that died (the same
    systemd unit restarted) takes back that one's tasks at once."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerBeat

    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=int(getattr(settings, "GONGKAI_JOB_TIMEOUT", 60)))
    alive = set(WorkerBeat.objects.filter(seen_at__gte=limit).values_list("worker_id", flat=True))
    WorkerBeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()  # workers long gone
    stale = []
    for pk, started_at, workers in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "pk", "started_at", "worker_ids"):
        last = workers[-1] if workers else None
        if own_worker is not None and last == own_worker:
            stale.append(pk)
        elif last not in alive and started_at is not None and started_at < limit:
            stale.append(pk)
    if not stale:
        return 0
    return DBTaskResult.objects.filter(pk__in=stale, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None)


def beat(worker_id: str, *, now: dt.datetime | None = None) -> None:
    """Record that this worker is alive (see :func:`requeue_stale`)."""
    from .models import WorkerBeat

    WorkerBeat.objects.update_or_create(worker_id=worker_id[:64], defaults={"seen_at": now or timezone.now()})


def queue_lag_seconds(*, now: dt.datetime | None = None) -> float:
    """How long the oldest ready task has waited (0 when the queue is empty or not a database queue)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the library is a dependency
        return 0.0
    now = now or timezone.now()
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
