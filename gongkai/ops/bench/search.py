"""``gongkai bench search [--json] [--records N] [--repeat R]`` — index build speed, query latency and recall.

Builds a synthetic corpus from the sentences of the seed documents (titles in
the offices' own patterns, 发文字号, bodies of 2–20 KB), indexes it into a
temporary database of the engine in use (a temporary SQLite file, or a
temporary PostgreSQL database; never the demo database), runs a fixed set of
queries (one to four words, phrases, document numbers) and prints:

- index build time, records/s, index size;
- query p50/p95/p99 (ms) of the search engine's part of a results page
  (total, facet counts and the first page's keys);
- recall against a plain substring scan of the same corpus (must be 100%);
- the engine's own unbounded ranking (FTS5 ``ORDER BY bm25 LIMIT 20``,
  PostgreSQL ``ORDER BY ts_rank_cd … LIMIT 20`` over its own tsvector table,
  :mod:`gongkai.ops.bench.search_baseline`) on the same tokens, as a baseline;
- jieba against rjieba: MB/s and whether the tokens are identical.

Every query word is planted in a quarter of the records, as in the issue's
baseline measurement. Inputs are deterministic (seeded).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from typing import Any

from gongkai.ops.demo.seeds import SEED_DIR

from . import search_baseline
from .common import Benchmark, Say, Size

QUERY_WORDS = ["标准化规范化", "营商环境", "预决算", "政策解读", "公共企事业单位", "政务新媒体", "重大行政决策",
               "乡村振兴", "政府开放日", "互联网", "行政规范性文件", "民生", "舆情", "督查", "依申请公开", "数据开放"]
ORGANS = [("保定市人民政府办公室", "保政办"), ("保定市发展和改革委员会", "保发改"), ("广安市人民政府", "广安府"),
          ("北京市人民政府办公厅", "京政办"), ("天津市规划和自然资源局", "津规资"), ("台儿庄区人民政府", "台政"),
          ("保定市财政局", "保财"), ("保定市教育局", "保教")]
GENRES = ["通知", "意见", "方案", "工作要点", "实施细则", "办法", "报告", "决定"]
KINDS = ["函", "发", "字", ""]


def seed_sentences() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt")))
    parts = re.split(r"(?<=[。；！？])|\n", text)
    return [s.strip() for s in parts if 8 <= len(s.strip()) <= 300]


def build_corpus(n: int, seed: int = 20210625) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    sentences = seed_sentences()
    neutral = [s for s in sentences if not any(w in s for w in QUERY_WORDS)]
    planted = {w: [s for s in sentences if w in s] or [f"进一步做好{w}相关工作。"] for w in QUERY_WORDS}
    records = []
    for i in range(n):
        organ, abbr = ORGANS[i % len(ORGANS)]
        year = 2015 + (i * 7) % 11
        genre = GENRES[(i * 13) % len(GENRES)]
        words = [w for w in QUERY_WORDS if rng.random() < 0.25]
        in_title = words[:1] if words and rng.random() < 0.3 else []
        subject = in_title[0] if in_title else rng.choice(neutral)[:12].strip("，。、；")
        title = f"{organ}关于印发{year}年{subject}{genre}的通知"
        target = rng.randint(2048, 20480)  # bytes of UTF-8, 3 per character
        body_parts, size = [], 0
        for w in words:
            s = rng.choice(planted[w])
            body_parts.append(s)
            size += len(s) * 3
        while size < target:
            s = rng.choice(neutral)
            body_parts.append(s)
            size += len(s) * 3
        rng.shuffle(body_parts)
        doc_no = f"{abbr}{KINDS[i % len(KINDS)]}〔{year}〕{i // 8 + 1}号"
        records.append({
            "i": i, "title": title, "doc_no": doc_no, "body": "".join(body_parts), "organ": i % len(ORGANS),
            "genre": (i * 13) % len(GENRES), "topic": i % 5, "year": year, "in_force": i % 10 != 0,
            "published": 946684800 + int((year - 2000) * 365.25 * 86400) + (i * 7919) % (360 * 86400),
        })
    return records


def queries(corpus: list[dict[str, Any]], seed: int = 7) -> list[tuple[str, str]]:
    """(kind, text) pairs: one to four words, phrases from the bodies, document numbers in several spellings."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    qs: list[tuple[str, str]] = [("1 word", w) for w in QUERY_WORDS[:8]]
    for k in (2, 3, 4):
        for _ in range(4):
            qs.append((f"{k} words", " ".join(rng.sample(QUERY_WORDS, k))))
    for _ in range(6):
        body = rng.choice(corpus)["body"]
        start = rng.randrange(0, max(1, len(body) - 12))
        qs.append(("phrase", body[start:start + rng.randint(4, 10)].strip("，。、；：“”（）")))
    for rec in rng.sample(corpus, 3):
        dn = rec["doc_no"]
        qs.append(("doc no", dn))
        qs.append(("doc no", dn.replace("〔", "[").replace("〕", "]")))
        qs.append(("doc no", dn.replace("〔", "").replace("〕", "年")))
    return [(k, q) for k, q in qs if q.strip()]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[idx]


def measure_segmenters(sample: str) -> dict[str, Any]:
    import rjieba

    out: dict[str, Any] = {"sample_mb": round(len(sample.encode()) / 1e6, 2)}
    seg = rjieba.Jieba()
    seg.cut("预热", False)
    t0 = time.perf_counter()
    r_tokens = seg.cut(sample, False)
    out["rjieba_mb_s"] = round(len(sample.encode()) / 1e6 / (time.perf_counter() - t0), 2)
    try:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        t0 = time.perf_counter()
        j_tokens = jieba.lcut(sample, HMM=False)
        out["jieba_mb_s"] = round(len(sample.encode()) / 1e6 / (time.perf_counter() - t0), 2)
        out["identical_tokens"] = j_tokens == r_tokens
    except ImportError:
        out["jieba_mb_s"] = None
    return out


class _Editor:
    def __init__(self, connection):
        self.connection = connection


def _open_database(vendor_settings: dict[str, Any]):
    """A temporary database of the same engine as ``default``; returns (connection, cleanup)."""
    from django.db import connections

    cfg = dict(vendor_settings)
    if cfg["ENGINE"].endswith("sqlite3"):
        folder = tempfile.mkdtemp(prefix="gongkai-bench-")
        cfg["NAME"] = os.path.join(folder, "bench.sqlite3")
        cfg["OPTIONS"] = {"timeout": 20}

        def cleanup():
            connections["search_bench"].close()
            for name in os.listdir(folder):
                os.unlink(os.path.join(folder, name))
            os.rmdir(folder)
    else:
        name = f"gongkai_bench_{os.getpid()}"
        with connections["default"].cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
        cfg["NAME"] = name

        def cleanup():
            connections["search_bench"].close()
            with connections["default"].cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    cfg.setdefault("TEST", {})
    configured = connections.configure_settings({"default": dict(connections.settings["default"]), "search_bench": cfg})
    connections.settings["search_bench"] = configured["search_bench"]
    return connections["search_bench"], cleanup


def _create_schema(conn) -> None:
    """The search app's tables, as its migrations create them (the full-text tables by their own functions)."""
    from django.db.migrations.loader import MigrationLoader

    from gongkai.search.models import SearchDoc, SearchState

    with conn.schema_editor() as editor:
        editor.create_model(SearchDoc)
        editor.create_model(SearchState)
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-262144")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for name in ("0002_fulltext_tables", "0006_pg_postings"):
        loader.get_migration("search", name).operations[0].code(None, _Editor(conn))


def run_bench(n: int, *, repeat: int = 5, progress=None) -> dict[str, Any]:
    import datetime as dt

    import numpy as np
    from django.conf import settings
    from django.db import transaction

    from gongkai.search import text
    from gongkai.search.backends import get_backend
    from gongkai.search.index import doc_key, pipelined
    from gongkai.search.models import SearchState
    from gongkai.search.query import docno_records, run_engine
    from gongkai.search.segment import Segmenter

    say = progress or (lambda msg: None)
    say(f"生成语料：{n} 条")
    corpus = build_corpus(n)
    conn, cleanup = _open_database(settings.DATABASES["default"])
    try:
        _create_schema(conn)
        backend = get_backend(conn)
        validity = ("valid", "repealed")
        say("建立索引")
        t0 = time.perf_counter()
        done = 0

        def published(rec):
            return dt.datetime.fromtimestamp(rec["published"], tz=dt.UTC)

        # As index_rebuild (index._key_order): serials in key order, so keys ascend through the rebuild.
        in_order = sorted(corpus, key=lambda rec: (
            doc_key(in_force=rec["in_force"], published_at=published(rec), serial=0), rec["i"]))

        def batches():  # as index_rebuild: metadata here, tokens in the worker process
            for start in range(0, n, backend.rebuild_batch):
                docs, fields = [], []
                for serial, rec in enumerate(in_order[start:start + backend.rebuild_batch], start=start + 1):
                    when = published(rec)
                    key = doc_key(in_force=rec["in_force"], published_at=when, serial=serial)
                    rec["key"] = key
                    docs.append((key, rec["i"] + 1, rec["doc_no"], rec["organ"], rec["genre"], rec["topic"], rec["year"],
                                 rec["in_force"], validity[not rec["in_force"]], when.replace(tzinfo=None), False,
                                 len(rec["title"])))
                    fields.append((rec["title"], rec["doc_no"], "", "", rec["body"]))
                yield docs, fields

        def write(docs, prepared):
            nonlocal done
            with transaction.atomic(using=conn.alias):
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO search_searchdoc (key, record_id, doc_no, organ_id, genre_id, topic_id, year, in_force, "
                        "validity, published_at, is_interpretation, title_grams) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        docs)
                backend.insert([doc[0] for doc in docs], prepared)
            done += len(docs)
            if done % 10000 == 0:
                say(f"  已索引 {done} 条，{done / (time.perf_counter() - t0):.0f} 条/秒")

        with backend.bulk_load():  # as index_rebuild does
            pipelined(batches(), write, prepare=backend.prepare, workers=backend.workers)
        insert_seconds = time.perf_counter() - t0
        backend.optimize()
        index_seconds = time.perf_counter() - t0
        SearchState.objects.using(conn.alias).create(pk=1, serial=n, generation="bench")
        index_bytes = backend.size_bytes() or (os.path.getsize(conn.settings_dict["NAME"]) if conn.vendor == "sqlite" else 0)
        baseline_seconds = _load_baseline(backend, conn, corpus, say)

        seg = Segmenter()
        qs = queries(corpus)
        say(f"查询：{len(qs)} 个，每个 {repeat} 次")
        latencies: list[float] = []
        base_latencies: list[float] = []
        recall_found = recall_total = 0
        docno_first = docno_total = 0
        per_kind: dict[str, list[float]] = {}
        norm_corpus = [(rec["key"], text.normalize(rec["title"] + "\n" + rec["doc_no"] + "\n" + rec["body"])) for rec in corpus]
        for kind, raw in qs:
            query = text.parse_query(raw, seg.cut)
            canonical, extra = docno_records(raw, using=conn.alias)
            eng = run_engine(backend, query, extra=extra, broaden=not canonical)  # warm
            for _ in range(repeat):
                t = time.perf_counter()
                canonical, extra = docno_records(raw, using=conn.alias)
                eng = run_engine(backend, query, extra=extra, broaden=not canonical)
                page_keys, _tiers = eng.page(1)
                ms = (time.perf_counter() - t) * 1000
                latencies.append(ms)
                per_kind.setdefault(kind, []).append(ms)
                t = time.perf_counter()
                _baseline(backend, conn, list(query.pieces))
                base_latencies.append((time.perf_counter() - t) * 1000)
            # Tiers 0–4 are the records holding every piece, plus the document-number hits; tier 5 is extra.
            exact = {int(k) for k in eng.table.keys[np.concatenate(eng.tiers[:5])]}
            truth = {key for key, body in norm_corpus if all(p in body for p in query.pieces)}
            recall_found += len(truth & exact)
            recall_total += len(truth)
            assert not (exact - truth - set(extra)), (raw, "records without the query text")
            assert eng.total == len(exact) + eng.broadened, (raw, eng.total, len(exact))
            if kind == "doc no":
                docno_total += 1
                target = next(rec["key"] for rec in corpus if rec["doc_no"] == text_docno(raw))
                docno_first += bool(page_keys) and page_keys[0] == target
        result = {
            "records": n,
            "backend": conn.vendor + ("" if conn.vendor == "sqlite" else " (postings)"),
            "index_seconds": round(index_seconds, 2),
            "records_per_second": round(n / index_seconds, 1),
            "insert_seconds": round(insert_seconds, 2),
            "baseline_build_seconds": baseline_seconds,
            "index_bytes": int(index_bytes),
            "corpus_bytes": sum(len(r["body"].encode()) for r in corpus),
            "queries": len(qs) * repeat,
            "p50_ms": round(_percentile(latencies, 50), 2),
            "p95_ms": round(_percentile(latencies, 95), 2),
            "p99_ms": round(_percentile(latencies, 99), 2),
            "recall": round(recall_found / recall_total, 6) if recall_total else 1.0,
            "recall_matches": recall_total,
            "docno_first": f"{docno_first}/{docno_total}",
            "baseline_p50_ms": round(_percentile(base_latencies, 50), 2),
            "baseline_p95_ms": round(_percentile(base_latencies, 95), 2),
            "baseline_ratio_p95": round(_percentile(base_latencies, 95) / max(_percentile(latencies, 95), 1e-9), 2),
            "p95_ms_by_kind": {k: round(_percentile(v, 95), 2) for k, v in per_kind.items()},
            "segmenter": measure_segmenters("".join(r["body"] for r in corpus[:200])),
        }
        return result
    finally:
        cleanup()


def text_docno(raw: str) -> str:
    from gongkai.records import docno

    return docno.normalize(raw)


def _load_baseline(backend, conn, corpus, say) -> float | None:
    """PostgreSQL: the baseline's own table (bigram tsvectors, GIN) of the same corpus; not part of the index time."""
    if conn.vendor != "postgresql":
        return None  # SQLite's baseline runs on the index itself (FTS5 bm25)
    from django.db import transaction

    from gongkai.search import text
    from gongkai.search.index import pipelined

    say("建立基线表（tsvector + GIN，不计入建索引时间）")
    t0 = time.perf_counter()
    batches = ([(r["key"], (r["title"], r["doc_no"], "", "", r["body"])) for r in corpus[i:i + 5000]]
               for i in range(0, len(corpus), 5000))

    def load(keys, tokens):
        with transaction.atomic(using=conn.alias):
            search_baseline.load(conn, [(k, t[1]) for k, t in zip(keys, tokens, strict=True)])

    pipelined((([k for k, _ in b], [f for _, f in b]) for b in batches), load, prepare=text.tokenize_batch)
    search_baseline.index(conn)
    return round(time.perf_counter() - t0, 2)


def _baseline(backend, conn, pieces: list[str]) -> list[int]:
    """The engine's own unbounded ranking: FTS5 bm25 on SQLite, ts_rank_cd over the baseline table on PostgreSQL."""
    if conn.vendor == "postgresql":
        return search_baseline.query(conn, pieces)
    return search_baseline.sqlite_query(conn, pieces)


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return run_bench(args.records, repeat=args.repeat, progress=say)


BENCHMARK = Benchmark(
    name="search",
    description="检索：建索引速度、查询延迟和召回率（在临时数据库中运行）",
    measure=_measure,
    sizes=(Size("--records", 100_000, "语料的记录条数"),),
    repeat=5,
    passed=lambda result: result["recall"] == 1.0,
    target="目标：SQLite p95 ≤ 50 ms，PostgreSQL p95 ≤ 150 ms，召回率 100%，索引 ≥ 1000 条/秒",
)
