"""答复: the determination, its outcome row of table 三 and the reply letter; transfer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from gongkai.core.audit import audit_log
from gongkai.core.files import short_file_name
from gongkai.core.models import AuditEventType

from ..clock import EventKind
from ..models import (
    BASIS_OVERRIDES,
    EVENT_ONLY_OUTCOMES,
    OUTCOME_BASIS,
    OUTCOME_REPLY_TYPES,
    Application,
    ApplicationFile,
    Determination,
    LetterKind,
    Outcome,
    ReplyType,
)
from .base import ApplicationActionError, require_handle
from .events import append_event, lock_application
from .letters import issue_letter


def close_with(app: Application, *, outcome: Outcome, reply_type: ReplyType, on: dt.date, actor) -> Determination:
    try:
        with transaction.atomic():
            det = Determination.objects.create(application=app, outcome=outcome.value, reply_type=reply_type.value,
                                               decided_on=on, legal_basis=OUTCOME_BASIS[outcome], decided_by=actor)
    except IntegrityError:
        raise ApplicationActionError("该申请已有答复，不能重复答复。") from None
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_DETERMINED, obj=app, organ=app.organ,
              changes={"outcome": [None, outcome.label]})
    return det


OUTCOME_TEXT = {
    "予以公开": "经审查，您申请的政府信息属于公开范围，本机关予以公开。",
    "部分公开": "经审查，您申请的政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供可以公开的部分。",
    "不予公开": "经审查，您申请的政府信息属于不予公开的范围，本机关不予公开。",
    "无法提供": "经审查，本机关无法提供您申请的政府信息。",
    "不予处理": "经审查，您的申请不属于本机关应当作为政府信息公开申请处理的情形，本机关不予处理。",
    "其他处理": "本机关对您的申请作如下处理。",
}
ALREADY_PUBLIC_TEXT = "您申请的政府信息已经主动公开，获取方式见下。"
NOT_OURS_TEXT = "经审查，您申请的政府信息不属于本机关负责公开的政府信息。"


@transaction.atomic
def application_determine(
    *, actor, application: Application, on: dt.date, outcome: Outcome | str, reply_type: ReplyType | str | None = None,
    legal_basis: str = "", reasons: str = "", provided: str = "", public_records: Iterable = (),
    transfer_organ_name: str = "", transfer_organ_contact: str = "", general_interest: bool = False,
    files: Iterable[UploadedFile] = (),
) -> Determination:
    """答复: the outcome row of table 三, its basis, what is provided, and the reply letter."""
    require_handle(actor, application)
    outcome = Outcome(outcome)
    if outcome in EVENT_ONLY_OUTCOMES:
        raise ApplicationActionError("逾期不补正、逾期不缴费的，请记录“补正期限届满”或“缴费期限届满”事件。")
    allowed = OUTCOME_REPLY_TYPES[outcome]
    reply_type = ReplyType(reply_type or allowed[0])
    if reply_type not in allowed:
        raise ApplicationActionError(f"答复情形“{reply_type.label}”与办理结果“{outcome.label}”不一致。")
    public_records = list(public_records)
    reasons = (reasons or "").strip()
    if reply_type == ReplyType.NOT_OURS and not transfer_organ_name.strip():
        raise ApplicationActionError("不属于本机关公开职责的，请写明负责公开的机关名称（第三十六条第五项）。")
    if reply_type == ReplyType.ALREADY_PUBLIC and not public_records and not provided.strip():
        raise ApplicationActionError("已主动公开的，请选择已公开的信息或写明获取方式（第三十六条第一项）。")
    if outcome not in (Outcome.DISCLOSED,) and not reasons:
        raise ApplicationActionError("除予以公开外，答复须写明理由。")
    app = lock_application(application)
    if Determination.objects.filter(application=app).exists():
        raise ApplicationActionError("该申请已有答复，不能重复答复。")
    r = append_event(app, actor=actor, kind=EventKind.DETERMINED, on=on, note=outcome.label)
    basis = (legal_basis or "").strip() or BASIS_OVERRIDES.get(reply_type) or OUTCOME_BASIS[outcome]
    try:
        with transaction.atomic():
            det = Determination.objects.create(
                application=r.application, outcome=outcome.value, reply_type=reply_type.value, decided_on=on,
                legal_basis=basis, reasons=reasons, provided=(provided or "").strip(),
                transfer_organ_name=transfer_organ_name.strip(), transfer_organ_contact=transfer_organ_contact.strip(),
                general_interest=general_interest, decided_by=actor)
    except IntegrityError:
        raise ApplicationActionError("该申请已有答复，不能重复答复。") from None
    det.public_records.set(public_records)
    for f in files:
        ApplicationFile.objects.create(application=r.application, source=ApplicationFile.Source.PROVIDED, file=f,
                                       name=short_file_name(f.name), size=f.size or 0)
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_DETERMINED, obj=r.application, organ=app.organ,
              changes={"outcome": [None, outcome.label], "reply_type": [None, reply_type.label]})
    group = outcome.group
    text = OUTCOME_TEXT[group]
    if reply_type == ReplyType.ALREADY_PUBLIC:
        text = ALREADY_PUBLIC_TEXT
    elif reply_type == ReplyType.NOT_OURS:
        text = NOT_OURS_TEXT
    if r.application.is_organisation:  # 您 / 你单位 by the applicant's kind, as the template's {{ you }}
        text = text.replace("您", "你单位")
    site = getattr(settings, "GONGKAI_SITE_URL", "")
    issue_letter(r.application, kind=LetterKind.REPLY, clock=r.clock, actor=actor, event=r.event,
                 outcome_group=group, outcome_detail=outcome.label.split("：", 1)[1] if "：" in outcome.label else "",
                 outcome_label=outcome.label, outcome_text=text, reasons=reasons, provided=det.provided,
                 public_records=[{"title": rec.title, "index_no": rec.index_no, "url": site + rec.get_absolute_url()}
                            for rec in public_records],
                 transfer_organ_name=det.transfer_organ_name, transfer_organ_contact=det.transfer_organ_contact,
                 legal_basis=basis)
    return det


def application_transfer(*, actor, application: Application, on: dt.date, organ_name: str, contact: str = "",
                         reasons: str = "") -> Determination:
    """Not this organ's information (Art. 36(5)): answer with the responsible organ's name."""
    return application_determine(
        actor=actor, application=application, on=on, outcome=Outcome.UNABLE_NOT_HELD, reply_type=ReplyType.NOT_OURS,
        transfer_organ_name=organ_name, transfer_organ_contact=contact,
        reasons=reasons or f"该信息由{organ_name}制作或保存，不属于本机关负责公开的政府信息。")
