"""A pause point for ``gongkai bench cluster``'s worker fault, off unless the bench turns it on.

The bench kills a worker in the middle of a job that mails (``applications_daily``) and then counts
the mails. A kill that lands at a random moment may fall between a mail's send and its row's commit
(gongkai/ops/mail.py: the mail server is outside the transaction), the one gap in which a retry
mails someone again; the check would then fail by chance. So the bench makes the kill land at a
known point instead: with ``GONGKAI_FAULT_PAUSE_DIR`` set (only the bench's cluster sets it; unset,
:func:`after_job_mail` returns at once and ``check --deploy`` warns if it is set) and the bench's
``mail.armed`` file in that directory, the job that has just committed its ``after_mails``-th mail
of a period writes ``mail.paused`` (its process id, job, period and the recipients committed so far),
then waits — for the SIGKILL, or for ``mail.release``, or at most ``GONGKAI_FAULT_PAUSE_SECONDS``.
Only one job ever pauses (the marker is created exclusively): the retry after the kill runs through.
It pauses at exactly that mail, so the kill always lands after ``after_mails`` mails: a run of an
earlier day that was already past the point when the bench armed it goes on.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core import checks

ARMED = "mail.armed"  # {"job": ..., "after_mails": N}, written by the bench
PAUSED = "mail.paused"  # written once by the job that pauses
RELEASE = "mail.release"  # the bench lets a paused job go on (without killing it)


def pause_dir() -> Path | None:
    value = getattr(settings, "GONGKAI_FAULT_PAUSE_DIR", "")
    return Path(value) if value else None


def after_job_mail(job: str, period: str) -> None:
    """Called by :func:`gongkai.ops.mail.send_once` after each mail's row has committed."""
    folder = pause_dir()
    if folder is None:
        return
    try:
        armed = json.loads((folder / ARMED).read_text())
    except (OSError, ValueError):
        return  # not armed (the bench arms it for its worker fault only)
    if armed.get("job") != job or (folder / PAUSED).exists():
        return
    from .models import JobMail

    committed = sorted(JobMail.objects.filter(job=job, period=period).values_list("recipient", flat=True))
    if len(committed) != int(armed.get("after_mails", 1)):
        return  # only at the point itself: a run already past it when the bench armed goes on
    partial = folder / f".{PAUSED}.{os.getpid()}"
    partial.write_text(json.dumps({"pid": os.getpid(), "job": job, "period": period, "recipients": committed,
                                   "at": time.time()}))
    try:
        os.link(partial, folder / PAUSED)  # exclusive: one job pauses, once
    except FileExistsError:
        return
    finally:
        partial.unlink(missing_ok=True)
    deadline = time.monotonic() + float(getattr(settings, "GONGKAI_FAULT_PAUSE_SECONDS", 120))
    while time.monotonic() < deadline and not (folder / RELEASE).exists():
        time.sleep(0.05)


@checks.register(checks.Tags.security, deploy=True)
def check_no_fault_pause(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if pause_dir() is None:
        return []
    return [checks.Warning("GONGKAI_FAULT_PAUSE_DIR 只用于集群基准测试（gongkai bench cluster）：生产环境不应设置",
                           hint="删除该环境变量；设置后定时任务可能在发送邮件时暂停。", id="ops.W001")]
