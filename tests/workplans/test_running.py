"""Only a running plan's tasks are overdue or reminded: not before 开始执行, never once 已归档."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.workplans import services
from gongkai.workplans.models import PlanStatus, Reminder, Task, TaskStatus
from gongkai.workplans.selectors import by_unit, plan_stats

from .conftest import seed_bytes

pytestmark = pytest.mark.django_db

AFTER_THE_YEAR = dt.date(2022, 3, 1)   # every 2021 time limit of 保定's plan has passed


@pytest.fixture
def plan(baoding, office):
    return services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")


def _overdue_ids(today):
    return set(Task.objects.overdue(today=today).values_list("pk", flat=True))


def test_a_draft_has_nothing_overdue_and_sends_nothing(client, plan, office):
    assert plan.status == PlanStatus.DRAFT
    assert _overdue_ids(AFTER_THE_YEAR) == set()
    assert plan_stats(plan, AFTER_THE_YEAR)["overdue"] == 0
    assert all(row["overdue"] == 0 for row in by_unit(plan, AFTER_THE_YEAR))
    assert services.reminders_run(today=AFTER_THE_YEAR) == []
    assert not Reminder.objects.exists() and not mail.outbox
    client.force_login(office)
    page = client.get(reverse("workplans:plan", args=[plan.pk])).content.decode()
    assert "逾期</span>" not in page and "开始执行前不计逾期" in page


def test_once_running_the_same_tasks_are_overdue_and_reminded(plan, office, czj_editor):
    services.workplan_activate(actor=office, plan=plan)
    overdue = _overdue_ids(AFTER_THE_YEAR)
    assert overdue == set(plan.tasks.filter(is_tracked=True).values_list("pk", flat=True))
    assert plan_stats(plan, AFTER_THE_YEAR)["overdue"] == len(overdue)
    created = services.reminders_run(today=AFTER_THE_YEAR, send_mail=False)
    assert {r.task_id for r in created if r.kind == "overdue"} == overdue


def test_row_rule_and_queryset_rule_agree(plan, baoding, office):
    """Task.is_overdue (a page holding the rows) and TaskQuerySet.overdue (counts, reminders) are one rule."""
    other = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="b.txt",
                                          allow_duplicate=True)
    services.workplan_activate(actor=office, plan=plan)
    done = plan.tasks.filter(is_tracked=True).first()
    services.task_set_status(actor=office, task=done, status=TaskStatus.DONE, completed_on=dt.date(2021, 5, 1))
    untracked = plan.tasks.filter(is_tracked=True).last()
    services.task_set_tracked(actor=office, task=untracked, tracked=False)
    for today in (dt.date(2021, 1, 2), dt.date(2021, 7, 1), AFTER_THE_YEAR):
        ids = _overdue_ids(today)
        for task in Task.objects.filter(plan__in=[plan, other]).select_related("plan"):
            assert task.is_overdue(today) == (task.pk in ids), (task, today)
    assert done.pk not in _overdue_ids(AFTER_THE_YEAR) and untracked.pk not in _overdue_ids(AFTER_THE_YEAR)


def test_a_past_year_plan_is_archived_and_never_reminded(client, plan, office, czj_editor):
    services.workplan_activate(actor=office, plan=plan)
    services.workplan_archive(actor=office, plan=plan, today=AFTER_THE_YEAR)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ARCHIVED and plan.get_status_display() == "已归档"
    assert _overdue_ids(AFTER_THE_YEAR) == set()
    assert services.reminders_run(today=AFTER_THE_YEAR) == [] and not mail.outbox
    with pytest.raises(services.WorkPlanError, match="已归档"):
        services.task_set_status(actor=office, task=plan.tasks.filter(is_tracked=True).first(), status=TaskStatus.DONE)
    event = AuditEvent.objects.filter(event_type=AuditEventType.WORKPLAN_CHANGED).latest("pk")
    assert event.note == "归档" and event.changes == {"status": ["active", "archived"]}
    # It can still be published for the record.
    services.workplan_set_public(actor=office, plan=plan, public=True)
    assert client.get(plan.get_public_url()).status_code == 200
    with pytest.raises(services.WorkPlanError, match="已经归档"):
        services.workplan_archive(actor=office, plan=plan, today=AFTER_THE_YEAR)


def test_a_draft_of_a_past_year_is_archived_from_the_page(client, plan, office):
    client.force_login(office)
    response = client.post(reverse("workplans:plan_action", args=[plan.pk, "archive"]), follow=True)
    assert "已归档" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ARCHIVED


def test_this_years_plan_cannot_be_archived(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data="2021年工作要点\n一、公开预算。（市财政局负责）")
    with pytest.raises(services.WorkPlanError, match="还没有结束"):
        services.workplan_archive(actor=office, plan=plan, today=dt.date(2021, 12, 31))
    assert services.workplan_archive_failure_reason(actor=office, plan=plan, today=dt.date(2022, 1, 1)) is None


def test_my_tasks_lists_only_running_overdue_tasks(client, plan, baoding, office, czj_editor):
    client.force_login(czj_editor)
    assert "已逾期" not in client.get(reverse("workplans:my_tasks")).content.decode()
    services.workplan_activate(actor=office, plan=plan)
    assert "项任务已逾期" in client.get(reverse("workplans:my_tasks")).content.decode()


def test_the_ledger_page_does_not_query_the_plan_per_task(client, plan, office, django_assert_max_num_queries):
    services.workplan_activate(actor=office, plan=plan)
    client.force_login(office)
    url = reverse("workplans:plan", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(plan.tasks.count()):  # 19 today; one query a task for its plan would be 40+
        assert client.get(url).status_code == 200
