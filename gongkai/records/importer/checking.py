"""Checking one row of a metadata file: its document, its values, the user's right to import it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, can

from .. import docno, services
from ..models import Attribute, Validity, WithholdingGround
from .columns import (
    ATTRIBUTE_WORDS,
    LIST_SEPARATORS,
    REQUIRED,
    parse_choice,
    parse_date,
    parse_datetime,
    split_list,
)
from .converting import document_body
from .lookup import Lookup
from .results import Problem, RowPlan


def file_inside(directory: Path, relative: str) -> Path:
    rel = relative.strip().replace("\\", "/")
    path = (directory / rel).resolve()
    if not path.is_relative_to(directory.resolve()):
        raise ValueError(f"“{relative}”不在导入文件夹内。")
    if not path.is_file():
        raise ValueError(f"文件“{relative}”不存在。")
    return path


def validate_file(path: Path) -> None:
    """A file to attach: its name, size and content (as :func:`services.attachment_add` will check it)."""
    with path.open("rb") as fh:
        services.validate_upload(name=path.name, size=path.stat().st_size, file=File(fh, name=path.name))


def check_row(
    *, number: int, where: str, row: dict[str, str], directory: Path, lookup: Lookup, user, publish: bool,
    default_organ: Organ | None, attach_original: bool, now: dt.datetime,
) -> tuple[RowPlan | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(key: str | None, message: str) -> None:
        problems.append(Problem(where, message, key))

    def value(key: str) -> str:
        return row.get(key, "").strip()

    for key in REQUIRED:
        if not value(key):
            problem(key, "必须填写。")

    # The document itself and its body.
    path = None
    body = ""
    notes: list[str] = []
    attachments: list[Path] = []
    if value("file"):
        try:
            path = file_inside(directory, value("file"))
            body, notes = document_body(path)
        except ValueError as exc:
            problem("file", str(exc))
    if path is not None and (attach_original or (path.suffix.lower() == ".pdf" and not body)):
        if path.suffix.lower().lstrip(".") in settings.GONGKAI_ATTACHMENT_EXTENSIONS:
            try:
                validate_file(path)
                attachments.append(path)
            except services.RecordActionError as exc:
                problem("file", f"原文件不能作为附件保存：{exc}")
        elif attach_original:
            notes.append(f"“{path.suffix}”类型不能作为附件保存，原文件不附上")
    for part in split_list(value("attachments"), LIST_SEPARATORS):
        try:
            attachment = file_inside(directory, part)
            validate_file(attachment)
        except (ValueError, services.RecordActionError) as exc:
            problem("attachments", str(exc))
            continue
        if attachment not in attachments:
            attachments.append(attachment)

    # Organ, issuers and the importing user's right to write there.
    organ = default_organ
    if value("organ"):
        try:
            organ = lookup.organ(value("organ"))
        except ValueError as exc:
            problem("organ", str(exc))
            organ = None
    elif organ is None:
        problem("organ", "必须填写（或用 --organ 指定默认的发布机构）。")
    if organ is not None:
        if not can(user, Perm.RECORD_DRAFT, organ):
            problem("organ", f"用户“{user.get_username()}”不是“{organ.name}”的信息员/编辑，不能向该机关导入。")
        if publish and not organ.is_active:
            problem("organ", f"“{organ.name}”已停用，不能发布它的信息。")
    issuers: list[Organ] = []
    if value("issuers"):
        try:
            issuers = lookup.issuers(value("issuers"))
        except ValueError as exc:
            problem("issuers", str(exc))

    data: dict[str, Any] = {
        "title": value("title"), "summary": value("summary"), "keywords": value("keywords"), "body": body,
        "doc_no": "", "written_on": None, "genre": None, "topic": None, "attribute": Attribute.PROACTIVE,
        "withholding_ground": "", "attribute_reason": value("attribute_reason"), "validity": Validity.VALID,
        "valid_from": None, "valid_until": None,
    }
    if len(data["title"]) > 300:
        problem("title", f"标题有{len(data['title'])}个字，最多300个字。")
    if len(data["keywords"]) > 200:
        problem("keywords", "关键词最多200个字。")
    if value("doc_no"):
        try:
            data["doc_no"] = docno.normalize(value("doc_no"))
        except docno.DocNoError as exc:
            problem("doc_no", str(exc))
    for key in ("written_on", "valid_from", "valid_until"):
        if value(key):
            try:
                data[key] = parse_date(value(key))
            except ValueError as exc:
                problem(key, str(exc))
    published_at = None
    if value("published_at"):
        try:
            published_at = parse_datetime(value("published_at"))
        except ValueError as exc:
            problem("published_at", str(exc))
    if value("genre"):
        try:
            data["genre"] = lookup.genre(value("genre"))
        except ValueError as exc:
            problem("genre", str(exc))
    if value("topic"):
        try:
            data["topic"] = lookup.topic(value("topic"))
        except ValueError as exc:
            problem("topic", str(exc))
    if value("attribute"):
        attribute = parse_choice(value("attribute"), Attribute, ATTRIBUTE_WORDS)
        if attribute is None:
            problem("attribute", f"“{value('attribute')}”不是公开属性，应为主动公开、依申请公开或不予公开（免予公开按不予公开导入）。")
        else:
            data["attribute"] = attribute
    if value("withholding_ground"):
        ground = parse_choice(value("withholding_ground"), WithholdingGround)
        if ground is None:
            grounds = "、".join(str(g.label).split("（")[0] for g in WithholdingGround)
            problem("withholding_ground", f"“{value('withholding_ground')}”不是不公开依据，可选：{grounds}。")
        else:
            data["withholding_ground"] = ground
    if value("validity"):
        validity = parse_choice(value("validity"), Validity)
        if validity is None:
            problem("validity", f"“{value('validity')}”不是有效性，应为有效、已修订、已废止或已失效。")
        else:
            data["validity"] = validity
    if data["attribute"] != Attribute.PROACTIVE:
        label = Attribute(data["attribute"]).label
        if not data["attribute_reason"]:
            problem("attribute_reason", f"公开属性为“{label}”时必须写明不公开理由。")
        if data["attribute"] == Attribute.WITHHELD and not value("withholding_ground"):
            problem("withholding_ground", "不予公开必须填写依据（条例第十四至十六条），例如“属于国家秘密”“属于四类过程性信息”。")
    if data["valid_from"] and data["valid_until"] and data["valid_until"] < data["valid_from"]:
        problem("valid_until", "有效期截止日期不能早于施行日期。")
    if not publish or data["attribute"] != Attribute.PROACTIVE:
        published_at = None
    else:
        published_at = published_at or now
        if data["written_on"] and published_at and data["written_on"] > timezone.localtime(published_at).date():
            problem("published_at", f"发布日期（{timezone.localtime(published_at):%Y-%m-%d}）早于成文日期（{data['written_on']:%Y-%m-%d}）。")

    if problems or path is None or organ is None:
        return None, problems
    try:
        data = services.clean_record_data(data)
    except services.RecordActionError as exc:  # a rule the checks above did not foresee
        problem(None, str(exc))
        return None, problems
    plan = RowPlan(
        number=number, where=where, path=path, organ=organ, issuers=issuers or [organ], data=data,
        attachments=attachments, published_at=published_at, scheduled=bool(published_at and published_at > now),
        interprets_ref=value("interprets"), notes=notes,
    )
    return plan, problems
