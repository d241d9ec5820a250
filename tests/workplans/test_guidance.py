"""指导思想, 基本原则, 工作目标, 保障措施 are text of the plan, not tasks; the confirming person can toggle."""

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.workplans import services
from gongkai.workplans.models import PlanEvent, TaskStatus
from gongkai.workplans.parsing import parse_file, parse_text

from .conftest import seed_bytes


def _by_title(plan, title):
    return next(i for i in plan.walk() if i.title == title)


def test_guangan_opening_is_text_and_its_tasks_stay_tasks():
    plan = parse_file(seed_bytes("001"), "广安.txt")
    for title in ("总体要求", "指导思想", "基本原则", "坚持需求导向", "注重统筹推进", "工作目标"):
        assert _by_title(plan, title).guidance, title
    # 工作目标 gives a date (2023年12月底前 … 全面完成): the goal's horizon, not a task's time limit.
    assert _by_title(plan, "工作目标").deadlines
    for title in ("工作任务", "深入推进重大行政决策预公开", "研究部署阶段(2022年7月底前)"):
        assert not _by_title(plan, title).guidance, title
    # Under 工作要求, an item that names a time (每月上报…每季度形成工作报告) stays a task.
    assert _by_title(plan, "加强组织领导").guidance
    assert not _by_title(plan, "务求工作实效").guidance


def test_a_unit_or_a_deadline_keeps_an_item_a_task():
    plan = parse_text("某县2023年政务公开工作要点\n一、总体要求\n（一）指导思想。坚持以人民为中心。\n"
                      "（二）工作目标。年底前建成标准目录体系。（县政府办公室牵头）\n"
                      "二、保障措施\n（一）加强组织领导。各单位要高度重视。\n（二）加强培训。6月底前组织一次培训。\n"
                      "（三）强化考核。（县政府办公室负责）")
    assert _by_title(plan, "指导思想").guidance
    assert not _by_title(plan, "工作目标").guidance       # names a unit
    assert _by_title(plan, "加强组织领导").guidance
    assert not _by_title(plan, "加强培训").guidance        # names a deadline
    assert not _by_title(plan, "强化考核").guidance        # names a unit
    assert not _by_title(plan, "保障措施").guidance        # a heading with tasks under it
    assert plan.to_dict()["items"][0]["children"][0]["guidance"] is True
    assert not _by_title(plan, "总体要求").guidance       # 工作目标 under it is a task


@pytest.mark.django_db
def test_import_keeps_guidance_out_of_the_ledger(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("001"), filename="广安.txt")
    principle = plan.tasks.get(title="坚持需求导向")
    assert not principle.is_tracked
    assert not plan.tasks.get(title="工作目标").is_tracked
    assert plan.tasks.get(title="深入推进重大行政决策预公开").is_tracked


@pytest.mark.django_db
def test_confirming_person_toggles_an_item_and_it_is_audited(client, baoding, office, czj_editor):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("001"), filename="广安.txt")
    principle = plan.tasks.get(title="坚持需求导向")
    client.force_login(office)
    page = client.get(reverse("workplans:plan", args=[plan.pk])).content.decode()
    assert "说明性内容" in page and "改为任务" in page
    response = client.post(reverse("workplans:task_tracked", args=[principle.pk]), {"tracked": "1", "back": "plan"})
    assert response.status_code == 302 and response["Location"].endswith(f"#task-{principle.pk}")
    principle.refresh_from_db()
    assert principle.is_tracked
    event = AuditEvent.objects.filter(event_type=AuditEventType.WORKPLAN_CHANGED).latest("pk")
    assert "改为任务" in event.note and event.changes == {"is_tracked": [False, True]}
    assert PlanEvent.objects.filter(plan=plan, task=principle, action__startswith="改为任务").exists()
    services.task_set_tracked(actor=office, task=principle, tracked=False)
    principle.refresh_from_db()
    assert not principle.is_tracked
    # A unit's clerk cannot change what counts.
    client.force_login(czj_editor)
    assert client.post(reverse("workplans:task_tracked", args=[principle.pk]), {"tracked": "1"}).status_code in (403, 404)
    principle.refresh_from_db()
    assert not principle.is_tracked


@pytest.mark.django_db
def test_a_task_with_progress_cannot_become_text(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")
    services.workplan_activate(actor=office, plan=plan)
    task = plan.tasks.filter(is_tracked=True).first()
    services.progress_report(actor=office, task=task, organ=baoding["bd_gov"], text="已完成。")
    with pytest.raises(services.WorkPlanError, match="已有进展"):
        services.task_set_tracked(actor=office, task=task, tracked=False)
    task.refresh_from_db()
    assert task.is_tracked and task.status == TaskStatus.IN_PROGRESS
