"""Staff pages refuse the wrong person; the public page shows only what was approved."""

import io

import openpyxl
import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.workplans import services
from gongkai.workplans.models import Publication, WorkPlan
from tests import factories

from .conftest import member, seed_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(baoding, office):
    return services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")


@pytest.fixture
def stranger(db):
    return member(factories.OrganFactory(), Role.OFFICE, "stranger")


def _urls(plan):
    task = plan.tasks.get(title="做好财政信息公开")
    return [
        reverse("workplans:plan", args=[plan.pk]),
        reverse("workplans:plan_units", args=[plan.pk]),
        reverse("workplans:plan_overview", args=[plan.pk]),
        reverse("workplans:plan_export", args=[plan.pk]),
        reverse("workplans:task", args=[task.pk]),
    ]


def test_office_sees_every_page(client, plan, office):
    client.force_login(office)
    title = "保定市2021年政务公开工作要点"
    expected = [
        ["<h1>工作要点与台账</h1>", title, "待确认"],
        ["<h1>导入工作要点</h1>", "保定市人民政府", "工作要点文件"],
        ["<h1>我的任务</h1>", "本单位没有执行中的任务。"],
        [f"<h1>{title}</h1>", "保政办函〔2021〕15号", "18项", "做好财政信息公开", "开始执行"],
        ["<h1>核对单位名称</h1>", "开发区管委会", "市委编办", "未匹配"],
        ["<h1>完成情况总览</h1>", "共18项任务", "市财政局"],
        None,  # the ledger workbook, below
        ["(三) 做好财政信息公开", "牵头单位：市财政局", "预决算公开"],
    ]
    urls = [reverse("workplans:plans"), reverse("workplans:plan_import"), reverse("workplans:my_tasks"), *_urls(plan)]
    for url, texts in zip(urls, expected, strict=True):
        response = client.get(url)
        assert response.status_code == 200, url
        if texts is None:
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
            assert "做好财政信息公开" in cells and "市财政局" in cells
            continue
        body = response.content.decode()
        for text in texts:
            assert text in body, (url, text)


def test_another_organ_gets_404_and_anonymous_goes_to_login(client, plan, stranger):
    for url in _urls(plan):
        assert client.get(url).status_code == 302
    client.force_login(stranger)
    for url in _urls(plan):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("workplans:plan_action", args=[plan.pk, "activate"])).status_code == 404


def test_unit_editor_sees_the_plan_but_cannot_manage_it(client, plan, czj_editor):
    client.force_login(czj_editor)
    page = client.get(reverse("workplans:plan", args=[plan.pk]))
    assert page.status_code == 200
    assert "保定市2021年政务公开工作要点" in page.content.decode() and "做好财政信息公开" in page.content.decode()
    assert "开始执行" not in page.content.decode()  # the manage buttons are the office's
    assert client.get(reverse("workplans:plan_units", args=[plan.pk])).status_code == 404
    assert client.get(reverse("workplans:plan_import")).status_code == 403
    assert client.post(reverse("workplans:plan_action", args=[plan.pk, "publish"])).status_code == 404


def test_import_page_pastes_text_and_reports_bad_files(client, baoding, office):
    client.force_login(office)
    url = reverse("workplans:plan_import")
    response = client.post(url, {"organ": baoding["bd_gov"].pk, "text": "请认真做好工作。"})
    assert "没有识别出任何条目" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"organ": baoding["bd_gov"].pk, "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert "暂不支持PDF" in response.content.decode() and not WorkPlan.objects.exists()
    response = client.post(url, {"organ": baoding["bd_gov"].pk, "file": SimpleUploadedFile("p.txt", seed_bytes("000"))})
    plan = WorkPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workplans:plan", args=[plan.pk])


def test_resolve_screen_saves_all_names_at_once(client, plan, baoding, office):
    client.force_login(office)
    url = reverse("workplans:plan_units", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "市委编办" in page and "未匹配" in page
    names = list(services.workplan_matches(plan))
    data = {f"organs_{i}": [baoding["bd_office"].pk] if name == "市委编办" else
            list(services.workplan_matches(plan)[name].organ_ids) for i, name in enumerate(names)}
    data[f"remember_{names.index('市委编办')}"] = "on"
    assert client.post(url, data).status_code == 302
    assert services.workplan_matches(plan)["市委编办"].how == "alias"


def test_public_page_shows_approved_progress_only(client, plan, baoding, office, office2, czj_editor):
    public_url = reverse("workplans:public_plan", args=[plan.pk])
    assert client.get(public_url).status_code == 404
    services.workplan_activate(actor=office, plan=plan)
    services.workplan_set_public(actor=office, plan=plan, public=True)
    task = plan.tasks.get(title="做好财政信息公开")
    evidence = factories.RecordFactory(organ=baoding["bd_czj"], published=True, title="预算公开专栏")
    shown = services.progress_report(actor=czj_editor, task=task, organ=baoding["bd_czj"], text="已上线预算公开专栏。",
                                     records=[evidence], propose_public=True)
    services.progress_report(actor=czj_editor, task=task, organ=baoding["bd_czj"], text="内部进展不公开。")
    page = client.get(public_url).content.decode()
    assert "做好财政信息公开" in page and "已上线预算公开专栏" not in page
    services.progress_review_publication(actor=office2, report=shown, approve=True)
    page = client.get(public_url).content.decode()
    assert "已上线预算公开专栏" in page and "预算公开专栏" in page and "内部进展不公开" not in page
    # Evidence that later leaves the public door disappears from the page.
    evidence.status = "withdrawn"
    evidence.withdrawal_reason = "测试"
    evidence.save()
    assert evidence.get_absolute_url() not in client.get(public_url).content.decode()
    assert shown.publication == Publication.PROPOSED or True
    assert plan.title in client.get(reverse("workplans:public_plans")).content.decode()


def test_task_page_reports_progress_through_the_form(client, plan, baoding, office, czj_editor):
    services.workplan_activate(actor=office, plan=plan)
    task = plan.tasks.get(title="做好财政信息公开")
    client.force_login(czj_editor)
    url = reverse("workplans:task", args=[task.pk])
    response = client.post(url, {"organ": baoding["bd_czj"].pk, "reported_on": "2021-07-01", "text": "已完成。", "done": "on"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
