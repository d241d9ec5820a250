import pytest

from gongkai.search.backends import Filters
from gongkai.search.query import search

pytestmark = pytest.mark.django_db


def test_substring_across_word_boundaries_is_found(publish):
    rec = publish(title="保定市2021年政务公开工作要点", body="<p>推进基层政务公开标准化规范化。</p>")
    publish(title="其他通知", body="<p>无关内容。</p>")
    for q in ["政务公开", "务公", "2021年政", "标准化规范", "工作要点", "基层政务"]:
        res = search(q)
        assert [h.record.pk for h in res.hits] == [rec.pk], q
        assert res.total == 1


def test_title_hits_rank_above_body_hits(publish):
    body_hit = publish(title="关于印发方案的通知", body="<p>做好政务公开工作。</p>")
    title_hit = publish(title="政务公开工作要点", body="<p>正文。</p>")
    res = search("政务公开")
    assert [h.record.pk for h in res.hits] == [title_hit.pk, body_hit.pk]
    assert res.hits[0].title.has_hit


def test_long_record_matching_in_several_chunks_counts_once(publish):
    # PostgreSQL cuts long texts into chunks of 2,000 bigrams; the piece is in several of them.
    filler = "各县（市、区）人民政府要认真落实有关要求。" * 150
    rec = publish(title="长文件", body=f"<p>政务公开{filler}政务公开{filler}政务公开</p>")
    result = search("政务公开")
    assert result.total == 1
    assert [h.record.pk for h in result.hits] == [rec.pk]


def test_rebuild_finds_the_same_records_and_restores_merging(publish):
    from django.db import connection

    from gongkai.search import index
    from gongkai.search.query import search

    records = [publish(title=f"关于重建索引测试{i}的通知") for i in range(3)]
    assert index.index_rebuild() >= 3
    result = search("重建索引测试")
    assert {h.record.pk for h in result.hits} >= {r.pk for r in records}
    check = index.index_check()
    assert check["missing"] == check["extra"] == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("SELECT k, v FROM search_fts_all_config WHERE k IN ('automerge', 'crisismerge', 'hashsize')")
            assert dict(cur.fetchall()) == {"automerge": 4, "crisismerge": 16, "hashsize": 1024 * 1024}


def test_pieces_are_required_and_joined_pieces_rank_first(publish):
    joined = publish(title="其他通知", body="<p>优化营商环境数据开放工作。</p>")
    apart = publish(title="其他通知", body="<p>营商环境。另：数据开放。</p>")
    in_title = publish(title="营商环境与数据开放", body="<p>正文。</p>")
    publish(title="只有营商环境", body="<p>没有另一个片段。</p>")
    result = search("营商环境 数据开放")
    assert [h.record.pk for h in result.hits] == [in_title.pk, joined.pk, apart.pk]
    assert [h.tier for h in result.hits] == [2, 3, 4]
    assert result.total == 3 and result.exact_total == 1 and result.broadened == 0


def test_scattered_words_are_added_only_below_a_page_of_exact_results(publish):
    exact = publish(title="政务公开工作要点", body="<p>正文。</p>")
    scattered = publish(title="2021年政务公开重点", body="<p>附件：工作要点。</p>")  # 政务公开 + 工作要点, apart
    result = search("政务公开工作要点")
    assert [h.record.pk for h in result.hits] == [exact.pk, scattered.pk]
    assert [h.tier for h in result.hits] == [1, 5]
    assert result.total == 2 and result.exact_total == 1 and result.broadened == 1
    for i in range(20):
        publish(title=f"政务公开工作要点（{i}）")
    many = search("政务公开工作要点")
    assert many.total == many.exact_total == 21 and many.broadened == 0
    assert scattered.pk not in {h.record.pk for h in many.hits}


def test_filters_and_facets_count_the_filtered_result_set(publish):
    from tests import factories

    organ = factories.OrganFactory(name="保定市财政局")
    mine = publish(title="预决算公开工作方案", organ=organ)
    publish(title="预决算公开通知")
    result = search("预决算", filters=Filters(organ_id=organ.pk))
    assert [h.record.pk for h in result.hits] == [mine.pk] and result.total == 1
    organs = {v.value: v.count for v in result.facets["organ_id"]}
    assert organs == {organ.pk: 1}
    assert search("预决算").total == 2


def test_rebuild_hands_out_keys_in_ascending_order(publish, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from gongkai.records.models import Validity
    from gongkai.search import index
    from gongkai.search.models import SearchDoc

    now = timezone.now()
    # Record order (pk) disagrees with key order: older, repealed and newer in force, mixed.
    made = [publish(title=f"顺序{i}", published_at=now - dt.timedelta(days=days), validity=validity)
            for i, (days, validity) in enumerate([(1, Validity.VALID), (900, Validity.REPEALED), (30, Validity.VALID),
                                                   (5, Validity.REPEALED), (400, Validity.VALID)])]
    monkeypatch.setattr(index, "WORKER_THRESHOLD", 10**9)
    monkeypatch.setattr(type(index.get_backend()), "rebuild_batch", 2)  # three batches
    written: list[int] = []
    insert = type(index.get_backend()).insert
    monkeypatch.setattr(type(index.get_backend()), "insert",
                        lambda self, keys, prepared: (written.extend(keys), insert(self, keys, prepared))[1])
    assert index.index_rebuild() == len(made)
    assert written == sorted(written)  # ascending through the whole rebuild, batch after batch
    keys = dict(SearchDoc.objects.values_list("record_id", "key"))
    in_force_newest_last = [made[4], made[2], made[0]]
    assert [keys[r.pk] for r in in_force_newest_last] == sorted(keys[r.pk] for r in in_force_newest_last)
    assert max(keys[made[1].pk], keys[made[3].pk]) < min(keys[r.pk] for r in in_force_newest_last)
