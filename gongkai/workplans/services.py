"""Writes to work plans. Each service is its transaction, checks permission, and logs a PlanEvent.

Refusals raise :class:`WorkPlanError` with a Chinese reason, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

from gongkai.core.audit import audit_log
from gongkai.core.files import upload_content_error
from gongkai.core.models import AuditEventType, Organ, OrganKind
from gongkai.core.permissions import Perm, require
from gongkai.records.models import Genre, Record

from . import rules
from .matching import OrganInfo, match_name
from .models import (
    PlanEvent,
    PlanStatus,
    ProgressAttachment,
    ProgressReport,
    Publication,
    Task,
    TaskStatus,
    TaskUnit,
    UnitAlias,
    UnitRole,
    WorkPlan,
    text_fingerprint,
)
from .parsing import Item, ParsedPlan, SourceError, parse_file, parse_text

MAX_UPLOAD = 20 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt", ".ofd", ".wps", ".zip")


class WorkPlanError(Exception):
    """An action cannot happen; the message says why, in Chinese."""


class WorkPlanDuplicate(WorkPlanError):
    """The plan seems imported already (same 发文字号 or same text); ``duplicates`` lists the earlier plans."""

    def __init__(self, message: str, duplicates: list[WorkPlan]):
        super().__init__(message)
        self.duplicates = duplicates


def _log(*, plan: WorkPlan, actor, action: str, task: Task | None = None, changes: dict | None = None, note: str = "") -> None:
    """Write the plan's own history and the platform audit log, in the caller's transaction."""
    PlanEvent.objects.create(plan=plan, task=task, actor=actor if getattr(actor, "is_authenticated", False) else None,
                             action=action, changes=changes or {}, note=note)
    event_type = AuditEventType.WORKPLAN_PROGRESS if "进展" in action else AuditEventType.WORKPLAN_CHANGED
    audit_log(actor=actor, event_type=event_type, obj=task or plan, organ=plan.organ, changes=changes or {},
              note=f"{action}：{note}" if note else action)


def _require_manage(actor, plan: WorkPlan) -> None:
    if not rules.can_manage(actor, plan):
        raise PermissionDenied("只有该机关的公开办可以管理这份工作要点。")


# --- import ---------------------------------------------------------------------


def workplan_parse(*, data: bytes | str, filename: str = "") -> ParsedPlan:
    try:
        plan = parse_text(data) if isinstance(data, str) else parse_file(data, filename)
    except SourceError as exc:
        raise WorkPlanError(str(exc)) from exc
    if not any(True for _ in plan.walk()):
        raise WorkPlanError("没有识别出任何条目：请确认文中有“一、（一）1.”等编号，或上传任务分解表（含序号、工作任务、责任单位等表头）。")
    return plan


def _due_of(item: Item) -> tuple[dt.date | None, str]:
    dates = [d.due for d in item.deadlines if d.kind in ("date", "period") and d.due]
    freqs = [d.freq for d in item.deadlines if d.kind == "recurrence" and d.freq]
    return (max(dates) if dates else None), (freqs[0] if freqs else "")


def workplan_scope(organ: Organ) -> Organ:
    """The government (or top organ) within whose organs unit names are matched."""
    for candidate in [organ, *reversed(organ.ancestors())]:
        if candidate.kind == OrganKind.GOVERNMENT:
            return candidate
    ancestors = organ.ancestors()
    return ancestors[0] if ancestors else organ


def workplan_duplicates(*, organ: Organ, doc_no: str, source_hash: str) -> list[tuple[WorkPlan, str]]:
    """Plans of the same government already imported with the same 发文字号 or the same text, with why."""
    scope = workplan_scope(organ)
    same = Q(source_hash=source_hash) if source_hash else Q(pk__in=[])
    if doc_no:
        same |= Q(doc_no=doc_no)
    found = []
    for plan in WorkPlan.objects.filter(same, organ__path__startswith=scope.path).order_by("created_at"):
        reasons = [r for r, hit in (("发文字号相同", bool(doc_no) and plan.doc_no == doc_no),
                                    ("正文相同", bool(source_hash) and plan.source_hash == source_hash)) if hit]
        found.append((plan, "、".join(reasons)))
    return found


def _duplicate_message(found: list[tuple[WorkPlan, str]]) -> str:
    listed = "；".join(f"《{p.title}》（{why}，{timezone.localtime(p.created_at):%Y-%m-%d}导入，{p.get_status_display()}）"
                      for p, why in found)
    return f"这份工作要点可能已经导入过：{listed}。如确需再次导入（例如修订后的版本），请勾选“仍然导入”后重新提交。"


@transaction.atomic
def workplan_import(*, actor, organ: Organ, data: bytes | str, filename: str = "",
                    source_record: Record | None = None, allow_duplicate: bool = False) -> WorkPlan:
    """Parse and save a plan as a draft ledger (待确认).

    Importing the same plan twice (same 发文字号, or the same text however it
    was laid out) is refused with :class:`WorkPlanDuplicate` unless
    ``allow_duplicate`` says the person means it; the log notes the earlier plans.
    """
    require(actor, Perm.ORGAN_OVERSEE, organ)
    parsed = workplan_parse(data=data, filename=filename)
    year = parsed.year or timezone.localdate().year
    if isinstance(data, bytes):
        source_text = "\n".join(b if isinstance(b, str) else "\n".join("\t".join(r) for r in b.rows)
                                for b in _blocks(data, filename))
    else:
        source_text = data
    source_hash = text_fingerprint(source_text)
    duplicates = workplan_duplicates(organ=organ, doc_no=parsed.doc_no[:60], source_hash=source_hash)
    if duplicates and not allow_duplicate:
        raise WorkPlanDuplicate(_duplicate_message(duplicates), [p for p, _ in duplicates])
    plan = WorkPlan.objects.create(
        organ=organ, title=(parsed.title or filename or "未命名工作要点")[:200], notice_title=parsed.notice_title[:300],
        issuer=parsed.issuer[:100], doc_no=parsed.doc_no[:60], written_on=parsed.written_on, year=year,
        default_due=dt.date(year, 12, 31), source_name=filename[:200], source_text=source_text, source_hash=source_hash,
        parsed=parsed.to_dict(), source_record=source_record, report_promise=parsed.report_promise,
        created_by=actor,
    )
    counter = [0]

    def add(items: list[Item], parent: Task | None, prefix: str, depth: int) -> None:
        for index, item in enumerate(items, start=1):
            counter[0] += 1
            path = f"{prefix}{index:04d}"
            due, freq = _due_of(item)
            task = Task.objects.create(
                plan=plan, parent=parent, path=path, depth=depth, number=item.number[:20], kind=item.style or "item",
                title=(item.title or item.text[:80] or "（无标题）")[:500], text=item.text,
                unit_clauses="\n".join(item.units.raw), deadlines=[d.to_dict() for d in item.deadlines],
                due_date=due, freq=freq, separately=item.units.separately, line=item.line,
                is_tracked=not item.guidance and (bool(item.units) or not item.children),
            )
            for role, names in ((UnitRole.LEAD, item.units.lead), (UnitRole.RESPONSIBLE, item.units.responsible),
                                (UnitRole.COOPERATING, item.units.cooperating)):
                for order, name in enumerate(names):
                    TaskUnit.objects.create(task=task, role=role, name=name[:100], order=order)
            add(item.children, task, path + ".", depth + 1)

    add(parsed.items, None, "", 0)
    workplan_match_units(plan=plan)
    again = ("；确认再次导入，与" + "、".join(f"《{p.title}》（{why}）" for p, why in duplicates) + "重复") if duplicates else ""
    _log(plan=plan, actor=actor, action="导入", note=f"{counter[0]}个条目，{len(parsed.unit_names())}个单位名称，"
         f"{len(parsed.warnings)}条提示，{len(parsed.unplaced)}段未归位{again}")
    return plan


def _blocks(data: bytes, filename: str):
    from .parsing import read_blocks

    return read_blocks(data, filename)


def _organ_infos(scope: Organ) -> list[OrganInfo]:
    return [OrganInfo(o.pk, o.name, o.short_name, tuple(o.aliases or ()), o.kind, o.parent_id)
            for o in Organ.objects.subtree(scope).active()]


def _scope_info(scope: Organ) -> OrganInfo:
    return OrganInfo(scope.pk, scope.name, scope.short_name, tuple(scope.aliases or ()), scope.kind, scope.parent_id)


def saved_aliases(scope: Organ) -> dict[str, tuple[int, ...]]:
    return {a.name: tuple(a.organs.values_list("pk", flat=True)) for a in UnitAlias.objects.filter(scope=scope)}


def workplan_matches(plan: WorkPlan):
    """Every distinct unit name of the plan with how it matches now (name → Match)."""
    scope = workplan_scope(plan.organ)
    organs = _organ_infos(scope)
    saved = saved_aliases(scope)
    names = list(dict.fromkeys(TaskUnit.objects.filter(task__plan=plan).order_by("task__path", "role", "order")
                               .values_list("name", flat=True)))
    return {name: match_name(name, organs, scope=_scope_info(scope), saved=saved) for name in names}


def workplan_match_units(*, plan: WorkPlan) -> int:
    """Fill the organs of every unit not matched yet; returns how many names are still unresolved."""
    unresolved = 0
    for name, match in workplan_matches(plan).items():
        if not match.resolved:
            unresolved += 1
            continue
        for unit in TaskUnit.objects.filter(task__plan=plan, name=name):
            if not unit.organs.exists():
                unit.organs.set(match.organ_ids)
    return unresolved


@transaction.atomic
def workplan_resolve_units(*, actor, plan: WorkPlan, choices: dict[str, list[Organ]], remember: Iterable[str] = ()) -> int:
    """Set the organs each unit name means (one screen for the whole plan); remembered names become aliases."""
    _require_manage(actor, plan)
    scope = workplan_scope(plan.organ)
    allowed = set(Organ.objects.subtree(scope).values_list("pk", flat=True))
    remember = set(remember)
    changed = 0
    for name, organs in choices.items():
        if any(o.pk not in allowed for o in organs):
            raise WorkPlanError(f"“{name}”只能对应{scope.name}及其下属机关。")
        units = TaskUnit.objects.filter(task__plan=plan, name=name)
        if not units.exists():
            raise WorkPlanError(f"这份工作要点中没有“{name}”。")
        for unit in units:
            before = sorted(unit.organs.values_list("pk", flat=True))
            if before != sorted(o.pk for o in organs):
                unit.organs.set(organs)
                changed += 1
        if name in remember and organs:
            alias, _ = UnitAlias.objects.get_or_create(scope=scope, name=name, defaults={"note": f"来自《{plan.title}》"})
            alias.organs.set(organs)
    _log(plan=plan, actor=actor, action="确认单位", changes={"names": sorted(choices)}, note=f"更新{changed}处")
    return changed


def workplan_activate_failure_reason(*, actor, plan: WorkPlan) -> str | None:
    if not rules.can_manage(actor, plan):
        return "只有该机关的公开办可以启动执行。"
    if plan.status != PlanStatus.DRAFT:
        return "这份工作要点已经在执行了。"
    if not plan.tasks.filter(is_tracked=True).exists():
        return "没有纳入台账的任务。"
    return None


@transaction.atomic
def workplan_activate(*, actor, plan: WorkPlan) -> WorkPlan:
    reason = workplan_activate_failure_reason(actor=actor, plan=plan)
    if reason:
        raise WorkPlanError(reason)
    plan.status = PlanStatus.ACTIVE
    plan.save(update_fields=["status", "updated_at"])
    _log(plan=plan, actor=actor, action="开始执行", changes={"status": [PlanStatus.DRAFT, PlanStatus.ACTIVE]})
    return plan


def workplan_archive_failure_reason(*, actor, plan: WorkPlan, today: dt.date) -> str | None:
    if not rules.can_manage(actor, plan):
        return "只有该机关的公开办可以归档。"
    if plan.status == PlanStatus.ARCHIVED:
        return "这份工作要点已经归档。"
    if plan.year >= today.year:
        return f"{plan.year}年度还没有结束，不能归档；本年度的工作要点请确认后开始执行。"
    return None


@transaction.atomic
def workplan_archive(*, actor, plan: WorkPlan, today: dt.date | None = None) -> WorkPlan:
    """Keep a past year's plan for the record (已归档): shown and publishable, never overdue or reminded."""
    reason = workplan_archive_failure_reason(actor=actor, plan=plan, today=today or timezone.localdate())
    if reason:
        raise WorkPlanError(reason)
    before = plan.status
    plan.status = PlanStatus.ARCHIVED
    plan.save(update_fields=["status", "updated_at"])
    _log(plan=plan, actor=actor, action="归档", changes={"status": [before, PlanStatus.ARCHIVED]})
    return plan


@transaction.atomic
def workplan_set_public(*, actor, plan: WorkPlan, public: bool) -> WorkPlan:
    _require_manage(actor, plan)
    if public and plan.status == PlanStatus.DRAFT:
        raise WorkPlanError("请先确认单位并开始执行，再公开执行情况。")
    plan.is_public = public
    plan.save(update_fields=["is_public", "updated_at"])
    _log(plan=plan, actor=actor, action="公开执行情况" if public else "取消公开", changes={"is_public": [not public, public]})
    return plan


@transaction.atomic
def workplan_delete_draft(*, actor, plan: WorkPlan) -> None:
    _require_manage(actor, plan)
    if plan.status != PlanStatus.DRAFT:
        raise WorkPlanError("只能删除待确认的工作要点；已执行的请结束，不要删除。")
    plan.delete()  # a draft's own log goes with it


@transaction.atomic
def workplan_update(*, actor, plan: WorkPlan, title: str, year: int, default_due: dt.date | None, summary: str) -> WorkPlan:
    _require_manage(actor, plan)
    if not title.strip():
        raise WorkPlanError("标题不能为空。")
    before = {"title": plan.title, "year": plan.year, "default_due": str(plan.default_due), "summary": plan.summary}
    plan.title, plan.year, plan.default_due, plan.summary = title.strip(), year, default_due, summary
    plan.save()
    after = {"title": plan.title, "year": plan.year, "default_due": str(plan.default_due), "summary": plan.summary}
    _log(plan=plan, actor=actor, action="修改", changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return plan


@transaction.atomic
def workplan_publish_summary(*, actor, plan: WorkPlan, body_html: str) -> Record:
    """Write how it went as a record draft of the plan's organ; it is published through review like any record."""
    from gongkai.records.services import RecordActionError, record_create

    _require_manage(actor, plan)
    genre = Genre.objects.filter(code="news").first() or Genre.objects.order_by("order").first()
    if genre is None:
        raise WorkPlanError("平台还没有设置体裁，请联系平台管理员。")
    try:
        record = record_create(actor=actor, organ=plan.organ, check_permission=False, data={
            "title": f"{plan.title}落实情况",
            "summary": f"《{plan.title}》各项任务的落实情况。",
            "genre": genre,
            "body": body_html,
            "written_on": timezone.localdate(),
        })
    except RecordActionError as exc:
        raise WorkPlanError(str(exc)) from exc
    plan.summary_record = record
    plan.save(update_fields=["summary_record", "updated_at"])
    _log(plan=plan, actor=actor, action="生成落实情况信息", note=f"信息草稿 {record.index_no}，须经审核后发布")
    return record


# --- tasks ------------------------------------------------------------------------


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, completed_on: dt.date | None = None, organ: Organ | None = None) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related("plan", "plan__organ").get(pk=task.pk)
    if not rules.can_manage(actor, task.plan) and not (organ and rules.can_report(actor, task, organ)):
        raise PermissionDenied("您不是这项任务的责任单位，也不是公开办。")
    if status not in TaskStatus.values:
        raise WorkPlanError("状态无效。")
    if task.plan.status == PlanStatus.DRAFT:
        raise WorkPlanError("工作要点还未开始执行。")
    if task.plan.status == PlanStatus.ARCHIVED:
        raise WorkPlanError("工作要点已归档，不能再修改任务状态。")
    before = [task.status, str(task.completed_on)]
    task.status = status
    task.completed_on = (completed_on or timezone.localdate()) if status == TaskStatus.DONE else None
    task.save(update_fields=["status", "completed_on"])
    _log(plan=task.plan, task=task, actor=actor, action="变更状态", changes={"status": [before[0], status]})
    return task


@transaction.atomic
def task_set_tracked(*, actor, task: Task, tracked: bool) -> Task:
    """Turn an item into a task of the ledger (纳入台账) or back into text of the plan (说明性内容).

    The parser marks 指导思想, 基本原则, 保障措施 and the like as text; the person
    confirming the plan corrects it item by item.
    """
    _require_manage(actor, task.plan)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.is_tracked == tracked:
        return task
    if not tracked and task.reports.exists():
        raise WorkPlanError("这项任务已有进展报送，不能改为说明性内容。")
    task.is_tracked = tracked
    task.save(update_fields=["is_tracked"])
    _log(plan=task.plan, task=task, actor=actor, action="改为任务（纳入台账）" if tracked else "改为说明性内容（不纳入台账）",
         changes={"is_tracked": [not tracked, tracked]})
    return task


@transaction.atomic
def task_assign(*, actor, task: Task, role: str, organs: list[Organ]) -> TaskUnit | None:
    """The 公开办 names units for a task the plan left without (广安: no unit clauses at all)."""
    _require_manage(actor, task.plan)
    if role not in UnitRole.values:
        raise WorkPlanError("单位角色无效。")
    scope = workplan_scope(task.plan.organ)
    if Organ.objects.filter(pk__in=[o.pk for o in organs]).exclude(path__startswith=scope.path).exists():
        raise WorkPlanError(f"只能指定{scope.name}及其下属机关。")
    unit = None
    for organ in organs:
        unit, _ = TaskUnit.objects.get_or_create(task=task, role=role, name=organ.display_name[:100],
                                                 defaults={"order": task.units.filter(role=role).count()})
        unit.organs.set([organ])
    _log(plan=task.plan, task=task, actor=actor, action="指定单位",
         changes={"role": role, "organs": [o.display_name for o in organs]})
    return unit


# --- progress ---------------------------------------------------------------------


def _check_file(f: UploadedFile) -> None:
    name = (f.name or "").lower()
    if f.size > MAX_UPLOAD:
        raise WorkPlanError(f"附件“{f.name}”超过20MB。")
    if not name.endswith(EVIDENCE_TYPES):
        raise WorkPlanError(f"附件“{f.name}”的类型不支持，可上传PDF、Word、Excel、图片、OFD或压缩包。")
    problem = upload_content_error(f)
    if problem:
        raise WorkPlanError(problem)


@transaction.atomic
def progress_report(*, actor, task: Task, organ: Organ, text: str, reported_on: dt.date | None = None,
                    records: Iterable[Record] = (), link: str = "", files: Iterable[UploadedFile] = (),
                    propose_public: bool = False, done: bool = False) -> ProgressReport:
    task = Task.objects.select_related("plan", "plan__organ").get(pk=task.pk)
    if not rules.can_report(actor, task, organ):
        raise PermissionDenied("您不能代表该单位报送这项任务的进展。")
    if task.plan.status != PlanStatus.ACTIVE:
        raise WorkPlanError("只有执行中的工作要点可以报送进展。")
    if not text.strip():
        raise WorkPlanError("请填写进展情况。")
    records = list(records)
    public_ids = set(Record.objects.public().filter(pk__in=[r.pk for r in records]).values_list("pk", flat=True))
    if any(r.pk not in public_ids for r in records):
        raise WorkPlanError("佐证信息只能选择本平台已公开的信息。")
    files = list(files)
    for f in files:
        _check_file(f)
    report = ProgressReport.objects.create(
        task=task, organ=organ, author=actor, reported_on=reported_on or timezone.localdate(), text=text.strip(),
        link=link, publication=Publication.PROPOSED if propose_public else Publication.INTERNAL,
    )
    report.records.set(records)
    for f in files:
        ProgressAttachment.objects.create(report=report, file=f, name=f.name[:200], size=f.size)
    if task.status == TaskStatus.NOT_STARTED and not done:
        task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["status"])
    _log(plan=task.plan, task=task, actor=actor, action="报送进展", note=f"{organ.display_name}：{text.strip()[:100]}")
    if done:
        task_set_status(actor=actor, task=task, status=TaskStatus.DONE, completed_on=report.reported_on, organ=organ)
    return report


@transaction.atomic
def progress_review_publication(*, actor, report: ProgressReport, approve: bool) -> ProgressReport:
    """先审查后公开: the 公开办 approves (or declines) a report proposed for the public page."""
    report = ProgressReport.objects.select_for_update(of=("self",)).select_related("task__plan__organ").get(pk=report.pk)
    if not rules.can_approve_publication(actor, report):
        raise PermissionDenied("进展的公开须由公开办中报送人以外的人员审核。")
    if approve and report.publication == Publication.INTERNAL:
        raise WorkPlanError("报送单位没有申请公开这条进展。")
    before = report.publication
    report.publication = Publication.APPROVED if approve else Publication.INTERNAL
    report.reviewed_by = actor if approve else None
    report.reviewed_at = timezone.now() if approve else None
    report.save(update_fields=["publication", "reviewed_by", "reviewed_at"])
    _log(plan=report.task.plan, task=report.task, actor=actor, action="审核公开进展" if approve else "不公开进展",
         changes={"publication": [before, report.publication]})
    return report


def summary_html(plan: WorkPlan, today: dt.date) -> str:
    """A plain HTML account of the plan for the summary record (escaped; sanitised again by records)."""
    from .selectors import plan_stats

    stats = plan_stats(plan, today)
    parts = [f"<p>{escape(plan.summary)}</p>" if plan.summary else "",
             f"<p>《{escape(plan.title)}》共{stats['total']}项任务，已完成{stats['done']}项，进行中{stats['in_progress']}项，"
             f"未开始{stats['not_started']}项，逾期{stats['overdue']}项。</p>", "<ol>"]
    for task in plan.tasks.filter(is_tracked=True).prefetch_related("units", "reports"):
        approved = [r for r in task.reports.all() if r.publication == Publication.APPROVED]
        parts.append(f"<li>{escape(task.title)}（{escape(task.display_status(today))}）"
                     + "".join(f"<br>{escape(r.reported_on.isoformat())}：{escape(r.text)}" for r in approved) + "</li>")
    parts.append("</ol>")
    return "".join(parts)



# --- reminders (the daily job) ----------------------------------------------------


def reminders_summary(reminders: list, *, dry_run: bool = False) -> str:
    """One line for the terminal or the job log: how many reminders of each kind, to how many addresses."""
    from .models import ReminderKind

    counts = {kind: sum(1 for r in reminders if r.kind == kind) for kind in ReminderKind.values}
    kinds = "，".join(f"{ReminderKind(kind).label}{n}条" for kind, n in counts.items() if n)
    addresses = {a for r in reminders for a in r.recipients.split("、") if a}
    tasks = {r.task_id for r in reminders}
    head = f"{'将生成' if dry_run else '已生成'}{len(reminders)}条工作要点任务提醒"
    if not reminders:
        return head + "（只提醒执行中的工作要点）"
    return f"{head}（{kinds}），涉及{len(tasks)}项任务，{'将' if dry_run else '已'}发往{len(addresses)}个邮箱"


def reminders_run(*, today: dt.date | None = None, send_mail: bool = True, dry_run: bool = False) -> list:
    """Create today's reminders (once per task, kind and date) and e-mail the units' staff.

    Run daily (``gongkai workplan remind``). Returns the reminders created
    (or, with ``dry_run``, that would be created).
    """
    from django.conf import settings
    from django.core.mail import send_mail as django_send_mail

    from gongkai.core.models import Membership

    from .models import Reminder
    from .periods import reminders_due

    today = today or timezone.localdate()
    created = []
    tasks = (Task.objects.running()
             .select_related("plan").prefetch_related("units__organs", "reports"))
    for task in tasks:
        freqs = [d.get("freq") for d in task.deadlines if d.get("kind") == "recurrence" and d.get("freq")]
        for due in reminders_due(title=task.title[:60], due=task.effective_due(), freqs=freqs,
                                 done=task.status == TaskStatus.DONE,
                                 reports=[r.reported_on for r in task.reports.all()], today=today):
            if Reminder.objects.filter(task=task, kind=due.kind, due=due.due).exists():
                continue
            organs = {o for u in task.units.all() for o in u.organs.all()} or {task.plan.organ}
            users = {m.user for m in Membership.objects.filter(organ__in=organs).select_related("user")}
            emails = sorted({u.email for u in users if u.email})
            reminder = Reminder(task=task, kind=due.kind, due=due.due, created_on=today,
                                message=f"【{task.plan.title}】{due.message}"[:300], recipients="、".join(emails))
            if not dry_run:
                reminder.save()
                if send_mail and emails:
                    transaction.on_commit(lambda r=reminder, e=emails: django_send_mail(
                        subject="工作要点任务提醒", message=r.message, from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=e, fail_silently=True))
            created.append(reminder)
    return created
