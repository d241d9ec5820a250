"""行政复议 and 行政诉讼 registered against an application, and their results."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType

from ..models import Application, Litigation, Reconsideration
from .base import ApplicationActionError, require_handle


@transaction.atomic
def reconsideration_add(*, actor, application: Application, filed_on: dt.date, body: str, note: str = "") -> Reconsideration:
    require_handle(actor, application)
    if not body.strip():
        raise ApplicationActionError("请填写复议机关。")
    rec = Reconsideration.objects.create(application=application, filed_on=filed_on, body=body.strip(), note=note)
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=application,
              organ=application.organ, note=f"登记{rec}")
    return rec


@transaction.atomic
def litigation_add(*, actor, application: Application, filed_on: dt.date, court: str,
                   after_reconsideration: bool = False, note: str = "") -> Litigation:
    require_handle(actor, application)
    if not court.strip():
        raise ApplicationActionError("请填写受理法院。")
    lit = Litigation.objects.create(application=application, filed_on=filed_on, court=court.strip(),
                                    after_reconsideration=after_reconsideration, note=note)
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=application,
              organ=application.organ, note=f"登记{lit}")
    return lit


@transaction.atomic
def appeal_set_result(*, actor, appeal: Reconsideration | Litigation, result: str,
                      decided_on: dt.date | None) -> Reconsideration | Litigation:
    require_handle(actor, appeal.application)
    if result != "pending" and decided_on is None:
        raise ApplicationActionError("已审结的，请填写决定（判决）日期。")
    if decided_on and decided_on < appeal.filed_on:
        raise ApplicationActionError("决定（判决）日期不能早于申请（起诉）日期。")
    old = appeal.get_result_display()
    appeal.result = result
    appeal.decided_on = decided_on if result != "pending" else None
    appeal.save(update_fields=["result", "decided_on"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=appeal.application,
              organ=appeal.application.organ, changes={str(appeal): [old, appeal.get_result_display()]})
    return appeal
