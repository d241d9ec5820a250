"""Queued tasks of the reports app (django-tasks): the weekly compliance digest to every 公开办
and a published report's stored files.

The digest is the periodic job ``report_digest`` of gongkai/ops/jobs.py (Mondays, enqueued once a
week by the scheduler; no cron), which calls :func:`send_weekly_digests` with a once-per-week
send. ``gongkai report digest`` enqueues :func:`weekly_digest` for a manual run. A failed task is
retried with backoff and shown to platform admins (gongkai/ops/task_retries.py).
"""

from __future__ import annotations

from django_tasks import task


def send_weekly_digests(*, send=None) -> int:
    """E-mail each organ's 公开办 members the indicators of their organ and the organs below.

    ``send(subject, body, to, object_key)`` replaces the plain send: the job queue passes one that
    mails each member once per week however often the job runs (gongkai/ops/mail.py)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import timezone

    from gongkai.core.models import Membership, Organ, Role

    from . import monitor

    today = timezone.localdate()
    base = getattr(settings, "GONGKAI_SITE_URL", "").rstrip("/")
    sent = 0
    members = (Membership.objects.filter(role__in=[Role.OFFICE, Role.OFFICE_HEAD], user__is_active=True)
               .exclude(user__email="").select_related("user", "organ"))
    by_organ: dict[int, set[str]] = {}
    for m in members:
        by_organ.setdefault(m.organ_id, set()).add(m.user.email)
    for organ in Organ.objects.filter(pk__in=by_organ, is_active=True).order_by("path"):
        found = monitor.indicators(organ, today=today)
        total = sum(i.count for i in found)
        subject = f"政务公开合规监测周报：{organ.display_name} {total} 项待关注"
        body = monitor.digest_text(organ, found, today=today, base_url=base,
                                   messages=monitor.message_digest_lines(organ, today=today))
        if send is None:
            send_mail(subject, body, None, sorted(by_organ[organ.pk]))
        else:
            send(subject, body, sorted(by_organ[organ.pk]), f"organ:{organ.pk}")
        sent += 1
    return sent


@task()
def weekly_digest() -> int:
    return send_weekly_digests()


@task()
def pregenerate_report_files(report_id: int) -> int:
    """Make the stored Word and PDF files of a report that has just gone public (reports.stored)."""
    from .models import AnnualReport
    from .stored import pregenerate

    report = AnnualReport.objects.select_related("organ").filter(pk=report_id).first()
    return pregenerate(report) if report is not None else 0
