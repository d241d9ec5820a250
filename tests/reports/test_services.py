"""Saving and publishing a report: all or nothing, Chinese refusals, the normal review."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.records import services as record_services
from gongkai.records.models import Record, ReviewDecision, Status
from gongkai.reports import selectors, services, tables
from gongkai.reports.models import AnnualReport

from .conftest import make_app

PROSE = {"overview": "本机关认真贯彻《条例》。\n主动公开政府信息120条。", "problems": "解读形式较单一。",
         "other_matters": "本年度未收取信息处理费。人大代表建议和政协提案办理结果已全部公开。"}


#: The entered-only cells of table 二 confirmed as 0 (submission asks for each).
ZEROS = {k: "0" for k in tables.T2_ENTERED_KEYS}
ZERO_SOURCES = {k: "经本机关核实，本年为0" for k in tables.T2_ENTERED_KEYS}


def save(actor, organ, **kw):
    args = {"actor": actor, "organ": organ, "year": 2024, **PROSE}
    if "entries" not in kw:
        args.update(entries=ZEROS, sources=ZERO_SOURCES)
    args.update(kw)
    return services.report_save(**args)


def test_save_entries_with_sources(organ, office):
    report = save(office, organ, entries={"t2.licensing.decisions": "1,200", "t2.fees.amount": "3.25"},
                  sources={"t2.licensing.decisions": "政务服务平台", "t2.fees.amount": "财务科"})
    assert report.entries == {"t2.licensing.decisions": "1200", "t2.fees.amount": "3.25"}
    assert selectors.report_data(organ, 2024).values["t2.licensing.decisions"] == 1200


@pytest.mark.parametrize(("entries", "sources", "message"), [
    ({"t2.penalty.decisions": "-3"}, {"t2.penalty.decisions": "x"}, "应为不小于0的整数"),
    ({"t2.penalty.decisions": "3"}, {}, "请为表二第二十条第（六）项“行政处罚”行“本年处理决定数量”列写明数据来源"),
    ({"t9.x.y": "3"}, {}, "未知的表格单元格"),
])
def test_bad_entries_are_refused_and_nothing_is_saved(organ, office, entries, sources, message):
    save(office, organ, overview="旧的总体情况")
    with pytest.raises(services.ReportError, match=message):
        save(office, organ, overview="新的总体情况", entries=entries, sources=sources)
    assert AnnualReport.objects.get(organ=organ, year=2024).overview == "旧的总体情况"


def test_bad_year_refused(organ, office):
    with pytest.raises(services.ReportError, match="报告年度应在2019年至2100年之间"):
        save(office, organ, year=2018)
    assert not AnnualReport.objects.exists()


def test_only_the_office_may_edit(organ, outsider, reviewer):
    for user in (outsider, reviewer):
        with pytest.raises(PermissionDenied):
            save(user, organ)


def test_the_government_office_may_edit_a_department_report(organ, gov_office):
    assert save(gov_office, organ).organ == organ


def test_submit_refused_while_identities_fail(organ, office):
    make_app(organ, "natural_person", dt.date(2024, 3, 1), dt.date(2024, 3, 20), "r3_1")
    save(office, organ, entries={"t3.r3_1.natural_person": "2"}, sources={"t3.r3_1.natural_person": "线下"})
    with pytest.raises(services.ReportError, match="表格数据存在勾稽错误") as exc:
        services.report_submit(actor=office, organ=organ, year=2024)
    assert "（七）总计" in str(exc.value)
    assert not Record.objects.filter(genre__code="annual_report").exists()


def test_submit_refused_without_prose(organ, office):
    save(office, organ, problems="")
    with pytest.raises(services.ReportError, match="请填写“五、存在的主要问题及改进情况”"):
        services.report_submit(actor=office, organ=organ, year=2024)


def test_submit_review_publish_then_frozen(organ, office, reviewer):
    make_app(organ, "business", dt.date(2024, 3, 1), dt.date(2024, 3, 20), "r3_2")
    save(office, organ)
    report = services.report_submit(actor=office, organ=organ, year=2024, on=dt.date(2025, 1, 15))
    record = report.record
    assert record.status == Status.SUBMITTED and record.genre.code == "annual_report"
    assert record.title == "保定市测试局2024年政府信息公开工作年度报告"
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in record.body
    assert "<table>" in record.body and 'colspan="3"' in record.body and "Accepts" not in record.body
    assert report.snapshot["values"]["t3.r3_2.business"] == 1
    assert selectors.public_report(organ.code, 2024) is None
    # Frozen: later applications do not change what was submitted.
    make_app(organ, "business", dt.date(2024, 4, 1), dt.date(2024, 4, 20), "r3_1")
    assert selectors.report_data(organ, 2024, frozen=True).values["t3.r1.total"] == 1
    with pytest.raises(services.ReportError, match="报告已提交发布"):
        save(office, organ)
    record_services.record_review(actor=reviewer, record=record, decision=ReviewDecision.APPROVED,
                                  confidentiality_opinion="不涉密", attribute_confirmed="proactive", publish="now")
    assert selectors.public_report(organ.code, 2024) == report
    with pytest.raises(services.ReportError, match="报告已发布"):
        save(office, organ)


def test_returned_report_can_be_edited_and_resubmitted(organ, office, reviewer):
    save(office, organ)
    report = services.report_submit(actor=office, organ=organ, year=2024)
    record_services.record_review(actor=reviewer, record=report.record, decision=ReviewDecision.RETURNED,
                                  confidentiality_opinion="不涉密", attribute_confirmed="proactive",
                                  comment="请补充政务公开平台建设情况。")
    save(office, organ, overview="补充：平台建设情况。")
    again = services.report_submit(actor=office, organ=organ, year=2024)
    again.record.refresh_from_db()
    assert again.record.pk == report.record.pk and again.record.status == Status.SUBMITTED
    assert "补充：平台建设情况。" in again.record.body


def test_office_without_editor_role_leaves_a_draft(organ, gov_office):
    save(gov_office, organ)
    report = services.report_submit(actor=gov_office, organ=organ, year=2024)
    assert report.record.status == Status.DRAFT
