"""行政复议 and 行政诉讼 registered against an application, and their results."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.core.audit import audit_log
from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import AuditEventType
from gongkai.workdays import CalendarError

from .. import services
from ..clock import EventKind
from ..models import AppealResult, Application, Determination, Litigation, Reconsideration
from .base import ApplicationActionError, require_handle
from .events import append_event, lock_application


def _check_filed(application: Application, filed_on: dt.date, what: str) -> None:
    if filed_on < application.arrived_on:
        raise ApplicationActionError(f"{what}日期不能早于收到申请之日（{application.arrived_on.isoformat()}）。")
    if filed_on > services.today():
        raise ApplicationActionError(f"{what}日期不能晚于今天。")


def litigation_flags(application: Application, *, after_reconsideration: bool) -> list[str]:
    """What a handler should look at when a suit is registered (行政复议法 2023 Art. 23 ¶1 (4))."""
    flags = []
    det = getattr(application, "determination", None)
    if not after_reconsideration and det is not None and det.outcome.startswith(("r3_3", "r3_2")):
        flags.append("该申请的答复含不予公开内容，依行政复议法第二十三条第一款第（四）项应先申请行政复议："
                     "未经复议直接起诉的，请核实法院是否受理。")
    if application.reconsiderations.filter(result="pending").exists():
        flags.append("该申请的行政复议尚未审结，同时起诉的，请核实（行政复议法第二十九条）。")
    return flags


@transaction.atomic
def reconsideration_add(*, actor, application: Application, filed_on: dt.date, body: str, note: str = "",
                        case_no: str = "") -> Reconsideration:
    require_handle(actor, application)
    if not body.strip():
        raise ApplicationActionError("请填写复议机关。")
    _check_filed(application, filed_on, "申请复议")
    rec = Reconsideration.objects.create(application=application, filed_on=filed_on, body=body.strip(), note=note,
                                         case_no=case_no.strip())
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=application,
              organ=application.organ, note=f"登记{rec}")
    return rec


@transaction.atomic
def litigation_add(*, actor, application: Application, filed_on: dt.date, court: str,
                   after_reconsideration: bool = False, note: str = "", case_no: str = "") -> Litigation:
    """Register a suit; what should be looked at (:func:`litigation_flags`) is kept in its note."""
    require_handle(actor, application)
    if not court.strip():
        raise ApplicationActionError("请填写受理法院。")
    _check_filed(application, filed_on, "起诉")
    flags = litigation_flags(application, after_reconsideration=after_reconsideration)
    note = "\n".join([*(f"【提示】{f}" for f in flags), note] if note else [f"【提示】{f}" for f in flags])
    lit = Litigation.objects.create(application=application, filed_on=filed_on, court=court.strip(),
                                    after_reconsideration=after_reconsideration, note=note, case_no=case_no.strip())
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=application,
              organ=application.organ, note=f"登记{lit}")
    return lit


@transaction.atomic
def appeal_set_result(*, actor, appeal: Reconsideration | Litigation, result: str,
                      decided_on: dt.date | None, decision_no: str = "") -> Reconsideration | Litigation:
    require_handle(actor, appeal.application)
    if result != "pending" and decided_on is None:
        raise ApplicationActionError("已审结的，请填写决定（判决）日期。")
    if decided_on and decided_on < appeal.filed_on:
        raise ApplicationActionError("决定（判决）日期不能早于申请（起诉）日期。")
    old = appeal.get_result_display()
    appeal.result = result
    if decided_on and decided_on > services.today():
        raise ApplicationActionError("决定（判决）日期不能晚于今天。")
    appeal.decided_on = decided_on if result != "pending" else None
    appeal.decision_no = decision_no.strip() if result != "pending" else ""
    appeal.save(update_fields=["result", "decided_on", "decision_no"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_APPEAL_CHANGED, obj=appeal.application,
              organ=appeal.application.organ, changes={str(appeal): [old, appeal.get_result_display()]})
    return appeal


def reopen_failure_reason(appeal: Reconsideration | Litigation) -> str:
    """Why the application cannot be reopened on this appeal now ("" when it can)."""
    if appeal.result != AppealResult.CORRECTED:
        return "只有结果为“结果纠正”的复议决定或判决，才能据此重新办理。"
    app = appeal.application
    if not Determination.objects.filter(application=app).exists():
        return "该申请已在重新办理中（尚无新的答复）。"
    if app.events.filter(kind=EventKind.REOPENED, details__appeal=_appeal_key(appeal)).exists():
        return "已依据该决定（判决）重新办理过。"
    if app.events.filter(kind=EventKind.WITHDRAWN).exists():
        return "申请人已撤回申请，不能重新办理。"
    return ""


def _appeal_key(appeal: Reconsideration | Litigation) -> str:
    return f"{'reconsideration' if isinstance(appeal, Reconsideration) else 'litigation'}:{appeal.pk}"


@transaction.atomic
def appeal_reopen(*, actor, appeal: Reconsideration | Litigation, on: dt.date, workdays: int | None = None,
                  deadline: dt.date | None = None, note: str = "") -> Application:
    """A 复议决定 or judgment corrected (annulled) the answer: handle the application again.

    ``on`` is the day the office received the decision; the new answer is due within the period the
    decision sets — ``deadline`` (a date) or ``workdays`` — or else the 条例's 20 working days, counted
    from the next day (docs/applications-remedies.md §4). The annulled answer is kept in the event's
    details and the audit row; its letters stay in the file; a new answer is then made as usual.
    """
    app = appeal.application
    require_handle(actor, app)
    reason = reopen_failure_reason(appeal)
    if reason:
        raise ApplicationActionError(reason)
    if appeal.decided_on and on < appeal.decided_on:
        raise ApplicationActionError(
            f"收到决定书（判决书）的日期不能早于决定（判决）日期（{appeal.decided_on.isoformat()}）。")
    if deadline is not None:
        if deadline <= on:
            raise ApplicationActionError("重新答复的期限应晚于收到决定书（判决书）的日期。")
        try:
            workdays = get_work_calendar().workdays_between(on, deadline)
        except CalendarError as exc:
            raise ApplicationActionError(str(exc)) from None
        if workdays < 1:
            raise ApplicationActionError("重新答复的期限内没有工作日，请核对日期。")
    app = lock_application(app)
    det = Determination.objects.get(application=app)
    annulled = {"outcome": det.get_outcome_display(), "reply_type": det.get_reply_type_display(),
                "decided_on": det.decided_on.isoformat(), "reasons": det.reasons, "provided": det.provided}
    doc = f"（{appeal.decision_no}）" if appeal.decision_no else ""
    r = append_event(app, actor=actor, kind=EventKind.REOPENED, on=on, workdays=workdays,
                     note=f"{appeal}{doc}纠正原答复，重新办理" + (f"：{note.strip()}" if note.strip() else ""),
                     details={"appeal": _appeal_key(appeal), "deadline": deadline.isoformat() if deadline else "",
                              "annulled": f"原答复（{annulled['decided_on']}）：{annulled['outcome']}"})
    det.delete()
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_DETERMINED, obj=r.application, organ=app.organ,
              changes={"outcome": [annulled["outcome"], None]},
              note=f"原答复被{appeal}纠正，重新办理；原答复：{annulled}")
    return r.application
