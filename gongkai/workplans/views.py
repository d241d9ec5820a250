"""Work-plan pages: staff pages under workspace/plans/, the public page under plans/.

Each staff view checks access through ``rules`` (built on gongkai.core.permissions),
validates a form, calls one service, adds a message and redirects.
"""

from __future__ import annotations

from django import forms as djforms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from gongkai.core.history import HistoryRow, history_row
from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, organs_where, staff_required
from gongkai.core.redirects import safe_next
from gongkai.records.models import Record

from . import exports, forms, rules, selectors, services
from .models import (
    PlanStatus,
    ProgressReport,
    Publication,
    Reminder,
    Task,
    TaskStatus,
    TaskUnit,
    UnitRole,
    WorkPlan,
)


def _plan_for(user, pk: int, *, manage: bool = False) -> WorkPlan:
    plan = get_object_or_404(WorkPlan.objects.select_related("organ"), pk=pk)
    allowed = rules.can_manage(user, plan) if manage else rules.can_view(user, plan)
    if not allowed:
        raise Http404("没有找到这份工作要点。")
    return plan


def _plan_history(plan: WorkPlan) -> list[HistoryRow]:
    """The plan's own events as history rows; keys a service writes for a unit or a progress report are named here."""
    extra = {"role": TaskUnit._meta.get_field("role"), "publication": ProgressReport._meta.get_field("publication")}
    return [
        history_row(at=e.created_at, actor=e.actor, event=e.action, changes=e.changes, model=Task if e.task_id else WorkPlan,
                    note=e.note, subject=Truncator(e.task.title).chars(30) if e.task else "", extra=extra)
        for e in plan.events.select_related("actor", "task")[:30]
    ]


def _task_for(user, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("plan", "plan__organ", "parent"), pk=pk)
    if not rules.can_view(user, task.plan):
        raise Http404("没有找到这项任务。")
    return task


@staff_required
def plan_list(request):
    user = request.user
    today = timezone.localdate()
    plans = list(selectors.plans_for(user).order_by("-year", "-created_at"))
    for plan in plans:
        plan.stats = selectors.plan_stats(plan, today)
        plan.manageable = rules.can_manage(user, plan)
    return render(request, "workplans/plan_list.html", {
        "plans": plans, "can_import": organs_where(user, Perm.ORGAN_OVERSEE).exists(), "nav": "plans",
    })


@staff_required
def plan_import(request):
    organs = organs_where(request.user, Perm.ORGAN_OVERSEE)
    if not organs.exists():
        raise PermissionDenied("只有公开办可以导入工作要点。")
    form = forms.ImportForm(request.POST or None, request.FILES or None, organs=organs,
                            initial={"organ": organs.order_by("path").first()})
    duplicate: list[WorkPlan] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data, filename = (upload.read(), upload.name) if upload else (form.cleaned_data["text"], "")
        try:
            plan = services.workplan_import(actor=request.user, organ=form.cleaned_data["organ"], data=data,
                                            filename=filename, allow_duplicate=form.cleaned_data["allow_duplicate"])
        except services.WorkPlanDuplicate as exc:
            form.add_error(None, str(exc) + ("上传的文件需要重新选择。" if upload else ""))
            duplicate = exc.duplicates
        except services.WorkPlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已导入《{plan.title}》，共{plan.tasks.count()}个条目。请核对单位名称，然后开始执行。")
            return redirect("workplans:plan", pk=plan.pk)
    return render(request, "workplans/plan_import.html", {"form": form, "nav": "plans", "duplicates": duplicate})


@staff_required
def plan_detail(request, pk: int):
    plan = _plan_for(request.user, pk)
    today = timezone.localdate()
    tasks = list(selectors.ledger(plan))
    parents = {t.parent_id for t in tasks}
    for task in tasks:
        task.is_heading = task.pk in parents
    matches = services.workplan_matches(plan)
    manage = rules.can_manage(request.user, plan)
    form = forms.PlanForm(initial={"title": plan.title, "year": plan.year, "default_due": plan.default_due,
                                   "summary": plan.summary}) if manage else None
    return render(request, "workplans/plan_detail.html", {
        "plan": plan, "tasks": tasks, "today": today, "manage": manage, "form": form,
        "stats": selectors.plan_stats(plan, today),
        "unresolved": [m for m in matches.values() if not m.resolved],
        "activate_reason": services.workplan_activate_failure_reason(actor=request.user, plan=plan),
        "archive_reason": services.workplan_archive_failure_reason(actor=request.user, plan=plan, today=today),
        "parsed": plan.parsed, "nav": "plans",
        "history": _plan_history(plan),
    })


@staff_required
@require_POST
def plan_edit(request, pk: int):
    plan = _plan_for(request.user, pk, manage=True)
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    else:
        services.workplan_update(actor=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, "已保存。")
    return redirect("workplans:plan", pk=plan.pk)


@staff_required
@require_POST
def plan_action(request, pk: int, action: str):
    plan = _plan_for(request.user, pk, manage=True)
    try:
        if action == "activate":
            services.workplan_activate(actor=request.user, plan=plan)
            messages.success(request, "已开始执行，责任单位现在可以报送进展。")
        elif action == "archive":
            services.workplan_archive(actor=request.user, plan=plan)
            messages.success(request, "已归档。归档的工作要点不计逾期、不发提醒，可以继续公开执行情况。")
        elif action == "publish":
            services.workplan_set_public(actor=request.user, plan=plan, public=True)
            messages.success(request, "已公开执行情况。只有经审核公开的进展会显示在门户。")
        elif action == "unpublish":
            services.workplan_set_public(actor=request.user, plan=plan, public=False)
            messages.success(request, "已取消公开。")
        elif action == "delete":
            services.workplan_delete_draft(actor=request.user, plan=plan)
            messages.success(request, "已删除。")
            return redirect("workplans:plans")
        elif action == "summary":
            record = services.workplan_publish_summary(actor=request.user, plan=plan,
                                                       body_html=services.summary_html(plan, timezone.localdate()))
            messages.success(request, f"已生成落实情况信息草稿（索引号 {record.index_no}），提交审核后即可发布。")
            return redirect("workspace:record", pk=record.pk)
        else:
            raise Http404
    except services.WorkPlanError as exc:
        messages.error(request, str(exc))
    return redirect("workplans:plan", pk=plan.pk)


def _resolve_form(matches, organs):
    fields = {}
    for index, match in enumerate(matches.values()):
        fields[f"organs_{index}"] = djforms.ModelMultipleChoiceField(
            organs, required=False, label=match.name, initial=list(match.organ_ids) if match.resolved else [])
        fields[f"remember_{index}"] = djforms.BooleanField(required=False, label="记住这个对照",
                                                           initial=not match.resolved)
    return type("ResolveForm", (djforms.Form,), fields)


@staff_required
def plan_units(request, pk: int):
    plan = _plan_for(request.user, pk, manage=True)
    matches = services.workplan_matches(plan)
    scope = services.workplan_scope(plan.organ)
    organs = Organ.objects.subtree(scope).active().order_by("path")
    form_class = _resolve_form(matches, organs)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        choices, remember = {}, []
        for index, name in enumerate(matches):
            choices[name] = list(form.cleaned_data[f"organs_{index}"])
            if form.cleaned_data[f"remember_{index}"]:
                remember.append(name)
        try:
            changed = services.workplan_resolve_units(actor=request.user, plan=plan, choices=choices, remember=remember)
        except services.WorkPlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存单位对应关系（更新{changed}处）。")
            return redirect("workplans:plan", pk=plan.pk)
    rows = []
    for index, (name, match) in enumerate(matches.items()):
        rows.append({"match": match, "organs": form[f"organs_{index}"], "remember": form[f"remember_{index}"],
                     "uses": plan.tasks.filter(units__name=name).distinct().count()})
    rows.sort(key=lambda r: (r["match"].resolved, 0))
    return render(request, "workplans/plan_units.html", {"plan": plan, "rows": rows, "form": form, "scope": scope,
                                                         "nav": "plans"})


@staff_required
def plan_overview(request, pk: int):
    plan = _plan_for(request.user, pk, manage=True)
    today = timezone.localdate()
    sections, heat_rows = selectors.heatmap(plan, today)
    return render(request, "workplans/plan_overview.html", {
        "plan": plan, "today": today, "stats": selectors.plan_stats(plan, today),
        "units": selectors.by_unit(plan, today), "sections": sections, "heat_rows": heat_rows,
        "overdue": selectors.overdue_tasks(plan.tasks.all(), today),
        "proposed": ProgressReport.objects.filter(task__plan=plan, publication=Publication.PROPOSED)
        .select_related("task", "organ", "author"),
        "nav": "plans",
    })


@staff_required
def plan_export(request, pk: int):
    plan = _plan_for(request.user, pk)
    data = exports.ledger_xlsx(plan, timezone.localdate())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(plan.title + '工作台账.xlsx')}"
    return response


@staff_required
def my_tasks(request):
    today = timezone.localdate()
    mine = selectors.tasks_for(request.user)
    tasks = list(mine.order_by("due_date", "plan", "path"))
    return render(request, "workplans/my_tasks.html", {
        "tasks": tasks, "today": today, "nav": "plans",
        "overdue": list(selectors.overdue_tasks(mine, today)),
        "reminders": Reminder.objects.filter(task__in=tasks).select_related("task")[:20],
    })


def _report_organs(user, task: Task):
    organs = rules.task_organs(task)
    if rules.can_manage(user, task.plan):
        return organs if organs.exists() else Organ.objects.filter(pk=task.plan.organ_id)
    return organs.filter(pk__in=rules.reporting_organs(user))


def _evidence_records(task: Task):
    """Public records of the plan's government and the organs below it: what a report may cite."""
    scope = services.workplan_scope(task.plan.organ)
    recent = Record.objects.public().filter(organ__path__startswith=scope.path).order_by("-published_at")
    return Record.objects.public().filter(pk__in=recent.values("pk")[:300]).order_by("-published_at")


@staff_required
def task_detail(request, pk: int):
    task = _task_for(request.user, pk)
    user = request.user
    today = timezone.localdate()
    manage = rules.can_manage(user, task.plan)
    report_organs = _report_organs(user, task)
    can_report = task.plan.status == PlanStatus.ACTIVE and report_organs.exists()
    form = forms.ProgressForm(request.POST or None, request.FILES or None, organs=report_organs,
                              records=_evidence_records(task),
                              initial={"organ": report_organs.first(), "reported_on": today})
    if request.method == "POST" and can_report and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report(actor=user, task=task, organ=data["organ"], text=data["text"],
                                     reported_on=data["reported_on"], records=data["records"], link=data["link"],
                                     files=request.FILES.getlist("files"), propose_public=data["propose_public"],
                                     done=data["done"])
        except services.WorkPlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已报送进展。")
            return redirect("workplans:task", pk=task.pk)
    scope = services.workplan_scope(task.plan.organ)
    return render(request, "workplans/task_detail.html", {
        "task": task, "plan": task.plan, "today": today, "manage": manage, "form": form, "can_report": can_report,
        "units": task.units.prefetch_related("organs"),
        "reports": task.reports.select_related("organ", "author", "reviewed_by").prefetch_related("records", "attachments"),
        "status_form": forms.StatusForm(initial={"status": task.status}),
        "assign_form": forms.AssignForm(organs=Organ.objects.subtree(scope).active().order_by("path")) if manage else None,
        "children": task.children.order_by("path"),
        "nav": "plans",
    })


@staff_required
@require_POST
def task_status(request, pk: int):
    task = _task_for(request.user, pk)
    form = forms.StatusForm(request.POST)
    organ = _report_organs(request.user, task).first()
    if form.is_valid():
        try:
            services.task_set_status(actor=request.user, task=task, status=form.cleaned_data["status"], organ=organ)
            messages.success(request, "已更新状态。")
        except services.WorkPlanError as exc:
            messages.error(request, str(exc))
    return redirect("workplans:task", pk=task.pk)


@staff_required
@require_POST
def task_tracked(request, pk: int):
    task = _task_for(request.user, pk)
    tracked = request.POST.get("tracked") == "1"
    try:
        services.task_set_tracked(actor=request.user, task=task, tracked=tracked)
        messages.success(request, f"“{task.title[:30]}”已改为{'任务，纳入台账' if tracked else '说明性内容，不纳入台账'}。")
    except services.WorkPlanError as exc:
        messages.error(request, str(exc))
    if request.POST.get("back") == "plan":
        return redirect(f"{task.plan.get_absolute_url()}#task-{task.pk}")
    return redirect("workplans:task", pk=task.pk)


@staff_required
@require_POST
def task_assign(request, pk: int):
    task = _task_for(request.user, pk)
    if not rules.can_manage(request.user, task.plan):
        raise PermissionDenied("只有公开办可以指定责任单位。")
    scope = services.workplan_scope(task.plan.organ)
    form = forms.AssignForm(request.POST, organs=Organ.objects.subtree(scope).active())
    if form.is_valid():
        try:
            services.task_assign(actor=request.user, task=task, role=form.cleaned_data["role"],
                                 organs=list(form.cleaned_data["organs"]))
            messages.success(request, "已指定单位。")
        except services.WorkPlanError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "请选择单位。")
    return redirect("workplans:task", pk=task.pk)


@staff_required
@require_POST
def report_publication(request, pk: int):
    report = get_object_or_404(ProgressReport.objects.select_related("task__plan__organ"), pk=pk)
    if not rules.can_view(request.user, report.task.plan):
        raise Http404
    try:
        services.progress_review_publication(actor=request.user, report=report, approve=request.POST.get("approve") == "1")
        messages.success(request, "已审核。")
    except services.WorkPlanError as exc:
        messages.error(request, str(exc))
    return redirect(safe_next(request, request.POST.get("next"), report.task.get_absolute_url()))


# --- public -------------------------------------------------------------------------


def public_plan_list(request):
    return render(request, "workplans/public_list.html", {"plans": selectors.public_plans()})


def public_plan(request, pk: int):
    plan = get_object_or_404(selectors.public_plans(), pk=pk)
    today = timezone.localdate()
    tasks = list(plan.tasks.select_related("plan").prefetch_related("units").order_by("path"))
    reports: dict[int, list] = {}
    for report in selectors.public_reports([t.pk for t in tasks]):
        reports.setdefault(report.task_id, []).append(report)
    for task in tasks:
        task.public_reports = reports.get(task.pk, [])
        task.unit_rows = [(label, [u.name for u in task.units.all() if u.role == role])
                          for role, label in UnitRole.choices]
    return render(request, "workplans/public_plan.html", {
        "plan": plan, "tasks": tasks, "today": today, "stats": selectors.plan_stats(plan, today),
        "TaskStatus": TaskStatus,
    })
