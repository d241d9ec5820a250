"""Nothing non-public of the message box or the 口径库 reaches a public page, sitemap, search or suggestion.

Hidden messages, unreviewed replies, rejected and unconsented messages, draft / submitted /
flagged / retired / internal / expired Q&A entries and every sender's contact data are tried
through every public URL."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.participation.models import Answer, AnswerStatus, Message, MessageKind
from gongkai.participation.services import answers as answer_svc
from gongkai.participation.services import messages as svc
from tests import factories

pytestmark = pytest.mark.django_db

CONTACT = {"name": "王小明", "phone": "13912345678", "email": "MARKEREMAIL@example.org"}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    cache.clear()


def _send(organ, subject, **kw):
    data = {"kind": MessageKind.CONSULT, "body": f"我叫王小明，电话13912345678，问题{subject}", "may_publish": True,
            **CONTACT}
    data.update(kw)
    return svc.message_submit(organ=organ, subject=subject, **data)


@pytest.fixture
def world(organ):
    handler = factories.member(organ, Role.EDITOR, "door_handler")
    approver = factories.member(organ, Role.REVIEWER, "door_reviewer")
    policy = factories.RecordFactory(organ=organ, published=True, title="公积金管理办法")

    def reply(m, body, approve=True, publish=True, submit=True):
        svc.message_reply_draft(actor=handler, message=m, body=body)
        if submit:
            svc.message_reply_submit(actor=handler, message=m)
            if approve:
                svc.message_reply_review(actor=approver, message=m, approve=True, publish=publish)

    public = _send(organ, "公开的留言标题")
    reply(public, "王小明您好：公开的答复。")
    hidden = {
        "RECEIVED": _send(organ, "MARKERRECEIVED"),
        "DRAFTREPLY": _send(organ, "MARKERDRAFTREPLY"),
        "UNREVIEWED": _send(organ, "MARKERUNREVIEWED"),
        "NOCONSENT": _send(organ, "MARKERNOCONSENT", may_publish=False),
        "DECLINED": _send(organ, "MARKERDECLINED"),
        "HIDDEN": _send(organ, "MARKERHIDDEN"),
        "REJECTED": _send(organ, "MARKERREJECTED"),
        "REOPENED": _send(organ, "MARKERREOPENED"),
    }
    reply(hidden["DRAFTREPLY"], "MARKERDRAFTREPLYBODY", submit=False)
    reply(hidden["UNREVIEWED"], "MARKERUNREVIEWEDBODY", approve=False)
    reply(hidden["NOCONSENT"], "MARKERNOCONSENTBODY")
    reply(hidden["DECLINED"], "MARKERDECLINEDBODY", publish=False)
    reply(hidden["HIDDEN"], "MARKERHIDDENBODY")
    svc.message_set_hidden(actor=approver, message=hidden["HIDDEN"], hidden=True, reason="不宜公开")
    svc.message_reject(actor=handler, message=hidden["REJECTED"], reason="广告")
    reply(hidden["REOPENED"], "MARKERREOPENEDBODY")
    svc.message_rate(message=hidden["REOPENED"], rating="dissatisfied", reason="不清楚")

    def entry(question, submit=True, approve=True, **data):
        a = answer_svc.answer_create(actor=handler, organ=organ, bases=[(policy, "第三条")],
                                     data={"question": question, "answer": f"{question}的答复", **data})
        if submit:
            answer_svc.answer_submit(actor=handler, answer=a)
            if approve:
                answer_svc.answer_review(actor=approver, answer=a, approve=True)
        a.refresh_from_db()
        return a

    qa = entry("公开的公积金问答")
    hidden_qa = {
        "DRAFT": entry("MARKERQADRAFT", submit=False),
        "SUBMITTED": entry("MARKERQASUBMITTED", approve=False),
        "INTERNAL": entry("MARKERQAINTERNAL", is_public=False),
        "EXPIRED": entry("MARKERQAEXPIRED", valid_until=dt.date(2020, 1, 1)),
        "FLAGGED": entry("MARKERQAFLAGGED"),
        "RETIRED": entry("MARKERQARETIRED"),
    }
    Answer.objects.filter(pk=hidden_qa["FLAGGED"].pk).update(status=AnswerStatus.FLAGGED, flag_reason="依据已废止")
    answer_svc.answer_retire(actor=handler, answer=hidden_qa["RETIRED"], reason="停用")
    return {"public": public, "hidden": hidden, "qa": qa, "hidden_qa": hidden_qa, "policy": policy}


def _assert_clean(body: str):
    assert "MARKER" not in body, body[body.find("MARKER") - 80: body.find("MARKER") + 40]
    assert "13912345678" not in body and "王小明" not in body


def test_public_pages_show_only_public(client, world):
    urls = [
        reverse("participation:messages"),
        reverse("participation:messages") + "?q=markerdeclined",
        reverse("participation:messages") + "?q=markerhidden",
        reverse("participation:messages") + "?kind=consult",
        reverse("participation:message_detail", args=[world["public"].pk]),
        reverse("participation:message_stats"),
        reverse("participation:message_create"),
        reverse("participation:message_suggest") + "?q=markerdeclined问题",
        reverse("participation:qa"),
        reverse("participation:qa") + "?q=markerqa",
        reverse("participation:qa_detail", args=[world["qa"].pk]),
        reverse("portal:record", args=[world["policy"].pk]),
        reverse("portal:sitemap", args=["messages"]),
        reverse("portal:sitemap", args=["qa"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response.content.decode())
    assert world["public"].public_subject in client.get(reverse("participation:messages")).content.decode()
    record_page = client.get(reverse("portal:record", args=[world["policy"].pk])).content.decode()
    assert "公开的公积金问答" in record_page
    assert world["qa"].get_absolute_url() in client.get(reverse("portal:sitemap", args=["qa"])).content.decode()
    assert world["public"].get_absolute_url() in client.get(
        reverse("portal:sitemap", args=["messages"])).content.decode()


def test_every_message_and_entry_id_is_public_or_404(client, world):
    public_messages = set(Message.objects.public().values_list("pk", flat=True))
    assert public_messages == {world["public"].pk}
    for pk in range(1, max(Message.objects.values_list("pk", flat=True)) + 3):
        response = client.get(reverse("participation:message_detail", args=[pk]))
        assert response.status_code == (200 if pk in public_messages else 404), pk
        _assert_clean(response.content.decode())
    public_qa = set(Answer.objects.public().values_list("pk", flat=True))
    assert public_qa == {world["qa"].pk}
    for pk in range(1, max(Answer.objects.values_list("pk", flat=True)) + 3):
        response = client.get(reverse("participation:qa_detail", args=[pk]))
        assert response.status_code == (200 if pk in public_qa else 404), pk
        _assert_clean(response.content.decode())


def test_tracking_pages_need_the_code_and_the_contact(client, world):
    m = world["hidden"]["UNREVIEWED"]
    assert client.get(reverse("participation:message_track_detail", args=[m.receipt_code])).status_code == 404
    receipt = client.get(reverse("participation:message_receipt", args=[m.receipt_code]))  # to the lookup form
    assert receipt.status_code == 302 and receipt["Location"].startswith(reverse("participation:message_track"))
    assert client.post(reverse("participation:message_rate", args=[m.receipt_code]),
                       {"rating": "satisfied"}).status_code == 404
    response = client.post(reverse("participation:message_track"), {"code": m.receipt_code, "check": "0000"})
    assert response.status_code == 400
    # Even the sender does not see a reply before it is approved.
    client.post(reverse("participation:message_track"), {"code": m.receipt_code, "check": "5678"})
    body = client.get(reverse("participation:message_track_detail", args=[m.receipt_code])).content.decode()
    assert "MARKERUNREVIEWEDBODY" not in body


def test_staff_pages_are_not_public(client, world):
    for url in (reverse("participation_staff:inbox"), reverse("participation_staff:answers"),
                reverse("participation_staff:message", args=[world["public"].pk]),
                reverse("participation_staff:answer_export")):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_api_shows_only_public_messages_and_answers(client, world, settings):
    settings.GONGKAI_API_RATE = 0
    for url in ["/api/v1/messages", "/api/v1/qa", "/api/v1/qa?q=markerqa", "/api/v1/qa?q=markerdeclined"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response.content.decode())
    assert [m["id"] for m in client.get("/api/v1/messages").json()] == [world["public"].pk]
    assert world["qa"].pk in [a["id"] for a in client.get("/api/v1/qa").json()]
