"""A task breakdown table pasted from a web page becomes a ledger with its units."""

import datetime as dt

import pytest

from gongkai.workplans import services
from gongkai.workplans.models import TaskUnit

pytestmark = pytest.mark.django_db

T = "\t"
PASTE = "\n".join([
    "保定市2023年政务公开工作要点任务分解表",
    T.join(["序号", "工作任务", "具体措施", "牵头单位", "责任单位", "完成时限"]),
    "一、加强政策公开解读",
    T.join(["（一）", "做好规范性文件公开", "1.全面梳理现行有效的行政规范性文件，在政府网站集中公开。", "市司法局", "市政府各部门",
            "2023年6月底前"]),
    "2.做好政策解读，重要政策同步解读；",
    "解读材料与政策文件同步公开。" + T + "市政府办公室" + T + "" + T + "长期坚持",
    "二、加强财政信息公开",
    T.join(["（二）", "财政预决算公开", "3.按时公开市本级预决算。", "市财政局", "各县（市、区）政府", "每季度"]),
])


def test_pasted_table_imports_as_a_ledger_with_units(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=PASTE)
    assert (plan.title, plan.year) == ("保定市2023年政务公开工作要点任务分解表", 2023)
    normative = plan.tasks.get(title__startswith="全面梳理现行有效")
    assert normative.number == "1" and normative.due_date == dt.date(2023, 6, 30)
    assert list(normative.units.get(role="lead").organs.all()) == [baoding["bd_sfj"]]
    reading = plan.tasks.get(title__startswith="做好政策解读")
    assert "解读材料与政策文件同步公开" in reading.title + reading.text
    assert list(reading.units.get(role="lead").organs.all()) == [baoding["bd_office"]]
    budget = plan.tasks.get(title__startswith="按时公开市本级预决算")
    assert list(budget.units.get(role="lead").organs.all()) == [baoding["bd_czj"]]
    assert baoding["bd_fuping"] in budget.units.get(name="各县（市、区）政府").organs.all()
    assert budget.freq == "quarterly"
    assert TaskUnit.objects.filter(task__plan=plan).count() == 5
    assert not plan.parsed["unplaced"]
