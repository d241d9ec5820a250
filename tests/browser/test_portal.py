"""A citizen browses the portal in chromium: home → column → catalog → record → interpretation.

Every page type is checked with axe-core (no serious or critical WCAG 2.1 AA
violation), screenshotted into test-artifacts/, and the 适老化 mode is switched on
and remembered; the site also works with JavaScript off and by keyboard alone.
"""

import re

import pytest
from playwright.sync_api import expect

from gongkai.records.models import Record, Status
from tests.portal.world import build_site

from .conftest import load_axe, screenshot, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


def check_axe(page, name: str) -> None:
    """Run axe-core on the page as loaded; the caller waits for any navigation first."""
    page.wait_for_load_state()
    load_axe(page)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {n['html'][:200]}" for n in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"axe-core on {name}:\n{report}"


def visit(page, name: str) -> None:
    page.wait_for_load_state()
    check_axe(page, name)
    screenshot(page, f"portal-{name}")


def test_browse_home_column_catalog_record_interpretation(live_server, page):
    site = build_site()
    base = live_server.url
    page.goto(base + "/")
    visit(page, "home")

    page.locator("#organs").get_by_role("link", name="保定市人民政府", exact=True).click()
    page.wait_for_selector("text=政府信息公开专栏")
    visit(page, "organ")

    page.get_by_role("navigation", name="专栏栏目").get_by_role("link", name="法定主动公开内容").click()
    page.wait_for_selector("h1:has-text('法定主动公开内容')")
    visit(page, "organ-catalog")

    page.locator(".catalog-tree").get_by_role("link", name="行政规范性文件").click()
    page.wait_for_selector("h1:has-text('行政规范性文件')")
    visit(page, "catalog-entry")

    page.get_by_role("link", name=site.new_policy.title).first.click()
    page.wait_for_selector(f"h1:has-text('{site.new_policy.title}')")
    assert page.get_by_text(site.new_policy.index_no).is_visible()
    wait_until(page, "document.querySelector('.qr img').naturalWidth > 0")  # the QR code loads
    visit(page, "record")

    page.locator("#interp-title + ul").get_by_role("link", name=site.interp.title).click()
    page.wait_for_selector(f"h1:has-text('{site.interp.title}')")
    assert page.get_by_text("解读的文件").first.is_visible()
    visit(page, "interpretation")

    # 适老化 mode: switched on in place, remembered after a reload and on other pages.
    page.get_by_role("link", name="适老化模式").click()
    wait_until(page, "document.documentElement.classList.contains('a11y-text')")
    page.reload()
    assert "a11y-contrast" in page.evaluate("document.documentElement.className")
    font = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert font >= 20
    visit(page, "record-a11y")
    page.goto(base + "/policies/")
    assert "a11y-text" in page.evaluate("document.documentElement.className")
    visit(page, "policies-a11y")
    page.get_by_role("link", name="退出适老化模式").click()
    wait_until(page, "!document.documentElement.classList.contains('a11y-text')")


def test_every_page_type_passes_axe(live_server, page):
    site = build_site()
    withdrawn = site.annual
    Record.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN, withdrawal_reason="数据有误，已更正后另行发布")
    base = live_server.url
    pages = {
        "policies": "/policies/?validity=all",
        "records": "/records/?genre=normative",
        "gazettes": "/gazette/",
        "gazette-issue": f"/gazette/issue/{site.issue.pk}/",
        "guide": f"/organ/{site.gov.code}/guide/",
        "rules": f"/organ/{site.gov.code}/rules/",
        "reports": f"/organ/{site.gov.code}/annual-reports/",
        "apply": f"/organ/{site.gov.code}/apply/",
        "print": f"/record/{site.new_policy.pk}/print/",
        "feedback": f"/record/{site.new_policy.pk}/feedback/",
        "revised-record": site.old_policy.get_absolute_url(),
        "accessibility": "/a11y/",
        "withdrawn": withdrawn.get_absolute_url(),
        "not-found": "/record/999999/",
    }
    for name, path in pages.items():
        response = page.goto(base + path)
        expected = {"withdrawn": 410, "not-found": 404}.get(name, 200)
        assert response.status == expected, (name, response.status)
        visit(page, name)
    assert page.get_by_text("该信息不存在或尚未公开").is_visible()


def test_keyboard_alone_and_no_javascript(live_server, browser):
    site = build_site()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + site.new_policy.get_absolute_url())
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "跳到正文"
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"#main$"))  # the fragment's navigation may land a moment later
        # Without JavaScript the switch is a link: the server remembers the choice in a cookie.
        page.get_by_role("link", name="适老化模式").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(base + site.new_policy.get_absolute_url())
        assert "a11y-text" in (page.locator("html").get_attribute("class") or "")
        page.goto(base + "/a11y/")
        page.get_by_label("阅读指引（突出显示当前段落和焦点）").check()
        page.get_by_role("button", name="保存设置").click()
        expect(page.locator("html")).to_have_class(re.compile(r"\ba11y-guide\b"))
        screenshot(page, "portal-a11y-settings-nojs")
        page.goto(base + "/policies/")
        page.get_by_label("有效性").select_option("revised")
        page.get_by_role("button", name="检索").click()
        expect(page.get_by_role("link", name=site.old_policy.title)).to_be_visible()
    finally:
        context.close()
