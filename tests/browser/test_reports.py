"""The 公开办 checks the tables, writes the report and sends it; a reviewer publishes it; the public sees charts."""

import datetime as dt

import pytest

from gongkai.core.models import OrganKind, Role
from gongkai.records.models import Genre, Status
from gongkai.reports.models import AnnualReport
from tests import factories
from tests.reports.conftest import make_app, make_appeal, make_doc

from .conftest import load_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


def check_axe(page, name: str) -> None:
    load_axe(page)
    result = page.evaluate("async () => await axe.run(document, {runOnly: {type: 'tag', "
                           "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe-core on {name}:\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {n['html'][:200]}" for n in v["nodes"][:5])
        for v in bad)


def _login(page, base, username):
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")


@pytest.fixture
def world(db):
    for code, name in (("annual_report", "年度报告"), ("normative", "行政规范性文件"), ("rule", "规章")):
        Genre.objects.get_or_create(code=code, defaults={"name": name})
    gov = factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind=OrganKind.GOVERNMENT)
    organ = factories.OrganFactory(name="保定市测试局", code="11130600MA9999991X", parent=gov)
    office = factories.UserFactory(username="office", first_name="赵公开")
    for role in (Role.OFFICE, Role.EDITOR):
        factories.MembershipFactory(user=office, organ=organ, role=role)
    reviewer = factories.UserFactory(username="reviewer")
    factories.MembershipFactory(user=reviewer, organ=organ, role=Role.REVIEWER)
    make_doc(organ, "normative", dt.date(2024, 3, 1), title="关于规范行政裁量权的通知")
    make_app(organ, "natural_person", dt.date(2023, 12, 27), dt.date(2024, 1, 10), "r3_1")
    make_app(organ, "natural_person", dt.date(2024, 4, 8), dt.date(2024, 4, 28), "r3_1")
    app = make_app(organ, "business", dt.date(2024, 6, 3), dt.date(2024, 6, 24), "r3_3_4")
    make_app(organ, "research", dt.date(2024, 12, 30))
    make_appeal(app, filed=dt.date(2024, 8, 1), decided=dt.date(2024, 10, 8), result="upheld")
    return organ, app


def test_office_edits_checks_and_publishes_the_report(live_server, page, world):
    organ, app = world
    base = live_server.url
    _login(page, base, "office")
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_label("报告年度").fill("2024")
    page.get_by_role("button", name="查看").click()
    page.get_by_role("link", name="编制与核对").click()
    page.wait_for_selector("h1:has-text('保定市测试局2024年政府信息公开工作年度报告')")
    assert page.get_by_text("全部勾稽关系成立").is_visible()
    check_axe(page, "report-edit")

    # Drill down: the 保护第三方合法权益 × 商业企业 cell lists the application behind it.
    page.locator("#table-3 a[href$='?key=t3.r3_3_4.business']").click()
    page.wait_for_selector(f"#drill:has-text('{app.tracking_code}')")
    screenshot(page, "report-drill")
    page.go_back()

    # A bad figure is refused in Chinese and what was typed stays.
    page.get_by_label("一、总体情况", exact=True).fill("2024年，本局坚持以公开为常态。\n全年主动公开政府信息126条。")
    page.get_by_label("五、存在的主要问题及改进情况", exact=True).fill("政策解读形式较单一，将增加图解和视频解读。")
    page.get_by_label("六、其他需要报告的事项", exact=True).fill("本年度未收取信息处理费。人大代表建议和政协提案办理结果均已公开。")
    page.get_by_label("表二第二十条第（五）项“行政许可”行“本年处理决定数量”列", exact=True).fill("一百")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=应为不小于0的整数")
    assert page.get_by_label("一、总体情况", exact=True).input_value().startswith("2024年，本局坚持以公开为常态。")
    assert not AnnualReport.objects.exists()
    page.get_by_label("表二第二十条第（五）项“行政许可”行“本年处理决定数量”列", exact=True).fill("356")
    page.get_by_label("表二第二十条第（五）项“行政许可”行“本年处理决定数量”列的数据来源").fill("政务服务平台年度统计")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=年度报告已保存")
    # 处罚, 强制 and 收费 neither entered nor confirmed as 0: submission says which.
    assert "请勾选“确认为0”" in page.locator("#submit-reason").inner_text()
    for key in ("penalty_decisions", "coercion_decisions", "fees_amount"):
        page.locator(f"#id_z_t2_{key}").check()
    # The fees the platform collected go into section 六 with one click.
    page.get_by_label("六、其他需要报告的事项", exact=True).fill("")
    page.locator("#fees-sentence").get_by_role("button", name="插入正文").click()
    assert page.get_by_label("六、其他需要报告的事项", exact=True).input_value() == "2024年度，本机关未收取政府信息公开信息处理费。"
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=年度报告已保存")
    screenshot(page, "report-edit")
    page.get_by_role("button", name="提交保密审查并发布").click()
    page.wait_for_selector("text=已提交保密审查")
    report = AnnualReport.objects.get()
    assert report.record.status == Status.SUBMITTED
    page.get_by_role("button", name="退出登录").click()

    _login(page, base, "reviewer")
    page.goto(f"{base}/workspace/records/{report.record.pk}/")
    page.get_by_label("同意公开").check()
    page.get_by_label("发布方式").select_option("now")
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_selector("#record-status:has-text('已发布')")

    # The public: the record in the disclosure column, then the page with charts.
    page.get_by_role("link", name="查看公开页面").click()
    page.wait_for_selector("h1:has-text('保定市测试局2024年政府信息公开工作年度报告')")
    assert page.get_by_text("3.危及“三安全一稳定”").first.is_visible()
    page.get_by_role("link", name="保定市测试局2024年政府信息公开工作年度报告（图表版）").click()
    page.wait_for_selector("#chart-monitor, .chart-canvas svg", state="attached")
    assert page.locator(".chart-canvas svg").count() == 3
    assert page.locator("#chart-applicants .chart-data").inner_text().count("1") >= 3
    assert page.get_by_text("356").first.is_visible()
    check_axe(page, "report-public")
    screenshot(page, "report-public")
    with page.expect_download() as download:
        page.get_by_role("link", name="DOCX").click()
    assert download.value.suggested_filename == f"{organ.code}-2024-annual-report.docx"
