"""The compliance monitor's message figures in chromium, checked with axe-core."""

import pytest
from django.core.cache import cache

from gongkai.core.models import OrganKind, Role
from gongkai.participation.models import MessageKind, Rating
from gongkai.participation.services import messages as svc
from tests import factories

from .conftest import screenshot
from .test_portal import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    cache.clear()


def test_the_office_reads_each_organs_message_figures_in_the_monitor(live_server, page):
    gov = factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind=OrganKind.GOVERNMENT)
    organ = factories.OrganFactory(name="保定市住房公积金管理中心", code="11130600MA9999991X", parent=gov)
    factories.member(gov, Role.OFFICE_HEAD, "monitor_head")
    author = factories.member(organ, Role.EDITOR, "fig_author")
    reviewer = factories.member(organ, Role.REVIEWER, "fig_reviewer")
    for rating in (Rating.SATISFIED, Rating.BASICALLY, None):
        m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject="公积金提取", body="怎么办理？",
                               phone="13812345678")
        svc.message_reply_draft(actor=author, message=m, body="请携带身份证办理。")
        svc.message_reply_submit(actor=author, message=m)
        svc.message_reply_review(actor=reviewer, message=m, approve=True)
        if rating:
            svc.message_rate(message=m, rating=rating)
    svc.message_submit(organ=organ, kind=MessageKind.SUGGEST, subject="建议", body="建议延长窗口时间。",
                       phone="13812345678")
    base = live_server.url
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("用户名").fill("monitor_head")
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")
    page.goto(f"{base}/workspace/reports/{gov.code}/monitor/")
    table = page.locator("#message-figures")
    row = table.locator("tbody tr", has_text="保定市住房公积金管理中心")
    assert row.locator("td").all_inner_texts() == ["4", "3", "3", "0.0", "2", "100%"]
    assert table.locator("tfoot td").first.inner_text() == "4"
    check_axe(page, "monitor-message-figures")
    screenshot(page, "reports-monitor-message-figures")
