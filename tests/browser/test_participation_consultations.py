"""意见征集 and 会议开放 end to end in chromium: a citizen comments on a phone-sized screen; staff
moderate, close, write the feedback and publish it; the citizen finds the disposition with the
receipt code. An open day passes 保密审查 in the workspace, a citizen applies to attend and staff accept."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.core.models import OrganKind, Role
from gongkai.participation.models import (
    Comment,
    Consultation,
    ConsultationStatus,
    FeedbackStatus,
    Meeting,
    Registration,
    RegistrationStatus,
)
from gongkai.participation.services import concerns as concern_svc
from gongkai.participation.services import consultations as svc
from gongkai.participation.services import meetings as meeting_svc
from gongkai.records.models import Record
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


@pytest.fixture
def people():
    gov = factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind=OrganKind.GOVERNMENT)
    organ = factories.OrganFactory(name="保定市城市管理综合行政执法局", short_name="市城管局",
                                   code="11130600MA9999991X", parent=gov)
    # A live-server test runs after others have flushed the database: the genre a migration
    # creates for published feedback is made here if it is gone.
    factories.GenreFactory(code="notice", name="通知公告")
    return {"organ": organ, "editor": factories.member(organ, Role.EDITOR, "editor"),
            "reviewer": factories.member(organ, Role.REVIEWER, "reviewer")}


def _login(page, base, username):
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")


def _phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _staff(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def test_comment_moderate_close_feedback_and_find_the_disposition(live_server, browser, people):
    organ, editor, reviewer = people["organ"], people["editor"], people["reviewer"]
    today = timezone.localdate()
    c = svc.consultation_create(actor=editor, organ=organ, data={
        "kind": "regulation", "title": "关于《保定市户外广告设施管理办法（征求意见稿）》公开征求意见的公告",
        "purpose": "为规范户外广告设施设置，拟制定本办法，现向社会公开征求意见。",
        "draft_text": "<p>第一条 为了规范户外广告设施设置管理，制定本办法。</p>",
        "starts_on": today, "ends_on": today + dt.timedelta(days=30), "allow_anonymous": True,
        "channel_email": "cgj@example.org"}, sections=[{"heading": "第三条", "text": "设置户外广告设施应当符合规划。"}])
    svc.consultation_submit(actor=editor, consultation=c)
    svc.consultation_review(actor=reviewer, consultation=c, decision="approved", opinion="经审查，不涉密。",
                            publish_now=True)
    base = live_server.url

    # A citizen on a phone finds the consultation and comments on 第三条.
    page = _phone(browser)
    page.goto(f"{base}/consultations/")
    check_axe(page, "consultation-list")
    page.get_by_role("link", name=c.title).click()
    page.wait_for_selector("h1:has-text('户外广告设施管理办法')")
    check_axe(page, "consultation-detail")
    page.get_by_role("link", name="我要提意见").first.click()
    page.wait_for_selector("h1:has-text('提交意见')")
    check_axe(page, "consultation-comment-form")
    # A missing name is refused and nothing typed is lost.
    page.get_by_label("意见针对").select_option(label="第三条")
    page.get_by_label("意见内容").fill("建议第三条增加“不得遮挡建筑物窗户”。我叫李明，电话13912345678。")
    page.locator("input[name=attachment]").set_input_files(
        {"name": "详细意见.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 details"})
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_selector("text=请填写姓名或单位名称")
    assert "不得遮挡建筑物窗户" in page.get_by_label("意见内容").input_value()
    # The attachment is kept: listed as attached, not chosen again.
    assert page.get_by_label("详细意见.pdf").is_visible() and not page.get_by_label("详细意见.pdf").is_checked()
    assert page.locator("fieldset:has(input[name=drop_kept]) legend").inner_text().startswith("已附文件")
    check_axe(page, "consultation-comment-form-error")  # the error list and the kept-file box are accessible too
    page.get_by_label("姓名或单位").fill("李明")
    page.get_by_label("电子邮箱（选填，不公开）").fill("liming@example.org")
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_selector("h1:has-text('意见已提交')")
    check_axe(page, "consultation-comment-receipt")
    screenshot(page, "participation-consultation-receipt")
    code = page.locator("[data-receipt-code]").inner_text().strip()
    comment = Comment.objects.get(receipt_code=code)
    assert comment.section.heading == "第三条" and comment.email == "liming@example.org"
    assert comment.attachment.read() == b"%PDF-1.4 details"

    # The period ends (the scheduled job has not run yet).
    Consultation.objects.filter(pk=c.pk).update(starts_on=today - dt.timedelta(days=31), ends_on=today - dt.timedelta(days=1))

    # The editor shows the comment (masked); the reviewer closes the consultation.
    staff = _staff(browser)
    _login(staff, base, "editor")
    staff.goto(f"{base}/workspace/participation/consultations/{c.pk}/")
    row = staff.locator(f"form[aria-label='审核意见{code}']")
    row.get_by_label("公开显示", exact=True).check()
    row.get_by_role("button", name="保存审核").click()
    staff.wait_for_selector("text=已审核")
    check_axe(staff, "consultation-staff-detail")
    staff.context.clear_cookies()
    _login(staff, base, "reviewer")
    staff.goto(f"{base}/workspace/participation/consultations/{c.pk}/")
    staff.get_by_role("button", name="结束征集").click()
    staff.wait_for_selector("text=意见征集已结束")
    assert Consultation.objects.get(pk=c.pk).status == ConsultationStatus.CLOSED

    # The editor answers the comment and writes the feedback.
    staff.context.clear_cookies()
    _login(staff, base, "editor")
    staff.goto(f"{base}/workspace/participation/consultations/{c.pk}/")
    answer = staff.locator(f"form[aria-label='答复意见{code}']")
    answer.get_by_label("采纳情况").select_option(label="采纳")
    answer.get_by_label("理由").fill("已在第三条中增加相应规定。")
    answer.get_by_role("button", name="保存答复").click()
    staff.wait_for_selector("text=的采纳情况已保存")
    feedback = staff.locator("form[aria-label='撰写采纳情况反馈']")
    feedback.get_by_label("主要意见").fill("公众主要关注户外广告设施对居民生活的影响。")
    feedback.get_by_label("草案修改情况").fill("第三条增加不得遮挡建筑物窗户的规定。")
    feedback.get_by_role("button", name="保存反馈").click()
    staff.wait_for_selector("text=采纳情况反馈已保存")
    staff.get_by_role("button", name="反馈提交审核").click()
    staff.wait_for_selector("text=采纳情况反馈已提交审核")

    # The reviewer approves: the feedback is published on the page and as a record.
    staff.context.clear_cookies()
    _login(staff, base, "reviewer")
    staff.goto(f"{base}/workspace/participation/consultations/{c.pk}/")
    review = staff.locator("form[aria-label='审核采纳情况反馈']")
    review.get_by_label("同意公开").check()
    review.get_by_role("button", name="提交审核意见（通过即发布）").click()
    # Publishing also publishes the feedback as a record (index, caches, mails): the slowest step.
    try:
        staff.wait_for_selector("text=采纳情况反馈已发布", timeout=45000)
    except Exception as exc:
        raise AssertionError("反馈未发布，页面显示：\n" + staff.locator("main").inner_text()[:1500]) from exc
    c.refresh_from_db()
    assert c.feedback.status == FeedbackStatus.PUBLISHED
    assert Record.objects.public().filter(pk=c.feedback.record_id).exists()

    # The citizen, in a new visit, finds the disposition with the receipt code.
    page.context.clear_cookies()
    page.goto(f"{base}/consultations/lookup/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-disposition]")
    assert "采纳" in page.locator("[data-disposition]").inner_text()
    assert "已在第三条中增加相应规定" in page.locator("[data-disposition]").inner_text()
    check_axe(page, "consultation-lookup")
    screenshot(page, "participation-consultation-disposition")
    # The public page shows the feedback and the masked comment, never the name or phone.
    page.goto(f"{base}/consultations/{c.pk}/")
    body = page.content()
    assert "意见采纳情况反馈" in body and "李某" in body
    assert "李明" not in body and "13912345678" not in body and "liming@example.org" not in body


def test_apply_to_attend_an_open_day_and_staff_accept(live_server, browser, people):
    organ, editor = people["organ"], people["editor"]
    meeting = meeting_svc.meeting_create(actor=editor, organ=organ, data={
        "kind": "open_day", "title": "政务开放日·走进城市管理指挥中心", "place": "保定市城市管理指挥中心",
        "starts_at": timezone.now() + dt.timedelta(days=10), "topics": "参观指挥大厅\n座谈交流",
        "attendance_open": True, "places": 20, "how_to_apply": "年满18周岁的市民均可报名。"})
    base = live_server.url

    # The editor sends it to 保密审查 and cannot approve it; the reviewer approves, which publishes it.
    staff = _staff(browser)
    _login(staff, base, "editor")
    staff.goto(f"{base}/workspace/participation/meetings/{meeting.pk}/")
    staff.get_by_role("button", name="提交审核").click()
    staff.wait_for_selector("text=已提交审核。")
    assert staff.locator("form[aria-label='保密审查']").count() == 0
    assert not Meeting.objects.public().filter(pk=meeting.pk).exists()
    review = _staff(browser)
    _login(review, base, "reviewer")
    review.goto(f"{base}/workspace/participation/meetings/{meeting.pk}/")
    form = review.locator("form[aria-label='保密审查']")
    form.get_by_label("同意公开").check()
    check_axe(review, "meeting-staff-review")
    form.get_by_role("button", name="提交审核意见（通过即发布）").click()
    review.wait_for_selector("text=审核通过，已发布。")
    assert Meeting.objects.public().filter(pk=meeting.pk).exists()

    page = _phone(browser)
    page.goto(f"{base}/meetings/")
    check_axe(page, "meeting-list")
    page.get_by_role("link", name=meeting.title).click()
    page.wait_for_selector("h1:has-text('政务开放日')")
    check_axe(page, "meeting-detail")
    page.get_by_role("link", name="报名参加").click()
    page.wait_for_selector("h1:has-text('报名参加')")
    check_axe(page, "meeting-apply")
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("联系电话（不公开）").fill("13700001111")
    page.get_by_label("报名理由或关注的议题（选填）").fill("想了解城市管理如何处理市民投诉。")
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_selector("h1:has-text('报名已提交')")
    code = page.locator("[data-receipt-code]").inner_text().strip()
    assert Registration.objects.get(receipt_code=code).status == RegistrationStatus.PENDING

    staff.goto(f"{base}/workspace/participation/meetings/{meeting.pk}/")
    form = staff.locator(f"form[aria-label='处理{code}']")
    form.get_by_label("同意", exact=True).check()
    form.get_by_role("button", name="保存").click()
    staff.wait_for_selector("text=王芳的报名已同意")
    check_axe(staff, "meeting-staff-detail")

    page.context.clear_cookies()
    page.goto(f"{base}/meetings/lookup/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("报名电话的后四位").fill("1111")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-registration-status]")
    assert "已同意" in page.locator("[data-registration-status]").inner_text()
    check_axe(page, "meeting-lookup")


def test_decision_catalog_passes_review_before_it_is_public(live_server, browser, people):
    organ, editor = people["organ"], people["editor"]
    catalog = concern_svc.decision_catalog_create(actor=editor, organ=organ, year=2026,
                                                  title="保定市城市管理综合行政执法局2026年度重大行政决策事项目录")
    concern_svc.decision_item_save(actor=editor, catalog=catalog, data={
        "order": 1, "title": "城区集中供热价格调整", "status": "planned", "planned": "2026年第四季度"})
    base = live_server.url

    staff = _staff(browser)
    _login(staff, base, "editor")
    staff.goto(f"{base}/workspace/participation/decisions/{catalog.pk}/")
    staff.get_by_role("button", name="提交审核").click()
    staff.wait_for_selector("text=目录已提交审核。")
    assert staff.locator("form[aria-label='保密审查']").count() == 0  # the author cannot review it
    assert page_status(staff, f"{base}/decisions/{catalog.pk}/") == 404

    review = _staff(browser)
    _login(review, base, "reviewer")
    review.goto(f"{base}/workspace/participation/meetings/")
    review.get_by_role("link", name=catalog.title).click()
    form = review.locator("form[aria-label='保密审查']")
    form.get_by_label("同意公开").check()
    check_axe(review, "catalog-staff-review")
    form.get_by_role("button", name="提交审核意见（通过即公布）").click()
    review.wait_for_selector("text=审核通过，目录已公布。")

    page = _phone(browser)
    page.goto(f"{base}/decisions/{catalog.pk}/")
    page.wait_for_selector("text=城区集中供热价格调整")
    check_axe(page, "catalog-public")


def page_status(page, url: str) -> int:
    return page.request.get(url).status
