"""The public comment form: attachments, bad input kept, the challenge and the rate limit."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.participation.forms.consultations import COMMENT_THROTTLE
from gongkai.participation.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_attachment_is_kept_private_and_a_bad_type_keeps_the_text(client, open_consultation, editor):
    url = reverse("participation:comment_create", args=[open_consultation.pk])
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"body": "附件里有详细意见。", "name": "李四", "attachment": bad})
    body = response.content.decode()
    assert response.status_code == 400 and "附件类型不允许上传" in body and "附件里有详细意见。" in body
    assert "请重新选择附件" in body
    good = SimpleUploadedFile("意见.pdf", b"%PDF-1.4 details", content_type="application/pdf")
    assert client.post(url, {"body": "附件里有详细意见。", "name": "李四", "attachment": good}).status_code == 302
    comment = Comment.objects.get()
    assert comment.attachment.read() == b"%PDF-1.4 details"
    assert comment.attachment.name not in client.get(open_consultation.get_absolute_url()).content.decode()
    staff = reverse("participation_staff:comment_attachment", args=[open_consultation.pk, comment.pk])
    assert client.get(staff).status_code == 302  # to the login page
    client.force_login(editor)
    assert client.get(staff).status_code == 200


def test_challenge_after_two_comments_and_limit_after_ten(client, open_consultation):
    url = reverse("participation:comment_create", args=[open_consultation.pk])
    for i in range(2):
        assert client.post(url, {"body": f"意见{i}", "name": "李四"}).status_code == 302
    page = client.get(url).content.decode()
    assert "验证问题" in page
    response = client.post(url, {"body": "第三条意见", "name": "李四", "challenge_answer": "0"})
    assert response.status_code == 400 and "验证问题回答不正确" in response.content.decode()
    assert "第三条意见" in response.content.decode()
    token = response.context["form"].challenge[1]
    question = response.context["form"].challenge[0]
    a, b = (int(x) for x in question.split(" 等于")[0].split(" 加 "))
    assert client.post(url, {"body": "第三条意见", "name": "李四", "challenge_token": token,
                             "challenge_answer": str(a + b)}).status_code == 302
    for _ in range(COMMENT_THROTTLE.limit - 3):
        COMMENT_THROTTLE.hit("127.0.0.1")
    assert client.get(url).status_code == 429
    assert Comment.objects.count() == 3


def test_a_valid_attachment_survives_a_form_error(client, open_consultation, settings, tmp_path):
    import datetime as dt

    from gongkai.core.forms import purge_kept_files

    settings.MEDIA_ROOT = str(tmp_path)
    url = reverse("participation:comment_create", args=[open_consultation.pk])
    good = SimpleUploadedFile("详细意见.pdf", b"%PDF-1.4 kept", content_type="application/pdf")
    refused = client.post(url, {"body": "", "name": "李四", "attachment": good})  # the body is missing
    page = refused.content.decode()
    assert refused.status_code == 400 and "请填写意见内容" in page and "详细意见.pdf" in page
    assert "请重新选择附件" not in page and 'name="drop_kept"' in page
    kept = refused.context["form"]["kept_files"].value()
    assert kept and not Comment.objects.exists()
    # Sent again without choosing the file: the kept one is the comment's attachment, and its pending copy goes.
    assert client.post(url, {"body": "见附件。", "name": "李四", "kept_files": kept}).status_code == 302
    assert Comment.objects.get().attachment.read() == b"%PDF-1.4 kept"
    assert purge_kept_files(older_than=dt.timedelta(seconds=-60)) == 0
    # Ticked for removal, the kept file is not attached; a forged token keeps nothing.
    again = client.post(url, {"body": "", "name": "王五", "attachment": SimpleUploadedFile(
        "二稿.pdf", b"%PDF-1.4 second", content_type="application/pdf")})
    token = again.context["form"]["kept_files"].value()
    assert client.post(url, {"body": "不附文件。", "name": "王五", "kept_files": token,
                             "drop_kept": ["0"]}).status_code == 302
    assert not Comment.objects.get(name="王五").attachment
    forged = client.post(url, {"body": "", "name": "赵六", "kept_files": "x"})
    assert forged.status_code == 400 and 'name="drop_kept"' not in forged.content.decode()
    assert purge_kept_files(older_than=dt.timedelta(seconds=-60)) == 0  # a success discards its pending files
    # A file kept by a form never sent again is left to the daily purge.
    client.post(url, {"body": "", "name": "赵六", "attachment": SimpleUploadedFile(
        "三稿.pdf", b"%PDF-1.4 third", content_type="application/pdf")})
    assert purge_kept_files(older_than=dt.timedelta(seconds=-60)) == 1
