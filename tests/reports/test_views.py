"""Staff pages refuse the wrong role and organ; the public page opens only through the one door."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from gongkai.records import services as record_services
from gongkai.records.models import ReviewDecision
from gongkai.reports import services
from gongkai.reports.models import AnnualReport
from tests import factories

from .conftest import make_app, make_appeal, make_doc
from .test_services import PROSE, save

pytestmark = pytest.mark.django_db


def urls(organ):
    slug = f"{organ.code}-2024"
    return [
        reverse("reports:edit", kwargs={"slug": slug}),
        reverse("reports:rollup", kwargs={"slug": slug}),
        reverse("reports:cell", kwargs={"slug": slug}) + "?key=t3.r1.total",
        reverse("reports:download", kwargs={"slug": slug}) + "?format=json",
        reverse("reports:monitor", kwargs={"code": organ.code}),
        reverse("reports:monitor", kwargs={"code": organ.code}) + "?indicator=applications_overdue",
    ]


def test_office_sees_every_page(client, organ, office):
    app = make_app(organ, "natural_person", dt.date(2024, 3, 1), dt.date(2024, 3, 20), "r3_1")
    client.force_login(office)
    title = "保定市测试局2024年政府信息公开工作年度报告"
    expected = [
        ["<title>年度报告 · 工作台</title>", "政府信息公开工作年度报告", "赵公开"],
        [f"<h1>{title}</h1>", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"],
        ["保定市测试局下属机关2024年度报告发布情况"],
        ["表三“一、本年新收政府信息公开申请数量”行“总计”列", app.tracking_code, app.title, "自然人", "予以公开"],
        [f'"title": "{title}"', '"format": "国办公开办函〔2021〕30号"'],
        ["保定市测试局政务公开合规监测"],
        ["<h1>已逾期未答复的依申请公开</h1>", "共 0 项", "没有需要关注的项目。"],
    ]
    for url, texts in zip([reverse("reports:index"), *urls(organ)], expected, strict=True):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in texts:
            assert text in body, (url, text)


def test_wrong_role_or_organ_is_refused(client, organ, outsider, reviewer):
    for user in (outsider, reviewer):
        client.force_login(user)
        for url in urls(organ):
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("reports:submit", kwargs={"slug": f"{organ.code}-2024"})).status_code == 403
    client.logout()
    assert client.get(urls(organ)[0]).status_code == 302  # to the login page


def test_index_refuses_staff_without_an_office_role(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("reports:index")).status_code == 403


def test_edit_page_shows_tables_drill_links_and_last_year(client, organ, office):
    make_app(organ, "research", dt.date(2023, 12, 28), dt.date(2024, 1, 5), "r3_4_2")
    factories.AnnualReportFactory(organ=organ, year=2023, overview="上年总体情况：平稳推进。")
    client.force_login(office)
    page = client.get(reverse("reports:edit", kwargs={"slug": f"{organ.code}-2024"})).content.decode()
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in page
    assert "2.没有现成信息需要另行制作" in page and "危及“三安全一稳定”" in page
    assert f'/workspace/reports/{organ.code}-2024/cells/?key=t3.r3_4_2.research' in page
    assert "上年总体情况：平稳推进。" in page
    assert "全部勾稽关系成立" in page


def test_post_saves_or_shows_the_error_and_keeps_the_input(client, organ, office):
    client.force_login(office)
    url = reverse("reports:edit", kwargs={"slug": f"{organ.code}-2024"})
    form = {**PROSE, "e_t2_penalty_decisions": "abc", "s_t2_penalty_decisions": "执法平台"}
    page = client.post(url, form)
    assert page.status_code == 200
    text = page.content.decode()
    assert "应为不小于0的整数" in text and "本机关认真贯彻《条例》。" in text
    assert not AnnualReport.objects.exists()
    form["e_t2_penalty_decisions"] = "15"
    form.update({"o0_key": "t3.r1.natural_person", "o0_value": "1", "o0_source": "线下登记一件"})
    assert client.post(url, form).status_code == 302
    report = AnnualReport.objects.get()
    assert report.entries == {"t2.penalty.decisions": "15", "t3.r1.natural_person": "1"}
    page = client.get(url).content.decode()
    assert "错误（I1）" in page and "填报与统计不一致" in page and "线下登记一件" in page


def test_drill_down_page_lists_the_rows(client, organ, office):
    a = make_app(organ, "business", dt.date(2024, 3, 1), dt.date(2024, 3, 20), "r3_3_4")
    make_appeal(a, filed=dt.date(2024, 5, 1))
    doc = make_doc(organ, "normative", dt.date(2024, 2, 1), title="关于规范某事项的通知")
    client.force_login(office)
    base = f"/workspace/reports/{organ.code}-2024/cells/?key="
    assert a.tracking_code in client.get(base + "t3.r3_3_4.business").content.decode()
    assert doc.title in client.get(base + "t2.normative.made").content.decode()
    assert "行政复议" in client.get(base + "t4.reconsideration.pending").content.decode()
    assert client.get(base + "t9.bad.key").status_code == 404
    assert client.get(f"/workspace/reports/{organ.code}-2018/").status_code == 404
    assert client.get(f"/workspace/reports/{organ.code}/").status_code == 404


def test_json_download_has_every_cell_by_label(client, organ, office):
    make_app(organ, "business", dt.date(2024, 3, 1))
    client.force_login(office)
    data = json.loads(client.get(reverse("reports:download", kwargs={"slug": f"{organ.code}-2024"}) + "?format=json").content)
    assert data["tables"]["三、收到和处理政府信息公开申请情况"]["四、结转下年度继续办理"]["商业企业"] == 1
    assert len(data["cells"]) == 10 + 25 * 7 + 15


def test_public_page_only_after_publication(client, organ, office, reviewer):
    make_app(organ, "natural_person", dt.date(2024, 3, 1), dt.date(2024, 3, 20), "r3_1")
    url = reverse("reports:public", kwargs={"slug": f"{organ.code}-2024"})
    assert client.get(url).status_code == 404
    save(office, organ)
    report = services.report_submit(actor=office, organ=organ, year=2024)
    assert client.get(url).status_code == 404
    assert client.get(url + "download/?format=csv").status_code == 404
    record_services.record_review(actor=reviewer, record=report.record, decision=ReviewDecision.APPROVED,
                                  confidentiality_opinion="不涉密", attribute_confirmed="proactive", publish="now")
    page = client.get(url).content.decode()
    assert "保定市测试局2024年政府信息公开工作年度报告" in page
    assert "reports/vendor/echarts.min.js" in page and 'id="report-charts"' in page
    assert "chart-data" in page and "本年度统计图表" in page
    assert "//cdn" not in page and "Accepts" not in page
    csv_text = client.get(url + "download/?format=csv").content.decode("utf-8-sig")
    assert "（一）予以公开" in csv_text
    record_services.record_withdraw(actor=reviewer, record=report.record, reason="数据有误，更正后重新发布。")
    assert client.get(url).status_code == 404
