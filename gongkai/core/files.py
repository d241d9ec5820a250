"""Files owned by rows go with the rows: when a row with a FileField is deleted (directly or by
a cascade — a deleted draft's attachments, an erased applicant's uploads), its stored files are
deleted once the transaction commits, never before (a rollback keeps row and file together).

Connected for every model in ``CoreConfig.ready``: a receiver rather than code in each service,
because cascades delete rows no service sees.
"""

from __future__ import annotations

import logging
import os

from django.db import models, router, transaction

log = logging.getLogger(__name__)


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def delete_files_on_commit(files: list[tuple[object, str]], *, using: str | None = None) -> None:
    """Delete each (storage, name) after the current transaction commits (at once outside one)."""

    def delete() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:  # the row is gone either way; a stray file is logged, not fatal
                log.warning("Could not delete stored file %s", name, exc_info=True)

    if files:
        transaction.on_commit(delete, using=using)


def delete_owned_files(sender, instance: models.Model, using: str | None = None, **kwargs) -> None:
    """post_delete receiver: schedule the deletion of every file the deleted row owned."""
    files = []
    for field in _file_fields(sender):
        value = getattr(instance, field.attname, None)
        name = getattr(value, "name", value)
        if name:
            files.append((field.storage, str(name)))
    delete_files_on_commit(files, using=using or router.db_for_write(sender))


def short_file_name(name: str, limit: int = 200) -> str:
    """A file name as shown and stored beside an upload, at most ``limit`` characters, keeping its extension
    (a browser may send a 400-character name; cutting the end off would drop ``.pdf``). Path parts, control
    characters and NUL are removed."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "附件"
    if len(name) <= limit:
        return name
    stem, ext = os.path.splitext(name)
    ext = ext[:10] if len(ext) <= 10 else ""
    return stem[: limit - len(ext)].rstrip() + ext


def stored_file_name(name: str, limit: int = 60) -> str:
    """The last part of a storage path for an upload: short enough for every file system (255 bytes) and
    for a FileField's ``max_length``, whatever name the browser sent."""
    return short_file_name(name, limit)


# -- does the content match the extension? (docs/adr: puremagic) ------------------------------------------

CONTENT_MISMATCH = "文件内容与扩展名不符，请确认上传的是原始文件（例如不要把其他文件改名为 .pdf）。"
_OLE = {".doc", ".xls", ".ppt", ".wps", ".et", ".dps", ".dot", ".xlt", ".msi", ".msg", ".vsd", ".pub", ".spo",
        ".opt", ".rvt"}  # one container format (OLE2) with many names
_ZIP = {".zip", ".docx", ".xlsx", ".pptx", ".xlsb", ".xltm", ".xltx", ".docm", ".xlsm", ".ofd", ".odt", ".ods",
        ".jar", ".epub"}
#: What the sniffer may report for each extension a form accepts. An extension not listed is not judged.
CONTENT_KINDS: dict[str, set[str]] = {
    "pdf": {".pdf"}, "png": {".png"}, "gif": {".gif"}, "bmp": {".bmp"},
    "jpg": {".jpg", ".jpeg", ".jfif", ".jpe"}, "jpeg": {".jpg", ".jpeg", ".jfif", ".jpe"},
    "doc": _OLE, "xls": _OLE, "ppt": _OLE, "wps": _OLE, "et": _OLE, "dps": _OLE,
    "docx": _ZIP, "xlsx": _ZIP, "pptx": _ZIP, "ofd": _ZIP, "zip": _ZIP,
}
TEXT_EXTENSIONS = {"txt", "csv"}
_HEAD = 64 * 1024


def _is_text(head: bytes) -> bool:
    """Plain text cannot be sniffed: it is accepted when it decodes as UTF-8 or GB18030 (the end of a
    partial read may cut a character in two, hence the incremental decoder)."""
    import codecs

    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_matches_extension(head: bytes, ext: str) -> bool:
    """Whether the first bytes of a file fit its extension (without the dot, lower case)."""
    import puremagic

    ext = ext.lower().lstrip(".")
    if ext in TEXT_EXTENSIONS:
        return _is_text(head)
    kinds = CONTENT_KINDS.get(ext)
    if kinds is None:
        return True
    try:
        found = {m.extension.lower() for m in puremagic.magic_string(head)}
    except puremagic.PureError:
        found = set()
    return bool(found & kinds)


def upload_content_error(upload, ext: str | None = None, name: str | None = None) -> str:
    """The Chinese message why an upload's content does not match its extension (of ``ext``, else of
    ``name``, else of the upload's own name), or "" when it does. For services, which raise their own
    error class; forms use :func:`check_upload_content`."""
    name = upload.name if name is None else name
    if ext is None:
        ext = os.path.splitext(name or "")[1]
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    if content_matches_extension(head, ext):
        return ""
    return f"附件“{short_file_name(name or '', 60)}”：{CONTENT_MISMATCH}"


def check_upload_content(upload, ext: str | None = None) -> None:
    """Raise a Chinese ``ValidationError`` when an uploaded file's content does not match its extension."""
    from django.core.exceptions import ValidationError

    problem = upload_content_error(upload, ext)
    if problem:
        raise ValidationError(problem, code="content")
