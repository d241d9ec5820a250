"""Intake: an application submitted online or registered by staff, and its handler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.core.audit import audit_log
from gongkai.core.files import short_file_name
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can

from .. import identity, services, similarity
from ..clock import Channel, EventKind
from ..models import ApplicantKind, Application, ApplicationFile, IdType, LetterKind
from .base import ApplicationActionError, new_tracking_code, require_handle
from .events import append_event, lock_application
from .letters import issue_letter


def validate_identity(*, applicant_kind: str, id_type: str, id_number: str) -> str:
    """The normalised identity number, or ApplicationActionError."""
    number = identity.normalize_id(id_number)
    if not number:
        raise ApplicationActionError("请填写证件号码。")
    organisation = applicant_kind != ApplicantKind.NATURAL_PERSON
    if organisation and id_type not in (IdType.CREDIT_CODE, IdType.OTHER):
        raise ApplicationActionError("法人或其他组织请填写统一社会信用代码。")
    if not organisation and id_type == IdType.CREDIT_CODE:
        raise ApplicationActionError("自然人请填写身份证件号码，不能填写统一社会信用代码。")
    try:
        if id_type == IdType.RESIDENT_ID:
            return identity.check_resident_id(number)
        if id_type == IdType.CREDIT_CODE:
            return identity.check_credit_code(number)
    except identity.IdentityError as exc:
        raise ApplicationActionError(str(exc)) from exc
    return number


APPLICANT_FIELDS = ("applicant_kind", "name", "id_type", "id_number", "contact_person", "legal_representative",
                    "phone", "email", "address", "postcode", "title", "doc_no", "description", "delivery",
                    "receive_via", "fee_waiver_requested")


def _find_repeat(app: Application) -> Application | None:
    """An earlier, answered application of the same applicant to the same organ asking the same."""
    earlier = Application.objects.filter(organ=app.organ, id_number=app.id_number, closed_on__isnull=False,
                                         determination__isnull=False)
    if app.pk is not None:
        earlier = earlier.exclude(pk=app.pk)
    earlier = (earlier.only("pk", "title", "description").order_by("-pk")[:50])
    mine = similarity.bigrams(app.title + app.description)
    for other in earlier:
        if similarity.similarity(mine, other.title + other.description) >= similarity.SIMILAR:
            return other
    return None


def _create(*, organ: Organ, data: dict[str, Any], channel: Channel, arrived_on: dt.date,
            confirmed_on: dt.date | None, actor, ip: str | None,
            files: Iterable[UploadedFile] = ()) -> Application:
    data = {k: data[k] for k in APPLICANT_FIELDS if k in data}
    data["id_number"] = validate_identity(applicant_kind=data.get("applicant_kind", ""),
                                          id_type=data.get("id_type", ""), id_number=data.get("id_number", ""))
    for key in ("name", "phone", "title", "description"):
        data[key] = (data.get(key) or "").strip()
        if not data[key]:
            raise ApplicationActionError("申请人姓名或名称、联系电话、所需信息名称和内容描述都必须填写。")
    if confirmed_on is not None and not channel.needs_confirmation:
        confirmed_on = None
    app = Application(organ=organ, channel=channel.value, arrived_on=arrived_on, confirmed_on=confirmed_on,
                      submitted_ip=ip, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                      tracking_code=new_tracking_code(), **data)
    app.repeat_of = _find_repeat(app)
    app.save()
    app.serial = f"{app.receipt_date.year}-{app.pk:05d}"  # saved with the clock cache below
    for f in files:
        ApplicationFile.objects.create(application=app, source=ApplicationFile.Source.APPLICANT, file=f,
                                       name=short_file_name(f.name), size=f.size or 0)
    appended = append_event(app, actor=actor, kind=EventKind.RECEIVED, on=arrived_on, channel=channel.value,
                            confirmed=confirmed_on, new=True, also_save=("serial",))
    app = appended.application
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_RECEIVED, obj=app, organ=organ,
              note=f"{channel.label}，收到申请之日 {app.receipt_date.isoformat()}")
    # Rendered in the background (the receipt page shows it when ready): a public submission
    # is not held up by docxtpl; staff registrations render at once.
    issue_letter(app, kind=LetterKind.RECEIPT, clock=appended.clock, actor=actor, event=appended.event,
                 defer=actor is None)
    return app


@transaction.atomic
def application_submit(*, organ: Organ, data: dict[str, Any], ip: str | None = None,
                       files: Iterable[UploadedFile] = ()) -> Application:
    """An application made on this platform (网络). The platform confirms receipt at once
    with the receipt (回执), so the confirmation day — the date of receipt (Art. 31) — is today."""
    if not organ.is_active:
        raise ApplicationActionError("该机关暂不接受网上申请。")
    on = services.today()
    return _create(organ=organ, data=data, channel=Channel.ONLINE, arrived_on=on, confirmed_on=on,
                   actor=None, ip=ip, files=files)


@transaction.atomic
def application_register(*, actor, organ: Organ, data: dict[str, Any], channel: Channel | str,
                         arrived_on: dt.date, confirmed_on: dt.date | None = None,
                         files: Iterable[UploadedFile] = ()) -> Application:
    """An application by post, in person or by fax, registered by staff with its channel and dates."""
    if not can(actor, Perm.APPLICATION_HANDLE, organ):
        raise ApplicationActionError("您没有登记该机关依申请公开申请的权限。")
    channel = Channel(channel)
    if confirmed_on is not None and confirmed_on < arrived_on:
        raise ApplicationActionError("确认日期不能早于到达日期。")
    if confirmed_on is not None and not channel.needs_confirmation:
        raise ApplicationActionError(f"{channel.label}的申请无需确认：{channel.receipt_rule}。")
    return _create(organ=organ, data=data, channel=channel, arrived_on=arrived_on, confirmed_on=confirmed_on,
                   actor=actor, ip=None, files=files)


@transaction.atomic
def application_assign(*, actor, application: Application, handler) -> Application:
    require_handle(actor, application)
    app = lock_application(application)
    if handler is not None and not can(handler, Perm.APPLICATION_HANDLE, app.organ):
        raise ApplicationActionError(f"{handler} 不是该机关的依申请公开经办人。")
    old = app.handler
    app.handler = handler
    app.save(update_fields=["handler"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_ASSIGNED, obj=app, organ=app.organ,
              changes={"handler": [old, handler]})
    return app
