"""``gongkai bench search-items [--json] [--items N] [--repeat R]`` — the participation part of the site search.

Builds a synthetic set of participation items from the seed documents' sentences
(意见征集 with 2–20 KB of draft text, 留言 of 100–800 characters, 政策问答 of
100–600 characters, in the proportions 1 : 5 : 4) in a temporary database of the
engine in use (never the demo database), and times what a results page asks of
:mod:`gongkai.search.items` for the queries of ``gongkai bench search``: every match
(SQLite: the FTS5 table of bigrams; PostgreSQL: the GIN index of bigrams, then a substring test of
the normalised text), the door check of every match, the tiers,
the counts per kind and the first page. Recall is checked against a plain substring
scan of the same items (must be 100%).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from typing import Any

from .common import Benchmark, Say, Size
from .search import QUERY_WORDS, _open_database, seed_sentences

KINDS = (("consultation", 1, 2_000, 20_000), ("message", 5, 100, 800), ("qa", 4, 100, 600))
QUERIES = [*QUERY_WORDS[:8], "营商环境 乡村振兴", "政务公开 标准化", "依申请公开 舆情 民生", "公共企事业单位信息公开",
           "数据开放", "政府", "公开"]


def build_items(n: int, seed: int = 20260101) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    sentences = seed_sentences()
    neutral = [s for s in sentences if not any(w in s for w in QUERY_WORDS)]
    planted = {w: [s for s in sentences if w in s] or [f"进一步做好{w}相关工作。"] for w in QUERY_WORDS}
    weights = [w for _, w, _, _ in KINDS]
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    items = []
    for i in range(n):
        kind, _, lo, hi = rng.choices(KINDS, weights=weights)[0]
        size = rng.randint(lo, hi)
        parts, length = [], 0
        while length < size:
            s = rng.choice(neutral)
            parts.append(s)
            length += len(s)
        for w in QUERY_WORDS:  # each query word in about a quarter of the items
            if rng.random() < 0.25:
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(planted[w]))
        title = rng.choice(neutral)[:rng.randint(8, 40)]
        items.append({"kind": kind, "ref_id": i + 1, "title": title, "body": "".join(parts), "organ_id": 1 + i % 8,
                      "date": start + dt.timedelta(minutes=37 * i)})
    return items


def run_bench(n: int, *, repeat: int = 5, progress=None) -> dict[str, Any]:
    import numpy as np
    from django.conf import settings

    from gongkai.search import items as search_items
    from gongkai.search import text
    from gongkai.search.models import SearchItem
    from gongkai.search.segment import Segmenter

    say = progress or (lambda msg: None)
    say(f"生成语料：{n} 条")
    corpus = build_items(n)
    conn, cleanup = _open_database(settings.DATABASES["default"])
    saved = dict(search_items._kinds)
    try:
        with conn.schema_editor() as editor:
            editor.create_model(SearchItem)
        with conn.cursor() as cur:  # as migrations 0008–0010 do
            if conn.vendor == "sqlite":
                cur.execute(search_items.ITEMS_FTS_CREATE)
            else:
                for sql in [search_items.ITEMS_PG_STORAGE, *search_items.ITEMS_PG_INDEX]:
                    cur.execute(sql)
        alias = conn.alias

        def door(kind):
            def public_ids(ids):  # one primary-key query a chunk, as a model's public() door
                return SearchItem.objects.using(alias).filter(kind=kind, ref_id__in=list(ids)).values_list("ref_id", flat=True)
            return public_ids

        search_items._kinds.clear()
        for order, (kind, *_rest) in enumerate(KINDS):
            search_items.register(search_items.ItemKind(kind, kind, order, lambda ids: [], door(kind)))
        say("写入索引")
        t0 = time.perf_counter()
        rows = [search_items._row(d["kind"], search_items.ItemDoc(ref_id=d["ref_id"], title=d["title"], body=d["body"],
                                                                  url=f"/x/{d['ref_id']}/", date=d["date"],
                                                                  organ_id=d["organ_id"])) for d in corpus]
        rows = SearchItem.objects.using(alias).bulk_create(rows, batch_size=1000)
        search_items._fts_insert(rows, using=alias)
        index_seconds = time.perf_counter() - t0
        norms = [(d["kind"], d["ref_id"], r.norm) for d, r in zip(corpus, rows, strict=True)]
        say(f"查询：{len(QUERIES)} 个，每个 {repeat} 次")
        times, hits, recall_ok = [], 0, True
        seg = Segmenter()
        for raw in QUERIES:
            query = text.parse_query(raw, seg.cut)
            ranked, _ = search_items._ranked(query, organ_id=None, using=alias)  # warm-up, and the recall check
            found = {(r[1], r[2]) for t, r in ranked if t < 5}
            truth = {(k, i) for k, i, norm in norms if all(p in norm for p in query.pieces)}
            recall_ok &= found == truth
            hits += len(truth)
            for _ in range(repeat):
                t0 = time.perf_counter()
                ranked, _ = search_items._ranked(query, organ_id=None, using=alias)
                counts: dict[str, int] = {}
                for _t, r in ranked:
                    counts[r[1]] = counts.get(r[1], 0) + 1
                page = [r[0] for _t, r in ranked[:search_items.PER_PAGE]]
                list(SearchItem.objects.using(alias).filter(pk__in=page).values_list("pk", "title", "body"))
                times.append((time.perf_counter() - t0) * 1000)
        ms = np.array(times)
        return {
            "items": n, "backend": conn.vendor,
            "text_characters": sum(len(r.norm) for r in rows),
            "index_seconds": round(index_seconds, 2), "items_per_second": round(n / index_seconds, 1),
            "queries": len(times), "p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p95_ms": round(float(np.percentile(ms, 95)), 2), "p99_ms": round(float(np.percentile(ms, 99)), 2),
            "recall": 1.0 if recall_ok else 0.0, "recall_matches": hits,
        }
    finally:
        search_items._kinds.clear()
        search_items._kinds.update(saved)
        cleanup()


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return run_bench(args.items, repeat=args.repeat, progress=say)


BENCHMARK = Benchmark(
    name="search-items",
    description="检索中的公众参与内容（意见征集、留言、问答）：查询延迟和召回率（在临时数据库中运行）",
    measure=_measure,
    sizes=(Size("--items", 20_000, "条目数"),),
    repeat=5,
    passed=lambda result: result["recall"] == 1.0,
    target="目标：与全文检索相同（SQLite p95 ≤ 50 ms，PostgreSQL p95 ≤ 150 ms），召回率 100%",
)
