"""Task breakdown tables (任务分解表) pasted as text from a web page or a spreadsheet.

The fixtures in ``fixtures/tables/`` are written after real public plans (a
county's 2023 要点任务分解表 copied from its web page, a district's table copied
from Excel/WPS, a bureau's 任务清单); the property test generates tables in
every header variant and paste shape and checks that no cell's text is lost.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.workplans.parsing import parse_text
from gongkai.workplans.parsing.numbering import int_to_cn

from .textcheck import dropped

FIXTURES = Path(__file__).parent / "fixtures" / "tables"
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def sig(text: str) -> str:
    return "".join(_KEEP.findall(text))


def item_text(item) -> str:
    """Everything an item carries, in one string: what the ledger gets from the row."""
    parts = [item.marker or item.number, item.title, item.text, *item.units.raw, *item.units.names(),
             *(d.text for d in item.deadlines)]
    return "\n".join(parts)


def items_text(plan) -> str:
    return "\n".join(item_text(i) for i in plan.walk())


def by_title(plan, title: str):
    found = [i for i in plan.walk() if i.title == title]
    assert len(found) == 1, (title, [i.title for i in plan.walk()])
    return found[0]


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def data_cells(text: str) -> list[str]:
    """The cells (and lines without a tab) after the header row."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("序号"))
    return [c for ln in lines[start + 1:] for c in ln.split("\t") if c.strip()]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.tsv")))
def test_every_cell_of_a_fixture_is_in_the_items(name):
    text = read(name)
    plan = parse_text(text)
    covered = sig(items_text(plan))
    assert [c for c in data_cells(text) if sig(c) not in covered] == []
    assert not dropped(text, plan)
    assert not plan.unplaced


def test_county_web_paste_sections_units_and_run_on_cells():
    plan = parse_text(read("county_2023_web_paste.tsv"))
    assert plan.title == "安平县2023年政务公开工作要点任务分解表" and plan.year == 2023
    assert [(s.number, s.title) for s in plan.items] == [
        ("一", "围绕稳住经济大盘加强政务公开"), ("二", "围绕保障和改善民生加强政务公开"), ("三", "围绕提升政务公开质效加强平台建设")]
    first = plan.items[0].children[0]
    assert (first.number, first.title) == ("(一)", "加强惠企政策公开")
    measure1, measure2 = first.children
    assert measure1.number == "1" and measure1.title.startswith("全面梳理2022年以来")
    assert measure1.units.lead == ["县发展改革局"]
    assert measure1.units.responsible == ["县直各有关部门", "各乡镇人民政府"]
    assert measure1.deadlines[0].due == date(2023, 6, 30)
    # The rowspan 序号 and 工作任务 cells are left out of the second row of the web table.
    assert measure2.number == "2" and measure2.units.lead == ["县政府办公室"]
    assert measure2.deadlines[0].kind == "ongoing"
    # One 具体措施 cell of three paragraphs ran over three lines; its units and time are on the last.
    finance = plan.items[0].children[1].children
    assert len(finance) == 1
    assert "4.按季度公开县级财政收支情况" in finance[0].text and "5.推进乡镇预决算公开" in finance[0].text
    assert finance[0].units.lead == ["县财政局"] and finance[0].units.responsible == ["各乡镇人民政府"]
    assert date(2023, 12, 31) in [d.due for d in finance[0].deadlines]
    # An empty 责任单位 cell: the lead unit only.
    relief = plan.items[1].children[0].children[0]
    assert relief.units.lead == ["县民政局"] and relief.units.responsible == []
    assert plan.items[2].children[0].children[0].deadlines[0].freq == "quarterly"
    assert not any("未识别" in w.message for w in plan.warnings)


def test_district_excel_paste_numbering_in_first_column_and_run_on_row():
    plan = parse_text(read("district_2023_excel_paste.tsv"))
    assert [(s.number, s.title) for s in plan.items] == [("一", "深化重点领域信息公开"), ("二", "强化政策解读回应")]
    project = plan.items[0].children[0]
    assert (project.number, project.title) == ("1", "重大建设项目信息公开")
    assert "公开项目审批、招标投标、征收土地等信息" in project.text
    assert project.units.lead == ["区发展和改革局"]
    assert project.units.cooperating == ["区自然资源分局", "区住房和城乡建设局"]
    resources = plan.items[0].children[1]
    assert (resources.number, resources.title) == ("2", "公共资源配置信息公开")
    first, second = resources.children
    # The row holding only the rest of the requirement joins the row above it, and says so.
    assert "对交易过程中的违法违规行为依法公开处理结果" in first.text
    assert any("并入上一行" in w.message for w in plan.warnings)
    assert first.units.lead == ["区公共资源交易中心"]
    assert second.units.lead == ["区财政局"] and second.deadlines[0].freq == "quarterly"
    reply = by_title(plan, "回应关切")
    assert reply.deadlines == [] and reply.units.lead == ["区委网信办"]
    open_day = by_title(plan, "政府开放日")
    assert open_day.number == "5" and open_day.deadlines[0].due == date(2023, 10, 31)
    assert not any("没有任务内容" in w.message for w in plan.warnings)


def test_bureau_list_sections_in_number_column_cut_off_cells_and_notes():
    plan = parse_text(read("bureau_2023_list.tsv"))
    assert [(s.number, s.title) for s in plan.items] == [("(一)", "环境信息公开"), ("(二)", "政务公开平台建设")]
    air, polluters, eia = plan.items[0].children
    assert air.units.responsible == ["生态环境监测站"] and air.deadlines[0].freq == "monthly"
    # The row's last (empty) 备注 cell was cut off: the cells are not shifted.
    assert polluters.units.responsible == ["环境执法支队"] and polluters.units.cooperating == ["各区分局"]
    assert polluters.deadlines[0].due == date(2023, 3, 31)
    # A blank 序号 (merged in the page) continues the section.
    assert eia.number == "" and eia.units.responsible == ["行政审批科"]
    assert "备注：受理后5个工作日内公开" in eia.text
    report = by_title(plan, "编制并公开2022年度政府信息公开工作年度报告")
    assert report.deadlines[0].due == date(2023, 1, 31) and "按国家统一格式" in report.text


def test_spreadsheet_quoted_cells_with_line_breaks():
    text = ('序号\t工作任务\t责任单位\t完成时限\n'
            '1\t"按季度公开财政收支情况。\n同步公开政府债务信息。"\t县财政局\t每季度\n'
            '2\t"公开权责清单。"\t"县委编办\n县政务服务局"\t2023年6月底前\n')
    plan = parse_text(text)
    first, second = plan.items
    assert first.title == "按季度公开财政收支情况" and "同步公开政府债务信息" in first.text
    assert first.units.responsible == ["县财政局"]
    assert second.units.responsible == ["县委编办", "县政务服务局"]
    assert not dropped(text, plan)


def test_an_unplaceable_row_is_kept_and_reported():
    text = "序号\t工作任务\t责任单位\t完成时限\n1\t公开政策文件\t县司法局\t6月底前\n\t\t县财政局\t\n"
    plan = parse_text(text)
    assert any("没有任务内容" in w.message for w in plan.warnings)
    assert "县财政局" in items_text(plan)


def test_paragraphs_after_the_table_stay_paragraphs():
    text = ("序号\t工作任务\t责任单位\n1\t公开政策文件\t县司法局\n2\t公开财政预决算\t县财政局\n"
            "各单位要高度重视，确保各项任务按时完成。")
    plan = parse_text(text)
    assert [i.title for i in plan.walk()] == ["公开政策文件", "公开财政预决算"]
    assert "各单位要高度重视，确保各项任务按时完成。" in plan.preamble + plan.closing


# --- generated tables ---------------------------------------------------------------

ALPHABET = "政务公开信息平台建设推进深化加强规范管理服务数据标准目录专栏网站政策解读回应关切基层流程"
UNITS = ["县财政局", "县发展改革局", "县政府办公室", "县直各部门", "各乡镇人民政府", "县司法局", "县民政局",
         "县政务服务中心", "各县（市、区）政府", "区委网信办"]
DEADLINES = ["2023年6月底前", "2023年12月31日前", "持续推进", "长期坚持", "每季度", "按月", "9月底前", "上半年"]
TITLE_HEADERS = ["工作任务", "主要任务", "任务内容", "重点任务"]
DETAIL_HEADERS = ["工作要求", "具体措施"]
UNIT_HEADERS = ["牵头单位", "责任单位", "配合单位"]
DEADLINE_HEADERS = ["完成时限", "时间进度"]

words = st.text(alphabet=ALPHABET, min_size=2, max_size=10)
sentences = st.lists(words, min_size=1, max_size=3).map(lambda ws: "，".join(ws) + "。")


@st.composite
def tables(draw):
    unit_headers = [h for h in UNIT_HEADERS if draw(st.booleans())] or ["责任单位"]
    detail = draw(st.sampled_from([None, *DETAIL_HEADERS]))
    header = ["序号", draw(st.sampled_from(TITLE_HEADERS)), *([detail] if detail else []), *unit_headers,
              draw(st.sampled_from(DEADLINE_HEADERS))]
    rows = []   # (kind, cells, paragraphs of the detail cell)
    n_task = 0
    for s in range(draw(st.integers(1, 3))):
        section_title = draw(words) + "方面"
        if draw(st.booleans()):
            rows.append(("section", [f"{int_to_cn(s + 1)}、{section_title}"], []))
        else:
            rows.append(("section", [int_to_cn(s + 1), section_title] + [""] * (len(header) - 2), []))
        for _ in range(draw(st.integers(1, 3))):
            n_task += 1
            title = f"{draw(words)}工作{n_task}"
            paragraphs = draw(st.lists(sentences, min_size=1, max_size=3)) if detail else []
            units = [draw(st.lists(st.sampled_from(UNITS), max_size=2, unique=True)) for _ in unit_headers]
            deadline = draw(st.sampled_from(["", *DEADLINES]))
            cells = [str(n_task), title, *(["\n".join(paragraphs)] if detail else []),
                     *("、".join(u) for u in units), deadline]
            rows.append(("task", cells, units))
            # Further measures of the same task: 序号 and 工作任务 merged over them in the page.
            for _ in range(draw(st.integers(0, 2)) if detail else 0):
                n_task += 1
                measure = [f"落实措施{n_task}，{draw(words)}。", *draw(st.lists(sentences, max_size=1))]
                m_units = [draw(st.lists(st.sampled_from(UNITS), max_size=2, unique=True)) for _ in unit_headers]
                # With neither a unit nor a time it would be the rest of the requirement above (a run-on row).
                m_deadline = draw(st.sampled_from(DEADLINES if not any(m_units) else ["", *DEADLINES]))
                rows.append(("measure", ["", "", "\n".join(measure), *("、".join(u) for u in m_units), m_deadline],
                             m_units))
            if detail and draw(st.integers(0, 4)) == 0:
                rest = draw(sentences)
                rows.append(("run-on", ["", "", rest] + [""] * (len(header) - 3), []))
    return header, rows


def render(header, rows, mode: str) -> str:
    """As a browser copies a web table (cell paragraphs break the line), or a spreadsheet (quoted), or trimmed."""
    lines = ["\t".join(header)]
    for kind, cells, _ in rows:
        if kind == "section" and len(cells) == 1:
            lines.append(cells[0])
            continue
        if kind == "measure" and mode == "web":
            cells = cells[2:]  # a browser leaves out the cells merged from the row above
        if mode == "excel":
            cells = [f'"{c}"' if "\n" in c else c for c in cells]
        line = "\t".join(cells)
        if mode == "trimmed":
            line = line.rstrip("\t")
        lines.append(line)
    return "2023年某县政务公开工作任务分解表\n" + "\n".join(lines) + "\n"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["web", "excel", "trimmed"]))
def test_generated_tables_round_trip_with_no_text_lost(table, mode):
    header, rows = table
    text = render(header, rows, mode)
    plan = parse_text(text)
    covered = sig(items_text(plan))
    for _kind, cells, _ in rows:
        for cell in cells:
            for paragraph in cell.split("\n"):
                assert sig(paragraph) in covered, (paragraph, text)
    assert not plan.unplaced
    unit_headers = [h for h in header if h in UNIT_HEADERS]
    roles = {"牵头单位": "lead", "责任单位": "responsible", "配合单位": "cooperating"}
    for kind, cells, units in rows:
        if kind not in ("task", "measure"):
            continue
        if kind == "measure":
            item = by_title(plan, cells[2].split("。")[0])
        else:
            item = by_title(plan, cells[1])
            assert item.number == cells[0]
            if item.children:  # a task with measures: a group; its first row holds the row's units and time
                item = item.children[0]
        for head, names in zip(unit_headers, units, strict=True):
            assert set(names) <= set(getattr(item.units, roles[head])), (head, names, item.units, text)
        if cells[-1]:
            assert item.deadlines, (cells[-1], text)
    sections = [c for kind, c, _ in rows if kind == "section"]
    assert len(plan.items) == len(sections)


HTML_TABLE = """<html><body><h1>安平县2023年政务公开工作要点任务分解表</h1><table>
<tr><th>序号</th><th>工作任务</th><th>具体措施</th><th>牵头单位</th><th>责任单位</th><th>完成时限</th></tr>
<tr><td colspan="6">一、围绕稳住经济大盘加强政务公开</td></tr>
<tr><td rowspan="2">（一）</td><td rowspan="2">加强惠企政策公开</td><td>1.全面梳理惠企政策，分类编制惠企政策清单。</td>
<td>县发展改革局</td><td>县直各有关部门</td><td>2023年6月底前</td></tr>
<tr><td>2.及时发布政策解读材料。</td><td>县政府办公室</td><td>县直各有关部门</td><td>持续推进</td></tr>
<tr><td colspan="6">二、围绕保障和改善民生加强政务公开</td></tr>
<tr><td>（二）</td><td>推进社会救助信息公开</td><td>3.及时公开社会救助政策和救助标准。</td><td>县民政局</td><td></td><td>长期坚持</td></tr>
</table></body></html>"""


def test_saved_web_page_merged_cells_read_like_the_paste():
    """A saved page fills merged cells (colspan section rows, rowspan 序号/工作任务) with their value."""
    plan = parse_text(HTML_TABLE)
    assert [(s.number, s.title) for s in plan.items] == [
        ("一", "围绕稳住经济大盘加强政务公开"), ("二", "围绕保障和改善民生加强政务公开")]
    task = plan.items[0].children[0]
    assert (task.number, task.title) == ("(一)", "加强惠企政策公开")
    assert [(m.number, m.units.lead) for m in task.children] == [("1", ["县发展改革局"]), ("2", ["县政府办公室"])]
    assert not plan.warnings


def test_header_of_two_rows_and_roles_written_after_names():
    text = ("序号\t工作任务\t责任单位\t\t完成时限\n"
            "\t\t牵头单位\t配合单位\t\n"
            "1\t公开政府债务信息\t县财政局\t县发展改革局\t2023年6月底前\n"
            "2\t公开权责清单\t\t县委编办（牵头）、县司法局（配合）\t\n")
    plan = parse_text(text)
    first, second = plan.items
    assert (first.units.lead, first.units.cooperating) == (["县财政局"], ["县发展改革局"])
    assert (second.units.lead, second.units.cooperating) == (["县委编办"], ["县司法局"])
    assert "县委编办（牵头）、县司法局（配合）" in second.units.raw
    assert [n.text for n in plan.meta_lines if n.message == "表头"] == [
        "序号 | 工作任务 | 责任单位 |  | 完成时限", " |  | 牵头单位 | 配合单位 | "]
    assert not dropped(text, plan)
