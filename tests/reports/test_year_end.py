"""A year that has not ended is a preview and cannot be sent, unless a platform admin allows it (issue 19)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.reports import exports, selectors, services
from tests import factories

from .test_services import save

DEC_4 = dt.date(2024, 12, 4)


def test_submission_is_refused_before_the_year_ends(organ, office):
    save(office, organ)
    data = selectors.report_data(organ, 2024, today=DEC_4)
    assert data.preview and not data.year_over
    with pytest.raises(services.ReportError, match="2024年度尚未结束，统计期限至2024年12月31日"):
        services.report_submit(actor=office, organ=organ, year=2024, on=DEC_4)
    with pytest.raises(services.ReportError, match="2024年度尚未结束"):
        services.report_submit(actor=office, organ=organ, year=2024, on=dt.date(2024, 12, 31))
    assert services.report_submit(actor=office, organ=organ, year=2024, on=dt.date(2025, 1, 1)).record is not None


def test_a_future_year_is_a_preview_too(organ, office):
    save(office, organ, year=2026)
    data = selectors.report_data(organ, 2026, today=dt.date(2025, 6, 1))
    assert data.preview
    assert "尚未结束" in services.submit_failure_reason(actor=office, report=data.report, data=data)


def test_only_a_platform_admin_may_allow_it_with_a_reason_recorded(organ, office):
    save(office, organ)
    with pytest.raises(PermissionDenied):
        services.report_allow_early_submission(actor=office, organ=organ, year=2024, reason="机构撤并", on=DEC_4)
    admin = factories.UserFactory(username="platform_admin", is_superuser=True, is_staff=True)
    with pytest.raises(services.ReportError, match="请写明"):
        services.report_allow_early_submission(actor=admin, organ=organ, year=2024, reason=" ", on=DEC_4)
    report = services.report_allow_early_submission(actor=admin, organ=organ, year=2024,
                                                    reason="机构撤并，须在12月底前报送", on=DEC_4)
    assert report.early_submission_allowed_by == admin
    event = AuditEvent.objects.get(event_type=AuditEventType.REPORT_EARLY_SUBMISSION_ALLOWED)
    assert (event.actor, event.organ, event.object_id) == (admin, organ, str(report.pk))
    assert event.note == "机构撤并，须在12月底前报送"
    assert services.report_submit(actor=office, organ=organ, year=2024, on=DEC_4).record is not None


def test_the_edit_page_labels_a_preview_and_claims_nothing_final(client, organ, office):
    save(office, organ, year=2024)
    client.force_login(office)
    url = reverse("reports:edit", kwargs={"slug": f"{organ.code}-2024"})
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=DEC_4):
        page = client.get(url).content.decode()
    assert "预览（年度未结束）" in page and "全部勾稽关系成立" not in page
    assert "2024年度尚未结束" in page  # the submit button says why it is disabled
    page = client.get(url).content.decode()  # today is past 2024
    assert "预览（年度未结束）" not in page and "全部勾稽关系成立" in page


def test_admin_allows_from_the_edit_page(client, organ, office):
    save(office, organ)
    admin = factories.UserFactory(username="platform_admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    from unittest import mock

    url = reverse("reports:allow_early", kwargs={"slug": f"{organ.code}-2024"})
    with mock.patch("django.utils.timezone.localdate", return_value=DEC_4):
        assert 'id="allow-early"' in client.get(reverse("reports:edit", kwargs={"slug": f"{organ.code}-2024"})).content.decode()
        response = client.post(url, {"reason": ""}, follow=True)
        assert "请写明允许在年度结束前提交的理由" in response.content.decode()
        response = client.post(url, {"reason": "机构撤并"}, follow=True)
    assert "理由已记入操作记录" in response.content.decode()
    client.force_login(office)
    assert client.post(url, {"reason": "自己允许"}).status_code == 403


def test_files_of_a_preview_say_so_and_do_not_claim_the_year(organ, office):
    save(office, organ)
    data = selectors.report_data(organ, 2024, today=DEC_4)
    ctx = exports.word_context(data)
    assert ctx["intro"].startswith("预览（年度未结束）")
    assert "至2024年12月31日止" not in ctx["intro"] and "统计至2024年12月4日" in ctx["intro"]
    final = exports.word_context(selectors.report_data(organ, 2024, today=dt.date(2025, 1, 2)))
    assert "至2024年12月31日止" in final["intro"]
