"""Finding 6: a published report's Word and PDF files are made once and served stored; staff's
on-demand files are rate-limited."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.records import services as record_services
from gongkai.records.models import ReviewDecision
from gongkai.reports import services, stored
from tests.reports.conftest import government, make_app, office, organ, reviewer  # noqa: F401 - fixtures
from tests.reports.test_services import save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def made(monkeypatch):
    """Count the files really generated (no LibreOffice in the test)."""
    calls = []

    def fake_export(data, fmt, *, charts=False):
        calls.append(fmt)
        return b"%PDF-1.7 fake" if fmt == "pdf" else b"PK fake docx"

    monkeypatch.setattr(stored.exports, "export", fake_export)
    return calls


def test_published_files_are_made_at_publication_and_then_served_stored(
        client, organ, office, reviewer, made, settings, django_capture_on_commit_callbacks):  # noqa: F811
    settings.GONGKAI_REPORT_PREGENERATE = True
    make_app(organ, "natural_person", dt.date(2024, 3, 1), dt.date(2024, 3, 20), "r3_1")
    save(office, organ)
    with django_capture_on_commit_callbacks(execute=True):  # record_changed goes out on commit
        report = services.report_submit(actor=office, organ=organ, year=2024)
        record_services.record_review(actor=reviewer, record=report.record, decision=ReviewDecision.APPROVED,
                                      confidentiality_opinion="不涉密", attribute_confirmed="proactive", publish="now")
    assert sorted(made) == ["docx", "pdf"]  # generated once, at publication
    url = reverse("reports:public_file", kwargs={"slug": f"{organ.code}-2024"}) + "?format=pdf"
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200 and response.content == b"%PDF-1.7 fake"
    assert sorted(made) == ["docx", "pdf"]  # five downloads, no new generation


def test_staff_on_demand_files_are_rate_limited(client, organ, office, made):  # noqa: F811
    save(office, organ)
    client.force_login(office)
    url = reverse("reports:download", kwargs={"slug": f"{organ.code}-2024"}) + "?format=docx"
    statuses = [client.get(url).status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]
