"""Layouts the seeds do not show: unit paragraphs, task tables (TSV, .docx, .xlsx, HTML), bad files."""

import io
from datetime import date

import pytest

from gongkai.workplans.parsing import SourceError, find_deadlines, parse_file, parse_text
from gongkai.workplans.parsing.units import find_clauses, parse_clause

from .textcheck import dropped


def test_units_in_a_separate_paragraph():
    plan = parse_text("某区2024年政务公开工作要点\n一、加强政策解读\n（一）做好解读工作。及时解读重要政策。\n"
                      "牵头单位：区政府办公室\n责任单位：区政府各部门、各镇（街道）\n（二）回应关切。认真回应。\n责任单位：区司法局")
    first, second = plan.items[0].children
    assert first.units.lead == ["区政府办公室"]
    assert first.units.responsible == ["区政府各部门", "各镇（街道）"]
    assert second.units.responsible == ["区司法局"]
    assert "牵头单位" not in first.text


def test_closing_parenthesis_with_lead_and_responsible():
    units = parse_clause("（市财政局牵头，各县（市、区）政府负责）", allow_bare=False)
    assert units.lead == ["市财政局"] and units.responsible == ["各县（市、区）政府"]


def test_heading_shares_its_line_with_first_item_and_items_run_on():
    plan = parse_text("一、深化重点领域公开。（一）公开财政信息。按季度公开。（市财政局负责落实）\n"
                      "（二）公开规划信息。（市发改委负责落实）\n二、强化保障。（三）加强培训：1.培训业务骨干；2.开展专题培训。")
    one, two = plan.items
    assert [c.number for c in one.children] == ["(一)", "(二)"]
    assert one.children[0].deadlines[0].freq == "quarterly"
    assert two.children[0].number == "(三)"
    assert [c.title for c in two.children[0].children] == ["培训业务骨干；", "开展专题培训"] or \
        [c.number for c in two.children[0].children] == ["1", "2"]
    assert not any("编号不连续" in w.message for w in plan.warnings)


def test_not_clauses():
    text = "持续推进义务教育招生入学信息公开(招生范围、招生条件等信息)，并在招生结束后公开结果。按照《条例》(国办发〔2019〕54号)要求。"
    assert find_clauses(text) == []


@pytest.mark.parametrize(("phrase", "due"), [
    ("2021年底前", date(2021, 12, 31)), ("6月底前", date(2024, 6, 30)), ("2022年8月10日前", date(2022, 8, 10)),
    ("年底前", date(2024, 12, 31)), ("上半年完成", date(2024, 6, 30)), ("三季度末前", date(2024, 9, 30)),
    ("2024年2月底前", date(2024, 2, 29)), ("二〇二四年", None),
])
def test_dated_deadlines(phrase, due):
    found = find_deadlines(phrase, 2024)
    assert (found[0].due if found else None) == due


@pytest.mark.parametrize(("phrase", "freq", "times"), [
    ("按月发布", "monthly", None), ("按季度公开", "quarterly", None), ("每年至少开展一次培训", "yearly", 1),
    ("年内召开不少于3次", "yearly", 3), ("每半年报告一次", "half-yearly", None), ("每周更新", "weekly", None),
])
def test_recurrences(phrase, freq, times):
    d = find_deadlines(phrase, 2024)[0]
    assert (d.kind, d.freq, d.times) == ("recurrence", freq, times)
    assert d.rule.startswith("FREQ=")


TSV = (
    "2024年政务公开重点任务分解表\n"
    "序号\t重点任务\t工作任务\t牵头单位\t责任单位\t完成时限\n"
    "1\t一、政策解读\t做好政策解读。重要政策同步解读。\t市政府办公室\t市政府各部门\t2024年6月底前\n"
    "2\t做好政策问答\t市司法局\t各县（市、区）政府\t按季度\n"
    "3\t二、平台建设\t推进网站集约化\t市政务服务局\t\t长期坚持\n"
)


def test_tab_separated_task_table_with_merged_cells():
    plan = parse_text(TSV)
    assert plan.title == "2024年政务公开重点任务分解表"
    assert [g.title for g in plan.items] == ["政策解读", "平台建设"]
    first, second = plan.items[0].children
    assert (first.number, first.title, first.units.lead, first.units.responsible) == (
        "1", "做好政策解读", ["市政府办公室"], ["市政府各部门"])
    assert first.deadlines[0].due == date(2024, 6, 30)
    assert second.title == "做好政策问答" and second.deadlines[0].freq == "quarterly"
    assert any("合并单元格" in w.message for w in plan.warnings)
    third = plan.items[1].children[0]
    assert third.deadlines[0].kind == "ongoing" and third.units.lead == ["市政务服务局"]
    assert not dropped(TSV, plan)


def test_table_without_header_is_kept_unplaced():
    text = "甲\t乙\t丙\n丁\t戊\t己"
    plan = parse_text(text)
    assert len(plan.unplaced) == 2 and plan.warnings
    assert not dropped(text, plan)


HTML = """<html><head><title>门户</title><script>var x='一、脚本';</script></head><body>
<nav><a href="/">首页</a> <a>政务公开</a> <a>互动交流</a> <a>办事服务</a></nav>
<div class="crumb">当前位置：首页 &gt; 政务公开</div>
<h1>某县2024年政务公开工作要点</h1><p>发布时间：2024-03-01</p>
<p>一、加强政策公开</p><p>（一）公开规范性文件。2024年6月底前完成清理。（县司法局负责落实）</p>
<table><tr><th>序号</th><th>工作任务</th><th>责任单位</th><th>完成时限</th></tr>
<tr><td rowspan="2">1</td><td>更新公开指南</td><td>县政府办公室</td><td>3月底前</td></tr>
<tr><td>更新公开目录</td><td>县政府各部门</td><td>按季度</td></tr></table>
<div class="footer">版权所有：某县人民政府 ICP备12345号</div></body></html>"""


def test_html_page_with_navigation_noise_and_a_table():
    plan = parse_text(HTML)
    assert plan.title == "某县2024年政务公开工作要点"
    assert plan.published_on == date(2024, 3, 1)
    assert plan.items[0].children[0].units.responsible == ["县司法局"]
    assert plan.items[0].children[0].deadlines[0].due == date(2024, 6, 30)
    rows = plan.items[-1].children if plan.items[-1].style == "table" else plan.items[1:]
    assert [r.title for r in rows] == ["更新公开指南", "更新公开目录"]
    assert rows[1].units.responsible == ["县政府各部门"]
    assert any("版权所有" in n.text for n in plan.ignored)
    assert "脚本" not in str(plan.to_dict())


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某市2024年政务公开工作要点")
    document.add_paragraph("一、深化公开")
    document.add_paragraph("（一）公开预决算。按规定时限公开。〔牵头单位：市财政局，责任单位：市政府各部门〕")
    document.add_paragraph("附件：任务分解表")
    table = document.add_table(rows=3, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "责任单位", "完成时限"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "编制年度报告", "市政府办公室", "1月底前"], strict=True):
        cell.text = text
    merged = table.cell(1, 2).merge(table.cell(2, 2))
    merged.text = "市政府办公室"
    table.cell(2, 0).text = "2"
    table.cell(2, 1).text = "公开年度报告"
    table.cell(2, 3).text = "3月31日前"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_with_paragraphs_and_a_merged_table():
    plan = parse_file(_docx_bytes(), "要点.docx")
    assert plan.items[0].children[0].units.lead == ["市财政局"]
    attachment = plan.items[-1]
    assert attachment.title == "附件：任务分解表"
    assert [r.title for r in attachment.children] == ["编制年度报告", "公开年度报告"]
    assert attachment.children[1].units.responsible == ["市政府办公室"]
    assert attachment.children[1].deadlines[0].due == date(2024, 3, 31)


def _xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年政务公开工作台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "重点任务", "具体任务", "责任单位", "完成时限"])
    sheet.append([1, "政策解读", "解读规范性文件", "市司法局牵头，市政府各部门负责", "长期坚持"])
    sheet.append([2, None, "开展政策问答", "市政府办公室", "每年至少一次"])
    sheet.merge_cells("B3:B4")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_table_with_merged_category():
    plan = parse_file(_xlsx_bytes(), "台账.xlsx")
    assert plan.title == "2024年政务公开工作台账"
    group = plan.items[0]
    assert group.title == "政策解读" and len(group.children) == 2
    first = group.children[0]
    assert first.units.lead == ["市司法局"] and first.units.responsible == ["市政府各部门"]
    assert group.children[1].deadlines[0].times == 1


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.pdf", b"%PDF-1.4 ...", "暂不支持PDF"),
    ("a.doc", b"\xd0\xcf\x11\xe0", "旧版Office"),
    ("a.docx", b"PK\x03\x04 not really", "无法读取该Word文件"),
    ("a.xlsx", b"PK\x03\x04 nope", "无法读取该Excel文件"),
    ("a.txt", b"\x00\x01\x02abc", "不是文本文件"),
])
def test_unreadable_files_get_a_chinese_reason(name, data, message):
    with pytest.raises(SourceError, match=message):
        parse_file(data, name)


def test_gb18030_text_file():
    text = "某县2024年政务公开工作要点\n一、公开财政信息。（县财政局负责落实）"
    plan = parse_file(text.encode("gb18030"), "plan.txt")
    assert plan.items[0].units.responsible == ["县财政局"]


def test_plain_prose_without_numbering_is_kept_and_reported():
    text = "请各单位认真做好政务公开工作。\n要加强组织领导。"
    plan = parse_text(text)
    assert not plan.items and plan.warnings
    assert not dropped(text, plan)
