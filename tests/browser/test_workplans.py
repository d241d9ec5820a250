"""Import a seed plan, resolve a unit name, a unit reports progress with a record, the public page shows it."""

import json
from pathlib import Path

import pytest

from gongkai.core.models import Role
from gongkai.workplans.models import Publication, WorkPlan
from tests import factories
from tests.workplans.conftest import make_region, member

from .conftest import load_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = next((Path(__file__).parent.parent / "workplans" / "fixtures" / "seeds").glob("000_*.txt"))


def _login(page, base, username):
    page.goto(f"{base}/workspace/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("secret-pass-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workspace/")


def _logout(page):
    page.get_by_role("button", name="退出登录").click()


def _axe(page, name):
    load_axe(page)
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, "
                           "{runOnly: ['wcag2a', 'wcag2aa']}))")
    violations = json.loads(result)["violations"]
    assert not violations, name + "\n" + "\n".join(
        f"{v['id']}: {v['help']} — {[n['html'] for n in v['nodes'][:3]]}" for v in violations)


def test_import_resolve_report_publish(live_server, page):
    organs = make_region("bd")
    member(organs["bd_gov"], Role.OFFICE, "gkb")
    member(organs["bd_gov"], Role.OFFICE, "gkb2")
    member(organs["bd_czj"], Role.EDITOR, "czj")
    evidence = factories.RecordFactory(organ=organs["bd_czj"], published=True, title="保定市2021年市级预算公开")
    base = live_server.url

    _login(page, base, "gkb")
    page.get_by_role("link", name="工作要点与台账").first.click()
    page.get_by_role("link", name="导入工作要点").click()
    page.get_by_label("工作要点文件").set_input_files(str(SEED))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("text=已导入《保定市2021年政务公开工作要点》")
    _axe(page, "plan")
    screenshot(page, "workplans-plan")
    plan = WorkPlan.objects.get()

    page.get_by_role("link", name="核对单位名称").click()
    page.get_by_label("市委编办").select_option(label=organs["bd_office"].name)
    _axe(page, "units")
    page.get_by_role("button", name="保存对应关系").click()
    page.wait_for_selector("text=已保存单位对应关系")
    assert plan.tasks.get(title="及时动态调整权责清单").units.get(name="市委编办").organs.get() == organs["bd_office"]
    page.get_by_role("button", name="开始执行").click()
    page.wait_for_selector("#plan-status:has-text('执行中')")
    page.get_by_role("button", name="公开执行情况").click()
    page.wait_for_selector("text=已公开执行情况")
    _logout(page)

    _login(page, base, "czj")
    page.get_by_role("link", name="工作要点与台账").first.click()
    page.get_by_role("link", name="我的任务").click()
    page.get_by_role("link", name="做好财政信息公开").click()
    page.get_by_label("进展情况").fill("已在政府信息公开专栏集中公开2021年市级预算。")
    page.get_by_label("佐证信息（已公开）").select_option(label=evidence.title)
    page.get_by_label("申请在门户公开这条进展").check()
    _axe(page, "task")
    page.get_by_role("button", name="报送", exact=True).click()
    page.wait_for_selector("text=已报送进展")
    screenshot(page, "workplans-task")
    _logout(page)

    _login(page, base, "gkb2")
    page.goto(f"{base}/workspace/plans/{plan.pk}/overview/")
    _axe(page, "overview")
    page.get_by_role("link", name="做好财政信息公开", exact=True).click()
    page.get_by_role("button", name="审核通过并公开").click()
    page.wait_for_selector("text=已审核")
    assert plan.tasks.get(title="做好财政信息公开").reports.get().publication == Publication.APPROVED

    page.goto(f"{base}/plans/{plan.pk}/")
    page.wait_for_selector("h1:has-text('保定市2021年政务公开工作要点落实情况')")
    assert page.get_by_text("已在政府信息公开专栏集中公开2021年市级预算。").is_visible()
    assert page.get_by_role("link", name=evidence.title).is_visible()
    _axe(page, "public")
    screenshot(page, "workplans-public")
