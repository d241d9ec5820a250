"""An editor drafts, a reviewer approves, the record is public; withdrawn, it disappears."""

import pytest

from gongkai.records.models import Record, Status

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, username):
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")


def _logout(page):
    page.get_by_role("button", name="退出登录").click()


def test_editor_drafts_reviewer_approves_public_then_withdrawn(live_server, page, editor, reviewer, organ, genre):
    base = live_server.url
    _login(page, base, "editor")
    page.get_by_role("link", name="新建信息").click()
    page.get_by_label("标题").fill("关于做好2025年政务公开工作的通知")
    page.get_by_label("发文字号").fill("保政办函[2025]7号")
    page.get_by_label("体裁").select_option(label="行政规范性文件")
    page.get_by_label("成文日期").fill("2025-03-01")
    page.get_by_label("正文").fill("<p>各县（市、区）人民政府，市政府各部门：浏览器测试正文。</p>")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_selector("text=已保存草稿")
    screenshot(page, "workspace-draft")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("#record-status:has-text('待审核')")
    record = Record.objects.get()
    assert record.doc_no == "保政办函〔2025〕7号"
    _logout(page)

    _login(page, base, "reviewer")
    page.get_by_role("link", name="待审核").first.click()
    page.get_by_role("link", name="关于做好2025年政务公开工作的通知").click()
    page.get_by_label("同意公开").check()
    page.get_by_label("发布方式").select_option("now")
    screenshot(page, "workspace-review")
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_selector("#record-status:has-text('已发布')")
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED

    page.get_by_role("link", name="查看公开页面").click()
    page.wait_for_selector("h1:has-text('关于做好2025年政务公开工作的通知')")
    assert page.get_by_text("浏览器测试正文").is_visible()
    assert page.get_by_text(record.index_no).is_visible()
    screenshot(page, "portal-record")
    public_url = page.url

    page.goto(f"{base}/workspace/records/{record.pk}/")
    page.get_by_label("撤回原因").fill("政策已调整")
    page.get_by_role("button", name="撤回").click()
    page.wait_for_selector("#record-status:has-text('已撤回')")
    response = page.goto(public_url)
    assert response.status == 410
    assert page.get_by_text("政策已调整").is_visible()
    assert page.get_by_text("浏览器测试正文").count() == 0
