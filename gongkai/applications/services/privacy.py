"""The applicant's personal data: export on request, erasure after the retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType

from .. import identity, services
from ..models import Application, ApplicationFile
from .base import ERASED, ApplicationActionError, require_handle
from .events import lock_application

PERSONAL_FIELDS = ("name", "id_number", "contact_person", "legal_representative", "phone", "email", "address",
                   "postcode")


def retention_days() -> int:
    return int(getattr(settings, "GONGKAI_APPLICATION_RETENTION_DAYS", 5 * 365))


@transaction.atomic
def applicant_reveal(*, actor, application: Application, reason: str = "") -> Application:
    """A handler asks to see the applicant's full ID and phone numbers (shown masked by default); audited."""
    require_handle(actor, application)
    if application.erased_at:
        raise ApplicationActionError("申请人个人信息已按保存期限删除。")
    audit_log(actor=actor, event_type=AuditEventType.APPLICANT_DATA_VIEWED, obj=application,
              organ=application.organ, note=reason.strip()[:300] or "办理需要")
    return application


def applicant_export(*, actor, id_number: str, organs=None) -> dict[str, Any]:
    """Everything held about one applicant (by ID number), logged."""
    number = identity.normalize_id(id_number)
    apps = Application.objects.filter(id_number=number).select_related("organ").prefetch_related("events", "letters")
    if organs is not None:
        apps = apps.filter(organ__in=organs)
    out: dict[str, Any] = {"id_number": number, "applications": []}
    with transaction.atomic():
        for app in apps:
            out["applications"].append({
                "tracking_code": app.tracking_code, "organ": app.organ.name,
                **{f: getattr(app, f) for f in PERSONAL_FIELDS},
                "title": app.title, "description": app.description,
                "received_on": app.receipt_date.isoformat(),
                "events": [{"kind": e.kind, "date": e.date.isoformat(), "details": e.details} for e in app.events.all()],
                "letters": [{"kind": ltr.kind, "number": ltr.number} for ltr in app.letters.all()],
            })
            audit_log(actor=actor, event_type=AuditEventType.APPLICANT_DATA_EXPORTED, obj=app, organ=app.organ,
                      note="导出申请人个人信息")
    return out


def erase_failure_reason(app: Application, on: dt.date | None = None) -> str | None:
    on = on or services.today()
    if app.erased_at:
        return "已删除。"
    if app.closed_on is None:
        return "申请尚未办结。"
    if app.reconsiderations.filter(result="pending").exists() or app.litigations.filter(result="pending").exists():
        return "有尚未审结的行政复议或行政诉讼。"
    keep_until = app.closed_on + dt.timedelta(days=retention_days())
    if on < keep_until:
        return f"保存期限至 {keep_until.isoformat()}，期满后才能删除。"
    return None


@transaction.atomic
def applicant_erase(*, actor, application: Application, on: dt.date | None = None) -> Application:
    """Delete the applicant's personal data after the retention period (the case file stays)."""
    app = lock_application(application)
    why = erase_failure_reason(app, on)
    if why:
        raise ApplicationActionError(f"不能删除申请人个人信息：{why}")
    for f in PERSONAL_FIELDS:
        setattr(app, f, ERASED if f in ("name",) else "")
    app.id_number = f"ERASED-{app.pk}"
    app.submitted_ip = None
    app.erased_at = timezone.now()
    app.save()
    for event in app.events.exclude(details={}):
        event.details = {k: ERASED for k in event.details}
        event.save(update_fields=["details"])
    for letter in app.letters.all():
        letter.docx.delete(save=False)
        if letter.pdf:
            letter.pdf.delete(save=False)
        letter.context = {}
        letter.save(update_fields=["docx", "pdf", "context"])
    # What the applicant uploaded (ID copies, authorisations…) is personal data too.
    uploaded = list(app.files.filter(source=ApplicationFile.Source.APPLICANT))
    for upload in uploaded:
        upload.file.delete(save=False)
        upload.delete()
    audit_log(actor=actor, event_type=AuditEventType.APPLICANT_DATA_ERASED, obj=app, organ=app.organ,
              changes={"applicant_files": [len(uploaded), 0]} if uploaded else None,
              note="保存期满，删除申请人个人信息")
    return app
