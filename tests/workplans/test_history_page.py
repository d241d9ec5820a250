"""The plan page's history reads in Chinese: labels, names, no stored values."""

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.workplans import services
from gongkai.workplans.models import TaskStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_plan_history_shows_labels_names_and_the_task(client, baoding):
    office = factories.member(baoding["bd_gov"], Role.OFFICE, "gkb-history", first_name="周公开")
    plan = factories.WorkPlanFactory(organ=baoding["bd_gov"], title="2025年保定市政务公开工作要点")
    task = factories.TaskFactory(plan=plan, title="做好财政预决算信息公开")
    services.workplan_activate(actor=office, plan=plan)
    services.workplan_set_public(actor=office, plan=plan, public=True)
    services.task_set_status(actor=office, task=task, status=TaskStatus.IN_PROGRESS)
    client.force_login(office)
    page = client.get(reverse("workplans:plan", args=[plan.pk])).content.decode()
    history = page.split('<h2 id="history-h">操作记录</h2>', 1)[1].split("</section>", 1)[0]
    assert "开始执行" in history and "状态：待确认 → 执行中" in history
    assert "公开执行情况：否 → 是" in history
    assert "状态：未开始 → 进行中" in history and "做好财政预决算信息公开" in history
    assert history.count("周公开") == 3
    for raw in ("draft", "active", "in_progress", "not_started", "is_public", "True", "gkb-history"):
        assert raw not in history
