import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_results_page_highlights_and_counts(client, publish):
    publish(title="保定市2021年政务公开工作要点", doc_no="保政办函〔2021〕15号", body="<p>推进基层政务公开标准化规范化。</p>")
    publish(title="关于做好防汛工作的通知", body="<p>各地要做好政务公开。</p>")
    response = client.get(reverse("search:results"), {"q": "政务公开"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "找到 <strong>2</strong> 条结果" in html
    assert "<mark>政务公开</mark>" in html
    assert "发布机构" in html  # facets


def test_results_page_without_query_shows_the_form(client, db):
    response = client.get(reverse("search:results"))
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_no_result_page_suggests(client, publish):
    publish(title="政务公开工作要点", body="<p>正文。</p>")
    response = client.get(reverse("search:results"), {"q": "政务公开 防汛抗旱"})
    html = response.content.decode()
    assert "没有找到" in html
    assert "政务公开</a>（1 条）" in html


def test_bad_parameters_are_ignored(client, publish):
    publish(title="政务公开工作要点")
    response = client.get(reverse("search:results"), {"q": "政务公开", "organ": "abc", "page": "-3", "sort": "x"})
    assert response.status_code == 200
    assert "找到 <strong>1</strong> 条结果" in response.content.decode()


def test_a_too_long_search_is_searched_by_its_beginning_and_says_so(client, publish):
    publish(title="政务公开工作要点")
    long = "政务公开" + "乙" * 300  # a pasted paragraph: over the 200 characters of a search
    response = client.get(reverse("search:results"), {"q": long})
    html = response.content.decode()
    assert response.status_code == 200
    assert "检索词超过 200 个字，只按前 200 个字检索。" in html
    assert f'value="{long[:200]}"' in html  # the box holds what was searched
    assert client.get(reverse("search:api"), {"q": long}).json()["query"] == long[:200]
    # A short one says nothing; a long one that is bad for another reason (NUL) is dropped as before.
    assert "只按前" not in client.get(reverse("search:results"), {"q": "政务公开"}).content.decode()
    bad = client.get(reverse("search:results"), {"q": "政\x00" * 150})
    assert bad.status_code == 200 and "只按前" not in bad.content.decode()


def test_json_endpoint(client, publish):
    rec = publish(title="保定市2021年政务公开工作要点", doc_no="保政办函〔2021〕15号")
    data = client.get(reverse("search:api"), {"q": "保政办函[2021]15号"}).json()
    assert data["total"] == 1
    assert data["results"][0]["id"] == rec.pk
    assert data["docno"] == "保政办函〔2021〕15号"
    assert {"organ", "genre", "topic", "year", "validity"} <= set(data["facets"])


def test_filter_by_organ(client, publish):
    a = publish(title="政务公开工作要点")
    other = factories.OrganFactory()
    publish(title="政务公开实施方案", organ=other)
    data = client.get(reverse("search:api"), {"q": "政务公开", "organ": a.organ_id}).json()
    assert [r["id"] for r in data["results"]] == [a.pk]
    assert data["total"] == 1


def test_page_and_api_say_when_scattered_words_were_added(client, publish):
    publish(title="政务公开工作要点", body="<p>正文。</p>")
    publish(title="2021年政务公开重点", body="<p>附件：工作要点。</p>")
    html = client.get(reverse("search:results"), {"q": "政务公开工作要点"}).content.decode()
    assert "另列出 1 条包含检索词中全部词语" in html
    data = client.get(reverse("search:api"), {"q": "政务公开工作要点"}).json()
    assert data["total"] == 2 and data["exact_total"] == 1 and data["broadened"] == 1
    assert [r["tier"] for r in data["results"]] == [1, 5]
