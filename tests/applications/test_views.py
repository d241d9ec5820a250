"""Public pages (apply, receipt, track) and the handler's pages, through the test client."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import Application, Outcome, SubmissionLog

from .conftest import VALID_ID, applicant_data

D = dt.date


def form_data(**kw):
    data = applicant_data()
    data.pop("applicant_kind")
    data.update({"person_kind": "natural", "agree": "on"})
    data.update(kw)
    return data


@pytest.fixture
def apply_url(organ):
    return reverse("applications:apply_organ", kwargs={"code": organ.code})


def test_apply_gives_a_receipt_with_dates(client, apply_url, today):
    response = client.post(apply_url, form_data(), REMOTE_ADDR="10.1.1.1")
    app = Application.objects.get()
    assert response.status_code == 302 and response.url == reverse("applications:receipt", args=[app.tracking_code])
    page = client.get(response.url).content.decode()
    assert app.tracking_code in page and "2025年9月22日" in page and "2025年10月24日" in page
    assert "张*" in page and "张三" not in page  # masked on the public receipt
    letter = app.letters.get(kind="receipt")
    docx = client.get(reverse("applications:track_letter", args=[app.tracking_code, letter.pk, "docx"]))
    assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")


def test_platform_form_asks_for_the_organ(client, organ, today):
    response = client.post(reverse("applications:apply"), form_data(), REMOTE_ADDR="10.1.1.2")
    assert response.status_code == 400 and "受理机关" in response.content.decode()
    response = client.post(reverse("applications:apply"), form_data(organ=organ.pk), REMOTE_ADDR="10.1.1.2")
    assert response.status_code == 302 and Application.objects.get().organ == organ


def test_bad_input_keeps_what_was_typed(client, apply_url, today):
    response = client.post(apply_url, form_data(id_number="110105194912310021", title="某某文件的全文"),
                           REMOTE_ADDR="10.1.1.3")
    page = response.content.decode()
    assert response.status_code == 400
    assert "身份证号码校验位不正确" in page and "某某文件的全文" in page and "110105194912310021" in page
    assert not Application.objects.exists()


def test_organisation_must_choose_kind_and_credit_code(client, apply_url, today):
    response = client.post(apply_url, form_data(person_kind="organisation", id_type="resident_id"), REMOTE_ADDR="10.1.1.4")
    page = response.content.decode()
    assert "请选择法人或其他组织的类型" in page and "统一社会信用代码" in page


def test_honeypot_refuses(client, apply_url, today):
    response = client.post(apply_url, form_data(website="http://spam.example"), REMOTE_ADDR="10.1.1.5")
    assert response.status_code == 400 and not Application.objects.exists()


def test_challenge_after_n_and_rate_limit(client, apply_url, settings, today):
    settings.GONGKAI_APPLY_CHALLENGE_AFTER = 1
    settings.GONGKAI_APPLY_RATE_LIMIT = 3
    assert client.post(apply_url, form_data(), REMOTE_ADDR="10.9.9.9").status_code == 302
    page = client.get(apply_url, REMOTE_ADDR="10.9.9.9").content.decode()
    assert "验证问题" in page
    refused = client.post(apply_url, form_data(challenge_answer="999"), REMOTE_ADDR="10.9.9.9")
    assert refused.status_code == 400 and "验证问题回答不正确" in refused.content.decode()
    form = refused.context["form"]
    token = form.challenge[1]
    a, b = [int(x) for x in re.findall(r"\d+", form.challenge[0])]
    ok = client.post(apply_url, form_data(challenge_answer=str(a + b), challenge_token=token), REMOTE_ADDR="10.9.9.9")
    assert ok.status_code == 302
    SubmissionLog.objects.create(ip="10.9.9.9")
    assert client.get(apply_url, REMOTE_ADDR="10.9.9.9").status_code == 429
    assert client.get(apply_url, REMOTE_ADDR="10.9.9.8").status_code == 200  # other people are not locked out


def test_tracking_needs_code_and_last_digits(client, application):
    url = reverse("applications:track_detail", args=[application.tracking_code])
    assert client.get(url).status_code == 404
    bad = client.post(reverse("applications:track"), {"code": application.tracking_code, "check": "0000"})
    assert bad.status_code == 400 and "不正确" in bad.content.decode()
    good = client.post(reverse("applications:track"), {"code": application.tracking_code.lower(), "check": "5678"})
    assert good.status_code == 302 and good.url == url
    page = client.get(url).content.decode()
    assert "申请回执" in page and "2025年10月24日" in page and "期限是怎样算出来的" in page


def test_tracking_by_id_last_digits(client, application):
    good = client.post(reverse("applications:track"), {"code": application.tracking_code, "check": VALID_ID[-4:]})
    assert good.status_code == 302


# -- workspace -------------------------------------------------------------------------------


def test_queue_sorted_masked_and_highlighted(client, handler, organ, today):
    a = services.application_submit(organ=organ, data=applicant_data(name="欧阳娜娜"))
    today.set(D(2025, 9, 29))
    b = services.application_submit(organ=organ, data=applicant_data(title="另一项信息", description="完全不同的内容描述"))
    today.set(D(2025, 10, 27))  # a is overdue (due 10-24)
    client.force_login(handler)
    page = client.get(reverse("applications:queue")).content.decode()
    assert page.index(a.tracking_code) < page.index(b.tracking_code)
    assert "欧***" in page and "欧阳娜娜" not in page and VALID_ID not in page
    assert "row-overdue" in page
    overdue = client.get(reverse("applications:queue"), {"state": "overdue"}).content.decode()
    assert a.tracking_code in overdue and b.tracking_code not in overdue


def test_outsider_sees_nothing(client, outsider, application):
    client.force_login(outsider)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    r = client.post(reverse("applications:act", args=[application.pk, "correction"]), {})
    assert r.status_code == 404
    letter = application.letters.first()
    assert client.get(reverse("applications:letter", args=[letter.pk, "docx"])).status_code == 404
    assert application.tracking_code not in client.get(reverse("applications:queue")).content.decode()


def test_editor_without_handling_role_is_refused(client, organ, application):
    from gongkai.core.models import Role

    from .conftest import member

    client.force_login(member(organ, Role.EDITOR, "ed"))
    assert client.get(reverse("applications:queue")).status_code == 403
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404


def test_detail_shows_personal_data_and_clock(client, handler, application):
    client.force_login(handler)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "张三" in page and VALID_ID not in page and "13812345678" not in page  # masked until asked
    assert "答复期限" in page and "2025年10月24日" in page
    client.post(reverse("applications:personal_data", args=[application.pk]), {"reason": "联系申请人"})
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert VALID_ID in page and "13812345678" in page


def test_actions_through_the_page(client, handler, head, application, today):
    client.force_login(handler)
    act = lambda name, **data: client.post(reverse("applications:act", args=[application.pk, name]), data)  # noqa: E731
    bad = act("correction", on="2025-09-22", deadline="2025-09-21", items="请补充")
    assert bad.status_code == 400 and "补正期限应晚于告知日期" in bad.content.decode()
    assert act("extension", workdays="25", reason="x").status_code == 400
    assert act("extension", workdays="10", reason="资料较多").status_code == 302
    client.force_login(head)
    req = application.extension_requests.get()
    r = client.post(reverse("applications:extension_decide", args=[req.pk]), {"decision": "approve"})
    assert r.status_code == 302
    application.refresh_from_db()
    assert application.due_date == D(2025, 11, 7)
    client.force_login(handler)
    r = act("determine", on="2025-09-22", outcome=Outcome.WITHHELD_PROCESS, reasons="属于过程性信息。")
    assert r.status_code == 302
    application.refresh_from_db()
    assert application.determination.outcome == "r3_3_6" and application.closed_on == D(2025, 9, 22)
    r = act("reconsideration", filed_on="2025-09-22", body="保定市人民政府")
    assert r.status_code == 302 and application.reconsiderations.count() == 1


def test_register_by_staff(client, handler, organ, today):
    client.force_login(handler)
    data = form_data(organ=organ.pk, channel="fax", arrived_on="2025-09-20", confirmed_on="2025-09-22")
    r = client.post(reverse("applications:register"), data)
    assert r.status_code == 302
    app = Application.objects.get()
    assert app.channel == "fax" and app.receipt_date == D(2025, 9, 22)


def test_export_masks_personal_data_unless_asked_for_with_a_reason(client, handler, application):
    client.force_login(handler)
    masked = b"".join(client.post(reverse("applications:export")).streaming_content).decode()
    assert application.tracking_code in masked and VALID_ID not in masked and "张三" not in masked
    full = client.post(reverse("applications:export"), {"full": "1", "reason": "行政复议答辩需要"})
    body = b"".join(full.streaming_content).decode()
    assert "张三" in body and VALID_ID in body


def test_similar_applications_from_other_applicants(client, handler, organ, today):
    from .conftest import VALID_USCC

    a = services.application_submit(organ=organ, data=applicant_data())
    b = services.application_submit(organ=organ, data=applicant_data(
        applicant_kind="business", name="某公司", id_type="credit_code", id_number=VALID_USCC,
        description="请公开2024年本市城市道路建设项目的资金拨付和使用情况"))
    client.force_login(handler)
    page = client.get(reverse("applications:detail", args=[a.pk])).content.decode()
    assert "不同申请人申请相近信息" in page and b.tracking_code in page
    groups = client.get(reverse("applications:similar")).content.decode()
    assert a.tracking_code in groups and b.tracking_code in groups


def test_tracking_failures_are_throttled(client, application, settings):
    settings.GONGKAI_TRACK_FAILURE_LIMIT = 2
    url = reverse("applications:track")
    for _ in range(2):
        assert client.post(url, {"code": application.tracking_code, "check": "0000"}).status_code == 400
    refused = client.post(url, {"code": application.tracking_code, "check": "5678"})
    assert refused.status_code == 429 and "次数过多" in refused.content.decode()
    assert client.get(reverse("applications:track_detail", args=[application.tracking_code])).status_code == 404


def test_the_platform_wide_form_offers_a_searchable_organ_tree(client, organ, today):
    url = reverse("applications:apply")
    page = client.get(url).content.decode()
    assert "data-organ-picker" in page and 'data-organ-tree="1"' in page and "core/organ-tree.js" in page
    assert f'data-path="{organ.path}"' in page
    refused = client.post(url, form_data(organ="999999"), REMOTE_ADDR="10.1.1.7")
    assert refused.status_code == 400 and "所选机关不存在或已停用" in refused.content.decode()
    assert client.post(url, form_data(organ=str(organ.pk)), REMOTE_ADDR="10.1.1.7").status_code == 302


def test_attachments_survive_a_form_error(client, apply_url, today, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.applications.models import ApplicationFile

    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("身份证明.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    other = SimpleUploadedFile("委托书.pdf", b"%PDF-1.4 power", content_type="application/pdf")
    refused = client.post(apply_url, form_data(phone="12", attachments=[upload, other]), REMOTE_ADDR="10.1.1.8")
    assert refused.status_code == 400 and not Application.objects.exists()
    page = refused.content.decode()
    assert 'id="kept-files"' in page and "身份证明.pdf" in page and "无需重新选择" in page
    kept = refused.context["form"]["kept_files"].value()
    assert kept and 'name="kept_files"' in page
    # Corrected, without choosing the files again (one removed): the rest joins the application.
    ok = client.post(apply_url, form_data(kept_files=kept, drop_kept=["1"]), REMOTE_ADDR="10.1.1.8")
    assert ok.status_code == 302
    files = ApplicationFile.objects.filter(application=Application.objects.get())
    assert [f.name for f in files] == ["身份证明.pdf"] and files[0].file.read() == b"%PDF-1.4 proof"
    # A forged token keeps nothing; stale pending files are purged by the daily job.
    forged = client.post(apply_url, form_data(phone="12", kept_files="x"), REMOTE_ADDR="10.1.1.9")
    assert 'id="kept-files"' not in forged.content.decode()
    import datetime as dt

    assert services.kept_files_purge(older_than=dt.timedelta(seconds=-60)) == 2


def test_files_of_a_refused_answer_are_kept_for_the_next_attempt(client, handler, application, today, settings,
                                                                   tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.applications.models import ApplicationFile

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(handler)
    url = reverse("applications:act", args=[application.pk, "determine"])
    upload = SimpleUploadedFile("可公开部分.pdf", b"%PDF-1.4 part", content_type="application/pdf")
    # The form is valid but the service refuses (部分公开 needs reasons): the file is kept.
    refused = client.post(url, {"on": "2025-09-22", "outcome": "r3_2", "files": [upload]})
    assert refused.status_code == 400 and "除予以公开外，答复须写明理由" in refused.content.decode()
    form = refused.context["forms"]["determine"]
    assert [k["name"] for k in form.kept] == ["可公开部分.pdf"] and "可公开部分.pdf" in refused.content.decode()
    ok = client.post(url, {"on": "2025-09-22", "outcome": "r3_2", "reasons": "部分涉及个人隐私。",
                           "kept_files": form["kept_files"].value()})
    assert ok.status_code == 302
    provided = ApplicationFile.objects.get(application=application, source="provided")
    assert provided.name == "可公开部分.pdf" and provided.file.read() == b"%PDF-1.4 part"
