"""政策文件库: keyword box (the search, restricted to policies), 主题分类, counts, years with documents, 发文字号."""

import pytest
from django.urls import reverse

from gongkai.records.models import Record
from gongkai.search import index

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(site):
    index.index_sync(list(Record.objects.public().values_list("pk", flat=True)))
    return site


def _options(body: str, name: str) -> str:
    start = body.index(f'<select name="{name}"')
    return body[start:body.index("</select>", start)]


def test_keyword_box_searches_policies_only(client, indexed):
    body = client.get(reverse("portal:policies"), {"q": "政府信息公开", "validity": "all"}).content.decode()
    assert indexed.new_policy.title in body and indexed.old_policy.title in body
    assert indexed.interp.title not in body  # an interpretation is not a policy document
    assert indexed.expired.title not in body  # does not hold the words
    assert "共 2 份" in body


def test_docno_in_any_spelling_finds_the_document(client, indexed):
    for typed in ("保政规〔2025〕2号", "保政规[2025]2号", "保政规2025 2"):
        body = client.get(reverse("portal:policies"), {"q": typed}).content.decode()
        assert indexed.new_policy.title in body, typed
        assert indexed.old_policy.title not in body, typed


def test_facets_show_counts_and_only_years_with_documents(client, indexed):
    body = client.get(reverse("portal:policies"), {"validity": "all"}).content.decode()
    years = _options(body, "year")
    assert "2025年（1）" in years and "2019年（1）" in years and "2018年（1）" in years
    assert "2024年" not in years and "2000年" not in years
    topics = _options(body, "topic")
    assert "综合政务（3）" in topics and "财政" in topics
    genres = _options(body, "genre")
    assert "行政规范性文件（3）" in genres
    chosen = client.get(reverse("portal:policies"), {"validity": "all", "topic": "caizheng"}).content.decode()
    assert indexed.expired.title in chosen and indexed.new_policy.title not in chosen
    assert "data-collapse-on-phone" in chosen  # the filters fold away on a phone (site.js)
