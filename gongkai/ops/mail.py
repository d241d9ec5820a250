"""The mails of periodic jobs, each exactly once (docs/adr/0007-job-queue.md).

:func:`gongkai.ops.jobs.run_periodic_job` sets :data:`current_run` to its (job, period) while
the job's function runs; the functions that mail (handler reminders, the weekly digest) take a
``send`` hook, and the jobs pass :func:`send_once`. For each recipient it inserts a
:class:`~gongkai.ops.models.JobMail` row (unique per job, period, recipient and object) and sends
in the same transaction: a recipient whose row exists is skipped, and if the mail server refuses
the mail the row is rolled back so the job's retry sends it. A job run twice therefore mails
each recipient once.

The mail server is outside the transaction: a worker killed after a mail has left and before its
row commits (the commit's few milliseconds) leaves no row, and the retry mails that recipient again —
at least once in that gap, exactly once everywhere else (docs/adr/0016-job-mail-kill-gap.md).
"""

from __future__ import annotations

import contextvars
import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from . import faults
from .models import JobMail

logger = logging.getLogger("gongkai.ops.mail")

current_run: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("gongkai_job_run",
                                                                                     default=None)


def send_once(subject: str, body: str, to: list[str], object_key: str) -> int:
    """Mail ``to`` (each address once per job, period and object); returns how many were sent now.

    Outside a periodic job (a management command run by hand) it simply sends."""
    run = current_run.get()
    if run is None:
        send_mail(subject, body, None, to)
        return len(to)
    job, period = run
    sent = 0
    for address in dict.fromkeys(to):
        try:
            with transaction.atomic():
                JobMail.objects.create(job=job, period=period, recipient=address, object_key=object_key[:100],
                                       subject=subject[:200])
                send_mail(subject, body, None, [address])  # refused: the row rolls back, the retry sends
        except IntegrityError:
            logger.info("mail of %s %s to %s (%s) already sent", job, period, address, object_key)
            continue
        sent += 1
        faults.after_job_mail(job, period)  # the cluster bench's kill point (off unless it sets it)
    return sent
