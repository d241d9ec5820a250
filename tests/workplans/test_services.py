"""Import, unit resolution, ledger, progress, publication, reminders, export — through the services."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gongkai.workplans import services
from gongkai.workplans.models import (
    PlanEvent,
    PlanStatus,
    Publication,
    Reminder,
    Task,
    TaskStatus,
    TaskUnit,
    UnitAlias,
    WorkPlan,
)
from gongkai.workplans.selectors import by_unit, heatmap, plan_stats, public_reports
from tests import factories

from .conftest import make_region, member, seed_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(baoding, office):
    return services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")


def _task(plan, title_start):
    return plan.tasks.get(title__startswith=title_start)


def test_import_builds_the_tree_and_matches_units(plan, baoding):
    assert plan.title == "保定市2021年政务公开工作要点"
    assert (plan.doc_no, plan.year, plan.status) == ("保政办函〔2021〕15号", 2021, PlanStatus.DRAFT)
    assert plan.tasks.count() == 23 and plan.tasks.filter(parent__isnull=True).count() == 5
    assert plan.tasks.filter(is_tracked=True).count() == 18
    first = _task(plan, "做好各类规划信息公开")
    lead = first.units.get(role="lead")
    assert list(lead.organs.all()) == [baoding["bd_office"]]
    departments = set(first.units.get(name="市政府各部门").organs.all())
    assert baoding["bd_czj"] in departments and baoding["bd_jingxiu"] not in departments
    counties = set(first.units.get(name="各县（市、区）政府").organs.all())
    assert counties == {baoding["bd_jingxiu"], baoding["bd_qingyuan"], baoding["bd_zhuozhou"], baoding["bd_fuping"]}
    assert _task(plan, "规范政务信息管理").due_date == dt.date(2021, 12, 31)
    matches = services.workplan_matches(plan)
    assert not matches["市委编办"].resolved and not matches["开发区管委会"].resolved
    assert PlanEvent.objects.filter(plan=plan, action="导入").exists()


def test_same_short_name_in_another_city_is_not_matched(baoding, office):
    guangan = make_region("ga")
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data="一、做好公开。（市政府办公室负责落实）")
    organs = set(plan.tasks.get().units.get().organs.all())
    assert organs == {baoding["bd_office"]} and guangan["ga_office"] not in organs


def test_resolving_a_name_once_is_remembered(plan, baoding, office):
    services.workplan_resolve_units(actor=office, plan=plan, choices={"市委编办": [baoding["bd_office"]]}, remember=["市委编办"])
    assert list(TaskUnit.objects.get(task__plan=plan, name="市委编办").organs.all()) == [baoding["bd_office"]]
    assert UnitAlias.objects.filter(scope=baoding["bd_gov"], name="市委编办").exists()
    again = services.workplan_import(actor=office, organ=baoding["bd_gov"], data="一、调整清单。（市委编办负责落实）")
    assert services.workplan_matches(again)["市委编办"].how == "alias"


def test_resolve_refuses_organs_outside_the_scope(plan, office):
    other = factories.OrganFactory()
    with pytest.raises(services.WorkPlanError, match="只能对应"):
        services.workplan_resolve_units(actor=office, plan=plan, choices={"市委编办": [other]})


def test_only_the_office_imports_and_bad_input_saves_nothing(baoding, office, czj_editor):
    with pytest.raises(PermissionDenied):
        services.workplan_import(actor=czj_editor, organ=baoding["bd_gov"], data=seed_bytes("000"))
    with pytest.raises(services.WorkPlanError, match="暂不支持PDF"):
        services.workplan_import(actor=office, organ=baoding["bd_gov"], data=b"%PDF-1.4", filename="x.pdf")
    with pytest.raises(services.WorkPlanError, match="没有识别出任何条目"):
        services.workplan_import(actor=office, organ=baoding["bd_gov"], data="请认真做好工作。")
    assert not WorkPlan.objects.exists() and not Task.objects.exists()


def test_progress_by_a_unit_with_public_evidence_and_review(plan, baoding, office, office2, czj_editor):
    task = _task(plan, "做好财政信息公开")
    with pytest.raises(services.WorkPlanError, match="执行中"):
        services.progress_report(actor=czj_editor, task=task, organ=baoding["bd_czj"], text="已公开预算。")
    services.workplan_activate(actor=office, plan=plan)
    evidence = factories.RecordFactory(organ=baoding["bd_czj"], published=True, title="保定市2021年预算公开")
    draft = factories.RecordFactory(organ=baoding["bd_czj"], title="未公开的草稿")
    with pytest.raises(services.WorkPlanError, match="已公开"):
        services.progress_report(actor=czj_editor, task=task, organ=baoding["bd_czj"], text="x", records=[draft])
    # A town is not named for this task (市政府各部门 and 各县（市、区）政府 are).
    from gongkai.core.models import Role

    town = member(baoding["bd_fuping_fp"], Role.EDITOR, "town")
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=town, task=task, organ=baoding["bd_fuping_fp"], text="x")
    report = services.progress_report(actor=czj_editor, task=task, organ=baoding["bd_czj"], text="已在专栏公开2021年预算。",
                                      records=[evidence], propose_public=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and report.publication == Publication.PROPOSED
    assert not public_reports([task.pk]).exists()
    with pytest.raises(PermissionDenied):
        services.progress_review_publication(actor=czj_editor, report=report, approve=True)
    services.progress_review_publication(actor=office2, report=report, approve=True)
    shown = list(public_reports([task.pk]))
    assert shown == [report] and shown[0].public_records == [evidence]


def test_office_cannot_approve_its_own_report(plan, baoding, office):
    services.workplan_activate(actor=office, plan=plan)
    task = _task(plan, "加强工作协调")
    report = services.progress_report(actor=office, task=task, organ=baoding["bd_office"], text="已协调。", propose_public=True)
    with pytest.raises(PermissionDenied):
        services.progress_review_publication(actor=office, report=report, approve=True)


def test_status_overdue_and_statistics(plan, baoding, office, czj_editor):
    services.workplan_activate(actor=office, plan=plan)
    ipv6 = _task(plan, "提升政务公开平台建设")
    assert ipv6.due_date == dt.date(2021, 6, 30)
    assert ipv6.display_status(dt.date(2021, 7, 1)) == "逾期"
    assert ipv6.display_status(dt.date(2021, 6, 30)) == "未开始"
    finance = _task(plan, "做好财政信息公开")
    services.progress_report(actor=czj_editor, task=finance, organ=baoding["bd_czj"], text="完成。", done=True,
                             reported_on=dt.date(2021, 7, 1))
    finance.refresh_from_db()
    assert finance.status == TaskStatus.DONE and finance.completed_on == dt.date(2021, 7, 1)
    stats = plan_stats(plan, dt.date(2021, 7, 1))
    assert (stats["total"], stats["done"], stats["overdue"]) == (18, 1, 1)
    rows = {r["organ"].pk: r for r in by_unit(plan, dt.date(2021, 7, 1))}
    assert rows[baoding["bd_czj"].pk]["done"] == 1
    sections, heat = heatmap(plan, dt.date(2021, 7, 1))
    assert len(sections) == 5 and heat


def test_task_done_needs_a_date_in_the_database(plan):
    task = plan.tasks.first()
    task.status = TaskStatus.DONE
    with pytest.raises(ValidationError):
        task.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_plan_log_is_append_only(plan):
    event = plan.events.first()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        PlanEvent.objects.filter(plan=plan).delete()


def test_public_only_when_active(plan, office):
    with pytest.raises(services.WorkPlanError):
        services.workplan_set_public(actor=office, plan=plan, public=True)
    services.workplan_activate(actor=office, plan=plan)
    services.workplan_set_public(actor=office, plan=plan, public=True)
    plan.refresh_from_db()
    assert plan.is_public


def test_draft_can_be_deleted_active_cannot(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data="一、做好公开。（市财政局负责落实）")
    services.workplan_delete_draft(actor=office, plan=plan)
    assert not WorkPlan.objects.exists()


def test_summary_record_goes_through_review(plan, office, db):
    from gongkai.records.models import Status

    factories.GenreFactory(code="news", name="工作动态")
    services.workplan_activate(actor=office, plan=plan)
    record = services.workplan_publish_summary(actor=office, plan=plan, body_html=services.summary_html(plan, dt.date(2021, 12, 31)))
    assert record.status == Status.DRAFT and record.title.endswith("落实情况")
    assert "共18项任务" in record.body


def test_assign_units_for_a_plan_without_any(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("001"), filename="广安.txt")
    task = plan.tasks.get(title="设立政务公开专区")
    services.task_assign(actor=office, task=task, role="responsible", organs=[baoding["bd_czj"]])
    assert list(task.units.get().organs.all()) == [baoding["bd_czj"]]


def test_reminders_once_per_task_and_date(plan, baoding, office, czj_editor):
    services.workplan_activate(actor=office, plan=plan)
    first = services.reminders_run(today=dt.date(2021, 6, 25), send_mail=False)
    assert any(r.kind == "deadline" and r.due == dt.date(2021, 6, 30) for r in first)
    assert not services.reminders_run(today=dt.date(2021, 6, 25), send_mail=False)
    overdue = services.reminders_run(today=dt.date(2021, 7, 2), send_mail=False)
    assert any(r.kind == "overdue" for r in overdue)
    assert Reminder.objects.filter(kind="deadline").count() >= 1
    ipv6 = Reminder.objects.get(kind="deadline", due=dt.date(2021, 6, 30))
    assert "czj@example.org" in ipv6.recipients  # 市政府各部门 includes 市财政局


def test_recurring_duty_reminded_when_period_ends_unreported(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data="某市2021年工作要点\n一、按季度公开财政收支。（市财政局负责落实）")
    services.workplan_activate(actor=office, plan=plan)
    found = services.reminders_run(today=dt.date(2021, 3, 28), send_mail=False, dry_run=True)
    assert [(r.kind, r.due) for r in found] == [("recurring", dt.date(2021, 3, 31))]


def test_export_has_the_ledger_layout(plan, baoding, office, czj_editor):
    import openpyxl

    from gongkai.workplans.exports import HEADERS, ledger_xlsx

    services.workplan_activate(actor=office, plan=plan)
    services.progress_report(actor=czj_editor, task=_task(plan, "做好财政信息公开"), organ=baoding["bd_czj"], text="已公开预算。")
    book = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(plan, dt.date(2021, 7, 1))))
    sheet = book.active
    assert sheet["A1"].value == "保定市2021年政务公开工作要点工作台账"
    assert [c.value for c in sheet[3]] == HEADERS
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    assert len(rows) == 23
    finance = next(r for r in rows if r[1].strip() == "做好财政信息公开")
    assert finance[3] == "市财政局" and finance[7] == "进行中" and "已公开预算" in finance[8]


def test_members_see_only_their_plans(plan, baoding, office):
    from gongkai.core.models import Role
    from gongkai.workplans import rules

    stranger = member(factories.OrganFactory(), Role.EDITOR, "stranger")
    assert rules.can_view(office, plan) and not rules.can_view(stranger, plan)
    town = member(baoding["bd_fuping_fp"], Role.EDITOR, "town")
    assert not rules.can_view(town, plan)


def test_plan_changes_reach_the_platform_audit_log(plan, baoding, office):
    from gongkai.core.models import AuditEvent, AuditEventType

    services.workplan_resolve_units(actor=office, plan=plan, choices={"市委编办": [baoding["bd_office"]]}, remember=["市委编办"])
    event = AuditEvent.objects.for_object(plan).filter(event_type=AuditEventType.WORKPLAN_CHANGED).latest("id")
    assert event.actor == office and "确认单位" in event.note
    assert event.changes == {"names": ["市委编办"]}
