"""The five seed plans, parsed: golden outlines plus facts read off the documents by hand."""

from datetime import date
from pathlib import Path

import pytest

from gongkai.workplans.parsing import parse_file, parse_text
from gongkai.workplans.parsing.outline import render_outline

from .textcheck import dropped

HERE = Path(__file__).parent
SEEDS = sorted((HERE / "fixtures" / "seeds").glob("*.txt"))
BAODING, GUANGAN, BEIJING, TAIERZHUANG, TIANJIN = (p.stem for p in SEEDS)


def _parse(stem: str):
    path = HERE / "fixtures" / "seeds" / f"{stem}.txt"
    return parse_file(path.read_bytes(), path.name)


def _find(plan, *numbers):
    items = plan.items
    node = None
    for number in numbers:
        node = next(i for i in items if i.number == number)
        items = node.children
    return node


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_golden_outline(path):
    """The whole tree, one line an item; update the .outline file only after reading the diff."""
    expected = (HERE / "golden" / f"{path.stem}.outline").read_text(encoding="utf-8")
    assert render_outline(parse_file(path.read_bytes(), path.name)) == expected


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_nothing_dropped(path):
    source = path.read_text(encoding="utf-8")
    assert not dropped(source, parse_text(source))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_pasted_text_and_file_agree(path):
    assert parse_text(path.read_text(encoding="utf-8")).to_dict() == parse_file(path.read_bytes(), path.name).to_dict()


def test_baoding_metadata_and_units():
    plan = _parse(BAODING)
    assert plan.title == "保定市2021年政务公开工作要点"
    assert plan.issuer == "保定市人民政府办公室"
    assert plan.doc_no == "保政办函〔2021〕15号"
    assert plan.written_on == date(2021, 6, 25)
    assert plan.published_on == date(2021, 6, 30)
    assert plan.year == 2021
    assert [i.number for i in plan.items] == ["一", "二", "三", "四", "五"]
    assert [len(i.children) for i in plan.items] == [5, 3, 4, 3, 3]
    first = _find(plan, "一", "(一)")
    assert first.title == "做好各类规划信息公开"
    assert first.units.lead == ["市政府办公室"]
    assert first.units.responsible == ["市政府各部门", "各县（市、区）政府", "开发区管委会"]
    # 〔牵头单位:…等,责任单位:…〕: the trailing 等 is not part of a name.
    assert _find(plan, "四", "(一)").units.lead == ["市委编办", "市政府办公室", "市司法局", "市行政审批局"]
    # Only 责任单位 given.
    policy = _find(plan, "二", "(一)")
    assert policy.units.lead == [] and policy.units.responsible[0] == "市政府各部门"
    assert [d.due for d in _find(plan, "三", "(三)").deadlines] == [date(2021, 6, 30)]
    assert [d.due for d in _find(plan, "三", "(一)").deadlines] == [date(2021, 12, 31)]
    assert plan.closing == ["本工作要点落实情况纳入各地各部门政府信息公开工作年度报告向社会公开发布。"]
    assert "年度报告向社会公开" in plan.report_promise
    assert {n.text for n in plan.ignored} >= {"• 产品管理", "相关下载"}
    assert not plan.warnings and not plan.unplaced


def test_guangan_running_numbering_and_steps():
    plan = _parse(GUANGAN)
    assert plan.title == "深化政务公开提升基层政府治理能力工作方案"
    assert plan.issuer == "广安市人民政府办公室"
    assert plan.written_on == date(2022, 7, 21) and plan.year == 2022
    assert plan.addressees.startswith("各县(市,区)人民政府")
    tasks = _find(plan, "三")
    # 1…20 run straight through (一)…(五) and nest under the section they appear in.
    assert [c.number for c in tasks.children] == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    assert [len(c.children) for c in tasks.children] == [2, 3, 7, 3, 5]
    assert [g.number for c in tasks.children for g in c.children] == [str(n) for n in range(1, 21)]
    assert _find(plan, "二").deadlines[0].due == date(2023, 12, 31)
    pilot = _find(plan, "四", "(二)", "1")
    assert pilot.title == "试点推荐(2022年8月10日前)"
    assert pilot.deadlines[0].due == date(2022, 8, 10)
    stage = _find(plan, "四", "(三)")
    assert (stage.deadlines[0].start, stage.deadlines[0].due) == (date(2023, 1, 1), date(2023, 2, 28))
    rules = {d.freq for d in _find(plan, "五", "(二)").deadlines}
    assert rules == {"monthly", "quarterly"}
    # No item of this plan names its units: all of them are left for a person to assign.
    assert not plan.unit_names()
    assert len(plan.ignored) == 10


def test_beijing_one_clause_a_sentence_becomes_segments():
    plan = _parse(BEIJING)
    assert plan.title == "北京市2019年政务公开工作要点"
    assert plan.issuer == "北京市人民政府办公厅"
    assert plan.written_on == date(2019, 7, 8) and plan.year == 2019
    item = _find(plan, "一", "(一)")
    assert item.title == "强化京津冀协同发展信息公开"
    assert [s.is_segment for s in item.children] == [True] * 5
    assert item.children[0].units.responsible == ["市规划自然资源委", "市住房城乡建设委"]
    assert item.children[0].units.separately
    assert item.children[1].units.responsible == ["市发展改革委"]
    reform = _find(plan, "一", "(二)").children[1]
    assert reform.units.lead == ["市发展改革委", "市财政局", "市市场监管局", "市规划自然资源委", "市政务服务局"]
    assert reform.units.responsible == ["市政府相关部门"]
    assert _find(plan, "四", "(二)").deadlines[0].freq == "quarterly"
    assert "执行情况" in plan.report_promise
    assert plan.closing[0].startswith("各区、各部门要高度重视政务公开工作")


def test_taierzhuang_unnumbered_paragraphs_and_qualifiers():
    plan = _parse(TAIERZHUANG)
    assert plan.doc_no == "台政办发〔2018〕26号"
    assert plan.issuer == "台儿庄区人民政府办公室"
    assert plan.written_on == date(2018, 10, 17) and plan.year == 2018
    assert plan.disclosure_note == "(此件公开发布)"
    assert len(plan.items) == 8
    three = _find(plan, "一", "(三)")
    assert [s.title for s in three.children] == ["围绕污染防治推进公开", "围绕精准脱贫推进公开", "围绕金融风险防控推进公开"]
    assert three.children[0].units.lead == ["区环保局", "区林业局"]
    assert three.children[0].units.responsible == ["各镇（街）"]
    assert _find(plan, "一", "(二)").units.lead == ["区农业局", "区住建局", "各镇（街）"]
    hall = _find(plan, "五", "(二)")
    assert hall.units.lead == ["区政管办"] and hall.units.cooperating == ["区政府各相关部门单位"]
    meeting = _find(plan, "二", "(二)")
    assert meeting.deadlines[0].freq == "yearly" and meeting.deadlines[0].times == 2
    assert _find(plan, "六", "(一)").deadlines[0].due == date(2018, 12, 31)
    # The source numbers two items 七、(三): both are kept, and the slip is reported.
    assert [c.number for c in _find(plan, "七").children] == ["(一)", "(二)", "(三)", "(三)"]
    assert any("编号不连续" in w.message for w in plan.warnings)
    # The signature and date after the last item are metadata, not part of it.
    last = _find(plan, "八", "(二)")
    assert "台儿庄区人民政府办公室" not in last.text and not plan.closing


def test_tianjin_bare_unit_lists():
    plan = _parse(TIANJIN)
    assert plan.title == "市规划资源局2020年政务公开工作要点"
    assert plan.notice_title == "天津市规划资源局关于印发2020年政务公开工作要点的通知"
    assert plan.doc_no == "津规资办发〔2020〕253号"
    assert plan.written_on == date(2020, 9, 18) and plan.year == 2020
    assert plan.addressees == "局属各单位、机关各处室"
    first = _find(plan, "一", "(一)", "1")
    assert first.units.responsible == ["人事处", "机关各处室", "局属各单位"] and not first.units.lead
    assert _find(plan, "三", "(一)", "2").units.responsible == ["局属各“窗口”单位"]
    assert _find(plan, "二", "(二)").units.responsible == ["机关各处室", "局属各单位"]
    training = _find(plan, "六", "(三)")
    assert training.deadlines[0].freq == "yearly" and training.deadlines[0].times == 1
    assert len(plan.closing) == 2
    assert plan.report_promise.startswith("局办公室按照要求将相关内容纳入政府信息公开工作年度报告")
