"""PostgreSQL's bigram index of the participation items (search migration 0010): it only narrows.

An item can hold a piece only if it holds every bigram of it, so the index leaves every item that
matches; strpos() still decides. The recall against a plain substring test is checked here on both
databases (on SQLite the FTS5 table answers), and on PostgreSQL that the planner uses the index.
"""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.search import items, text
from gongkai.search.models import SearchItem
from gongkai.search.query import parse

pytestmark = pytest.mark.django_db

TEXTS = ["政府信息公开工作要点", "关于政府信息的公开", "信息公开", "政务公开标准化规范化", "公开", "府信", "养犬登记需要哪些材料",
         "政府信息公开条例第十九条", "重大行政决策事项目录", "政"]


def test_bigrams_of_the_pieces():
    assert items.bigrams(["政府信息"]) == ["信息", "府信", "政府"]
    assert items.bigrams(["政", "公开"]) == ["公开"]  # one character narrows nothing
    assert items.bigrams(["政"]) == []
    assert items.bigrams(["公开", "公开工作"]) == ["公开", "工作", "开工"]


@pytest.fixture
def rows(db):
    """Index rows straight through the index's own writer (no door: the matching is tested here)."""
    now = timezone.now()
    made = [items._row("qa", items.ItemDoc(ref_id=i + 1, title=f"问答{i}", body=body, url=f"/qa/{i + 1}/",
                                            date=now - dt.timedelta(minutes=i)))
            for i, body in enumerate(TEXTS)]
    created = SearchItem.objects.bulk_create(made)
    items._fts_insert(created)
    return created


@pytest.mark.parametrize("raw", ["政府信息公开", "公开", "政府 公开", "信息公开 条例", "府信", "政", "标准化规范化", "没有的词"])
def test_matching_is_the_substring_test(rows, raw):
    query = parse(raw)
    found = set(items._matching(list(query.pieces), kind_names=["qa"], organ_id=None).values_list("ref_id", flat=True))
    truth = {r.ref_id for r in rows if all(p in text.normalize(r.norm) for p in query.pieces)}
    assert found == truth


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_postgresql_reads_the_candidates_from_the_bigram_index(rows):
    with connection.cursor() as cur:
        cur.execute("ANALYZE search_searchitem")
    qs = items._matching(["政府信息公开"], kind_names=["qa", "message", "consultation"], organ_id=None)
    plan = qs.explain()
    assert "search_item_norm_bigrams" in plan, plan
    with connection.cursor() as cur:
        cur.execute(f"SELECT {items.ITEMS_PG_BIGRAMS}(%s)", ["政府信息"])
        assert sorted(cur.fetchone()[0]) == ["信息", "府信", "政府"]
        cur.execute(f"SELECT {items.ITEMS_PG_BIGRAMS}(%s), {items.ITEMS_PG_BIGRAMS}(%s)", ["政", ""])
        assert cur.fetchone() == ([], [])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no such function")
def test_the_migration_leaves_sqlite_alone(db):
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE name = 'search_item_norm_bigrams'")
        assert cur.fetchall() == []
