"""The handler's desk: the workspace home counts, the queue search a phone call needs, guards."""

import datetime as dt

from django.urls import reverse

from gongkai.applications import selectors, services

from .conftest import VALID_ID, applicant_data

D = dt.date


def test_desk_counts_what_needs_doing(client, organ, handler, head, today):
    a = services.application_submit(organ=organ, data=applicant_data(title="甲"))
    b = services.application_submit(organ=organ, data=applicant_data(title="乙"))
    services.application_request_correction(actor=handler, application=b, on=today.day, deadline=D(2025, 10, 20),
                                            items="请写明文件名称")
    services.application_thread_post(application=b, body="补正内容", kind="correction")
    services.application_thread_post(application=a, body="请问进度？")
    services.application_request_extension(actor=handler, application=a, workdays=10, reason="资料较多")
    desk = selectors.desk(head, today=today.day)
    assert desk["new"] == 2 and desk["waiting"] == 1 and desk["to_confirm"] == 1
    assert desk["unanswered_messages"] == 1 and desk["extensions"] == 1 and desk["overdue"] == 0
    services.application_thread_post(application=a, body="正在办理。", actor=handler)
    assert selectors.desk(head, today=today.day)["unanswered_messages"] == 0
    today.set(D(2025, 11, 3))  # 甲 was due 2025-10-24
    assert selectors.desk(head, today=today.day)["overdue"] == 1
    client.force_login(head)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "依申请公开待办" in page and "延期申请待审批" in page


def test_desk_is_absent_for_a_clerk_without_applications(editor):
    assert selectors.desk(editor, today=D(2025, 9, 22)) is None


def test_queue_search_by_name_phone_and_id(organ, handler, today):
    app = services.application_submit(organ=organ, data=applicant_data(name="李四", phone="13912345678"))
    other = services.application_submit(organ=organ, data=applicant_data(name="王五", phone="13700000000",
                                                                         title="另一件"))
    for q in ("李四", "13912345678", "2345678", VALID_ID.lower(), app.tracking_code):
        found = list(selectors.queue(handler, q=q, today=today.day))
        assert app in found and (q == VALID_ID.lower() or other not in found), q


def test_a_get_on_an_action_url_returns_to_the_detail_page(client, handler, application):
    client.force_login(handler)
    r = client.get(reverse("applications:act", args=[application.pk, "correction"]))
    assert r.status_code == 302 and r.url == reverse("applications:detail", args=[application.pk])


def test_queue_columns_sort_both_ways(client, organ, handler, today):
    a = services.application_submit(organ=organ, data=applicant_data(name="甲某", title="甲"))
    today.set(D(2025, 9, 24))
    b = services.application_submit(organ=organ, data=applicant_data(name="乙某", title="乙"))
    client.force_login(handler)
    url = reverse("applications:queue")
    page = client.get(url + "?sort=-due").content.decode()
    assert page.index(b.tracking_code) < page.index(a.tracking_code) and 'aria-sort="descending"' in page
    page = client.get(url + "?sort=due").content.decode()
    assert page.index(a.tracking_code) < page.index(b.tracking_code) and "sort=-due" in page


def test_extension_approval_shows_the_current_and_resulting_due_date(client, organ, handler, head, application):
    services.application_request_extension(actor=handler, application=application, workdays=10, reason="资料较多")
    client.force_login(head)
    page = client.get(reverse("applications:extensions")).content.decode()
    # Due 2025-10-24; ten more working days → 2025-11-07.
    assert "现为 <time datetime=\"2025-10-24\">" in page and "同意后为 <time datetime=\"2025-11-07\">" in page
    assert "李经办" in page  # the requester by name, not by username


def test_similar_applications_group_within_a_year_and_a_window(organ, handler, today):
    def submit(day, name, id_number):
        today.set(day)
        return services.application_submit(organ=organ, data=applicant_data(
            name=name, id_type="passport", id_number=id_number,
            title="2024年城市道路建设项目资金使用情况", description="申请公开城市道路建设项目的资金使用情况"))

    a = submit(D(2025, 12, 1), "甲", "E12345678")
    b = submit(D(2025, 12, 10), "乙", "E22345678")
    c = submit(D(2026, 1, 5), "丙", "E32345678")  # next year: not grouped with 甲、乙
    d = submit(D(2026, 5, 20), "丁", "E42345678")  # months later: not grouped with 丙
    groups = selectors.similar_groups(handler, days=400, today=D(2026, 5, 20))
    assert [sorted(x.pk for x in g) for g in groups] == [sorted([a.pk, b.pk])]
    assert all(c not in g and d not in g for g in groups)


def test_a_back_dated_registration_that_is_already_overdue_warns(client, handler, organ, today):
    from .test_views import form_data

    client.force_login(handler)
    today.set(D(2025, 12, 1))
    data = form_data(organ=organ.pk, channel="in_person", arrived_on="2025-09-22")
    r = client.post(reverse("applications:register"), data, follow=True)
    assert "已经逾期" in r.content.decode()
    data = form_data(organ=organ.pk, channel="in_person", arrived_on="2025-11-28", title="新的一件")
    r = client.post(reverse("applications:register"), data, follow=True)
    assert "已经逾期" not in r.content.decode()


def test_actions_already_used_are_not_offered_and_say_why(client, handler, application, today):
    detail = reverse("applications:detail", args=[application.pk])
    client.force_login(handler)
    services.application_request_correction(actor=handler, application=application, on=today.day,
                                            deadline=D(2025, 10, 20), items="请写明文件名称")
    today.set(D(2025, 9, 23))
    services.application_record_correction(actor=handler, application=application, on=D(2025, 9, 23),
                                           text="文件名称：某某")
    services.application_request_extension(actor=handler, application=application, workdays=5, reason="资料较多")
    page = client.get(detail).content.decode()
    assert "现在不能告知补正：补正应一次性告知" in page
    assert f"{reverse('applications:act', args=[application.pk, 'correction'])}" not in page
    assert "待公开办负责人审批" in page and reverse("applications:act", args=[application.pk, "extension"]) not in page
    services.application_fee_notice(actor=handler, application=application, on=D(2025, 9, 23),
                                     standard="per_page", pages=250)
    services.application_fee_paid(actor=handler, application=application, on=D(2025, 9, 23))
    page = client.get(detail).content.decode()
    assert "一件申请只收取一次信息处理费" in page
    assert reverse("applications:act", args=[application.pk, "fee"]) not in page


def test_the_requester_of_an_extension_cannot_approve_it(client, organ, head, application, today):
    import pytest

    req = services.application_request_extension(actor=head, application=application, workdays=5, reason="资料较多")
    client.force_login(head)
    for url in (reverse("applications:detail", args=[application.pk]), reverse("applications:extensions")):
        page = client.get(url).content.decode()
        assert "不能审批自己的延期申请" in page
        assert reverse("applications:extension_decide", args=[req.pk]) not in page
    with pytest.raises(services.ApplicationActionError, match="不能审批自己的"):
        services.application_decide_extension(actor=head, request=req, approve=True)
    assert selectors.desk(head, today=today.day)["extensions"] == 0  # nothing the head may approve


def test_a_get_on_any_action_url_returns_to_the_detail_page(client, handler, head, application, today):
    services.application_determine(actor=handler, application=application, on=today.day, outcome="r3_3_4",
                                   reasons="涉及商业秘密")
    rec = services.reconsideration_add(actor=handler, application=application, filed_on=today.day, body="某政府")
    req_app = services.application_submit(organ=application.organ, data=applicant_data(title="乙"))
    req = services.application_request_extension(actor=handler, application=req_app, workdays=5, reason="资料较多")
    client.force_login(head)
    detail = reverse("applications:detail", args=[application.pk])
    for url, to in ((reverse("applications:convert", args=[application.pk]), detail),
                    (reverse("applications:personal_data", args=[application.pk]), detail),
                    (reverse("applications:appeal_result", args=["reconsideration", rec.pk]), detail),
                    (reverse("applications:appeal_reopen", args=["reconsideration", rec.pk]), detail),
                    (reverse("applications:extension_decide", args=[req.pk]),
                     reverse("applications:detail", args=[req_app.pk]))):
        r = client.get(url)
        assert r.status_code == 302 and r.url == to, url
