"""The format's arithmetic: identities hold for any history, each cell equals an independent count."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports import tables

YEAR = 2024
days = st.dates(min_value=dt.date(2021, 6, 1), max_value=dt.date(2026, 6, 30))


@st.composite
def applications(draw):
    received = draw(days)
    decided = draw(st.one_of(st.none(), st.dates(min_value=received, max_value=dt.date(2026, 12, 31))))
    return tables.ApplicationFact(
        kind=draw(st.sampled_from(tables.T3_KINDS)), received=received, decided=decided,
        outcome=draw(st.sampled_from(tables.OUTCOME_ROWS)) if decided else None, ref=draw(st.integers()),
    )


@st.composite
def appeals(draw):
    filed = draw(days)
    decided = draw(st.one_of(st.none(), st.dates(min_value=filed, max_value=dt.date(2026, 12, 31))))
    result = draw(st.sampled_from(["upheld", "corrected", "other"])) if decided else "pending"
    return tables.AppealFact(group=draw(st.sampled_from(list(tables.T4_GROUPS))), filed=filed, decided=decided, result=result)


@st.composite
def documents(draw):
    made = draw(days)
    ended = draw(st.one_of(st.none(), st.dates(min_value=made, max_value=dt.date(2026, 12, 31))))
    how = draw(st.sampled_from(["repealed", "expired", "revised"])) if ended else ""
    return tables.DocumentFact(row=draw(st.sampled_from(["rule", "normative"])), made=made, ended=ended, ended_how=how)


@settings(max_examples=120, deadline=None)
@given(st.lists(applications(), max_size=60), st.lists(appeals(), max_size=20), st.integers(2022, 2025))
def test_identities_hold_for_any_history(apps, cases, year):
    values = tables.compute(year, applications=apps, appeals=cases).values
    assert tables.errors(tables.check(values)) == []
    assert tables.compute(year, applications=apps, appeals=cases, keep_refs=False).values == values


@settings(max_examples=80, deadline=None)
@given(st.lists(applications(), max_size=60), st.integers(2022, 2025))
def test_each_table3_cell_equals_an_independent_count(apps, year):
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    values = tables.compute(year, applications=apps).values
    for kind in tables.T3_KINDS:
        mine = [a for a in apps if a.kind == kind]
        new = [a for a in mine if start <= a.received <= end]
        carried = [a for a in mine if a.received < start and (a.decided is None or a.decided >= start)]
        done = [a for a in new + carried if a.decided is not None and a.decided <= end]
        assert values[f"t3.r1.{kind}"] == len(new)
        assert values[f"t3.r2.{kind}"] == len(carried)
        assert values[f"t3.r3_7.{kind}"] == len(done)
        assert values[f"t3.r4.{kind}"] == len(new) + len(carried) - len(done)
        for row in tables.OUTCOME_ROWS:
            assert values[f"t3.{row}.{kind}"] == sum(1 for a in done if a.outcome == row)


@settings(max_examples=80, deadline=None)
@given(st.lists(applications(), max_size=40), st.integers(2022, 2025))
def test_carry_over_links_consecutive_years(apps, year):
    """I4 holds for computed figures: this year's 上年结转 is last year's 结转下年度."""
    last = tables.compute(year - 1, applications=apps).values
    now = tables.compute(year, applications=apps).values
    assert [x for x in tables.check(now, last) if x.code == "I4"] == []


@settings(max_examples=80, deadline=None)
@given(st.lists(documents(), max_size=40), st.integers(2022, 2025))
def test_table2_continuity_breaks_only_by_revision(docs, year):
    last = tables.compute(year - 1, documents=docs).values
    now = tables.compute(year, documents=docs).values
    hints = [x for x in tables.check(now, last) if x.code == "I6"]
    revised = {d.row for d in docs if d.ended_how == "revised" and d.ended and d.ended.year == year}
    assert {h.cells[0].split(".")[1] for h in hints} <= revised


@settings(max_examples=80, deadline=None)
@given(st.lists(appeals(), max_size=30), st.integers(2022, 2025))
def test_table4_counts_cases_pending_in_the_year(cases, year):
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    values = tables.compute(year, appeals=cases).values
    for g in tables.T4_GROUPS:
        active = [c for c in cases if c.group == g and c.filed <= end and not (c.decided and c.decided < start)]
        assert values[f"t4.{g}.total"] == len(active)
        assert values[f"t4.{g}.pending"] == sum(1 for c in active if c.decided is None or c.decided > end)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(tables.ALL_KEYS), st.integers(1, 50))
def test_any_tampered_cell_is_reported_with_that_cell(key, delta):
    values = tables.zero()
    values[key] = values[key] + delta
    found = tables.check(values)
    if key.startswith("t2."):
        assert found == []
    else:
        assert found and all(x.severity == "error" for x in found)
        assert any(key in x.cells for x in found)


def test_messages_name_the_cells_in_chinese():
    values = tables.zero()
    values["t3.r1.natural_person"] = 3
    values["t3.r1.total"] = 3
    values["t3.r3_1.natural_person"] = 2
    values["t3.r3_1.total"] = 2
    values["t3.r3_7.natural_person"] = 2
    values["t3.r3_7.total"] = 2
    found = tables.check(values)
    assert [x.code for x in found] == ["I1", "I1"]
    assert found[0].message == "“自然人”列：第一项加第二项之和（3+0=3）不等于第三项加第四项之和（2+0=2）。"
    assert tables.cell_label("t3.r4.total") == "表三“四、结转下年度继续办理”行“总计”列"
    assert tables.cell_label("t3.r3_3_3.business") == "表三“（三）不予公开3.危及“三安全一稳定””行“商业企业”列"
    assert tables.cell_label("t4.litigation_after.pending") == "表四“行政诉讼·复议后起诉”“尚未审结”"
    values["t4.reconsideration.total"] = 1
    i5 = [x for x in tables.check(values) if x.code == "I5"]
    assert i5[0].message == "表四“行政复议”：“总计”为 1，但维持、纠正、其他结果、尚未审结之和为 0。"


def test_the_format_has_the_printed_shape():
    assert len(tables.T3_ROWS) == 25 and len(tables.T3_COLUMNS) == 7
    assert len([r for r in tables.T3_ROWS if r[0].startswith("r3_")]) == 22
    assert len(tables.t2_keys()) == 10 and len(tables.t4_keys()) == 15
    assert [h for _, h in tables.SECTIONS] == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                          "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
    assert "危及“三安全一稳定”" in tables.T3_ROW_LABELS["r3_3_3"]


def test_labelled_json_uses_the_format_labels():
    values = tables.zero()
    values["t3.r3_5_2.research"] = 4
    values["t2.fees.amount"] = Decimal("1.25")
    out = tables.labelled(values)
    t3 = out["三、收到和处理政府信息公开申请情况"]
    assert t3["三、本年度办理结果"]["（五）不予处理"]["2.重复申请"]["科研机构"] == 4
    assert out["二、主动公开政府信息情况"]["第二十条第（八）项"]["行政事业性收费"]["本年收费金额（单位：万元）"] == 1.25
    assert out["四、政府信息公开行政复议、行政诉讼情况"]["行政诉讼"]["复议后起诉"]["总计"] == 0


def test_merge_flags_contradicting_entries_not_entered_only_cells():
    computed = tables.zero()
    computed["t2.rule.made"] = 2
    final, problems = tables.merge(computed, {"t2.rule.made": 3, "t2.licensing.decisions": 120})
    assert final["t2.rule.made"] == 3 and final["t2.licensing.decisions"] == 120
    assert [p.key for p in problems] == ["t2.rule.made"]
    assert "填报为 3，但平台据本机关记录统计为 2" in problems[0].message


@pytest.mark.parametrize(("key", "raw", "value"), [
    ("t2.fees.amount", "12.5", Decimal("12.5")), ("t2.fees.amount", "1,000", Decimal("1000")),
    ("t2.penalty.decisions", " 17 ", 17),
])
def test_parse_entry(key, raw, value):
    assert tables.parse_entry(key, raw) == value


@pytest.mark.parametrize(("key", "raw", "message"), [
    ("t2.penalty.decisions", "-1", "应为不小于0的整数"), ("t2.penalty.decisions", "1.5", "应为不小于0的整数"),
    ("t2.fees.amount", "abc", "应为金额（万元）"), ("t2.fees.amount", "-2", "不能为负数"),
    ("t2.fees.amount", "0.0000001", "最多保留6位小数"),
])
def test_parse_entry_refuses_in_chinese(key, raw, message):
    with pytest.raises(ValueError, match=message):
        tables.parse_entry(key, raw)


def test_change_year_on_year():
    assert tables.change(110, 100) == "+10（+10.0%）"
    assert tables.change(90, 100) == "−10（−10.0%）"
    assert tables.change(5, 5) == "持平"
    assert tables.change(5, None) == "—"
    assert tables.change(3, 0) == "+3"


def test_carry_over_example_across_the_year_boundary():
    apps = [
        tables.ApplicationFact("natural_person", dt.date(2023, 12, 20), dt.date(2024, 1, 10), "r3_1"),  # r2 → r3
        tables.ApplicationFact("business", dt.date(2023, 12, 28), None),                                  # r2 → r4
        tables.ApplicationFact("business", dt.date(2023, 11, 1), dt.date(2023, 11, 20), "r3_1"),          # not counted
        tables.ApplicationFact("research", dt.date(2024, 12, 30), dt.date(2025, 1, 6), "r3_2"),           # r1 → r4
        tables.ApplicationFact("other", dt.date(2024, 5, 6), dt.date(2024, 5, 20), "r3_6_2"),             # r1 → r3
    ]
    v = tables.compute(2024, applications=apps).values
    assert (v["t3.r1.total"], v["t3.r2.total"], v["t3.r3_7.total"], v["t3.r4.total"]) == (2, 2, 2, 2)
    assert v["t3.r4.research"] == 1 and v["t3.r2.business"] == 1 and v["t3.r3_6_2.other"] == 1
