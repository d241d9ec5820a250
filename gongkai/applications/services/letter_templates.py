"""An organ's own Word template for one kind of letter (告知书模板), uploaded in the admin.

:func:`letter_template_check` accepts only a real ``.docx`` that docxtpl can render with
the variables the platform fills for that kind of letter (docs/applications.md, “告知书模板”);
anything else is refused with a Chinese reason before a letter could fail to print.
:func:`letter_template_save` and :func:`letter_template_delete` are the only writers: each
writes :attr:`AuditEventType.LETTER_TEMPLATE_CHANGED` with the file before and after (name,
SHA-256 of the content, size) in the same transaction.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from docxtpl import DocxTemplate

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType, Organ

from ..letters.render import LetterError, render_docx
from ..models import LetterKind, LetterTemplate
from .base import ApplicationActionError

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024

#: The variables every letter gets (letters._base_context, plus number and title).
COMMON_VARIABLES = frozenset({
    "organ_name", "organ_phone", "organ_address", "letter_title", "number", "date_cn", "applicant_name",
    "tracking_code", "track_url", "received_cn", "channel", "app_title", "app_doc_no", "due_cn",
    "extension_workdays", "excluded_workdays", "explanation", "reconsideration_body", "court",
    "you", "payment_details",
})
#: The variables only one kind of letter gets (the keyword arguments of its issue_letter call).
KIND_VARIABLES: dict[str, frozenset[str]] = {
    LetterKind.RECEIPT: frozenset(),
    LetterKind.CORRECTION: frozenset({"items", "correction_deadline_cn"}),
    LetterKind.CONSULTATION: frozenset({"party_name", "content"}),
    LetterKind.FEE: frozenset({"standard", "breakdown", "amount", "amount_words", "pay_by_cn", "how_to_pay",
                               "fee_pauses"}),
    LetterKind.EXTENSION: frozenset({"reason", "workdays", "old_due_cn"}),
    LetterKind.REPLY: frozenset({"outcome_group", "outcome_detail", "outcome_label", "outcome_text", "reasons",
                                 "provided", "public_records", "transfer_organ_name", "transfer_organ_contact",
                                 "legal_basis", "remedy_kind"}),
}
_LISTS = {"explanation": ["2025-09-22（周一）收到申请", "答复期限：2025-10-24（周五）"],
          "breakdown": ["第1–10件：免费", "小计：0.00 元"],
          "public_records": [{"title": "示例信息", "index_no": "11130600MB0000000X/2025-00001",
                              "url": "https://example.org/records/1/"}]}
_NUMBERS = {"extension_workdays": 20, "excluded_workdays": 3, "workdays": 20}


def letter_variables(kind: str) -> frozenset[str]:
    """The variables a template of ``kind`` may use."""
    return COMMON_VARIABLES | KIND_VARIABLES[LetterKind(kind)]


def sample_context(kind: str) -> dict[str, Any]:
    """Plausible values for every variable of ``kind``: what the check renders with."""
    context: dict[str, Any] = {}
    for name in letter_variables(kind):
        if name in _LISTS:
            context[name] = _LISTS[name]
        elif name in _NUMBERS:
            context[name] = _NUMBERS[name]
        elif name == "fee_pauses":
            context[name] = True
        else:
            context[name] = f"示例{name}"
    return context


def letter_template_check(*, kind: str, name: str, data: bytes) -> None:
    """Refuse (ApplicationActionError, in Chinese) anything but a .docx that renders as ``kind``."""
    if not name.lower().endswith(".docx"):
        raise ApplicationActionError("请上传 Word 文档（.docx 格式）；.doc、.wps、PDF 等格式不能作为模板。")
    if not data:
        raise ApplicationActionError("上传的文件是空的。")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ApplicationActionError("模板文件不能超过 5MB。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_docx = "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        is_docx = False
    if not is_docx:
        raise ApplicationActionError("文件不是有效的 Word 文档（.docx），请用 Word 或 WPS 另存为 .docx 后再上传。")
    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except Exception as exc:  # noqa: BLE001 - jinja2 and lxml raise many kinds; each is the same refusal
        raise ApplicationActionError(f"模板语法有误，无法使用：{exc}") from exc
    unknown = sorted(set(used) - letter_variables(kind))
    if unknown:
        raise ApplicationActionError(
            f"模板使用了{LetterKind(kind).label}没有的变量：{'、'.join(unknown)}。可用变量见 docs/applications.md“告知书模板”。")
    try:
        render_docx(io.BytesIO(data), sample_context(kind))
    except LetterError as exc:
        raise ApplicationActionError(str(exc)) from exc


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """[old, new] of every key that differs, a key missing on one side being None (created, deleted)."""
    keys = dict.fromkeys([*before, *after])
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _file_state(template: LetterTemplate | None) -> dict[str, Any]:
    """What the audit row records of a template: whose, which letter, and the file's identity."""
    if template is None or template.pk is None:
        return {}
    state: dict[str, Any] = {"organ": template.organ.name, "kind": template.get_kind_display(),
                             "file": template.file.name or None, "sha256": None, "size": None}
    if template.file:
        try:
            with template.file.open("rb") as fh:
                data = fh.read()
        except OSError:  # the stored file is missing: record that, do not fail the change
            state["sha256"] = "（文件缺失）"
        else:
            state["sha256"] = hashlib.sha256(data).hexdigest()
            state["size"] = len(data)
    return state


@transaction.atomic
def letter_template_save(*, actor, organ: Organ, kind: str, upload: UploadedFile | None,
                         template: LetterTemplate | None = None) -> LetterTemplate:
    """Upload (``template`` None) or replace an organ's template for ``kind``; audited with before/after."""
    kind = LetterKind(kind)
    if template is None:
        if upload is None:
            raise ApplicationActionError("请上传模板文件。")
        if LetterTemplate.objects.filter(organ=organ, kind=kind).exists():
            raise ApplicationActionError(f"{organ.name}已有{kind.label}模板，请修改原模板。")
        template = LetterTemplate(organ=organ, kind=kind)
    else:
        template = LetterTemplate.objects.select_for_update(of=("self",)).select_related("organ").get(pk=template.pk)
    before = _file_state(template)
    old_name = template.file.name if template.file else ""
    template.organ = organ
    template.kind = kind
    if upload is not None:
        upload.seek(0)
        data = upload.read()
        letter_template_check(kind=kind, name=upload.name or "", data=data)
        template.file.save(upload.name.rsplit("/", 1)[-1], ContentFile(data), save=False)
    elif not template.file:
        raise ApplicationActionError("请上传模板文件。")
    else:
        with template.file.open("rb") as fh:  # a kind changed without a new file: the old file must fit it
            letter_template_check(kind=kind, name=template.file.name, data=fh.read())
    template.save()
    after = _file_state(template)
    audit_log(actor=actor, event_type=AuditEventType.LETTER_TEMPLATE_CHANGED, obj=template, organ=organ,
              changes=_changes(before, after), note=("替换告知书模板" if before else "上传告知书模板")
              + (f"（上传文件：{upload.name}）" if upload is not None else ""))
    if upload is not None and old_name and old_name != template.file.name:
        storage = template.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return template


@transaction.atomic
def letter_template_delete(*, actor, template: LetterTemplate) -> None:
    """Delete an organ's template: its letters go back to the built-in one. Audited; the file goes on commit."""
    template = LetterTemplate.objects.select_for_update(of=("self",)).select_related("organ").get(pk=template.pk)
    before = _file_state(template)
    audit_log(actor=actor, event_type=AuditEventType.LETTER_TEMPLATE_CHANGED, obj=template, organ=template.organ,
              changes=_changes(before, {}), note="删除告知书模板，恢复使用内置模板")
    name = template.file.name if template.file else ""
    storage = template.file.storage
    template.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
