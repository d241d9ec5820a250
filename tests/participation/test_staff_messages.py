"""Staff pages of the message box and the 口径库: access per organ, reply with an entry, review, import/export."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.core.models import Role
from gongkai.participation.models import Answer, AnswerStatus, Message, MessageKind, MessageStatus
from gongkai.participation.services import answers as answer_svc
from gongkai.participation.services import messages as svc
from tests import factories


@pytest.fixture
def handler(organ):
    return factories.member(organ, Role.EDITOR, "msg_handler")


@pytest.fixture
def approver(organ):
    return factories.member(organ, Role.REVIEWER, "msg_reviewer")


@pytest.fixture
def outsider(other_organ):
    return factories.member(other_organ, Role.OFFICE_HEAD, "outsider")


def incoming(organ, **kw):
    data = {"kind": MessageKind.CONSULT, "subject": "租房提取公积金", "body": "我叫张三，想问租房怎么提取公积金？",
            "name": "张三", "phone": "13812345678", "email": "zs@example.org", "may_publish": True}
    data.update(kw)
    return svc.message_submit(organ=organ, **data)


def usable_answer(organ, handler, approver):
    a = answer_svc.answer_create(actor=handler, organ=organ, data={
        "question": "租房提取公积金需要什么材料？", "answer": "请携带身份证和租房合同到公积金中心办理。"})
    answer_svc.answer_submit(actor=handler, answer=a)
    return answer_svc.answer_review(actor=approver, answer=a, approve=True)


@pytest.mark.django_db
def test_sender_data_only_for_the_handling_organ(client, organ, handler, outsider):
    m = incoming(organ)
    client.force_login(outsider)
    assert client.get(reverse("participation_staff:message", args=[m.pk])).status_code == 404
    assert m.receipt_code not in client.get(reverse("participation_staff:inbox")).content.decode()
    client.force_login(handler)
    html = client.get(reverse("participation_staff:message", args=[m.pk])).content.decode()
    assert "13812345678" in html and "zs@example.org" in html
    inbox = client.get(reverse("participation_staff:inbox") + "?flag=unassigned").content.decode()
    assert m.receipt_code in inbox


@pytest.mark.django_db
def test_reply_with_a_knowledge_base_entry_review_and_publish(client, organ, handler, approver):
    entry = usable_answer(organ, handler, approver)
    m = incoming(organ)
    client.force_login(handler)
    page = client.get(reverse("participation_staff:message", args=[m.pk])).content.decode()
    assert entry.question in page and f'data-insert-answer="{entry.pk}"' in page
    act = reverse("participation_staff:message_act", args=[m.pk, "reply"])
    # Without script, 插入 appends the answer and re-shows the form (nothing saved yet).
    shown = client.post(act, {"body": "张三您好：", "answers": "", "insert": entry.pk})
    assert shown.status_code == 200
    body = shown.context["forms"]["reply"].data["body"]
    assert body.startswith("张三您好：") and entry.answer in body
    assert not m.replies.exists()
    submit = reverse("participation_staff:message_act", args=[m.pk, "submit"])
    assert client.post(submit, {"body": body, "answers": str(entry.pk)}).status_code == 302
    m.refresh_from_db()
    assert m.status == MessageStatus.REPLY_SUBMITTED
    assert list(m.replies.get().answers_used.all()) == [entry]
    # The author cannot review; a reviewer can.
    assert "不能审核自己的答复" not in page
    client.force_login(approver)
    review = reverse("participation_staff:message_act", args=[m.pk, "review"])
    refused = client.post(review, {"decision": "return", "comment": ""})
    assert refused.status_code == 400 and "写明" in refused.content.decode()
    assert client.post(review, {"decision": "approve", "publish": "on"}).status_code == 302
    m.refresh_from_db()
    assert m.status == MessageStatus.REPLIED and Message.objects.public().filter(pk=m.pk).exists()
    public = client.get(m.get_absolute_url()).content.decode()
    assert entry.answer in public and "张三" not in public
    # The message's history reads as people read it: event names, the actors' names, no raw values.
    history = client.get(reverse("participation_staff:message", args=[m.pk])).content.decode()
    history = history.split('id="history-h"', 1)[1]
    assert approver.get_full_name() and "审核通过留言答复" in history and approver.get_full_name() in history
    assert "reply_submitted" not in history and approver.username not in history


@pytest.mark.django_db
def test_transfer_from_the_page(client, organ, other_organ, handler):
    m = incoming(organ)
    client.force_login(handler)
    url = reverse("participation_staff:message_act", args=[m.pk, "transfer"])
    refused = client.post(url, {"to_organ": other_organ.pk, "reason": ""})
    assert refused.status_code == 400 and "理由" in refused.content.decode()
    assert client.post(url, {"to_organ": other_organ.pk, "reason": "职责属于广安市测试局"}).status_code == 302
    m.refresh_from_db()
    assert m.organ == other_organ
    assert client.get(reverse("participation_staff:message", args=[m.pk])).status_code == 404


@pytest.mark.django_db
def test_answer_pages_review_and_refusal(client, organ, handler, approver, outsider):
    client.force_login(handler)
    response = client.post(reverse("participation_staff:answer_create"), {
        "organ": organ.pk, "question": "养老保险怎么交？", "answer": "按月缴纳。", "is_public": "on",
        "bases": "不存在的文号"})
    assert response.status_code == 400 and "没有找到已公开的文件" in response.content.decode()
    record = factories.RecordFactory(organ=organ, published=True, doc_no="保政办函〔2021〕15号")
    response = client.post(reverse("participation_staff:answer_create"), {
        "organ": organ.pk, "question": "养老保险怎么交？", "answer": "按月缴纳。", "is_public": "on",
        "bases": "保政办函〔2021〕15号（第三条）"})
    entry = Answer.objects.get()
    assert response.status_code == 302 and entry.bases.get().article == "第三条" and entry.bases.get().record == record
    client.post(reverse("participation_staff:answer_act", args=[entry.pk, "submit"]))
    client.force_login(approver)
    client.post(reverse("participation_staff:answer_act", args=[entry.pk, "review"]), {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.status == AnswerStatus.USABLE
    client.force_login(outsider)
    assert client.get(reverse("participation_staff:answer", args=[entry.pk])).status_code == 404


def workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["问题", "其他问法", "答复口径", "主题分类", "涉及人群", "政策依据", "有效期自", "有效期至", "是否公开"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_is_all_or_nothing_with_row_errors(client, organ, handler):
    record = factories.RecordFactory(organ=organ, published=True)
    client.force_login(handler)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = workbook([["问题一", "", "答复一", "", "", record.index_no, "", "", "是"],
                    ["", "", "答复二", "", "", "", "", "", "是"],
                    ["问题三", "", "答复三", "", "", "无此文号", "2025-13-01", "", "也许"]])
    response = client.post(reverse("participation_staff:answer_import"),
                           {"organ": organ.pk, "file": SimpleUploadedFile("qa.xlsx", bad)})
    html = response.content.decode()
    assert response.status_code == 400 and not Answer.objects.exists()
    for expected in ("第3行“问题”为空", "第4行政策依据“无此文号”", "第4行“有效期自”不是有效日期", "第4行“是否公开”"):
        assert expected in html
    good = workbook([["问题一", "问法甲\n问法乙", "答复一", "", "新市民", f"{record.index_no}（第二条）", "2025-01-01", "", "是"],
                     ["问题二", "", "答复二", "", "", "", "", "", "否"]])
    response = client.post(reverse("participation_staff:answer_import"),
                           {"organ": organ.pk, "file": SimpleUploadedFile("qa.xlsx", good)})
    assert response.status_code == 302
    one, two = Answer.objects.order_by("question")
    assert one.status == AnswerStatus.DRAFT and one.phrasing_list() == ["问法甲", "问法乙"]
    assert one.bases.get().article == "第二条" and not two.is_public
    export = client.get(reverse("participation_staff:answer_export"))
    ws = load_workbook(io.BytesIO(export.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "问题" and {r[0] for r in rows[1:]} == {"问题一", "问题二"}
