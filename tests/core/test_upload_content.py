"""An upload's content must match its extension (audit finding 5, docs/adr/0012-upload-content-check.md)."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.files import CONTENT_MISMATCH, check_upload_content, content_matches_extension
from gongkai.participation.models import Message

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _zip(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, "<x/>")
    return buf.getvalue()


def test_real_files_pass_and_renamed_ones_do_not():
    assert content_matches_extension(PDF, "pdf") and content_matches_extension(PDF, ".PDF")
    assert content_matches_extension(b"\x89PNG\r\n\x1a\n" + b"\0" * 24, "png")
    assert content_matches_extension(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg")
    assert content_matches_extension(_zip("word/document.xml"), "docx")
    assert content_matches_extension(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "wps")
    assert not content_matches_extension("这是一段文字".encode(), "pdf")
    assert not content_matches_extension(b"MZ\x90\x00", "pdf")
    assert not content_matches_extension(PDF, "docx")


def test_text_is_accepted_when_it_decodes():
    assert content_matches_extension("申请内容".encode(), "txt")
    assert content_matches_extension("申请内容".encode("gb18030"), "csv")
    assert not content_matches_extension(b"\x00\x01\x02binary", "txt")
    cut = ("公开" * 40000).encode()[:65536]  # a character cut in two at the end of the read
    assert content_matches_extension(cut, "txt")


def test_the_validator_keeps_the_file_readable():
    upload = SimpleUploadedFile("说明.pdf", PDF)
    check_upload_content(upload)
    assert upload.read() == PDF
    with pytest.raises(ValidationError) as info:
        check_upload_content(SimpleUploadedFile("说明.pdf", "纯文本".encode()))
    assert CONTENT_MISMATCH in info.value.messages[0]


@pytest.mark.django_db
def test_the_message_form_refuses_a_text_file_named_pdf(client, organ):
    cache.clear()
    data = {"organ": organ.pk, "kind": "consult", "subject": "问题", "body": "请见附件。", "phone": "13800001234"}
    fake = client.post(reverse("participation:message_create"),
                       {**data, "attachment": SimpleUploadedFile("doc.pdf", "不是PDF".encode())})
    assert fake.status_code == 400 and "文件内容与扩展名不符" in fake.content.decode()
    assert not Message.objects.exists()
    real = client.post(reverse("participation:message_create"),
                       {**data, "attachment": SimpleUploadedFile("doc.pdf", PDF)})
    assert real.status_code == 302 and Message.objects.count() == 1
