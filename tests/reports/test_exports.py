"""Files: golden text of the Word and PDF layout, XLSX/CSV/JSON, the template, the command."""

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from gongkai.reports import exports, selectors, services, word
from gongkai.reports.models import AnnualReport
from tests.programs import require_program

from .conftest import make_app, make_appeal, make_doc
from .test_services import save

GOLDEN = Path(__file__).parent / "golden"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def world(organ, office):
    make_doc(organ, "rule", dt.date(2024, 2, 1))
    make_doc(organ, "normative", dt.date(2024, 3, 1))
    make_app(organ, "natural_person", dt.date(2023, 12, 25), dt.date(2024, 1, 9), "r3_1")
    make_app(organ, "natural_person", dt.date(2024, 4, 2), dt.date(2024, 4, 22), "r3_1")
    make_app(organ, "business", dt.date(2024, 5, 6), dt.date(2024, 5, 30), "r3_3_4")
    a = make_app(organ, "legal_service", dt.date(2024, 7, 1), dt.date(2024, 7, 25), "r3_5_2")
    make_app(organ, "research", dt.date(2024, 12, 27))
    make_appeal(a, filed=dt.date(2024, 9, 1), decided=dt.date(2024, 11, 1), result="upheld")
    make_appeal(a, litigation=True, filed=dt.date(2024, 12, 1))
    save(office, organ, entries={"t2.licensing.decisions": "356", "t2.penalty.decisions": "12",
                                 "t2.coercion.decisions": "0", "t2.fees.amount": "85.6"},
         sources={"t2.licensing.decisions": "政务服务平台", "t2.penalty.decisions": "执法平台",
                  "t2.coercion.decisions": "执法平台", "t2.fees.amount": "财务科"})
    return selectors.report_data(organ, 2024)


def docx_text(blob: bytes) -> str:
    """Paragraphs and table rows in document order; a merged cell once per row."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(blob))
    lines = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                seen, cells = set(), []
                for c in row.cells:
                    if id(c._tc) not in seen:
                        seen.add(id(c._tc))
                        cells.append(c.text)
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GONGKAI_UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_committed_template_is_what_the_code_builds():
    assert word.document_xml(word.TEMPLATE.read_bytes()) == word.document_xml(word.build_template())


def test_word_layout_golden(world):
    text = docx_text(exports.to_docx(world))
    text = text.replace(exports.date_text(timezone.localdate()), "〔日期〕")
    golden("annual_report_docx.txt", text)
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in text
    assert "行政事业性收费 | 85.6" in text


def test_pdf_layout_golden_with_charts(world):
    require_program("soffice")
    from pypdf import PdfReader

    blob = exports.to_pdf(world, with_charts=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "annual-report.pdf").write_bytes(blob)
    reader = PdfReader(io.BytesIO(blob))
    text = "\n".join(page.extract_text() for page in reader.pages)
    words = "".join(text.split())
    for expected in ["保定市测试局2024年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况",
                     "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                     "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "第二十条第（一）项", "本年制发件数",
                     "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "3.危及“三安全一稳定”",
                     "未经复议直接起诉", "附：本年度统计图表", "2024年各月新收政府信息公开申请数量（件）"]:
        assert "".join(expected.split()) in words, expected
    images = {image.name for page in reader.pages for image in page.images}
    assert len(images) == 3
    golden("annual_report_pdf_headings.txt", "\n".join(
        line for line in text.splitlines() if line.strip()[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}) + "\n")


def test_xlsx_and_csv_carry_the_tables(world):
    wb = load_workbook(io.BytesIO(exports.to_xlsx(world)))
    assert wb.sheetnames == ["表二", "表三", "表四"]
    rows = list(wb["表三"].values)
    r1 = next(r for r in rows if r[2] == "一、本年新收政府信息公开申请数量")
    assert list(r1[3:]) == [1, 1, 1, 0, 1, 0, 4]
    t4 = list(wb["表四"].values)
    assert t4[-1][:5] == (1, 0, 0, 0, 1) and t4[-1][5:10] == (0, 0, 0, 1, 1)
    csv_text = exports.to_csv(world).decode("utf-8-sig")
    assert "二、上年结转政府信息公开申请数量,1,0,0,0,0,0,1" in csv_text.replace('"', "")


def test_command_writes_json_and_xlsx(world, organ, tmp_path, capsysbinary):
    call_command("report", "annual", "--organ", organ.code, "--year", "2024", "--format", "json")
    data = json.loads(capsysbinary.readouterr().out)
    assert data["tables"]["二、主动公开政府信息情况"]["第二十条第（五）项"]["行政许可"]["本年处理决定数量"] == 356
    assert data["findings"] == [] or all(x["severity"] != "error" for x in data["findings"])
    out = tmp_path / "r.xlsx"
    call_command("report", "annual", "--organ", organ.code, "--year", "2024", "--format", "xlsx", "-o", str(out))
    assert load_workbook(out).sheetnames == ["表二", "表三", "表四"]


@pytest.mark.parametrize(("args", "message"), [
    (["--organ", "NOPE", "--year", "2024"], "没有代码为“NOPE”的机关"),
    (["--organ", "X", "--year", "2024", "--format", "odt"], "不支持的格式“odt”"),
    (["--organ", "X", "--year", "1999"], "报告年度应在2019年至2100年之间"),
])
def test_command_errors_in_chinese(db, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("report", "annual", *args)


def test_pdf_has_no_chart_appendix_unless_asked(world):
    require_program("soffice")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(exports.to_pdf(world)))
    text = "".join("".join(page.extract_text() for page in reader.pages).split())
    assert "附：本年度统计图表" not in text and not any(page.images for page in reader.pages)
    assert "保定市测试局" in text and "自然人" in text


def test_word_tables_repeat_their_header_rows_and_never_split_a_row(world):
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(exports.to_docx(world)))
    t2, t3, t4 = doc.tables
    for table, header in ((t3, 3), (t4, 3)):
        for i, row in enumerate(table.rows):
            trpr = row._tr.trPr
            assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None
            assert (trpr.find(qn("w:tblHeader")) is not None) == (i < header), i
        for row in table.rows[:header]:
            assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in t2.rows)
    natural = t3.cell(1, 3)
    assert natural.text == "自然人" and natural.width > t3.cell(2, 4).width


def test_word_uses_real_heading_styles(world):
    doc = Document(io.BytesIO(exports.to_docx(world)))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name in ("Title", "Heading 1")]
    assert styled[0] == ("Title", "保定市测试局2024年政府信息公开工作年度报告")
    assert [t for name, t in styled if name == "Heading 1"] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    with_charts = Document(io.BytesIO(exports.to_docx(world, with_charts=True)))
    assert "附：本年度统计图表" in [p.text for p in with_charts.paragraphs if p.style.name == "Heading 1"]


def test_xlsx_and_csv_carry_the_note_and_the_header_rows(world):
    from gongkai.reports import tables

    ws = load_workbook(io.BytesIO(exports.to_xlsx(world)))["表三"]
    assert ws["A2"].value == tables.T3_NOTE and ws["D2"].value == "申请人情况"
    assert ws["D3"].value == "自然人" and ws["E3"].value == "法人或其他组织" and ws["J3"].value == "总计"
    assert [ws.cell(4, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"}
    csv_text = exports.to_csv(world).decode("utf-8-sig")
    assert tables.T3_NOTE in csv_text and ",申请人情况," in csv_text and ",法人或其他组织," in csv_text


def test_an_unsaved_report_is_not_signed_with_today(organ):
    make_app(organ, "natural_person", dt.date(2024, 4, 2))
    data = selectors.report_data(organ, 2024)
    assert data.report is None
    ctx = exports.word_context(data)
    assert ctx["date_text"] == exports.BLANK_DATE
    assert exports.date_text(timezone.localdate()) not in docx_text(exports.to_docx(data))


def test_a_saved_report_is_signed_on_its_last_save_and_a_frozen_one_on_submission(organ, office):
    from unittest import mock

    save(office, organ)
    AnnualReport.objects.filter(organ=organ).update(updated_at=dt.datetime(2025, 1, 10, 2, tzinfo=dt.UTC))
    assert exports.word_context(selectors.report_data(organ, 2024))["date_text"] == "2025年1月10日"
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2025, 1, 20, 2, tzinfo=dt.UTC)):
        services.report_submit(actor=office, organ=organ, year=2024, on=dt.date(2025, 1, 20))
    assert exports.word_context(selectors.report_data(organ, 2024, frozen=True))["date_text"] == "2025年1月20日"
