"""An organ's letter templates: only a .docx that renders; every change audited with before/after."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from gongkai.applications import services
from gongkai.applications.letters.render import builtin_template
from gongkai.applications.models import LetterTemplate
from gongkai.core.models import AuditEvent, AuditEventType
from tests import factories

REPLY = builtin_template("reply").read_bytes()


def docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "答复模板.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="platform_admin", is_staff=True, is_superuser=True)


def rows():
    return list(AuditEvent.objects.filter(event_type=AuditEventType.LETTER_TEMPLATE_CHANGED).order_by("pk"))


@pytest.mark.parametrize(("name", "data", "message"), [
    ("模板.doc", REPLY, "请上传 Word 文档（.docx 格式）"),
    ("模板.docx", b"", "上传的文件是空的"),
    ("模板.docx", b"%PDF-1.7 not a word file", "不是有效的 Word 文档"),
    ("模板.docx", docx("{{ organ_name }}", "{{ secret_field }}"), "模板使用了政府信息公开申请答复告知书没有的变量：secret_field"),
    ("模板.docx", docx("{{ items }}"), "没有的变量：items"),  # a correction letter's variable in a reply
    ("模板.docx", docx("{{ organ_name "), "模板语法有误"),
])
def test_check_refuses_what_cannot_be_a_reply_letter(name, data, message):
    with pytest.raises(services.ApplicationActionError, match=message):
        services.letter_template_check(kind="reply", name=name, data=data)


def test_check_accepts_the_builtin_templates_and_the_kinds_own_variables():
    for kind in ("receipt", "correction", "consultation", "fee", "extension", "reply"):
        services.letter_template_check(kind=kind, name=f"{kind}.docx", data=builtin_template(kind).read_bytes())
    services.letter_template_check(kind="correction", name="x.docx", data=docx("{{ items }} {{ correction_deadline_cn }}"))


def test_upload_replace_delete_each_write_their_audit_row(admin_user, organ, django_capture_on_commit_callbacks):
    new = docx("{{ organ_name }}答复：{{ outcome_text }}", "{%p for line in explanation %}", "{{ line }}", "{%p endfor %}")
    template = services.letter_template_save(actor=admin_user, organ=organ, kind="reply", upload=upload(REPLY))
    first = template.file.name
    assert first == f"letter-templates/{organ.pk}/reply.docx"
    [created] = rows()
    assert (created.actor, created.organ, created.object_type, created.object_id) == (
        admin_user, organ, "applications.lettertemplate", str(template.pk))
    assert created.changes == {
        "organ": [None, organ.name], "kind": [None, "政府信息公开申请答复告知书"], "file": [None, first],
        "sha256": [None, hashlib.sha256(REPLY).hexdigest()], "size": [None, len(REPLY)]}
    assert created.note == "上传告知书模板（上传文件：答复模板.docx）"

    with django_capture_on_commit_callbacks(execute=True):
        template = services.letter_template_save(actor=admin_user, organ=organ, kind="reply",
                                                 upload=upload(new, "新模板.docx"), template=template)
    replaced = rows()[1]
    assert replaced.changes == {"file": [first, template.file.name],
                                "sha256": [hashlib.sha256(REPLY).hexdigest(), hashlib.sha256(new).hexdigest()],
                                "size": [len(REPLY), len(new)]}
    assert replaced.note == "替换告知书模板（上传文件：新模板.docx）"
    assert not default_storage.exists(first) and default_storage.exists(template.file.name)

    second = template.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_template_delete(actor=admin_user, template=template)
    deleted = rows()[2]
    assert deleted.changes == {"organ": [organ.name, None], "kind": ["政府信息公开申请答复告知书", None],
                               "file": [second, None], "sha256": [hashlib.sha256(new).hexdigest(), None],
                               "size": [len(new), None]}
    assert deleted.note == "删除告知书模板，恢复使用内置模板"
    assert not LetterTemplate.objects.exists() and not default_storage.exists(second)


def test_refused_upload_writes_nothing(admin_user, organ):
    with pytest.raises(services.ApplicationActionError, match="没有的变量"):
        services.letter_template_save(actor=admin_user, organ=organ, kind="reply", upload=upload(docx("{{ x }}")))
    assert not LetterTemplate.objects.exists() and not rows()
    services.letter_template_save(actor=admin_user, organ=organ, kind="reply", upload=upload(REPLY))
    with pytest.raises(services.ApplicationActionError, match="已有政府信息公开申请答复告知书模板"):
        services.letter_template_save(actor=admin_user, organ=organ, kind="reply", upload=upload(REPLY))
    assert len(rows()) == 1


def test_admin_goes_through_the_service(client, admin_user, organ):
    client.force_login(admin_user)
    bad = client.post("/admin/applications/lettertemplate/add/",
                      {"organ": organ.pk, "kind": "reply", "file": upload(docx("{{ secret }}"))})
    assert bad.status_code == 200 and "没有的变量：secret" in bad.content.decode()
    assert not LetterTemplate.objects.exists() and not rows()
    ok = client.post("/admin/applications/lettertemplate/add/",
                     {"organ": organ.pk, "kind": "reply", "file": upload(REPLY)})
    assert ok.status_code == 302
    template = LetterTemplate.objects.get()
    [row] = rows()
    assert row.actor == admin_user and row.changes["sha256"] == [None, hashlib.sha256(REPLY).hexdigest()]
    gone = client.post(f"/admin/applications/lettertemplate/{template.pk}/delete/", {"post": "yes"})
    assert gone.status_code == 302 and not LetterTemplate.objects.exists()
    assert rows()[-1].changes["file"] == [template.file.name, None]
