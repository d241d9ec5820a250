"""``gongkai bench api``: its timing loop on a small catalog (the 100,000-record run is the command's)."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.ops.bench import BENCHMARKS
from gongkai.ops.bench.api import time_requests
from gongkai.records.models import Status
from tests.factories import RecordFactory

pytestmark = pytest.mark.django_db


def test_time_requests_reports_each_request_and_checks_the_deep_page(organ, genre, settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    settings.GONGKAI_API_RATE = 0
    start = timezone.now() - dt.timedelta(days=10)
    for i in range(65):
        RecordFactory(organ=organ, genre=genre, status=Status.PUBLISHED, published_at=start + dt.timedelta(hours=i))
    result = time_requests(3)
    assert result["public_records"] == 65 and result["page_checked"] is True
    assert set(result) >= {"list_page_1_plain", "list_page_1_etag", "list_page_3_plain", "detail_plain", "detail_etag"}
    assert result["list_page_1_etag"]["bytes"] == 0 and result["list_page_1_plain"]["bytes"] > 0
    assert "api" in BENCHMARKS
