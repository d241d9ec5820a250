"""Letters (告知书): number, context, the organ's template or the built-in one, e-mail on commit."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType, Organ, OrganKind

from .. import services
from ..clock import Channel, ClockResult
from ..letters.render import LetterError, builtin_template, docx_to_pdf, render_docx
from ..models import (
    APPLICANT_LETTERS,
    DEFAULT_NUMBER_FORMAT,
    Application,
    ApplicationEvent,
    Letter,
    LetterKind,
    LetterSequence,
    LetterTemplate,
    OrganLetterSettings,
)
from .base import ApplicationActionError, date_cn

log = logging.getLogger(__name__)


def reconsideration_body(organ: Organ, *, own_settings: OrganLetterSettings | None = None) -> str:
    """行政复议机关 (行政复议法 2023 Art. 24): a department's government; a government's superior.

    An organ's own setting (vertically managed departments and other exceptions) wins;
    ``own_settings``: the organ's letter settings when the caller has read them already.
    """
    if own_settings is not None:
        own = own_settings.reconsideration_body
    else:
        own = OrganLetterSettings.objects.filter(organ=organ).values_list("reconsideration_body", flat=True).first()
    if own:
        return own
    chain = [*reversed(organ.ancestors())]
    if organ.kind in (OrganKind.GOVERNMENT, OrganKind.TOWN):
        for o in chain:
            if o.kind == OrganKind.GOVERNMENT:
                return o.name
        return "上一级人民政府"
    for o in chain:
        if o.kind == OrganKind.GOVERNMENT:
            return o.name
    return "本级人民政府"


#: Inserted phrases that the template follows with its own punctuation (no "。，").
_PHRASES = ("reason", "content", "reasons", "items", "outcome_detail", "how_to_pay")
_END_PUNCT = "。；，,.;！!？? \n"


def letter_settings(organ: Organ) -> OrganLetterSettings:
    """The organ's letter settings (defaults when none were saved)."""
    return OrganLetterSettings.objects.filter(organ=organ).first() or OrganLetterSettings(organ=organ)


def remedy_kind(outcome_group: str) -> str:
    """Which remedy paragraph a reply carries (docs/applications-remedies.md).

    ``review_first``: 不予公开 — reconsideration before litigation (行政复议法 2023 Art. 23 ¶1 (4));
    ``partial``: 部分公开 — the withheld part as above, the rest either way; ``either``: otherwise.
    """
    return {"不予公开": "review_first", "部分公开": "partial"}.get(outcome_group, "either")


def _base_context(app: Application, clock: ClockResult | None, on,
                  own_settings: OrganLetterSettings | None = None) -> dict[str, Any]:
    organ = app.organ
    own_settings = own_settings or letter_settings(organ)
    due = clock.due_date if clock else app.due_date
    return {
        "you": "你单位" if app.is_organisation else "您",
        "payment_details": own_settings.payment_details,
        "organ_name": organ.name,
        "organ_phone": organ.phone or "—",
        "organ_address": organ.address or "—",
        "applicant_name": app.name,
        "tracking_code": app.tracking_code,
        "received_cn": date_cn(app.receipt_date),
        "channel": Channel(app.channel).label,
        "app_title": app.title,
        "app_doc_no": app.doc_no,
        "due_cn": date_cn(due),
        "date_cn": date_cn(on),
        "extension_workdays": clock.extension_workdays if clock else 0,
        "excluded_workdays": clock.excluded_workdays if clock else 0,
        "explanation": list(clock.explanation) if clock else [],
        "reconsideration_body": reconsideration_body(organ, own_settings=own_settings),
        "court": "有管辖权的人民法院",
        "track_url": getattr(settings, "GONGKAI_SITE_URL", "") + reverse("applications:track"),
    }


def _template_for(app: Application, kind: str):
    """The organ's own Word template of ``kind`` (read through the storage: object storage has no
    local path), else the built-in one. A stored file that cannot be read is a :class:`LetterError`."""
    custom = LetterTemplate.objects.filter(organ=app.organ, kind=kind).first()
    if custom and custom.file:
        try:
            with custom.file.open("rb") as fh:
                return io.BytesIO(fh.read())
        except OSError as exc:
            raise LetterError(f"本机关的{LetterKind(kind).label}模板文件无法读取，请重新上传。") from exc
    return builtin_template(kind)


def _take_sequence(organ: Organ, year: int) -> int:
    """Increment the organ's counter of ``year`` and return the new value, in one statement.

    ``UPDATE … SET last = last + 1 … RETURNING last`` (PostgreSQL; SQLite ≥ 3.35) locks the row
    only from here to the commit, so the caller takes the number as late as it can. The first
    letter of a year inserts the row; a concurrent insert of the same row is caught by the
    unique constraint, and the update is retried.
    """
    table = connection.ops.quote_name(LetterSequence._meta.db_table)
    sql = f"UPDATE {table} SET last = last + 1 WHERE organ_id = %s AND year = %s RETURNING last"  # noqa: S608
    for _ in range(2):
        if connection.features.can_return_columns_from_insert:
            with connection.cursor() as cursor:
                cursor.execute(sql, [organ.pk, year])
                row = cursor.fetchone()
        else:  # SQLite before 3.35: no RETURNING; the update and a read in the same transaction
            rows = LetterSequence.objects.filter(organ=organ, year=year)
            row = (rows.values_list("last").first()
                   if rows.update(last=F("last") + 1) else None)
        if row is not None:
            return int(row[0])
        try:
            with transaction.atomic():
                LetterSequence.objects.create(organ=organ, year=year, last=1)
            return 1
        except IntegrityError:
            continue  # another transaction created it: increment that row
    raise ApplicationActionError("告知书编号暂时无法取得，请稍后重试。")


def next_letter_number(organ: Organ, year: int, *, own_settings: OrganLetterSettings | None = None) -> str:
    """The organ's next letter number of ``year`` in its configured format (row-locked counter)."""
    n = _take_sequence(organ, year)
    fmt = (own_settings or letter_settings(organ)).number_format or DEFAULT_NUMBER_FORMAT
    try:
        return fmt.format(organ=organ.display_name, year=year, n=n)
    except (KeyError, IndexError, ValueError):
        return DEFAULT_NUMBER_FORMAT.format(organ=organ.display_name, year=year, n=n)


def _json_safe(value: Any) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if isinstance(value, list | tuple):
        return all(_json_safe(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_safe(v) for k, v in value.items())
    return False


def issue_letter(app: Application, *, kind: LetterKind, clock: ClockResult | None, actor,
                 event: ApplicationEvent | None = None, stated_deadlines: dict[str, Any] | None = None,
                 defer: bool = False, **extra: Any) -> Letter:
    """Render and store a letter, dated on its event's date (a late record keeps its true date).

    ``stated_deadlines`` (label → date) are the dates the letter asks the reader to act by; one
    already past today is recorded as the letter's warning for the handler.

    ``defer``: store the letter with its context and render the Word file in a background job
    after the commit (``letter_render``; the public submission does this, so that a submission
    is not held up by docxtpl). Whoever asks for the file first renders it if the job has not.
    """
    on = event.date if event else services.today()
    own_settings = letter_settings(app.organ)  # read once for the context and the number
    context = _base_context(app, clock, on, own_settings)
    for key, value in extra.items():
        context[key] = value.strip().rstrip(_END_PUNCT) if key in _PHRASES and isinstance(value, str) else value
    if "outcome_group" in context:
        context["remedy_kind"] = remedy_kind(context["outcome_group"])
    year = on.year
    today = services.today()
    late = [f"{label}{date_cn(d)}已过" for label, d in (stated_deadlines or {}).items() if d and d < today]
    if late:
        context["warning"] = f"告知书所载{'、'.join(late)}（告知书日期为{date_cn(on)}），请核实是否需要另行告知申请人。"
    context["letter_title"] = kind.label if kind != LetterKind.RECEIPT else "政府信息公开申请回执"
    # The number as late as possible: its counter row stays locked from here to the commit.
    context["number"] = next_letter_number(app.organ, year, own_settings=own_settings)
    letter = Letter(application=app, kind=kind, number=context["number"], event=event,
                    to_applicant=kind in APPLICANT_LETTERS,
                    context={k: v for k, v in context.items() if _json_safe(v)})
    if defer:
        letter.save()
        pk = letter.pk
        transaction.on_commit(lambda: _enqueue_render(pk))
    else:
        n = app.letters.filter(kind=kind).count() + 1  # only the file name needs it
        suffix = f"-{n}" if n > 1 else ""
        try:
            data = render_docx(_template_for(app, kind), context)
        except LetterError as exc:
            raise ApplicationActionError(str(exc)) from exc
        letter.docx.save(f"{kind}-{app.pk}{suffix}.docx", ContentFile(data), save=False)
        letter.save()
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_LETTER, obj=app, organ=app.organ,
              note=f"{kind.label} {letter.number}")
    if letter.to_applicant:
        _email_applicant(app, letter)
    return letter


def _enqueue_render(letter_pk: int) -> None:
    """Queue the rendering; after the commit nothing may fail the answer, so errors only log."""
    try:
        from ..tasks import letter_render

        letter_render.enqueue(letter_pk)
    except Exception:  # noqa: BLE001 - the letter is rendered on first request instead
        log.exception("告知书生成任务未能排队（首次查看时生成）")


def letter_ensure_rendered(letter: Letter) -> Letter:
    """Render a deferred letter's Word file now, if the background job has not yet (idempotent)."""
    if letter.docx:
        return letter
    with transaction.atomic():
        row = Letter.objects.select_for_update(of=("self",)).select_related("application__organ").get(pk=letter.pk)
        if not row.docx:
            try:
                data = render_docx(_template_for(row.application, row.kind), dict(row.context))
            except LetterError as exc:
                raise ApplicationActionError(str(exc)) from exc
            row.docx.save(f"{row.kind}-{row.application_id}-{row.pk}.docx", ContentFile(data), save=False)
            row.save(update_fields=["docx"])
    letter.docx = row.docx
    return letter


def letter_pdf(letter: Letter) -> bytes:
    """The PDF of a letter, rendered on first request and stored."""
    letter_ensure_rendered(letter)
    if letter.pdf:
        with letter.pdf.open("rb") as fh:
            return fh.read()
    with letter.docx.open("rb") as fh:
        data = docx_to_pdf(fh.read())
    letter.pdf.save(f"{letter.kind}-{letter.application_id}-{letter.pk}.pdf", ContentFile(data), save=False)
    Letter.objects.filter(pk=letter.pk).update(pdf=letter.pdf.name)
    return data


def _email_applicant(app: Application, letter: Letter) -> None:
    if not app.email:
        return
    subject = f"【{app.organ.name}】{letter.get_kind_display()}（查询码 {app.tracking_code}）"
    body = (f"{app.name}：\n\n{app.organ.name}就您的政府信息公开申请“{app.title}”出具了{letter.get_kind_display()}"
            f"（{letter.number}）。请凭查询码 {app.tracking_code} 和联系电话后四位登录查询页面查看和下载。\n")
    to = app.email
    transaction.on_commit(lambda: send_safely(subject, body, [to]))


def send_safely(subject: str, body: str, to: list[str]) -> None:
    try:
        send_mail(subject, body, None, to)
    except Exception:  # noqa: BLE001 - mail failure must not undo the action
        log.exception("依申请公开邮件发送失败")
