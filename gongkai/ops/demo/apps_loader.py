"""The other apps in the demo, written through their public services, idempotently.

* Applications (:mod:`.applicants` plans them): matched by (organ, 证件号码,
  所需信息名称). Each step of a case goes through ``gongkai.applications.services``
  with its own date, so the event log, the clock, the audit log and the letters
  (Word only: PDFs are rendered on first download) are real. The services date
  events explicitly, except the extension approval, which happens today: the
  extended cases are therefore the recent ones.
* Work plans: each seed document imported as a work plan of its organ (matched
  by organ and title), units matched, started, a few progress reports.
* The 2025 annual report draft of 保定市人民政府办公室 (figures with sources, prose).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from gongkai.applications import services as app_services
from gongkai.applications.models import (
    Application,
    Determination,
    ExtensionRequest,
    Litigation,
    Outcome,
    Reconsideration,
)
from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import Organ, OrganKind
from gongkai.records.models import Record
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport
from gongkai.workplans import services as wp_services
from gongkai.workplans.models import PlanStatus, ProgressReport, Task, WorkPlan

from . import applicants, seeds
from .applicants import AppSpec, Step


class DemoStepError(Exception):
    """A planned step was refused by the services (a bug in the plan: the message says which)."""


@dataclass
class AppsSummary:
    applications_created: int = 0
    applications_existing: int = 0
    open: int = 0
    overdue: int = 0
    by_group: list[tuple[str, int]] = field(default_factory=list)
    appeals: int = 0
    extensions: int = 0
    letters: int = 0
    plans_created: int = 0
    plans: int = 0
    tasks: int = 0
    progress: int = 0
    report: str = ""


# --- applications -------------------------------------------------------------------


def load_applications(*, organs: dict[str, Organ], users: dict[str, object], count: int, seed: int,
                      today: dt.date) -> tuple[int, int]:
    """Create the planned applications that are missing; returns (created, existing)."""
    specs = applicants.plan(count, seed=seed, today=today)
    have = set(Application.objects.filter(organ__in=[organs[s] for s, _ in applicants.ORGANS])
               .values_list("organ_id", "id_number", "title"))
    cal = get_work_calendar()
    created = existing = 0
    for spec in sorted(specs, key=lambda s: (s.arrived_on or today, s.ago is None)):
        if (organs[spec.organ].pk, spec.applicant.id_number, spec.title) in have:
            existing += 1
            continue
        _CaseRunner(spec, organs=organs, users=users, cal=cal, today=today).run()
        created += 1
    return created, existing


class _CaseRunner:
    def __init__(self, spec: AppSpec, *, organs, users, cal, today: dt.date):
        self.spec = spec
        self.organ = organs[spec.organ]
        self.handler = users["bd_handler"] if spec.organ in ("bd_office", "bd_gov") else users["bd_office"]
        self.head = users["bd_head"]
        self.cal = cal
        self.today = today
        self.app: Application | None = None
        self.extension: ExtensionRequest | None = None
        self.det_on: dt.date | None = None

    def data(self) -> dict:
        a, s = self.spec.applicant, self.spec
        return {"applicant_kind": a.kind, "name": a.name, "id_type": a.id_type, "id_number": a.id_number,
                "contact_person": a.contact_person, "legal_representative": a.legal_representative,
                "phone": a.phone, "address": a.address, "postcode": a.postcode, "title": s.title, "doc_no": s.doc_no,
                "description": s.description, "delivery": s.delivery, "receive_via": s.receive_via}

    def run(self) -> None:
        spec = self.spec
        try:
            if spec.ago == 0 and spec.channel == "online":
                # Submitted on the platform today, as the public form does.
                self.app = app_services.application_submit(organ=self.organ, data=self.data())
            else:
                arrived = spec.arrived_on or self.cal.add_workdays(self.today, -(spec.ago or 0))
                confirmed = None
                if spec.channel in ("online", "fax"):
                    confirmed = arrived
                elif spec.channel == "post_ordinary":
                    confirmed = min(arrived + dt.timedelta(days=1), self.today)
                self.app = app_services.application_register(
                    actor=self.handler, organ=self.organ, data=self.data(), channel=spec.channel,
                    arrived_on=arrived, confirmed_on=confirmed)
            self.receipt = self.app.receipt_date
            self.app = app_services.application_assign(actor=self.handler, application=self.app, handler=self.handler)
            for step in spec.steps:
                self.step(step)
        except app_services.ApplicationActionError as exc:
            raise DemoStepError(f"演示申请“{spec.title}”（{spec.scenario or '答复'}）办理失败：{exc}") from exc

    def on(self, step: Step) -> dt.date:
        if step.at is None:
            return self.today
        return min(self.cal.add_workdays(self.receipt, step.at), self.today)

    def step(self, step: Step) -> None:  # noqa: C901 - one branch per action, as in the services
        s, a, h, app = app_services, step.args, self.handler, self.app
        on = self.on(step)
        if step.action == "correction":
            deadline = self.cal.add_workdays(on, 10)
            self.app = s.application_request_correction(actor=h, application=app, on=on, deadline=deadline,
                                                        items=a["items"])
        elif step.action == "corrected":
            self.app = s.application_record_correction(actor=h, application=app, on=on, text=a["text"])
        elif step.action == "correction_expired":
            self.app = s.application_correction_expired(actor=h, application=app, on=on)
        elif step.action == "consult":
            self.app = s.application_consult(actor=h, application=app, on=on, party=a["party"],
                                             party_name=a["party_name"], content=a["content"],
                                             delivered=min(on + dt.timedelta(days=2), self.today))
        elif step.action == "consulted":
            ref = s.open_consultations(app)[0].ref
            self.app = s.application_consultation_answered(actor=h, application=app, on=on, ref=ref, answer=a["answer"])
        elif step.action == "fee":
            self.app = s.application_fee_notice(actor=h, application=app, on=on, standard=a["standard"],
                                                pages=a.get("pages"))
        elif step.action == "fee_paid":
            self.app = s.application_fee_paid(actor=h, application=app, on=on)
        elif step.action == "fee_expired":
            on = max(on, self.cal.add_workdays(app.fee_notice.pay_by, 1))
            if on > self.today:
                return
            self.app = s.application_fee_expired(actor=h, application=app, on=on)
        elif step.action == "request_extension":
            self.extension = s.application_request_extension(actor=h, application=app, workdays=a["workdays"],
                                                             reason=a["reason"])
        elif step.action == "approve_extension":
            s.application_decide_extension(actor=self.head, request=self.extension, approve=True,
                                           comment="同意延期，请抓紧办理。")
        elif step.action == "determine":
            self.det_on = on
            s.application_determine(actor=h, application=app, on=on, outcome=a["outcome"],
                                    reply_type=a["reply_type"] or None, reasons=a["reasons"], provided=a["provided"])
        elif step.action == "transfer":
            self.det_on = on
            s.application_transfer(actor=h, application=app, on=on, organ_name=a["organ_name"], contact=a["contact"])
        elif step.action in ("reconsideration", "litigation", "reconsideration_then_litigation"):
            self.appeal(step.action, on, a)
        else:  # pragma: no cover - the plan only uses the actions above
            raise DemoStepError(f"未知的演示步骤：{step.action}")

    def appeal(self, kind: str, on: dt.date, args: dict) -> None:
        s, h, app = app_services, self.handler, self.app
        filed = min(self.det_on + dt.timedelta(days=40), self.today)
        decided = min(filed + dt.timedelta(days=60), self.today)
        body = "河北省人民政府" if self.organ.kind == OrganKind.GOVERNMENT and self.organ.parent_id is None \
            else s.reconsideration_body(self.organ)
        court = "保定市中级人民法院" if self.organ.kind == OrganKind.GOVERNMENT else "保定市竞秀区人民法院"
        result = args["result"]
        if kind in ("reconsideration", "reconsideration_then_litigation"):
            rec = s.reconsideration_add(actor=h, application=app, filed_on=filed, body=body,
                                        note="申请人认为答复理由不充分，申请行政复议。")
            first = "upheld" if kind == "reconsideration_then_litigation" else result
            s.appeal_set_result(actor=h, appeal=rec, result=first, decided_on=None if first == "pending" else decided)
        if kind in ("litigation", "reconsideration_then_litigation"):
            after = kind == "reconsideration_then_litigation"
            sued = min(decided + dt.timedelta(days=20), self.today) if after else filed
            lit = s.litigation_add(actor=h, application=app, filed_on=sued, court=court, after_reconsideration=after,
                                   note="申请人不服答复，提起行政诉讼。")
            ruled = min(sued + dt.timedelta(days=90), self.today)
            s.appeal_set_result(actor=h, appeal=lit, result=result, decided_on=None if result == "pending" else ruled)


def describe_applications(organs: list[Organ], today: dt.date) -> dict:
    apps = Application.objects.filter(organ__in=organs)
    groups = Counter(Outcome(o).group for o in Determination.objects.filter(application__in=apps)
                     .values_list("outcome", flat=True))
    return {
        "total": apps.count(),
        "open": apps.open().count(),
        "overdue": apps.overdue(today=today).count(),
        "by_group": [(g, groups[g]) for g in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")],
        "extensions": ExtensionRequest.objects.filter(application__in=apps).count(),
        "appeals": Reconsideration.objects.filter(application__in=apps).count()
        + Litigation.objects.filter(application__in=apps).count(),
    }


# --- work plans ---------------------------------------------------------------------

#: (seed organ, task title fragment or "", reporting organ slug or "", text, done)
PROGRESS = [
    ("bd_office", "", "bd_office",
     "已在市政府门户网站开设“政策解读”专栏，本季度发布解读材料12篇，均与政策文件同步发布。", False),
    ("bd_office", "", "bd_czj", "市级部门预决算已在规定时限内全部公开，公开率100%。", True),
    ("bd_office", "", "bd_office", "已完成政府信息公开目录梳理，按标准目录调整栏目23个。", True),
    ("ga_office", "", "ga_office", "已组织各县（市、区）开展基层政务公开标准目录编制，完成率85%。", False),
    ("bj_nyncj", "", "bj_nyncj", "已按要求在部门网站公开权责清单和公共服务事项清单。", True),
    ("tez_office", "", "tez_office", "已在政府网站发布重点领域信息230条，开展政策解读6次。", False),
    ("tj", "", "tj", "规划许可批前公示和批后公布已全部上网，本季度共公示83件。", False),
]


def load_workplans(*, organs: dict[str, Organ], users: dict[str, object], today: dt.date) -> tuple[int, int, int]:
    """Import each seed as a work plan of its organ; returns (created, plans, progress reports)."""
    admin = users["admin"]
    created = 0
    plans: dict[str, WorkPlan] = {}
    for facts in seeds.SEEDS:
        organ = organs[facts.organ]
        parsed = seeds.load_seed(facts)
        text = "\n".join(line for line in [parsed.title, parsed.doc_no, *parsed.paragraphs] if line)
        record = Record.objects.filter(organ=organ, title=parsed.title).first()
        plan = WorkPlan.objects.filter(organ=organ, source_name=facts.file).first()
        if plan is None:
            # The 公开办 of 保定 manages its own plan; the other regions' plans are set up by the administrator.
            actor = users["bd_office"] if facts.organ.startswith("bd_") else admin
            plan = wp_services.workplan_import(actor=actor, organ=organ, data=text, filename=facts.file,
                                               source_record=record)
            created += 1
        if plan.status == PlanStatus.DRAFT and not wp_services.workplan_activate_failure_reason(
                actor=admin, plan=plan):
            actor = users["bd_office"] if facts.organ.startswith("bd_") else admin
            plan = wp_services.workplan_activate(actor=actor, plan=plan)
            wp_services.workplan_set_public(actor=actor, plan=plan, public=True)
        plans[facts.organ] = plan
    reports = 0
    for seed_organ, _, unit, text, done in PROGRESS:
        plan = plans[seed_organ]
        if ProgressReport.objects.filter(task__plan=plan, text=text).exists():
            continue
        organ = organs[unit]
        task = (Task.objects.filter(plan=plan, is_tracked=True, units__organs=organ).order_by("path").first()
                or Task.objects.filter(plan=plan, is_tracked=True).exclude(
                    Q(reports__isnull=False)).order_by("path").first())
        if task is None:
            continue
        actor = users["bd_office"] if seed_organ.startswith("bd_") else admin
        wp_services.progress_report(actor=actor, task=task, organ=organ, text=text, propose_public=True,
                                    reported_on=today - dt.timedelta(days=7 * (reports + 1)), done=done)
        reports += 1
    # The seeds are plans of past years: kept for the record (已归档), never overdue or reminded.
    for seed_organ, plan in plans.items():
        if plan.year < today.year and plan.status != PlanStatus.ARCHIVED:
            actor = users["bd_office"] if seed_organ.startswith("bd_") else admin
            plans[seed_organ] = wp_services.workplan_archive(actor=actor, plan=plan, today=today)
    return created, len(plans), ProgressReport.objects.filter(task__plan__in=plans.values()).count()


# --- the annual report ----------------------------------------------------------------

REPORT_YEAR = 2025
REPORT_ENTRIES = {
    "t2.licensing.decisions": ("1268", "市行政审批局政务服务平台年度统计"),
    "t2.penalty.decisions": ("356", "市行政执法监督平台年度统计"),
    "t2.coercion.decisions": ("42", "市行政执法监督平台年度统计"),
    "t2.fees.amount": ("18.6", "市财政局非税收入征管系统"),
}
REPORT_OVERVIEW = (
    "2025年，保定市人民政府办公室坚持以公开为常态、不公开为例外，围绕市政府中心工作，持续深化政务公开。"
    "全年通过市政府门户网站主动公开政府信息，及时发布政策文件和解读材料，依法办理政府信息公开申请。\n"
    "依申请公开方面，严格执行答复期限，规范答复文书，全年依法作出答复，未发生因逾期答复被纠错的情形。\n"
    "政府信息管理方面，建立公开属性源头认定和保密审查制度，对现行有效的行政规范性文件进行集中清理。"
)
REPORT_PROBLEMS = (
    "存在的主要问题：一是政策解读形式较为单一，图解、视频等解读比例不高；二是部分基层单位公开内容更新不够及时。\n"
    "改进情况：2026年将丰富解读形式，建立政务公开栏目定期巡检制度，加强对基层单位的业务培训和考核。"
)
REPORT_OTHER = (
    "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费，收费情况已在表三中如实反映。"
    "人大代表建议和政协提案办理结果已在市政府门户网站“建议提案办理”专栏公开。"
    "《保定市2025年政务公开工作要点》各项任务已按要求推进落实。"
)


def load_report(*, organs: dict[str, Organ], users: dict[str, object]) -> str:
    """The 2025 report draft of 保定市人民政府办公室 (left alone once it exists)."""
    organ = organs["bd_office"]
    report = AnnualReport.objects.filter(organ=organ, year=REPORT_YEAR).first()
    if report is not None:
        return "已存在"
    report_services.report_save(
        actor=users["bd_office"], organ=organ, year=REPORT_YEAR, overview=REPORT_OVERVIEW, problems=REPORT_PROBLEMS,
        other_matters=REPORT_OTHER, entries={k: v for k, (v, _) in REPORT_ENTRIES.items()},
        sources={k: s for k, (_, s) in REPORT_ENTRIES.items()})
    return "新建"
