"""The 口径库 picker on the application handling page: staff search reviewed entries and insert one."""

import pytest
from django.urls import reverse

from gongkai.applications import services as app_svc
from gongkai.core.models import Role
from gongkai.participation.services import answers as answer_svc
from tests import factories

pytestmark = pytest.mark.django_db


def _answer(organ, author, reviewer, question, text, *, approve=True):
    a = answer_svc.answer_create(actor=author, organ=organ, data={"question": question, "answer": text})
    if approve:
        answer_svc.answer_submit(actor=author, answer=a)
        answer_svc.answer_review(actor=reviewer, answer=a, approve=True)
    return a


def test_application_page_offers_the_picker_and_the_search_returns_usable_entries_only(client, organ, other_organ):
    author = factories.member(organ, Role.EDITOR, "kj_author")
    reviewer = factories.member(organ, Role.REVIEWER, "kj_reviewer")
    handler = factories.member(organ, Role.HANDLER, "app_handler")
    usable = _answer(organ, author, reviewer, "道路建设资金使用情况在哪里公开？", "已在财政预决算专栏主动公开。")
    draft = _answer(organ, author, reviewer, "道路建设资金草稿口径", "尚未审核的口径。", approve=False)
    app = app_svc.application_submit(organ=organ, data={
        "applicant_kind": "natural_person", "name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "13812345678", "email": "zhangsan@example.com", "address": "河北省保定市竞秀区东风路1号",
        "postcode": "071000", "title": "道路建设资金使用情况", "description": "申请公开道路建设资金的使用情况。",
        "delivery": "paper", "receive_via": "post"})
    client.force_login(handler)
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    search_url = reverse("participation_staff:answer_search")
    assert "data-answer-picker" in page and f'data-search-url="{search_url}"' in page
    assert 'data-target="id_determine_reasons"' in page and 'id="id_determine_reasons"' in page
    assert "participation/answer_picker.js" in page
    thread = page[page.index('id="thread"'):]
    assert 'data-target="reply-body"' in thread and 'id="reply-body"' in thread  # also on the reply to the applicant
    found = client.get(search_url, {"q": "道路建设资金"}).json()["results"]
    assert [r["id"] for r in found] == [usable.pk]
    assert found[0]["answer"] == "已在财政预决算专栏主动公开。" and draft.pk not in [r["id"] for r in found]


def test_answer_search_refuses_staff_without_a_role_that_reads_the_knowledge_base(client, organ):
    viewer = factories.UserFactory(username="plain_staff", is_staff=True)
    client.force_login(viewer)
    assert client.get(reverse("participation_staff:answer_search"), {"q": "资金"}).status_code in (403, 302)


def test_a_record_page_lists_its_public_qa_with_faqpage_structured_data(client, organ):
    import json

    author = factories.member(organ, Role.EDITOR, "ld_author")
    reviewer = factories.member(organ, Role.REVIEWER, "ld_reviewer")
    policy = factories.RecordFactory(organ=organ, published=True, title="保定市住房公积金提取管理办法")
    bare = factories.RecordFactory(organ=organ, published=True, title="没有问答的文件")
    entry = answer_svc.answer_create(actor=author, organ=organ, bases=[(policy, "第十二条")], data={
        "question": "租房提取公积金需要什么材料？", "answer": "请携带身份证和租房合同<b>办理</b>。"})
    answer_svc.answer_submit(actor=author, answer=entry)
    answer_svc.answer_review(actor=reviewer, answer=entry, approve=True)
    answer_svc.answer_create(actor=author, organ=organ, bases=[(policy, "")], data={
        "question": "草稿问答不上页面", "answer": "草稿。"})
    html = client.get(policy.get_absolute_url()).content.decode()
    assert "相关政策问答" in html and "草稿问答不上页面" not in html
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "FAQPage" and [q["name"] for q in ld["mainEntity"]] == [entry.question]
    assert ld["mainEntity"][0]["acceptedAnswer"]["text"] == "请携带身份证和租房合同办理。"
    assert ld["mainEntity"][0]["url"].endswith(entry.get_absolute_url())
    assert "application/ld+json" not in client.get(bare.get_absolute_url()).content.decode()
