"""The results page in a browser: highlighted hits, a facet filter, the sort links, the no-result help."""

import pytest

from gongkai.search import index
from tests import factories

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_results_with_filters_and_highlighting(live_server, page):
    city = factories.OrganFactory(name="保定市人民政府办公室")
    bureau = factories.OrganFactory(name="保定市财政局")
    doc = factories.RecordFactory(published=True, organ=city, title="保定市2021年政务公开工作要点",
                                  doc_no="保政办函〔2021〕15号", body="<p>推进基层政务公开标准化规范化。</p>")
    other = factories.RecordFactory(published=True, organ=bureau, title="关于预决算公开的通知",
                                    body="<p>做好财政预决算政务公开工作。</p>")
    index.index_sync([doc.pk, other.pk])

    page.goto(f"{live_server.url}/search/")
    main = page.locator("#main")
    main.get_by_label("检索词").fill("政务公开")
    main.get_by_role("button", name="搜索").click()
    page.wait_for_selector("#search-summary:has-text('找到')")
    assert "找到 2 条结果" in page.locator("#search-summary").inner_text()
    assert page.locator(".search-hits mark", has_text="政务公开").count() >= 2
    titles = page.locator(".hit-title").all_inner_texts()
    assert titles[0] == "保定市2021年政务公开工作要点"  # title hit above body hit
    screenshot(page, "search-results")

    page.locator(".search-facets").get_by_role("link", name="保定市财政局").click()
    page.wait_for_selector("#search-summary:has-text('找到 1 条结果')")
    assert page.locator(".hit-title").all_inner_texts() == ["关于预决算公开的通知"]

    page.goto(f"{live_server.url}/search/?q=保政办函[2021]15号")
    assert page.locator(".hit-title").first.inner_text() == "保定市2021年政务公开工作要点"

    page.goto(f"{live_server.url}/search/?q=政务公开 防汛")
    assert page.get_by_text("没有找到").is_visible()
    page.locator(".search-suggestions").get_by_role("link", name="政务公开").click()
    page.wait_for_selector("#search-summary:has-text('找到 2 条结果')")
