"""Public pages of the message box and of 政策问答: the one door, masking, abuse protection, tracking."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.participation.models import Answer, AnswerStatus, Message, MessageKind, MessageStatus
from gongkai.participation.services import answers as answer_svc
from gongkai.participation.services import messages as svc
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def handler(organ):
    return factories.member(organ, Role.EDITOR, "msg_handler")


@pytest.fixture
def approver(organ):
    return factories.member(organ, Role.REVIEWER, "msg_reviewer")


def form_data(organ, **kw):
    data = {"organ": organ.pk, "kind": MessageKind.CONSULT, "subject": "公积金提取需要什么材料",
            "body": "我叫张三，电话13812345678，想问租房提取公积金要带什么材料？", "name": "张三",
            "phone": "13812345678", "email": "", "may_publish": "on"}
    data.update(kw)
    return data


def replied(organ, handler, approver, **kw):
    m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject=kw.pop("subject", "公积金提取需要什么材料"),
                           body="我叫张三，电话13812345678，身份证130602199001011234，想问怎么提取？", name="张三",
                           phone="13812345678", may_publish=True, **kw)
    svc.message_reply_draft(actor=handler, message=m, body="张三您好：请携带身份证办理。")
    svc.message_reply_submit(actor=handler, message=m)
    svc.message_reply_review(actor=approver, message=m, approve=True)
    m.refresh_from_db()
    return m


def usable_answer(organ, handler, approver, **data):
    fields = {"question": "租房提取公积金需要什么材料？", "answer": "携带身份证和租房合同办理。"}
    fields.update(data)
    a = answer_svc.answer_create(actor=handler, organ=organ, data=fields)
    answer_svc.answer_submit(actor=handler, answer=a)
    return answer_svc.answer_review(actor=approver, answer=a, approve=True)


@pytest.mark.django_db
def test_send_follow_and_rate(client, organ, handler, approver):
    url = reverse("participation:message_create")
    page = client.get(url)
    assert page.status_code == 200 and "保定市测试局" in page.content.decode()
    response = client.post(url, form_data(organ))
    m = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("participation:message_receipt",
                                                                            args=[m.receipt_code])
    receipt = client.get(response["Location"]).content.decode()
    assert m.receipt_code in receipt and "答复期限" in receipt
    # Another browser must pass the check first; a wrong check is refused in Chinese.
    other = client.__class__()
    assert other.get(reverse("participation:message_track_detail", args=[m.receipt_code])).status_code == 404
    bad = other.post(reverse("participation:message_track"), {"code": m.receipt_code, "check": "0000"})
    assert bad.status_code == 400 and "查询码或验证信息不正确" in bad.content.decode()
    good = other.post(reverse("participation:message_track"), {"code": m.receipt_code.lower(), "check": "5678"})
    assert good.status_code == 302
    svc.message_reply_draft(actor=handler, message=m, body="张三您好：请携带身份证办理。")
    svc.message_reply_submit(actor=handler, message=m)
    svc.message_reply_review(actor=approver, message=m, approve=True)
    detail = other.get(good["Location"]).content.decode()
    assert "请携带身份证办理" in detail and "评价答复" in detail
    rate_url = reverse("participation:message_rate", args=[m.receipt_code])
    refused = other.post(rate_url, {"rating": "dissatisfied", "reason": ""})
    assert refused.status_code == 400 and "请写明理由" in refused.content.decode()
    assert other.post(rate_url, {"rating": "satisfied"}).status_code == 302
    m.refresh_from_db()
    assert m.rating == "satisfied"


@pytest.mark.django_db
def test_correction_from_a_record_page(client, organ):
    record = factories.RecordFactory(organ=organ, published=True, title="关于公积金的通知")
    draft = factories.RecordFactory(organ=organ, title="未公开的草稿标题")
    page = client.get(reverse("participation:message_create") + f"?record={record.pk}").content.decode()
    assert "纠错：关于公积金的通知" in page and 'value="correction"' in page
    assert "未公开的草稿标题" not in client.get(
        reverse("participation:message_create") + f"?record={draft.pk}").content.decode()
    client.post(reverse("participation:message_create") + f"?record={record.pk}",
                form_data(organ, kind=MessageKind.CORRECTION, record=record.pk))
    assert Message.objects.get().record == record
    # The record page links to the form; the 即将开通 notice is gone.
    feedback = client.get(reverse("portal:record_feedback", args=[record.pk]), follow=True)
    assert "即将开通" not in feedback.content.decode()


@pytest.mark.django_db
def test_nothing_lost_on_an_error(client, organ):
    url = reverse("participation:message_create")
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url, form_data(organ, phone="", email="", attachment=upload))
    html = response.content.decode()
    assert response.status_code == 400
    assert "请至少填写联系电话或电子邮箱" in html
    assert "想问租房提取公积金要带什么材料" in html and "公积金提取需要什么材料" in html
    assert "已保留您上次选择的附件“证明.pdf”" in html
    token = response.context["form"].data["kept_files"]
    response = client.post(url, form_data(organ, kept_files=token))
    assert response.status_code == 302
    m = Message.objects.get()
    assert m.attachment_name == "证明.pdf" and m.attachment.read() == b"%PDF-1.4 test"
    # Ticked for removal, the kept attachment is not sent; a new upload replaces it.
    response = client.post(url, form_data(organ, phone="", email="", attachment=SimpleUploadedFile(
        "旧.pdf", b"%PDF-1.4 old", content_type="application/pdf")))
    token = response.context["form"].data["kept_files"]
    assert client.post(url, form_data(organ, kept_files=token, drop_kept=["0"])).status_code == 302
    assert not Message.objects.latest("pk").attachment
    response = client.post(url, form_data(organ, phone="", email="", attachment=SimpleUploadedFile(
        "旧.pdf", b"%PDF-1.4 old", content_type="application/pdf")), REMOTE_ADDR="10.9.9.2")
    token = response.context["form"].data["kept_files"]
    assert client.post(url, form_data(organ, kept_files=token, attachment=SimpleUploadedFile(
        "新.pdf", b"%PDF-1.4 new", content_type="application/pdf")), REMOTE_ADDR="10.9.9.2").status_code == 302
    assert Message.objects.latest("pk").attachment.read() == b"%PDF-1.4 new"


@pytest.mark.django_db
def test_length_cap_and_bad_attachment(client, organ):
    url = reverse("participation:message_create")
    response = client.post(url, form_data(organ, body="字" * 2001))
    assert response.status_code == 400 and "不能超过2000字" in response.content.decode()
    exe = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, form_data(organ, attachment=exe))
    assert response.status_code == 400 and "格式不支持" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_challenge_then_rate_limit_by_client_address(client, organ, settings):
    url = reverse("participation:message_create")
    for _ in range(2):
        assert client.post(url, form_data(organ), REMOTE_ADDR="198.51.100.7").status_code == 302
    page = client.get(url, REMOTE_ADDR="198.51.100.7").content.decode()
    assert "验证问题" in page
    refused = client.post(url, form_data(organ), REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 400 and "请回答验证问题" in refused.content.decode()
    # A forwarded-for header does not reset anything; another real address is not challenged.
    assert "验证问题" in client.get(url, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4").content.decode()
    assert "验证问题" not in client.get(url, REMOTE_ADDR="198.51.100.8").content.decode()
    from gongkai.participation.forms.messages import MESSAGE_THROTTLE

    for _ in range(10):
        MESSAGE_THROTTLE.hit("198.51.100.7")
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_tracking_is_throttled_against_guessing(client):
    from gongkai.participation.forms.messages import TRACK_THROTTLE

    url = reverse("participation:message_track")
    for i in range(TRACK_THROTTLE.limit):  # a new code each time: the per-address limit, not the per-code one
        assert client.post(url, {"code": f"LYAAAAAAAA{i:02d}", "check": "1234"}).status_code == 400
    assert client.post(url, {"code": "LYAAAAAAAAZZ", "check": "1234"}).status_code == 429


@pytest.mark.django_db
def test_published_messages_are_masked_and_behind_one_door(client, organ, handler, approver):
    public = replied(organ, handler, approver)
    private = replied(organ, handler, approver, subject="不公开的留言标题")
    Message.objects.filter(pk=private.pk).update(may_publish=False, is_published=False)
    pending = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject="待办理的留言标题", body="内容",
                                 phone="13900000000")
    listing = client.get(reverse("participation:messages")).content.decode()
    assert public.public_subject in listing
    assert "不公开的留言标题" not in listing and "待办理的留言标题" not in listing
    detail = client.get(public.get_absolute_url()).content.decode()
    for secret in ("张三", "13812345678", "130602199001011234"):
        assert secret not in detail
    assert "张某" in detail and "请携带身份证办理" in detail
    for hidden in (private, pending):
        assert client.get(reverse("participation:message_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("participation:messages") + "?q=13812345678").context["page"].paginator.count == 0
    assert client.get(reverse("participation:messages") + "?q=提取").context["page"].paginator.count == 1
    stats = client.get(reverse("participation:message_stats"))
    assert stats.status_code == 200 and organ.name in stats.content.decode()


@pytest.mark.django_db
def test_suggestions_json(client, organ, handler, approver):
    entry = usable_answer(organ, handler, approver)
    draft = answer_svc.answer_create(actor=handler, organ=organ,
                                     data={"question": "租房提取公积金的草稿问题", "answer": "草稿"})
    data = json.loads(client.get(reverse("participation:message_suggest") + "?q=租房提取公积金").content)
    urls = [r["url"] for r in data["results"]]
    assert entry.get_absolute_url() in urls and draft.get_absolute_url() not in urls
    assert json.loads(client.get(reverse("participation:message_suggest") + "?q=x").content)["results"] == []


@pytest.mark.django_db
def test_qa_pages_one_door_and_structured_data(client, organ, handler, approver):
    entry = usable_answer(organ, handler, approver)
    draft = answer_svc.answer_create(actor=handler, organ=organ, data={"question": "草稿问题", "answer": "草稿答复"})
    flagged = usable_answer(organ, handler, approver, question="待复核的问题")
    Answer.objects.filter(pk=flagged.pk).update(status=AnswerStatus.FLAGGED, flag_reason="依据已废止")
    listing = client.get(reverse("participation:qa"))
    html = listing.content.decode()
    assert entry.question in html and "草稿问题" not in html and "待复核的问题" not in html
    assert '"@type": "FAQPage"' in html
    detail = client.get(entry.get_absolute_url()).content.decode()
    ld = json.loads(detail.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["mainEntity"][0]["name"] == entry.question
    assert ld["mainEntity"][0]["acceptedAnswer"]["text"] == entry.answer
    for hidden in (draft, flagged):
        assert client.get(reverse("participation:qa_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("participation:qa") + "?q=租房合同").context["page"].paginator.count == 1
    assert client.get(reverse("participation:qa") + "?q=草稿").context["page"].paginator.count == 0


@pytest.mark.django_db
def test_status_shown_to_the_sender_never_says_under_review(client, organ, handler):
    m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject="问题", body="内容", phone="13812345678")
    svc.message_reply_draft(actor=handler, message=m, body="答复")
    svc.message_reply_submit(actor=handler, message=m)
    assert Message.objects.get().status == MessageStatus.REPLY_SUBMITTED
    client.post(reverse("participation:message_track"), {"code": m.receipt_code, "check": "5678"})
    html = client.get(reverse("participation:message_track_detail", args=[m.receipt_code])).content.decode()
    assert "办理中" in html and "答复" in html and "<div class=\"body-text\" data-reply>" not in html


@pytest.mark.django_db
def test_the_organ_field_is_the_core_organ_tree(client, organ):
    page = client.get(reverse("participation:message_create")).content.decode()
    assert "core/organ-tree.js" in page and "data-organ-count" in page and 'data-organ-tree="1"' in page
    assert f'data-path="{organ.path}"' in page and page.count("data-organ-picker") == 1
