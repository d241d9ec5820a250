"""The number of SQL queries of a page does not grow with the page number or the size of the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.portal import cache
from gongkai.portal.site import all_settings
from gongkai.records.models import Genre

from ..factories import RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.GONGKAI_PAGE_CACHE = False


def count(client, url) -> int:
    cache._COUNTS.clear()  # every page pays for its total here; in production pages share it
    all_settings()  # the site settings are cached per generation of the page cache, as in production
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def many(site):
    normative = Genre.objects.get(code="normative")
    records = [RecordFactory(organ=site.gov, genre=normative, published=True, title=f"批量文件{i}")
               for i in range(65)]
    for r in records[:30]:
        r.catalog_entries.add(site.entries["policy_normative"])
    return records


@pytest.mark.parametrize("url", [
    "/records/?page={}",
    "/records/?genre=normative&sort=-written&page={}",
    "/policies/?page={}",
    "/policies/?validity=all&page={}",
    "/catalog/{entry}/?page={}",
    "/organ/{organ}/annual-reports/?page={}",
])
def test_list_queries_do_not_grow_with_page_number(client, site, many, url):
    url = url.replace("{entry}", str(site.entries["policy_normative"].pk)).replace("{organ}", site.gov.code)
    first, last = count(client, url.format(1)), count(client, url.format(99))
    assert first == last, (first, last)
    assert first <= 12, first


def test_pages_have_bounded_query_counts(client, site, many):
    limits = {
        reverse("portal:home"): 8,
        site.gov.get_absolute_url(): 10,
        reverse("portal:organ_catalog", args=[site.gov.code]): 6,
        reverse("portal:organ_guide", args=[site.gov.code]): 8,
        site.new_policy.get_absolute_url(): 8,  # the record, its links in one query, its consultations in one
        reverse("portal:gazette_issue", args=[site.issue.pk]): 4,
        reverse("portal:feed_rss"): 3,
    }
    for url, limit in limits.items():
        n = count(client, url)
        assert n <= limit, (url, n)


def test_detail_queries_do_not_grow_with_links(client, site):
    before = count(client, site.new_policy.get_absolute_url())
    interpretation = Genre.objects.get(code="interpretation")
    for i in range(5):
        RecordFactory(organ=site.gov, genre=interpretation, published=True, interprets=site.new_policy,
                      title=f"解读{i}")
        RecordFactory(organ=site.gov, genre=site.old_policy.genre, published=True, superseded_by=site.new_policy,
                      title=f"旧文件{i}")
    assert count(client, site.new_policy.get_absolute_url()) == before


def test_pages_of_one_list_share_its_total(client, site, many):
    cache._COUNTS.clear()
    first = count_without_clearing(client, "/records/?genre=normative&page=1")
    assert count_without_clearing(client, "/records/?genre=normative&page=2&sort=written") == first - 1


def count_without_clearing(client, url) -> int:
    all_settings()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_sitemap_index_does_not_load_every_record(client, site, many):
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/sitemap.xml").content.decode()
    sql = [q["sql"] for q in ctx.captured_queries]
    assert any("MAX(" in q for q in sql) and "<lastmod>" in body
    assert not any('"records_record"."updated_at"' in q and "MAX(" not in q and "LIMIT" not in q for q in sql)
