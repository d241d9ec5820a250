"""The site frame, a subsite and the policy library in chromium, on a desktop and a phone.

Each page is checked with axe-core (no serious or critical WCAG 2.1 AA violation) and
screenshotted into test-artifacts/ (portal-site-*.png).
"""

import pytest

from gongkai.core.models import Role
from gongkai.portal import services
from tests.factories import member
from tests.portal.world import build_site

from .conftest import screenshot
from .test_portal import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


@pytest.fixture
def framed(django_user_model):
    site = build_site()
    admin = django_user_model.objects.create_superuser("site-admin", "a@example.gov.cn", "pw-site-admin")
    services.site_settings_save(actor=admin, organ=None, data={
        "sponsor": "保定市人民政府办公室", "organizer": "保定市政务服务数据管理局", "contact_phone": "0312-5900000",
        "site_code": "1306000001", "icp": "冀ICP备05005123号", "police_record": "冀公网安备 13060202000123号",
        "conac_url": "https://bszs.conac.cn/sitename?id=1",
    })
    services.site_settings_save(actor=admin, organ=site.gov, data={
        "site_name": "保定市人民政府信息公开", "accent": "#1d4f91", "home_blocks": ["policies", "latest", "notices"],
    })
    site.office_user = member(site.gov, Role.OFFICE, "site-office")
    return site


def _visit(page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response.status == 200, (name, response.status)
    check_axe(page, name)
    screenshot(page, f"portal-site-{name}")


def test_frame_subsite_and_site_map_on_desktop(live_server, page, framed):
    base = live_server.url
    _visit(page, base + "/", "home")
    footer = page.locator("footer")
    assert "网站标识码：1306000001" in footer.inner_text() and "我为政府网站找错" in footer.inner_text()
    _visit(page, base + f"/organ/{framed.gov.code}/", "subsite")
    assert page.locator(".brand > span").last.inner_text().strip() == "保定市人民政府信息公开"
    accent = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert accent == "rgb(29, 79, 145)"  # the subsite's colour, from its stylesheet
    page.get_by_role("link", name="网站地图").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="网站地图", level=1).is_visible()
    check_axe(page, "site-map")
    screenshot(page, "portal-site-site-map")
    _visit(page, base + "/policies/?q=政府信息公开&validity=all", "policies-keyword")


def test_policy_library_and_subsite_on_a_phone(live_server, browser, framed):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _visit(page, live_server.url + "/policies/?validity=all", "phone-policies")
        assert page.locator("details.filter-panel").evaluate("d => d.open") is False  # folded on a phone
        first = page.locator("ul.list li").first
        assert first.bounding_box()["y"] < PHONE["height"]  # the first result is in view without scrolling
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.locator("details.filter-panel summary").click()
        assert page.locator("#id_topic").is_visible()
        _visit(page, live_server.url + f"/organ/{framed.gov.code}/", "phone-subsite")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()


def test_office_configures_its_subsite(live_server, page, framed):
    page.goto(live_server.url + "/workspace/login/")
    page.get_by_label("用户名").fill("site-office")
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    page.goto(live_server.url + f"/workspace/sites/{framed.gov.code}/")
    check_axe(page, "site-settings")
    page.get_by_label("网站标识码").fill("1306000009")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    screenshot(page, "portal-site-settings")
    page.goto(live_server.url + f"/organ/{framed.gov.code}/")
    assert "网站标识码：1306000009" in page.locator("footer").inner_text()


def test_versions_diff_and_gazette_pages(live_server, page, framed):
    from gongkai.records import gazette, versions

    editor = member(framed.gov, Role.EDITOR, "v-ed")
    reviewer = member(framed.gov, Role.REVIEWER, "v-rv")
    version = versions.record_version_open(actor=editor, record=framed.new_policy, reason="更正第二条")
    versions.record_version_update(actor=editor, version=version, title=framed.new_policy.title, summary="",
                                   body="<p>新规定正文（更正）。</p>")
    versions.record_version_submit(actor=editor, version=version)
    versions.record_version_review(actor=reviewer, version=version, approve=True)
    _visit(page, live_server.url + framed.new_policy.get_absolute_url(), "record-versions")
    page.get_by_role("link", name="与上一版比较").click()
    page.wait_for_load_state()
    assert page.locator("ins.diff-ins").first.inner_text() == "（更正）"
    check_axe(page, "record-diff")
    screenshot(page, "portal-site-record-diff")
    issue = gazette.gazette_issue_create(actor=editor, gazette=framed.gazette, year=2025, number=8,
                                         issued_on=framed.issue.issued_on)
    gazette.gazette_item_add(actor=editor, issue=issue, record=framed.new_policy, section="市政府文件")
    page.goto(live_server.url + "/workspace/login/")
    page.get_by_label("用户名").fill("v-ed")
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    _visit(page, live_server.url + f"/workspace/gazette/{issue.pk}/", "gazette-compose")
    _visit(page, live_server.url + "/workspace/gazette/", "gazette-list")


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/workspace/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")


def test_filing_rules_record_entries_and_gazette_drag(live_server, page, framed):
    from gongkai.records import gazette
    from gongkai.records.models import GazetteItem

    base = live_server.url
    editor = member(framed.gov, Role.EDITOR, "drag-ed")
    # The 公开办 edits an entry's filing rules.
    _login(page, base, "site-office")
    _visit(page, base + f"/workspace/catalog/{framed.catalog.pk}/", "catalog-rules")
    row = page.locator("tr", has_text="法定主动公开内容 › 政策文件 › 其他文件")
    row.get_by_role("link", name="修改规则").click()
    page.wait_for_load_state()
    check_axe(page, "catalog-entry-rules")
    page.get_by_label("关键词").fill("值班")
    page.get_by_role("button", name="保存规则").click()
    page.wait_for_load_state()
    screenshot(page, "portal-site-catalog-rules-saved")
    assert "归档规则已保存" in page.locator("main").inner_text()
    # An editor picks the entries of a published record, filtering the organ's tree by name.
    page.context.clear_cookies()
    _login(page, base, "drag-ed")
    _visit(page, base + f"/workspace/record/{framed.new_policy.pk}/catalog/", "record-catalog")
    page.get_by_label("筛选栏目").fill("三公")
    three = page.get_by_label("法定主动公开内容 › 财政信息 › “三公”经费", exact=True)
    assert three.is_visible()
    assert not page.get_by_label("法定主动公开内容 › 机构职能", exact=True).is_visible()
    three.check()
    page.get_by_role("button", name="保存归档栏目").click()
    page.wait_for_load_state()
    assert framed.new_policy.catalog_entries.filter(code="three_public").exists()
    # The draft form's picker: the organ's tree only, filtered by name as one types.
    page.goto(base + "/workspace/records/new/")
    page.get_by_label("筛选目录栏目").fill("三公")
    shown = page.evaluate("Array.from(document.querySelector('#id_catalog_entries').options)"
                          ".filter(o => !o.hidden).map(o => o.textContent)")
    assert shown == ["财政信息 › “三公”经费"], shown
    check_axe(page, "record-form-filter")
    # The 公报's contents are ordered by dragging; the buttons stay.
    issue = gazette.gazette_issue_create(actor=editor, gazette=framed.gazette, year=2025, number=11,
                                         issued_on=framed.issue.issued_on)
    a = gazette.gazette_item_add(actor=editor, issue=issue, record=framed.new_policy, section="市政府文件")
    b = gazette.gazette_item_add(actor=editor, issue=issue, record=framed.repealed, section="市政府文件")
    _visit(page, base + f"/workspace/gazette/{issue.pk}/", "gazette-drag")
    page.drag_and_drop(f"li[data-item='{b.pk}']", f"li[data-item='{a.pk}']")
    page.wait_for_load_state()
    assert page.locator("[role=status], .messages").first.inner_text().find("已保存顺序") >= 0
    assert list(GazetteItem.objects.filter(issue=issue).order_by("order").values_list("pk", flat=True)) == [b.pk, a.pk]
    assert page.locator("button[value=up]").count() == 2  # the buttons stay for the keyboard
    assert page.locator("ol.gazette-toc li").first.inner_text().startswith(framed.repealed.title)


def test_workspace_catalog_pages_on_a_phone(live_server, browser, framed):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _login(page, live_server.url, "site-office")
        for url, name in [("/workspace/catalog/", "phone-catalogs"),
                          (f"/workspace/catalog/{framed.catalog.pk}/", "phone-catalog-rules")]:
            _visit(page, live_server.url + url, name)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()
