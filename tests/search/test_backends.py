"""The engines' one question (which keys match?) and the in-memory metadata."""

import datetime as dt

import numpy as np
import pytest
from django.db import connection

from gongkai.search import doctable, index
from gongkai.search.backends import Filters, get_backend
from gongkai.search.query import search

pytestmark = pytest.mark.django_db


pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own tables")


def test_pieces_far_apart_in_a_long_record_are_found_together(publish):
    filler = "各县（市、区）人民政府要认真落实有关要求。" * 300
    rec = publish(title="长文件", body=f"<p>营商环境{filler}数据开放{filler}</p>")
    publish(title="短文件", body="<p>营商环境和数据开放。</p>")
    other = publish(title="只有一个", body=f"<p>营商环境{filler}</p>")
    result = search("营商环境 数据开放")
    assert result.total == 2 and rec.pk in {h.record.pk for h in result.hits}
    assert other.pk not in {h.record.pk for h in result.hits}


def test_match_returns_sorted_keys_and_doc_table_drops_leftovers(publish):
    a = publish(title="营商环境优化方案", body="<p>持续优化营商环境。</p>")
    b = publish(title="其他通知", body="<p>营商环境。</p>")
    publish(title="无关", body="<p>无关内容。</p>")
    backend = get_backend()
    keys = backend.match("all", ["营商环境"])
    assert list(keys) == sorted(keys) and len(keys) == 2
    table = doctable.get(connection)
    assert sorted(int(k) for k in table.keys[table.locate(keys)]) == sorted(keys)
    # after an update the old full-text row may stay (SQLite); the table never counts it
    index.index_sync([a.pk])
    keys_after = backend.match("all", ["营商环境"])
    located = table_after = doctable.get(connection)
    located = table_after.keys[table_after.locate(keys_after)]
    assert len(located) == 2
    assert search("营商环境").total == 2
    assert {h.record.pk for h in search("营商环境").hits} == {a.pk, b.pk}


def test_doc_table_follows_every_index_write(publish):
    first = doctable.get(connection)
    rec = publish(title="新文件", body="<p>内容。</p>")
    second = doctable.get(connection)
    assert len(second) == len(first) + 1
    index.index_sync([rec.pk])  # unchanged content, new key: the copy is reloaded
    third = doctable.get(connection)
    assert third is not second and len(third) == len(second)


@pg_only
def test_the_binary_copy_loads_the_same_table_as_the_rows(publish):
    import numpy as np

    from gongkai.records.models import Validity
    from tests import factories

    organ = factories.OrganFactory()
    publish(title="数据开放实施方案", organ=organ, published_at=dt.datetime(2019, 5, 1, tzinfo=dt.UTC))
    publish(title="数据开放工作要点", validity=Validity.REVISED, topic=None)
    for n in range(5):
        publish(title=f"第{n}号文件", published_at=dt.datetime(2020 + n, 1, 2, tzinfo=dt.UTC))
    copied, fetched = doctable._load_postgresql(connection), doctable._load_rows(connection)
    assert len(copied) == len(fetched) == 7
    assert copied.validity_values == fetched.validity_values
    assert np.array_equal(copied.keys, fetched.keys) and np.array_equal(copied.published, fetched.published)
    for name, column in fetched.columns.items():
        assert np.array_equal(copied.columns[name], column), name
    assert doctable._load(connection).validity_values == fetched.validity_values


def test_filters_facets_and_date_order_on_arrays(publish):
    from tests import factories

    organ = factories.OrganFactory()
    old = publish(title="数据开放实施方案", organ=organ, published_at=dt.datetime(2019, 5, 1, tzinfo=dt.UTC))
    new = publish(title="数据开放工作要点", published_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    table = doctable.get(connection)
    everything = table.locate(table.keys)
    assert [int(table.keys[p]) for p in table.newest_first(everything)][0] == new.search_doc.key
    mask = table.allowed(Filters(organ_id=organ.pk))
    assert [int(k) for k in table.keys[mask]] == [old.search_doc.key]
    assert not table.allowed(Filters(validity="没有这个值")).any()
    counts = table.facet_counts(everything)
    assert counts["year"] == {2019: 1, 2024: 1}
    assert sum(counts["organ_id"].values()) == 2
    result = search("数据开放", sort="date")
    assert [h.record.pk for h in result.hits] == [new.pk, old.pk]


def test_keys_far_apart_are_all_matched(publish):
    # SQLite 3.40's FTS5 lost rows when consecutive row ids differed by about 2**60; keys stay below 2**49.
    biggest = index.doc_key(in_force=True, published_at=dt.datetime(2179, 1, 1, tzinfo=dt.UTC), serial=2**32 - 1)
    assert biggest < 2**49
    backend = get_backend()
    backend.insert([1, biggest], backend.prepare([("远距离键", "", "", "", "")] * 2))
    assert list(backend.match("all", ["远距离键"])) == [1, biggest]
    assert np.array_equal(backend.match("title", ["距离"]), np.array([1, biggest]))


@pg_only
def test_small_segments_are_merged_without_the_records_no_longer_public(publish):
    from gongkai.records.models import Record, Status
    from gongkai.search.backends import postgres

    backend = get_backend()
    records = [publish(title=f"营商环境第{i}号文件", body=f"<p>优化营商环境，第{i}项。</p>") for i in range(postgres.MERGE_AT + 1)]
    assert backend.segment_count() < len(records)  # the small segments were merged on the way
    gone = records[0].search_doc.key
    Record.objects.filter(pk=records[0].pk).update(status=Status.WITHDRAWN, withdrawal_reason="测试")
    index.index_sync([records[0].pk])
    with connection.cursor() as cur:
        cur.execute("SELECT keys FROM search_pg_seg")
        indexed = {int(k) for (keys,) in cur.fetchall() for k in np.frombuffer(bytes(keys), "<i8")}
    assert gone in indexed  # still in its segment, but not in search_searchdoc
    for i in range(postgres.MERGE_AT):  # more small segments: merged again, now without it
        publish(title=f"其他通知{i}", body="<p>无关。</p>")
    with connection.cursor() as cur:
        cur.execute("SELECT keys FROM search_pg_seg")
        indexed = {int(k) for (keys,) in cur.fetchall() for k in np.frombuffer(bytes(keys), "<i8")}
    assert gone not in indexed
    assert search("营商环境").total == len(records) - 1
    assert search("第3号").total == 1
    assert search("其他通知").total == postgres.MERGE_AT


def test_rebuild_tokenizes_in_a_worker_process_like_in_place():
    batches = [(i, [(f"标题{i}", "保政办函〔2021〕1号", "", "", f"<p>正文{i}：政务公开</p>")]) for i in range(4)]
    in_place, in_worker = [], []
    index.pipelined(iter(batches), lambda meta, toks: in_place.append((meta, toks)), worker=False)
    index.pipelined(iter(batches), lambda meta, toks: in_worker.append((meta, toks)), worker=True)
    assert in_worker == in_place and len(in_place) == 4


def test_a_script_without_a_main_guard_still_rebuilds(tmp_path):
    # Spawning runs the calling script again; there the worker cannot start, and the batches are tokenized in place.
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gongkai.settings')\n"
        "django.setup()\n"
        "from gongkai.search import index\n"
        "seen = []\n"
        "index.pipelined(((i, [('标题', '', '', '', '<p>正文</p>')]) for i in range(3)), lambda m, t: seen.append(m))\n"
        "print('DONE', seen)\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    assert out.returncode == 0, out.stderr[-2000:]
    assert "DONE [0, 1, 2]" in out.stdout


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_writes_batches_and_repair_fills_an_emptied_index(monkeypatch):
    from gongkai.search.backends.base import Backend
    from gongkai.search.models import SearchDoc
    from tests import factories

    records = [factories.RecordFactory(published=True, title=f"关于做好政务公开第{i}项工作的通知") for i in range(12)]
    backend = get_backend()
    monkeypatch.setattr(type(backend), "rebuild_batch", 5)
    assert index.index_rebuild() == len(records)
    if connection.vendor == "postgresql":
        assert backend.segment_count() == 3
    assert Backend.rebuild_batch == 2000
    assert search("政务公开").total == len(records)
    assert search("第7项").total == 1
    SearchDoc.objects.all().delete()  # as a migration that changes the index's tables leaves it
    assert index.index_repair() == (0, len(records))
    assert search("第7项").total == 1
    assert index.index_check()["missing"] == 0


def test_a_rebuild_batch_is_cut_where_its_text_passes_the_limit():
    fields = [("标题", "x" * 40), ("标题", "y" * 40), ("标题", "z" * 10), ("题", "")]
    cut = list(index.by_size(list("abcd"), fields, limit=50))
    assert [docs for docs, _ in cut] == [["a"], ["b"], ["c", "d"]]  # 42, 42 + 12 > 50, 12 + 1
    assert [f for _, part in cut for f in part] == fields
    assert list(index.by_size([], [], limit=50)) == []
