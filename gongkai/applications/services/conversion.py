"""依申请转主动: a draft record from a determination of general interest."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType

from ..models import ApplicationFile, Determination, Outcome
from .base import ApplicationActionError, require_handle


@transaction.atomic
def application_convert_to_record(*, actor, determination: Determination, title: str = "", body: str = ""):
    """A draft record (主动公开) from a determination that gave information of general interest;
    it goes through the normal review before publication."""
    from django.core.files import File
    from django.utils.html import escape

    from gongkai.records.models import Genre
    from gongkai.records.services import RecordActionError, attachment_add, record_create

    det = Determination.objects.select_for_update(of=("self",)).select_related("application__organ").get(pk=determination.pk)
    app = det.application
    require_handle(actor, app)
    if det.outcome not in (Outcome.DISCLOSED, Outcome.PARTIAL):
        raise ApplicationActionError("只有予以公开或部分公开的答复，才能转为主动公开。")
    if det.converted_record_id:
        raise ApplicationActionError("该答复已转为主动公开草稿。")
    genre = Genre.objects.filter(code="other").first() or Genre.objects.order_by("pk").first()
    if genre is None:
        raise ApplicationActionError("尚未设置体裁，不能创建信息草稿。")
    # The draft carries what was disclosed: the provided files become its attachments, and its
    # body lists them and the published records the reply pointed to — not the reply sentence.
    provided = list(app.files.filter(source=ApplicationFile.Source.PROVIDED))
    records = list(det.public_records.all())
    if not body:
        parts = [f"<p>{escape(app.title)}</p>"]
        if provided:
            parts.append("<p>附件：</p><ul>" + "".join(f"<li>{escape(f.name)}</li>" for f in provided) + "</ul>")
        if records:
            parts.append("<p>相关已公开信息：</p><ul>" + "".join(
                f'<li><a href="{escape(r.get_absolute_url())}">{escape(r.title)}</a></li>' for r in records) + "</ul>")
        body = "".join(parts)
    try:
        record = record_create(actor=actor, organ=app.organ, check_permission=False, data={
            "title": (title or app.title).strip(),
            "summary": f"依申请公开转主动公开（{app.tracking_code}）",
            "genre": genre, "body": body,
        })
        for f in provided:
            with f.file.open("rb") as fh:
                attachment_add(actor=actor, record=record, file=File(fh, name=f.name), name=f.name,
                               check_permission=False)
    except RecordActionError as exc:
        raise ApplicationActionError(str(exc)) from exc
    det.converted_record = record
    det.general_interest = True
    det.save(update_fields=["converted_record", "general_interest"])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_CONVERTED, obj=app, organ=app.organ,
              note=f"已创建主动公开草稿：{record.index_no}")
    return record
