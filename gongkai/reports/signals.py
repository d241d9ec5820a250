"""When an annual report's record goes public, its Word and PDF files are made once, in the
background (reports.stored): public downloads never run LibreOffice."""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver

from gongkai.records.models import Record
from gongkai.records.services import record_changed


@receiver(record_changed, dispatch_uid="gongkai.reports.pregenerate")
def pregenerate_on_publication(sender, record_ids, **kwargs) -> None:
    if not getattr(settings, "GONGKAI_REPORT_PREGENERATE", True):
        return
    from .models import AnnualReport
    from .tasks import pregenerate_report_files

    public = Record.objects.public().filter(pk__in=list(record_ids))
    for pk in AnnualReport.objects.filter(record__in=public).values_list("pk", flat=True):
        pregenerate_report_files.enqueue(pk)
