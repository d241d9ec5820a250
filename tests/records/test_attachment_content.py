"""Staff uploads of records are content-checked like public ones (docs/adr/0012): an attachment's bytes
must match its extension, in the workspace, the batch import and the gazette admin."""

import io
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.core.files import CONTENT_MISMATCH
from gongkai.core.models import AuditEvent
from gongkai.records import services
from gongkai.records.admin import GazetteIssueForm
from gongkai.records.models import Attachment, Gazette, Record

from .. import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_PDF = "这是一段改了扩展名的文字".encode()

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_service_refuses_a_renamed_file_and_keeps_nothing(editor, organ, settings):
    record = factories.RecordFactory(organ=organ)
    events = AuditEvent.objects.count()
    with pytest.raises(services.RecordActionError) as info:
        services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("说明.pdf", NOT_PDF))
    assert CONTENT_MISMATCH in str(info.value) and "说明.pdf" in str(info.value)
    # The name given beside the file is the one judged (and shown, and served).
    with pytest.raises(services.RecordActionError):
        services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("说明.txt", NOT_PDF),
                                name="说明.pdf")
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == events and not stored_files(settings)
    attachment = services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("说明.pdf", PDF))
    assert attachment.file.read() == PDF


def test_the_workspace_shows_the_chinese_error(client, editor, organ):
    record = factories.RecordFactory(organ=organ, created_by=editor)
    client.force_login(editor)
    response = client.post(reverse("workspace:attachment_add", args=[record.pk]),
                           {"file": SimpleUploadedFile("附件.docx", PDF)})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(CONTENT_MISMATCH in m for m in shown), shown
    assert not Attachment.objects.exists()


def test_the_batch_import_names_a_renamed_attachment(tmp_path, editor, organ, genre, settings):
    folder = tmp_path / "batch"
    (folder / "附件").mkdir(parents=True)
    (folder / "正文.txt").write_text("正文。", encoding="utf-8")
    (folder / "附件" / "表格.xlsx").write_bytes(PDF)
    (folder / "metadata.csv").write_text(
        "文件,标题,发布机构,成文日期,体裁,公开属性,附件\n"
        "正文.txt,一条信息,保定市测试局,2021-01-01,其他,主动公开,附件/表格.xlsx\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("import_records", str(folder), user="editor", stdout=io.StringIO(), stderr=io.StringIO())
    assert "第2行" in str(info.value) and "“附件”" in str(info.value) and CONTENT_MISMATCH in str(info.value)
    assert not Record.objects.exists() and not stored_files(settings)


def test_the_gazette_admin_refuses_a_pdf_that_is_not_one(organ):
    gazette = Gazette.objects.create(organ=organ, name="测试市人民政府公报")
    data = {"gazette": gazette.pk, "year": 2025, "number": 1, "total_number": 1, "issued_on": "2025-01-01"}
    form = GazetteIssueForm(data, {"pdf": SimpleUploadedFile("2025-1.pdf", b"<html>not a pdf</html>")})
    assert not form.is_valid() and CONTENT_MISMATCH in form.errors["pdf"][0]
    form = GazetteIssueForm(data, {"pdf": SimpleUploadedFile("2025-1.doc", PDF)})
    assert not form.is_valid() and "须是 .pdf 文件" in form.errors["pdf"][0]
    form = GazetteIssueForm(data, {"pdf": SimpleUploadedFile("2025-1.pdf", PDF)})
    assert form.is_valid(), form.errors
