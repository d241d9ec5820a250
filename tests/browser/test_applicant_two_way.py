"""The applicant's two-way tracking page in chromium on a phone-sized screen: submit (the button
disables itself), the receipt in a new session, a 补正 with a file, a message, the fee with a
payment proof, and a withdrawal."""

import datetime as dt

import pytest
from django.core.cache import cache

from gongkai.applications import services
from gongkai.applications.models import Application, ApplicationMessage
from gongkai.core.models import OrganKind, Role
from tests import factories

from .conftest import screenshot
from .test_portal import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    cache.clear()


def _track(page, base, code):
    page.goto(f"{base}/track/?code={code}")
    assert page.get_by_label("查询码").input_value() == code
    page.get_by_label("联系电话或证件号码后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("h1:has-text('办理进度')")


def test_apply_answer_pay_and_withdraw_on_a_phone(live_server, browser, tmp_path):
    gov = factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind=OrganKind.GOVERNMENT)
    organ = factories.OrganFactory(name="保定市测试局", short_name="测试局", code="11130600MA9999991X", parent=gov)
    handler = factories.UserFactory(username="handler")
    factories.MembershipFactory(user=handler, organ=organ, role=Role.HANDLER)
    base = live_server.url
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.set_default_timeout(15000)

    # Apply on the phone: one click, one application, the button disables itself.
    page.goto(f"{base}/apply/organ/{organ.code}/")
    page.get_by_role("radio", name="法人或其他组织").check()
    assert page.locator('[name="legal_representative"]').is_visible()
    assert page.locator('select[name="id_type"]').input_value() == "credit_code"
    page.get_by_label("自然人").check()
    assert page.locator('[name="legal_representative"]').is_hidden()  # company-only fields hidden
    assert page.locator('select[name="id_type"]').input_value() == "resident_id"
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("通信地址").fill("河北省保定市竞秀区东风路1号")
    page.get_by_label("所需信息名称").fill("2024年城市道路建设项目资金使用情况")
    page.get_by_label("所需信息的内容描述").fill("申请公开2024年本市城市道路建设项目的资金拨付和使用情况。")
    assert "已输入" in page.locator("[data-counter]").inner_text()
    page.get_by_label("本人承诺所填信息真实有效").check()
    button = page.get_by_role("button", name="提交申请")
    button.dblclick()
    page.wait_for_selector("h1:has-text('申请已提交')")
    assert Application.objects.count() == 1
    code = page.locator("#tracking-code").inner_text()
    app = Application.objects.get(tracking_code=code)

    # The receipt URL in a new session asks for the check, code filled in.
    other = browser.new_context(**PHONE).new_page()
    other.goto(f"{base}/apply/receipt/{code}/")
    other.wait_for_selector("h1")
    assert other.get_by_label("查询码").input_value() == code
    other.context.close()

    # The office asks for a correction; the applicant answers online with a file.
    services.application_request_correction(actor=handler, application=app, on=services.today(),
                                            deadline=services.today() + dt.timedelta(days=30),
                                            items="请写明具体的道路项目名称")
    _track(page, base, code)
    check_axe(page, "track-two-way")
    proof = tmp_path / "补正说明.pdf"
    proof.write_bytes(b"%PDF-1.4 test")
    box = page.locator("#correction")
    box.get_by_label("内容").fill("东风路改造工程的资金拨付和使用情况")
    box.get_by_label("附件（可选）").set_input_files(str(proof))
    box.get_by_role("button", name="提交补正").click()
    page.wait_for_selector("text=补正已提交")
    msg = ApplicationMessage.objects.get(kind="correction")
    services.application_thread_accept(actor=handler, message=msg)
    app.refresh_from_db()
    assert app.clock_state == "running"

    # A message to the office.
    page.locator("#message").get_by_label("内容").fill("请问可以电子邮件答复吗？")
    page.locator("#message").get_by_role("button", name="发送留言").click()
    page.wait_for_selector("text=留言已发送")
    assert ApplicationMessage.objects.filter(kind="message", from_applicant=True).exists()
    screenshot(page, "applications-two-way-phone")

    # Withdrawal with a reason closes the clock.
    page.locator("#withdraw summary").click()
    page.get_by_label("撤回理由").fill("已从其他渠道获得")
    page.get_by_label("我确认撤回本申请").check()
    page.get_by_role("button", name="撤回申请").click()
    page.wait_for_selector("text=已撤回申请")
    app.refresh_from_db()
    assert app.clock_state == "abandoned" and app.determination.reply_type == "withdrawn"
    phone.close()


def test_fee_with_payment_details_and_proof_on_a_phone(live_server, browser, tmp_path):
    organ = factories.OrganFactory(name="保定市测试局", short_name="测试局", code="11130600MA9999991X")
    handler = factories.UserFactory(username="handler")
    factories.MembershipFactory(user=handler, organ=organ, role=Role.HANDLER)
    from gongkai.applications.models import OrganLetterSettings
    from tests.applications.conftest import applicant_data

    OrganLetterSettings.objects.create(organ=organ, nontax_channel="河北省非税收入统一缴款平台", nontax_code="130600123")
    apps = [services.application_submit(organ=organ, data=applicant_data(title=f"信息{i}", description=f"内容{i}"))
            for i in range(11)]
    app = apps[-1]
    services.application_fee_notice(actor=handler, application=app, on=services.today(), standard="per_application")
    page = browser.new_context(**PHONE).new_page()
    _track(page, live_server.url, app.tracking_code)
    assert "130600123" in page.locator("#fee-payment").inner_text()
    proof = tmp_path / "回单.png"
    proof.write_bytes(b"\x89PNG\r\n\x1a\n")
    box = page.locator("#fee_proof")
    box.get_by_label("内容").fill("已通过非税平台缴纳")
    box.get_by_label("附件（可选）").set_input_files(str(proof))
    box.get_by_role("button", name="上传缴费凭证").click()
    page.wait_for_selector("text=缴费凭证已上传")
    assert ApplicationMessage.objects.get(kind="fee_proof").file_name == "回单.png"
    page.context.close()
