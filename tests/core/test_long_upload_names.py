"""A 400-character Chinese file name does not break a public form: the stored name is shortened (finding 2)."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.models import Application, ApplicationFile
from gongkai.participation.models import Comment, Message
from tests.applications.test_views import form_data
from tests.participation.conftest import make_consultation

pytestmark = pytest.mark.django_db
LONG = "关于某某事项的情况说明" * 40 + ".pdf"  # 400 characters and the extension


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _pdf():
    return SimpleUploadedFile(LONG, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def test_apply_with_a_very_long_file_name(client, organ):
    url = reverse("applications:apply_organ", kwargs={"code": organ.code})
    response = client.post(url, form_data(attachments=[_pdf()]))
    assert response.status_code == 302, response.content.decode()[:500]
    stored = ApplicationFile.objects.get(application=Application.objects.get())
    assert len(stored.name) <= 200 and stored.file.name.endswith(".pdf")
    assert len(stored.file.name.encode()) <= 255 and stored.file.read().startswith(b"%PDF")


def test_message_with_a_very_long_file_name(client, organ):
    response = client.post(reverse("participation:message_create"), {
        "organ": organ.pk, "kind": "consult", "subject": "问题", "body": "请见附件。", "phone": "13800001234",
        "attachment": _pdf()})
    assert response.status_code == 302
    m = Message.objects.get()
    assert m.attachment_name.endswith(".pdf") and len(m.attachment_name) <= 200


def test_comment_with_a_very_long_file_name(client, organ):
    consultation = make_consultation(organ)
    response = client.post(reverse("participation:comment_create", args=[consultation.pk]),
                           {"body": "附件里有详细意见。", "name": "李四", "attachment": _pdf()})
    assert response.status_code == 302
    assert Comment.objects.get().attachment.read().startswith(b"%PDF")


def test_short_file_name_keeps_the_extension_and_drops_paths():
    from gongkai.core.files import short_file_name, stored_file_name

    assert short_file_name(LONG).endswith(".pdf") and len(short_file_name(LONG)) == 200
    assert short_file_name("C:\\Users\\张三\\申请书.docx") == "申请书.docx"
    assert short_file_name("a\x00b.pdf") == "ab.pdf" and short_file_name("") == "附件"
    assert stored_file_name(LONG).endswith(".pdf") and len(stored_file_name(LONG).encode()) <= 255
