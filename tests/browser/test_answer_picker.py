"""The 口径库 picker on an application's handling page, in chromium: the handler opens 作出答复,
the picker has already searched for the application's title, and one click inserts a reviewed answer
into the reasons (a draft entry is never offered); the reply to the applicant in the thread has its own."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.applications import services as app_svc
from gongkai.core.models import OrganKind, Role
from gongkai.participation.services import answers as answer_svc
from tests import factories

from .conftest import screenshot, wait_until
from .test_portal import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    cache.clear()


def test_handler_inserts_a_reviewed_answer_into_an_application_reply(live_server, page):
    gov = factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind=OrganKind.GOVERNMENT)
    organ = factories.OrganFactory(name="保定市财政局", short_name="财政局", code="11130600MA9999991X", parent=gov,
                                   phone="0312-1234567", address="保定市裕华路1号")
    author = factories.member(organ, Role.EDITOR, "kj_author")
    reviewer = factories.member(organ, Role.REVIEWER, "kj_reviewer")
    factories.member(organ, Role.HANDLER, "app_handler")
    usable = answer_svc.answer_create(actor=author, organ=organ, data={
        "question": "道路建设资金使用情况在哪里公开？", "answer": "道路建设资金使用情况已在本局财政预决算专栏主动公开。"})
    answer_svc.answer_submit(actor=author, answer=usable)
    answer_svc.answer_review(actor=reviewer, answer=usable, approve=True)
    answer_svc.answer_create(actor=author, organ=organ, data={
        "question": "道路建设资金草稿口径", "answer": "尚未审核的口径不应出现。"})
    app = app_svc.application_submit(organ=organ, data={
        "applicant_kind": "natural_person", "name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "13812345678", "email": "zhangsan@example.com", "address": "河北省保定市竞秀区东风路1号",
        "postcode": "071000", "title": "道路建设资金使用情况", "description": "申请公开道路建设资金的使用情况。",
        "delivery": "paper", "receive_via": "post"})
    base = live_server.url
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("用户名").fill("app_handler")
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")
    page.goto(f"{base}{reverse('applications:detail', args=[app.pk])}")
    page.locator("#act-determine summary").click()
    reasons = page.locator("#id_determine_reasons")
    reasons.fill("经查，")
    determine = page.locator("#act-determine")
    insert = determine.get_by_role("button", name="插入口径：道路建设资金使用情况在哪里公开？")
    insert.wait_for()
    assert page.get_by_text("尚未审核的口径不应出现。").count() == 0
    check_axe(page, "application-answer-picker")
    insert.click()
    wait_until(page, "document.getElementById('id_determine_reasons').value.includes('财政预决算专栏')")
    assert reasons.input_value() == "经查，\n\n道路建设资金使用情况已在本局财政预决算专栏主动公开。"
    # A search of its own: Enter searches and does not submit the reply form.
    query = determine.get_by_label("检索口径")
    query.fill("没有这样的口径")
    query.press("Enter")
    determine.get_by_text("口径库中没有找到相关的已审核口径。").wait_for()
    assert determine.get_attribute("open") is not None
    # The reply to the applicant in the thread offers the same reviewed answer, inserted into its own box.
    thread = page.locator("#thread")
    assert page.locator("[data-answer-picker-ready]").count() == 2  # the script is included twice, each set up once
    assert page.locator("#answer-picker-q-0").count() == 1 and page.locator("#answer-picker-q-1").count() == 1
    thread.get_by_role("button", name="插入口径：道路建设资金使用情况在哪里公开？").click()
    wait_until(page, "document.getElementById('reply-body').value.includes('财政预决算专栏')")
    assert page.locator("#reply-body").input_value() == "道路建设资金使用情况已在本局财政预决算专栏主动公开。"
    assert reasons.input_value() == "经查，\n\n道路建设资金使用情况已在本局财政预决算专栏主动公开。"
    screenshot(page, "applications-answer-picker")

