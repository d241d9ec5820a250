"""``gongkai demo``: the seed organs, documents and accounts, and generated records in every state."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.utils import timezone

from gongkai.applications.identity import check_credit_code, check_resident_id
from gongkai.applications.models import (
    ApplicantKind,
    Application,
    ApplicationEvent,
    Determination,
    ExtensionRequest,
    Letter,
    Litigation,
    Outcome,
    Reconsideration,
)
from gongkai.core.models import AuditEvent, AuditEventType, Membership, Organ, OrganKind
from gongkai.ops.demo import applicants
from gongkai.ops.demo.generate import STATES, plan
from gongkai.ops.demo.loader import DEMO_PASSWORD, MAIN_ACCOUNTS, seed_items, staff_accounts
from gongkai.ops.demo.organs import BY_SLUG, ORGANS, is_valid_uscc
from gongkai.ops.demo.seeds import SEEDS, load_seed
from gongkai.records.models import (
    Attachment,
    Attribute,
    Catalog,
    CatalogEntry,
    Record,
    Review,
    Status,
    Validity,
)
from gongkai.reports.models import AnnualReport
from gongkai.workplans.models import PlanStatus, ProgressReport, Task, WorkPlan

SMALL = 40
APPS = 30  # enough for every open case the handler sees today; the pure plan test checks the full 80
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def _demo(records=SMALL, *args, applications=APPS):
    out = io.StringIO()
    call_command("demo", "--records", str(records), "--applications", str(applications), *args, stdout=out)
    return out.getvalue()


# --- pure parts -------------------------------------------------------------------


def test_organ_codes_are_checksummed_unique_and_regional():
    codes = [spec.code for spec in ORGANS]
    assert len(set(codes)) == len(codes)
    assert all(is_valid_uscc(code) for code in codes)
    prefixes = {"bd": "1113", "ga": "1151", "bj": "1111", "tj": "1112", "tez": "1137"}
    assert all(spec.code.startswith(prefixes[spec.region]) for spec in ORGANS)
    assert len({spec.name for spec in ORGANS}) == len(ORGANS)


def test_organ_tree_lists_parents_first():
    seen = set()
    for spec in ORGANS:
        assert spec.parent is None or spec.parent in seen, spec.slug
        seen.add(spec.slug)
    assert {BY_SLUG[s].kind for s in ("tj_rsc", "tj_bgs")} == {OrganKind.UNIT}
    assert BY_SLUG["tez_yunhe"].kind == OrganKind.TOWN


@pytest.mark.parametrize(
    ("file", "title", "doc_no", "written_on", "published_on", "issuer"),
    [
        ("000_8b58756f196d09e0.txt", "保定市人民政府办公室关于印发保定市2021年政务公开工作要点的通知",
         "保政办函〔2021〕15号", dt.date(2021, 6, 25), dt.date(2021, 6, 30), "保定市人民政府办公室"),
        ("001_68a338e92b117a7c.txt", "广安市人民政府办公室关于印发深化政务公开提升基层政府治理能力工作方案的通知",
         "", dt.date(2022, 7, 21), None, "广安市人民政府办公室"),
        ("002_f1cc5748cebae610.txt", "北京市2019年政务公开工作要点",
         "", dt.date(2019, 7, 8), dt.date(2020, 7, 23), "北京市人民政府办公厅"),
        ("003_c99f5385b830f41c.txt", "台儿庄区人民政府办公室关于进一步做好当前政务公开工作的通知",
         "台政办发〔2018〕26号", dt.date(2018, 10, 17), dt.date(2018, 10, 17), "台儿庄区人民政府办公室"),
        ("004_1aa75585993243fb.txt", "天津市规划资源局关于印发2020年政务公开工作要点的通知",
         "津规资办发〔2020〕253号", dt.date(2020, 9, 18), dt.date(2020, 10, 13), "天津市规划资源局"),
    ],
)
def test_seed_metadata_is_parsed_from_the_text(file, title, doc_no, written_on, published_on, issuer):
    parsed = load_seed(next(f for f in SEEDS if f.file == file))
    assert (parsed.title, parsed.doc_no, parsed.written_on, parsed.published_on, parsed.issuer) == (
        title, doc_no, written_on, published_on, issuer)
    body = "".join(parsed.paragraphs)
    assert "," not in body and "(" not in body  # full-width punctuation restored
    assert "版权所有" not in body and "扫一扫" not in body and "原文网址" not in body  # page footers dropped
    assert "电子游戏" not in body  # injected spam repaired


def test_plan_is_deterministic_prefix_stable_and_has_every_state():
    small, big = plan(SMALL, now=NOW), plan(400, now=NOW)
    assert [i.key for i in small] == [i.key for i in big[: len(small)]]
    assert [i.key for i in small] == [i.key for i in plan(SMALL, now=NOW)]
    assert set(STATES) <= {i.state for i in small}
    assert len({i.key for i in big}) == len(big)
    assert SMALL <= len(small) <= SMALL + 1 and 400 <= len(big) <= 401
    years = {i.written_on.year for i in big}
    assert set(range(2019, 2027)) <= years
    genres = Counter(i.genre for i in big)
    assert {"rule", "normative", "policy", "interpretation", "news", "notice", "plan", "statistics", "finance",
            "personnel", "annual_report", "minutes"} <= set(genres)


def test_plan_dates_are_consistent():
    for item in plan(400, now=NOW):
        if item.state in ("published", "withdrawn"):
            assert item.written_on <= item.published_at.date() and item.published_at < NOW, item.title
        if item.state == "withdrawn":
            assert item.published_at < item.withdrawn_at < NOW and item.withdrawal_reason
        if item.state == "scheduled":
            assert item.published_at > NOW
        if item.state in ("on_request", "withheld"):
            assert item.attribute == item.state and item.attribute_reason
        if item.valid_until:
            assert item.valid_from <= item.valid_until


def test_seed_items_name_their_issuers():
    items = {i.organ: i for i in seed_items()}
    assert items["bj_nyncj"].issuers == ("bj_office",)  # published by 市农业农村局, issued by 市政府办公厅
    assert items["tj"].issuers == ("tj",)               # “天津市规划资源局” is an alias
    assert all(i.state == "published" for i in items.values())


# --- loading ----------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_loads_organs_seeds_accounts_every_state_applications_work_plans_and_the_report(client):
    # One load for both halves: a demo load is the slowest part of these tests.
    out = _demo()
    _assert_organs_seeds_accounts_and_every_state(client, out)
    _assert_applications_work_plans_and_the_report(out)


def _assert_organs_seeds_accounts_and_every_state(client, out):
    _assert_accounts_log_in(client)
    assert "演示账号" in out and "bd_editor" in out and DEMO_PASSWORD in out

    # Organs: the five trees, each organ with a catalog copied from the standard one.
    baoding = Organ.objects.get(name="保定市人民政府")
    office = Organ.objects.get(name="保定市人民政府办公室")
    assert office.parent == baoding and office.path.startswith(baoding.path)
    assert Organ.objects.get(name="天津市规划和自然资源局人事处").kind == OrganKind.UNIT
    assert Organ.objects.get(name="台儿庄区运河街道办事处").parent.name == "台儿庄区人民政府"
    assert Organ.objects.count() == len(ORGANS)
    standard = Catalog.objects.get(is_standard=True, organ=None)
    assert Catalog.objects.filter(organ__isnull=False).count() == len(ORGANS)
    assert CatalogEntry.objects.filter(catalog=office.catalog).count() == standard.entries.count()

    # The seeds: published, public, with their real 发文字号 and dates.
    seeds = {r.doc_no: r for r in Record.objects.public().filter(doc_no__in=[
        "保政办函〔2021〕15号", "台政办发〔2018〕26号", "津规资办发〔2020〕253号"])}
    assert set(seeds) == {"保政办函〔2021〕15号", "台政办发〔2018〕26号", "津规资办发〔2020〕253号"}
    baoding_plan = seeds["保政办函〔2021〕15号"]
    assert baoding_plan.organ == office and baoding_plan.genre.code == "policy"
    assert baoding_plan.written_on == dt.date(2021, 6, 25)
    assert timezone.localtime(baoding_plan.published_at).date() == dt.date(2021, 6, 30)
    assert baoding_plan.index_no.startswith(office.code + "/2021-")
    assert "<p>各县（市、区）人民政府、开发区管委会，市政府各部门，有关单位：</p>" in baoding_plan.body
    beijing = Record.objects.public().get(title="北京市2019年政务公开工作要点")
    assert beijing.organ.name == "北京市农业农村局"
    assert [o.name for o in beijing.issuers.all()] == ["北京市人民政府办公厅"]
    assert Record.objects.public().filter(title__startswith="广安市人民政府办公室关于印发深化政务公开").exists()

    # Every state, with what each state needs.
    statuses = Counter(Record.objects.values_list("status", flat=True))
    assert set(Status.values) <= set(statuses), statuses
    filed = Record.objects.filter(status=Status.FILED)
    assert {Attribute.ON_REQUEST, Attribute.WITHHELD} <= set(filed.values_list("attribute", flat=True))
    assert not filed.filter(attribute_reason="").exists()
    assert not filed.filter(attribute=Attribute.WITHHELD, withholding_ground="").exists()
    assert not Record.objects.filter(status=Status.WITHDRAWN, withdrawal_reason="").exists()
    assert Record.objects.filter(status=Status.SCHEDULED, published_at__gt=timezone.now()).exists()
    assert Record.objects.filter(status=Status.RETURNED, reviews__decision="returned").exists()
    for record in Record.objects.filter(status__in=[Status.PUBLISHED, Status.APPROVED, Status.SCHEDULED]):
        assert record.reviews.filter(decision="approved").exclude(reviewer=record.created_by).exists()

    # History is spread over the years; the audit log is real (and not backdated).
    years = {d.year for d in Record.objects.public().values_list("published_at", flat=True)}
    assert len(years) >= 5
    created = AuditEvent.objects.filter(event_type=AuditEventType.RECORD_CREATED).count()
    assert created == Record.objects.count()
    assert AuditEvent.objects.filter(event_type=AuditEventType.RECORD_PUBLISHED).count() >= statuses[Status.PUBLISHED]
    old = Record.objects.public().order_by("published_at").first()
    assert old.created_at <= old.published_at < timezone.now() - dt.timedelta(days=365)
    assert Review.objects.get(record=old).reviewed_at <= old.published_at

    # Links: interpretations, revisions, catalog entries, a partly withheld record.
    interpretation = Record.objects.public().filter(genre__code="interpretation").first()
    assert interpretation.interprets is not None and interpretation.interprets.is_public
    assert interpretation.published_at >= interpretation.interprets.published_at
    superseded = Record.objects.exclude(superseded_by=None)
    assert superseded.exists()
    assert set(superseded.values_list("validity", flat=True)) <= {Validity.REVISED, Validity.REPEALED}
    assert Record.objects.public().filter(catalog_entries__isnull=False).distinct().count() >= statuses[Status.PUBLISHED] // 2
    withheld = Attachment.objects.get(withheld=True)
    assert withheld.withheld_reason and withheld.record.is_public
    assert withheld.record.attachments.filter(withheld=False).exists()


@pytest.mark.django_db
def test_demo_grows_without_duplicating_and_is_idempotent():
    models = (Organ, get_user_model(), Membership, Record, Review, Catalog, CatalogEntry, Attachment, AuditEvent,
              Application, ApplicationEvent, Letter, WorkPlan, Task, ProgressReport, AnnualReport)

    def counts():
        return {m.__name__: m.objects.count() for m in models}

    _demo(10)
    first, small = set(Record.objects.values_list("organ_id", "title")), counts()

    out = _demo(SMALL, "--dry-run")
    assert "演练" in out and "将新建" in out and "将新建0条" not in out
    assert counts() == small

    _demo(SMALL)
    titles = list(Record.objects.values_list("organ_id", "title"))
    assert len(titles) == len(set(titles)) and first < set(titles)
    assert Organ.objects.count() == small["Organ"] and Catalog.objects.count() == small["Catalog"]

    before = counts()
    out = _demo(SMALL)
    assert counts() == before
    assert "新建0条" in out


def _assert_accounts_log_in(client):
    for account in MAIN_ACCOUNTS + staff_accounts()[:2]:
        # django-axes checks every sign-in against its request (login lockout): give the test one.
        assert client.login(request=HttpRequest(), username=account.username, password=DEMO_PASSWORD), account.username
        client.logout()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    editor = get_user_model().objects.get(username="bd_editor")
    assert set(editor.memberships.values_list("organ__name", "role")) == {
        ("保定市人民政府办公室", "editor"), ("保定市人民政府", "editor")}
    assert Membership.objects.get(user__username="bd_head").role == "office_head"
    for prefix in ("ga", "bj", "tj", "tez"):
        assert get_user_model().objects.filter(username__in=[f"{prefix}_editor", f"{prefix}_reviewer"]).count() == 2


# --- the other apps ---------------------------------------------------------------


def test_application_plan_covers_every_applicant_kind_outcome_and_channel():
    today = NOW.date()
    specs = applicants.plan(80, seed=1, today=today)
    assert len(specs) == 80
    assert [(s.organ, s.applicant, s.title, s.steps) for s in specs] == [
        (s.organ, s.applicant, s.title, s.steps) for s in applicants.plan(80, seed=1, today=today)]
    assert len({(s.organ, s.applicant.id_number, s.title) for s in specs}) == len(specs)
    assert {s.applicant.kind for s in specs} == set(ApplicantKind.values)
    assert {s.channel for s in specs} == set(applicants.CHANNELS)
    for s in specs:
        check = check_resident_id if s.applicant.kind == ApplicantKind.NATURAL_PERSON else check_credit_code
        assert check(s.applicant.id_number) == s.applicant.id_number
    steps = [st for s in specs for st in s.steps]
    outcomes = {st.args["outcome"] for st in steps if st.action == "determine"}
    outcomes |= {"r3_4_1" for st in steps if st.action == "transfer"}
    outcomes |= {"r3_6_1" for st in steps if st.action == "correction_expired"}
    outcomes |= {"r3_6_2" for st in steps if st.action == "fee_expired"}
    assert outcomes == set(Outcome.values)
    assert {s.arrived_on.year for s in specs if s.arrived_on} == {2025, 2026}
    assert all(s.arrived_on <= today - dt.timedelta(days=60) for s in specs if s.arrived_on)
    actions = {st.action for st in steps}
    assert {"correction", "corrected", "consult", "consulted", "fee", "fee_paid", "request_extension",
            "approve_extension", "reconsideration", "litigation", "reconsideration_then_litigation"} <= actions


def _assert_applications_work_plans_and_the_report(out):
    assert f"依申请公开：新建{APPS}件" in out and "工作要点：5份" in out and "年度报告草稿：新建" in out
    today = timezone.localdate()

    # Applications: every kind of applicant, every channel, histories through the services.
    apps = Application.objects.all()
    assert apps.count() == APPS
    assert set(apps.values_list("applicant_kind", flat=True)) == set(ApplicantKind.values)
    assert set(apps.values_list("channel", flat=True)) == set(applicants.CHANNELS)
    assert {a.receipt_date.year for a in apps} >= {2025, 2026}
    assert apps.filter(organ__name="保定市人民政府办公室").count() > APPS // 3
    closed = apps.filter(closed_on__isnull=False)
    assert closed.count() == Determination.objects.count() > APPS // 2
    assert apps.open().filter(clock_state="running", due_date__lt=today).exists()  # overdue
    assert apps.filter(clock_state="waiting_correction").exists()
    assert apps.filter(clock_state="paused").exists()  # consultation
    assert apps.filter(channel="online", arrived_on=today, created_by__isnull=True).exists()  # submitted online today
    approved = ExtensionRequest.objects.get(status="approved")
    assert approved.decided_by.username == "bd_head"
    assert ExtensionRequest.objects.filter(status="pending").exists()
    assert Reconsideration.objects.exists() or Litigation.objects.exists()
    # Letters are Word files; PDFs are left to the first download.
    assert Letter.objects.filter(kind="receipt").count() == APPS
    assert not Letter.objects.exclude(pdf="").exists()
    assert Letter.objects.filter(kind="reply").count() == ApplicationEvent.objects.filter(kind="determined").count()
    assert AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_RECEIVED).count() == APPS

    # Work plans: the five seeds, units matched, with progress; plans of past years, so 已归档 (never reminded).
    plans = WorkPlan.objects.all()
    assert plans.count() == 5 and set(plans.values_list("status", flat=True)) == {PlanStatus.ARCHIVED}
    assert not Task.objects.overdue(today=dt.date.today())
    baoding = plans.get(organ__name="保定市人民政府办公室")
    assert baoding.title == "保定市2021年政务公开工作要点" and baoding.source_record.doc_no == "保政办函〔2021〕15号"
    assert baoding.tasks.filter(units__organs__isnull=False).exists()
    assert ProgressReport.objects.filter(task__plan=baoding).count() >= 2
    assert Task.objects.filter(status="done").exists()

    # The 2025 report draft of 保定市人民政府办公室.
    report = AnnualReport.objects.get(organ__name="保定市人民政府办公室", year=2025)
    assert report.entries["t2.licensing.decisions"] == "1268" and report.sources["t2.fees.amount"]
    assert report.overview and report.problems and report.other_matters and report.record is None


@pytest.mark.django_db
def test_demo_dry_run_leaves_no_applications_or_letter_files(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    out = _demo(0, "--dry-run", applications=8)
    assert "依申请公开：将新建8件" in out
    assert not Application.objects.exists() and not WorkPlan.objects.exists() and not AnnualReport.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
