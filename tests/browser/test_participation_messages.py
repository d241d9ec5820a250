"""留言 end to end in chromium on a phone-sized screen: a record's 纠错/留言 link → a suggested answer →
send anyway → follow with the receipt code; staff reply using a 口径库 entry, a reviewer approves,
the reply appears on /messages/ masked; the citizen rates it."""

import pytest
from django.core.cache import cache

from gongkai.core.models import OrganKind, Role
from gongkai.participation.models import Message, MessageStatus
from gongkai.participation.services import answers as answer_svc
from tests import factories

from .conftest import screenshot
from .test_portal import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    cache.clear()


def _login(page, base, username):
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")


def test_ask_answer_review_publish_masked_and_rate(live_server, browser):
    gov = factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind=OrganKind.GOVERNMENT)
    organ = factories.OrganFactory(name="保定市住房公积金管理中心", short_name="公积金中心",
                                   code="11130600MA9999991X", parent=gov)
    handler = factories.member(organ, Role.EDITOR, "handler")
    reviewer = factories.member(organ, Role.REVIEWER, "reviewer")
    policy = factories.RecordFactory(organ=organ, published=True, title="保定市住房公积金提取管理办法")
    entry = answer_svc.answer_create(actor=handler, organ=organ, bases=[(policy, "第十二条")], data={
        "question": "租房提取住房公积金需要什么材料？", "phrasings": "租房怎么提取公积金",
        "answer": "租房提取住房公积金，请携带本人身份证和租房合同到公积金中心办理。"})
    answer_svc.answer_submit(actor=handler, answer=entry)
    answer_svc.answer_review(actor=reviewer, answer=entry, approve=True)
    base = live_server.url

    # The citizen, on a phone, opens the record and follows its 纠错/留言 link.
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}{policy.get_absolute_url()}")
    assert page.get_by_role("link", name="租房提取住房公积金需要什么材料？").is_visible()  # the record's Q&A
    page.get_by_role("link", name="纠错/留言").click()
    page.wait_for_selector("h1:has-text('纠错/留言')")
    check_axe(page, "message-form")
    # The organ tree's filter is the core one: typing a name chooses the single matching organ.
    page.locator("select[data-organ-tree]").select_option(str(gov.pk))
    page.get_by_label("按名称查找机关").fill("公积金")
    assert page.locator("[data-organ-count]").inner_text() == "找到 1 个机关"
    assert page.locator("select[data-organ-tree]").input_value() == str(organ.pk)
    # Typing the subject shows an answer that may already answer it.
    page.get_by_label("咨询", exact=True).check()
    page.get_by_label("标题").fill("租房提取公积金")
    suggestion = page.locator("[data-suggestion-list] a", has_text="租房提取住房公积金需要什么材料？")
    suggestion.wait_for()
    screenshot(page, "participation-message-suggestion")
    # They send their question anyway.
    page.get_by_label("留言内容").fill("我叫张三，电话13812345678。我是灵活就业人员，租房提取公积金还需要婚姻证明吗？")
    page.get_by_label("姓名（可选，不公开）").fill("张三")
    page.get_by_label("联系电话（不公开）").fill("13812345678")
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_selector("h1:has-text('留言已提交')")
    check_axe(page, "message-receipt")
    code = page.locator("[data-receipt-code]").inner_text()
    message = Message.objects.get(receipt_code=code)
    assert message.record == policy and message.organ == organ

    # A new visit: follow the message with the receipt code and the last four digits.
    page.context.clear_cookies()
    page.goto(f"{base}/messages/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("联系电话后四位或电子邮箱").fill("5678")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("h1:has-text('留言办理情况')")
    assert "待办理" in page.locator("[data-status]").inner_text()

    # Staff reply with the 口径库 entry inserted in one click; a reviewer approves.
    staff = browser.new_context(locale="zh-CN")
    desk = staff.new_page()
    desk.set_default_timeout(15000)
    _login(desk, base, "handler")
    desk.get_by_role("link", name="留言办理").first.click()
    desk.wait_for_url(f"{base}/workspace/participation/messages/")
    check_axe(desk, "message-inbox")
    desk.get_by_role("link", name=code).click()
    desk.get_by_label("答复内容").fill("张三您好：")
    desk.get_by_role("button", name="插入口径：租房提取住房公积金需要什么材料？").click()
    assert "请携带本人身份证和租房合同" in desk.get_by_label("答复内容").input_value()
    check_axe(desk, "message-detail")
    desk.get_by_role("button", name="保存并提交审核").click()
    desk.wait_for_selector("text=答复已提交审核")
    desk.get_by_role("button", name="退出登录").click()
    _login(desk, base, "reviewer")
    desk.goto(f"{base}/workspace/participation/messages/{message.pk}/")
    desk.get_by_label("同意答复").check()
    desk.get_by_role("button", name="提交审核意见").click()
    desk.wait_for_selector("text=答复已审核通过")
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED and list(message.replies.get().answers_used.all()) == [entry]
    staff.close()

    # The reply is on /messages/, masked.
    page.goto(f"{base}/messages/")
    page.get_by_role("link", name="租房提取公积金").click()
    page.wait_for_selector("[data-reply-body]")
    check_axe(page, "message-public")
    text = page.locator("main").inner_text()
    assert "张某" in text and "请携带本人身份证和租房合同" in text
    assert "张三" not in text and "13812345678" not in text
    screenshot(page, "participation-message-public")

    for path, name in (("/messages/", "message-list"), ("/messages/stats/", "message-stats"),
                       ("/qa/", "qa-list"), (entry.get_absolute_url(), "qa-detail")):
        page.goto(f"{base}{path}")
        check_axe(page, name)
    assert "租房提取住房公积金需要什么材料？" in page.locator("h1").inner_text()

    # The citizen rates the reply.
    page.goto(f"{base}/messages/track/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_label("联系电话后四位或电子邮箱").fill("5678")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-reply]")
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector("[data-rating]")
    message.refresh_from_db()
    assert message.rating == "satisfied"
    phone.close()
