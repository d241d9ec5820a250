"""Importing the same plan twice warns (same 发文字号 or same text); the person may still go on deliberately."""

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.workplans import services
from gongkai.workplans.models import PlanEvent, WorkPlan, text_fingerprint

from .conftest import make_region, member, seed_bytes

pytestmark = pytest.mark.django_db


def test_fingerprint_ignores_layout_and_punctuation():
    assert text_fingerprint("一、公开预算。\n（市财政局负责）") == text_fingerprint(" 一，公开预算 \r\n(市财政局负责)")
    assert text_fingerprint("一、公开预算。") != text_fingerprint("一、公开决算。")
    assert text_fingerprint(" \n。") == ""


def test_same_text_or_same_doc_no_is_refused_then_allowed(baoding, office):
    first = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")
    assert first.doc_no == "保政办函〔2021〕15号"
    with pytest.raises(services.WorkPlanDuplicate, match="发文字号相同、正文相同") as caught:
        services.workplan_import(actor=office, organ=baoding["bd_office"], data=seed_bytes("000"), filename="again.txt")
    assert caught.value.duplicates == [first] and WorkPlan.objects.count() == 1
    # The same text pasted with another layout is the same plan.
    pasted = seed_bytes("000").decode("utf-8").replace("\n", "\n\n").replace("。", "．")
    with pytest.raises(services.WorkPlanDuplicate, match="正文相同"):
        services.workplan_import(actor=office, organ=baoding["bd_gov"], data=pasted)
    # A revised text with the same 发文字号.
    revised = seed_bytes("000").decode("utf-8").replace("做好财政信息公开", "做好财政预决算信息公开")
    with pytest.raises(services.WorkPlanDuplicate, match="发文字号相同") as caught:
        services.workplan_import(actor=office, organ=baoding["bd_gov"], data=revised)
    assert "正文相同" not in str(caught.value)
    second = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=revised, allow_duplicate=True)
    assert WorkPlan.objects.count() == 2
    note = PlanEvent.objects.get(plan=second, action="导入").note
    assert "确认再次导入" in note and "《保定市2021年政务公开工作要点》（发文字号相同）" in note


def test_another_governments_plan_is_not_a_duplicate(baoding, office):
    services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")
    guangan = make_region("ga")
    ga_office = member(guangan["ga_gov"], Role.OFFICE, "ga")
    services.workplan_import(actor=ga_office, organ=guangan["ga_gov"], data=seed_bytes("000"), filename="保定.txt")
    assert WorkPlan.objects.count() == 2


def test_import_page_warns_in_chinese_and_proceeds_when_ticked(client, baoding, office):
    client.force_login(office)
    url = reverse("workplans:plan_import")
    text = "某市2023年政务公开工作要点\n一、公开预算。（市财政局负责）"
    assert "仍然导入" not in client.get(url).content.decode()
    client.post(url, {"organ": baoding["bd_gov"].pk, "text": text})
    page = client.post(url, {"organ": baoding["bd_gov"].pk, "text": text})
    body = page.content.decode()
    assert page.status_code == 200 and "可能已经导入过" in body and "正文相同" in body and "仍然导入" in body
    assert "查看已导入的《某市2023年政务公开工作要点》" in body
    assert WorkPlan.objects.count() == 1
    done = client.post(url, {"organ": baoding["bd_gov"].pk, "text": text, "allow_duplicate": "on"})
    assert done.status_code == 302 and WorkPlan.objects.count() == 2
