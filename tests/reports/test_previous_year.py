"""Roll-ups compare with the same subtree last year; entered-only cells; withdrawals; tree order; the index (issue 19)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.models import Organ
from gongkai.reports import forms, selectors, services, tables
from gongkai.reports.models import AnnualReport
from tests import factories

from .conftest import make_app, make_doc
from .test_services import PROSE


def test_a_roll_up_compares_with_the_same_subtree_last_year(government, organ, sibling):
    make_app(organ, "business", dt.date(2023, 11, 20), dt.date(2024, 1, 10), "r3_1")  # carried 2023 → 2024
    make_app(sibling, "natural_person", dt.date(2023, 12, 28))                           # still open
    make_doc(organ, "normative", dt.date(2023, 5, 1))
    AnnualReport.objects.create(organ=government, year=2024, include_subordinates=True)
    data = selectors.report_data(government, 2024)
    assert data.values["t3.r2.total"] == 2
    assert data.previous["t3.r4.total"] == 2 and data.previous["t2.normative.in_force"] == 1
    assert [f for f in data.findings if f.code in ("I4", "I6")] == []
    alone = selectors.report_data(government, 2024, include_subordinates=False)
    assert alone.values["t3.r2.total"] == 0 and [f for f in alone.findings if f.code == "I4"] == []


def test_a_frozen_report_of_other_organs_is_not_the_comparison(government, organ):
    make_app(organ, "business", dt.date(2023, 11, 20))
    AnnualReport.objects.create(organ=government, year=2023, snapshot={"values": {}, "include_subordinates": False})
    AnnualReport.objects.create(organ=government, year=2024, include_subordinates=True)
    data = selectors.report_data(government, 2024)
    assert data.previous["t3.r4.business"] == 1
    assert [f for f in data.findings if f.code == "I4"] == []


def test_entered_only_cells_must_be_entered_or_confirmed_zero(organ, office):
    services.report_save(actor=office, organ=organ, year=2024, **PROSE,
                         entries={"t2.licensing.decisions": "12"}, sources={"t2.licensing.decisions": "审批系统"})
    data = selectors.report_data(organ, 2024)
    assert data.unentered == ["t2.penalty.decisions", "t2.coercion.decisions", "t2.fees.amount"]
    with pytest.raises(services.ReportError, match="请填报，本年没有的请勾选“确认为0”") as exc:
        services.report_submit(actor=office, organ=organ, year=2024)
    assert "“行政处罚”" in str(exc.value) and "“行政许可”" not in str(exc.value)
    form = forms.ReportForm({**PROSE, forms.field_name("t2.licensing.decisions"): "12",
                             forms.source_name("t2.licensing.decisions"): "审批系统",
                             **{forms.zero_name(k): "on" for k in tables.T2_ENTERED_KEYS[1:]}})
    assert form.is_valid(), form.errors
    entries, sources = form.entries()
    assert entries["t2.fees.amount"] == "0" and sources["t2.fees.amount"] == forms.ZERO_SOURCE
    services.report_save(actor=office, organ=organ, year=2024, **PROSE, entries=entries, sources=sources)
    assert selectors.report_data(organ, 2024).unentered == []
    assert services.report_submit(actor=office, organ=organ, year=2024).record is not None


def test_confirming_zero_and_a_figure_is_refused():
    key = "t2.penalty.decisions"
    form = forms.ReportForm({forms.field_name(key): "3", forms.source_name(key): "执法系统", forms.zero_name(key): "on"})
    assert not form.is_valid()
    assert "已勾选“确认为0”，但填报数为 3" in str(form.errors)


def test_the_edit_page_shows_unentered_cells_and_the_fees(client, organ, office):
    from decimal import Decimal

    from gongkai.applications.models import FeeNotice

    for amount in (Decimal("1000"), Decimal("3140")):
        FeeNotice.objects.create(application=make_app(organ, received=dt.date(2024, 4, 1)), standard="per_page",
                                 amount=amount, issued_on=dt.date(2024, 4, 2), paid_on=dt.date(2024, 4, 20))
    client.force_login(office)
    page = client.get(reverse("reports:edit", kwargs={"slug": f"{organ.code}-2024"})).content.decode()
    assert "收取信息处理费2件，共计4140元。" in page and 'data-insert="fees-text"' in page
    assert page.count(">未填报</span>") == 4
    assert "本年确无，确认为0" in page


def test_a_withdrawn_application_counts_in_other(organ):
    withdrawn = make_app(organ, "business", dt.date(2024, 3, 1))
    withdrawn.closed_on = dt.date(2024, 3, 10)  # closed by the applicant, no determination
    withdrawn.save(update_fields=["closed_on"])
    late = make_app(organ, "business", dt.date(2024, 12, 20))
    late.closed_on = dt.date(2025, 1, 5)
    late.save(update_fields=["closed_on"])
    v = selectors.report_data(organ, 2024).values
    assert v["t3.r3_6_3.business"] == 1 and v["t3.r3_7.business"] == 1 and v["t3.r4.business"] == 1
    assert tables.errors(tables.check(v)) == []
    assert selectors.report_data(organ, 2025).values["t3.r3_6_3.business"] == 1


def test_roll_up_and_index_list_organs_in_tree_order(government, gov_office):
    """Siblings by 排序 then by when added: the 10th organ does not sort before the 9th by the path's text."""
    made = [factories.OrganFactory(name=f"保定市第{i}局", code=f"11130600MA99990{i:02d}X", parent=government)
            for i in range(1, 12)]
    office = Organ.objects.create(name="保定市人民政府办公室", code="11130600MA9999900X", parent=government, order=1)
    child = factories.OrganFactory(name="保定市第2局下属中心", code="11130600MA9999980X", parent=made[1])
    expected = [office, made[0], made[1], child, *made[2:]]
    assert [r.organ for r in selectors.rollup(government, 2024, today=dt.date(2025, 1, 1))] == expected
    assert selectors.tree_order(Organ.objects.all()) == [government, *expected]


def test_the_index_says_published_only_when_the_public_page_opens(client, government, organ, sibling, gov_office,
                                                                  reviewer):
    from gongkai.records import services as record_services
    from gongkai.records.models import ReviewDecision

    from .test_services import save

    office = factories.UserFactory(username="dept_office")
    for role in ("office", "editor"):
        factories.MembershipFactory(user=office, organ=organ, role=role)
    make_doc(sibling, "annual_report", dt.date(2025, 1, 20), title="保定市另一局2024年政府信息公开工作年度报告")
    save(office, organ)
    report = services.report_submit(actor=office, organ=organ, year=2024)
    client.force_login(gov_office)
    url = reverse("reports:index") + "?year=2024"

    def states():
        page = client.get(url).content.decode()
        return {name: ("已发布" in row, "专栏中有平台外编制的报告" in row)
                for name in ("保定市测试局", "保定市另一局") for row in page.split("<tr") if name in row}

    assert states() == {"保定市测试局": (False, False), "保定市另一局": (False, True)}
    record_services.record_review(actor=reviewer, record=report.record, decision=ReviewDecision.APPROVED,
                                  confidentiality_opinion="不涉密", attribute_confirmed="proactive", publish="now")
    public = reverse("reports:public", kwargs={"slug": f"{organ.code}-2024"})
    assert client.get(public).status_code == 200
    assert states()["保定市测试局"] == (True, False) and f'href="{public}"' in client.get(url).content.decode()
    record_services.record_withdraw(actor=reviewer, record=report.record, reason="数据有误，更正后重新发布。")
    assert client.get(public).status_code == 404
    assert states()["保定市测试局"] == (False, False)
