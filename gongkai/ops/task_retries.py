"""Queued tasks other than the periodic jobs: retried with backoff, a failure visible to platform
admins (docs/adr/0017-database-queue-in-production.md).

The periodic jobs retry themselves on their ``JobRun`` row (:func:`gongkai.ops.jobs.run_periodic_job`).
Every other task — an application's letter to render (``applications.tasks.letter_render``), an
annual report's stored files (``reports.tasks.pregenerate_report_files``), a digest or recompute
enqueued by hand — is idempotent: running it again has the effect of once. When one fails, the
worker's ``task_finished`` signal lands in :func:`task_finished_handler`:

* a :class:`~gongkai.ops.models.TaskFailure` row per task and arguments counts the attempts and
  keeps the last error (admin 「后台任务失败」, platform admins only);
* on a persistent queue the task is enqueued again after :func:`gongkai.ops.jobs.backoff_seconds`
  (30 s, 1 min, 2 min … ≤ 1 h) until ``GONGKAI_JOB_RETRIES`` attempts; then it stays 失败;
* a later success of the same task and arguments on the queue marks the row 重试后成功.

Nothing here may fail the worker or, with the immediate backend, the request that enqueued the
task: an error of the bookkeeping itself is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus

from .models import TaskFailure, TaskFailureStatus

log = logging.getLogger("gongkai.ops.tasks")


def _own_retries(path: str) -> bool:
    from .jobs import run_periodic_job

    return path == run_periodic_job.module_path


def _arguments(task_result) -> tuple[str, str]:
    """(a digest identifying the arguments, a short text of them for the admin)."""
    text = json.dumps({"args": list(task_result.args), "kwargs": task_result.kwargs}, sort_keys=True,
                      ensure_ascii=False, default=str)
    shown = ", ".join([*(json.dumps(a, ensure_ascii=False, default=str) for a in task_result.args),
                       *(f"{k}={json.dumps(v, ensure_ascii=False, default=str)}"
                         for k, v in sorted(task_result.kwargs.items()))])
    return hashlib.sha256(text.encode()).hexdigest(), shown[:500]


def _error(task_result) -> str:
    errors = getattr(task_result, "errors", None) or []
    if not errors:
        return "（无错误信息）"
    last = errors[-1]
    return (f"{last.exception_class_path}\n{last.traceback}")[-4000:]


def record_failure(task_result, *, now: dt.datetime | None = None) -> TaskFailure:
    """Count a failed attempt of ``task_result``'s task and enqueue the next one when attempts remain."""
    from .jobs import backoff_seconds

    now = now or timezone.now()
    task = task_result.task
    path = task.module_path
    key, shown = _arguments(task_result)
    retries = int(getattr(settings, "GONGKAI_JOB_RETRIES", 5))
    for _ in range(2):  # a second worker failing the same task at once wins the insert: update its row
        try:
            with transaction.atomic():
                row, created = TaskFailure.objects.select_for_update().get_or_create(
                    task=path, args_key=key, defaults={"arguments": shown})
                if not created and row.status != TaskFailureStatus.RETRYING:
                    row.attempts = 0  # a new run after a success or after giving up: counted afresh
                row.attempts += 1
                row.last_failed_at = now
                row.last_error = _error(task_result)
                again = row.attempts < retries and task.get_backend().supports_defer
                row.status = TaskFailureStatus.RETRYING if again else TaskFailureStatus.FAILED
                row.next_attempt_at = now + dt.timedelta(seconds=backoff_seconds(row.attempts)) if again else None
                row.recovered_at = None
                row.save()
                if again:  # the retry's queue row commits with the count, or neither does
                    task.using(run_after=row.next_attempt_at).enqueue(*task_result.args, **task_result.kwargs)
            return row
        except IntegrityError:
            continue
    raise RuntimeError("任务失败记录写入冲突")


def record_success(task_result, *, now: dt.datetime | None = None) -> int:
    key, _ = _arguments(task_result)
    return TaskFailure.objects.filter(task=task_result.task.module_path, args_key=key).exclude(
        status=TaskFailureStatus.RECOVERED).update(status=TaskFailureStatus.RECOVERED,
                                                     recovered_at=now or timezone.now(), next_attempt_at=None)


def task_finished_handler(sender, task_result, **kwargs) -> None:
    try:
        if _own_retries(task_result.task.module_path):
            return
        if task_result.status == TaskResultStatus.FAILED:
            row = record_failure(task_result)
            log.warning("task %s(%s) failed (attempt %d, %s)", row.task, row.arguments, row.attempts,
                        row.get_status_display())
        elif task_result.status == TaskResultStatus.SUCCESSFUL and task_result.task.get_backend().supports_defer:
            record_success(task_result)  # (the immediate backend never retries: no query per task there)
    except Exception:  # noqa: BLE001 - the bookkeeping must not fail the worker or the request
        log.exception("task failure bookkeeping failed for %s", getattr(task_result, "id", "?"))
