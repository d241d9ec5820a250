"""``gongkai bench pages`` — how fast the public pages are served, cached and uncached.

Builds a throw-away database in a temporary directory (``GONGKAI_VAR_DIR``; SQLite, or with
``--engine postgresql`` a temporary PostgreSQL database on the server of ``DATABASE_URL``;
the demo database is never touched), loads it with ``--records`` records
(default 100,000: 20 organs with their catalogs, every genre, policies in every
validity, interpretations, records in every non-public state), serves it with
the production server (gunicorn, ``--workers`` sync workers, ``GONGKAI_DEBUG=0``)
on 127.0.0.1, and drives it with a load generator on 127.0.0.1 for
``--duration`` seconds per page: ``wrk`` when installed, else a small threaded
Python client. Each page is measured twice, with the page cache off and on.
Prints requests per second and p50/p99 latency per page; ``--json`` prints one
JSON object of the figures. ``--pages search`` measures only the named pages; the
search pages (the site search for 政府信息公开, which every loaded record holds, and its
JSON twin) index the records first.

Goal (issue 5): record detail and list pages ≥ 1,000 requests/s with p99 ≤ 50 ms
(cached).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from typing import Any

from .common import Benchmark, Say, Size

__all__ = ["BENCHMARK", "PAGES", "load"]

TARGET_RPS = 1000
TARGET_P99_MS = 50.0

# name → path (``{detail}`` is filled with a public record that has an interpretation and a predecessor)
PAGES = {
    "home": "/",
    "list_page_1": "/records/",
    "list_page_500": "/records/?page=500",
    "record_detail": "/record/{detail}/",
    "policies": "/policies/",
    "search": "/search/?q=%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80",  # 政府信息公开
    "search_api": "/search/api/?q=%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80",
}
DEFAULT_PAGES = ("home", "list_page_1", "list_page_500", "record_detail", "policies")
SEARCH_PAGES = ("search", "search_api")


# --- the data ------------------------------------------------------------------------


def load(n_records: int) -> dict[str, Any]:
    """Fill the (empty, migrated) database of this process with ``n_records`` records. Returns facts."""
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from gongkai.core.models import Organ, OrganKind
    from gongkai.records.models import (
        Attribute,
        Catalog,
        CatalogEntry,
        Genre,
        Record,
        Status,
        Topic,
        Validity,
    )
    from gongkai.records.services import catalog_copy

    rng = random.Random(5)  # noqa: S311 - deterministic test data, not security
    genres = {g.code: g for g in Genre.objects.all()}
    topics = list(Topic.objects.all())
    standard = Catalog.objects.get(is_standard=True)
    with transaction.atomic():
        gov = Organ.objects.create(name="基准市人民政府", short_name="市政府", code="11130600BENCH0000A",
                                   kind=OrganKind.GOVERNMENT, address="基准市人民路1号", phone="0000-1234567")
        organs = [gov] + [
            Organ.objects.create(name=f"基准市第{i}局", short_name=f"第{i}局", code=f"11130600BENCH{i:04d}X",
                                 parent=gov, kind=OrganKind.DEPARTMENT)
            for i in range(1, 20)
        ]
        entries: dict[int, dict[str, CatalogEntry]] = {}
        for organ in organs:
            catalog = catalog_copy(source=standard, organ=organ)
            entries[organ.pk] = {e.code: e for e in catalog.entries.all()}

    genre_plan = [("normative", 20), ("rule", 3), ("policy", 10), ("interpretation", 12), ("notice", 20),
                  ("news", 20), ("plan", 5), ("statistics", 5), ("finance", 3), ("annual_report", 2)]
    weighted = [code for code, w in genre_plan for _ in range(w)]
    entry_for = {"normative": "policy_normative", "rule": "policy_rules", "policy": "policy_other",
                 "interpretation": "interpretation", "plan": "plan_annual", "statistics": "statistics",
                 "finance": "budget", "annual_report": "annual_reports", "notice": "meetings", "news": "decisions"}
    body = "<p>" + "为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步做好政府信息公开工作，现就有关事项通知如下。" * 12 + "</p>"
    start = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    span = (timezone.now() - dt.timedelta(days=1) - start).total_seconds()
    serial: dict[tuple[int, int], int] = {}
    first_pk = (Record.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    records: list[Record] = []
    links = []
    Through = Record.catalog_entries.through
    last_policy: dict[int, Record] = {}  # organ → its newest public, valid 行政规范性文件
    interpreted: set[int] = set()
    superseding: set[int] = set()
    for i in range(n_records):
        organ = organs[i % len(organs)]
        code = weighted[rng.randrange(len(weighted))]
        published_at = start + dt.timedelta(seconds=span * i / max(n_records, 1))
        written_on = (published_at - dt.timedelta(days=rng.randrange(1, 20))).date()
        key = (organ.pk, written_on.year)
        serial[key] = serial.get(key, 0) + 1
        roll = rng.random()
        status, attribute, reason = Status.PUBLISHED, Attribute.PROACTIVE, ""
        if roll < 0.03:
            status = Status.DRAFT
        elif roll < 0.05:
            status, attribute, reason = Status.FILED, Attribute.ON_REQUEST, "涉及第三方合法权益"
        elif roll < 0.06:
            status = Status.WITHDRAWN
        is_public = status == Status.PUBLISHED
        record = Record(
            pk=first_pk + i, organ=organ, index_no=f"{organ.code}/{written_on.year}-{serial[key]:05d}",
            doc_no=f"基政发〔{written_on.year}〕{serial[key]}号" if code in ("normative", "rule", "policy") else "",
            title=f"关于做好第{i}批政府信息公开相关工作的通知", summary="关于政府信息公开工作的通知。",
            written_on=written_on, published_at=published_at if status != Status.DRAFT else None,
            topic=topics[i % len(topics)], genre=genres[code], attribute=attribute, attribute_reason=reason,
            status=status, withdrawal_reason="信息有误" if status == Status.WITHDRAWN else "", body=body,
            keywords="政府信息公开",
        )
        if code in ("normative", "rule") and is_public:
            previous = last_policy.get(organ.pk)
            v = rng.random()
            if previous is not None and v < 0.15:  # this document revises or repeals the previous one
                previous.validity = Validity.REVISED if v < 0.1 else Validity.REPEALED
                previous.superseded_by_id = record.pk
                superseding.add(record.pk)
            if code == "normative":
                last_policy[organ.pk] = record
        if code == "interpretation" and organ.pk in last_policy:
            record.interprets_id = last_policy[organ.pk].pk
            if is_public:
                interpreted.add(record.interprets_id)
        records.append(record)
        links.append(Through(record_id=record.pk, catalogentry_id=entries[organ.pk][entry_for[code]].pk))
    created = 0
    with transaction.atomic():  # one transaction: successors may sit in a later batch
        for lo in range(0, len(records), 2000):
            Record.objects.bulk_create(records[lo:lo + 2000])
            Through.objects.bulk_create(links[lo:lo + 2000])
            created += len(records[lo:lo + 2000])
    # The record detail measured: a current 行政规范性文件 with an interpretation that revised an older one.
    candidates = [r.pk for r in records if r.pk in interpreted and r.pk in superseding
                  and r.validity == Validity.VALID and r.status == Status.PUBLISHED]
    detail_pk = candidates[-1] if candidates else records[-1].pk
    public = Record.objects.public()
    from django.db import connection

    with connection.cursor() as cursor:  # planner statistics, as a maintained database has them
        cursor.execute("ANALYZE")
    return {"records": created, "public": public.count(), "organs": len(organs), "detail": detail_pk}


# --- the server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var_dir: str, *, cache: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGKAI_"))}
    database_url = _database_urls.get(var_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "GONGKAI_VAR_DIR": var_dir,
        "GONGKAI_DEBUG": "0",
        "GONGKAI_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "GONGKAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GONGKAI_SSL_REDIRECT": "0",
        "GONGKAI_STATIC_ROOT": os.path.join(var_dir, "static"),
        "GONGKAI_MEDIA_ROOT": os.path.join(var_dir, "media"),
        "GONGKAI_PAGE_CACHE": "1" if cache else "0",
        "GONGKAI_LOG_LEVEL": "ERROR",
    })
    return env


def _python(var_dir: str, *args: str) -> str:
    out = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, *(["-c", args[0]] if len(args) == 1 else ["-m", "django", *args])],
        env=_env(var_dir, cache=True), capture_output=True, text=True,
    )
    if out.returncode:
        raise RuntimeError(f"准备基准数据失败：\n{out.stderr[-3000:]}")
    return out.stdout


def _django(var_dir: str, *args: str) -> str:
    return _python(var_dir, *args) if len(args) > 1 else _python(var_dir, *args, "-v1")


_database_urls: dict[str, str] = {}  # temporary directory → its PostgreSQL database (none: SQLite inside it)


def _postgres_database(var_dir: str) -> str:
    """A fresh PostgreSQL database for this run, on the server of ``DATABASE_URL``; returns its name."""
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connections

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or connections["default"].vendor != "postgresql":
        raise RuntimeError("--engine postgresql 需要 DATABASE_URL 指向 PostgreSQL 服务器（临时库建在同一服务器上）")
    name = f"gongkai_bench_pages_{os.getpid()}"
    with connections["default"].cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    _database_urls[var_dir] = urlunsplit(urlsplit(url)._replace(path="/" + name))
    return name


def _drop_postgres_database(var_dir: str, name: str) -> None:
    from django.db import connections

    _database_urls.pop(var_dir, None)
    with connections["default"].cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, var_dir: str, *, workers: int, cache: bool) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argument list
            [sys.executable, "-m", "gunicorn", "gongkai.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--backlog", "2048", "--log-level", "warning", "--timeout", "60"],
            env=_env(var_dir, cache=cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _, _ = _get(self.port, "/robots.txt")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn 未能在30秒内启动")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _get(port: int, path: str) -> tuple[int, int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, len(body), dict(resp.getheaders())
    finally:
        conn.close()


# --- the load generators --------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _wrk(port: int, path: str, *, duration: float, connections: int) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 - fixed argument list
        [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        lat[pct] = float(m.group(1)) * _UNITS[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    return {"rps": round(rps, 1), "p50_ms": round(lat["50"], 2), "p99_ms": round(lat["99"], 2),
            "errors": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(0) if socket_errors else ""}


def _python_load(port: int, path: str, *, duration: float, connections: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker() -> None:
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                status, _, _ = _get(port, path)
                if status != 200:
                    bad += 1
            except OSError:
                bad += 1
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1e3 if latencies else float("nan")

    return {"rps": round(len(latencies) / elapsed, 1), "p50_ms": round(pct(0.50), 2), "p99_ms": round(pct(0.99), 2),
            "errors": errors[0], "socket_errors": ""}


# --- the command ---------------------------------------------------------------------------


def measure(*, records: int, duration: float, connections: int, workers: int, generator: str,
            keep: bool = False, pages: Sequence[str] = DEFAULT_PAGES, engine: str = "sqlite",
            say: Say = lambda msg: None) -> dict[str, Any]:
    var_dir = tempfile.mkdtemp(prefix="gongkai-bench-pages-")
    pg_name = _postgres_database(var_dir) if engine == "postgresql" else ""
    try:
        t0 = time.monotonic()
        say(f"准备数据库：{var_dir}" + (f"（PostgreSQL 临时库 {pg_name}）" if pg_name else ""))
        _django(var_dir, "migrate", "--noinput", "-v0")
        _django(var_dir, "collectstatic", "--noinput", "-v0")
        facts = json.loads(_python(var_dir, "import django, json; django.setup(); "
                                   "from gongkai.ops.bench.pages import load; "
                                   f"print(json.dumps(load({int(records)})))").strip().splitlines()[-1])
        load_s = time.monotonic() - t0
        say(f"已载入 {facts['records']} 条信息（其中公开 {facts['public']} 条），用时 {load_s:.0f} 秒")
        index_s = None
        if any(name in SEARCH_PAGES for name in pages):
            t1 = time.monotonic()
            _python(var_dir, "import django; django.setup(); from gongkai.search.index import index_rebuild; "
                             "index_rebuild()")
            index_s = round(time.monotonic() - t1, 1)
            say(f"已建立检索索引，用时 {index_s:.0f} 秒")
        paths = {name: PAGES[name].format(detail=facts["detail"]) for name in pages}
        run_load = _wrk if generator == "wrk" else _python_load
        results: dict[str, dict[str, Any]] = {name: {"path": path} for name, path in paths.items()}
        for mode in ("uncached", "cached"):
            server = Server(var_dir, workers=workers, cache=mode == "cached")
            try:
                for name, path in paths.items():
                    status, size, headers = _get(server.port, path)
                    if status != 200:
                        raise RuntimeError(f"{path} 返回 {status}")
                    if mode == "cached":
                        for _ in range(workers * 4):  # warm every worker's cache
                            _get(server.port, path)
                    say(f"{mode:8s} {name:15s} {path}")
                    figures = run_load(server.port, path, duration=duration, connections=connections)
                    figures["bytes"] = size
                    results[name][mode] = figures
            finally:
                server.stop()
        targeted = [p for p in ("list_page_1", "list_page_500", "record_detail") if p in results]
        for name in results:
            cached = results[name]["cached"]
            results[name]["target_met"] = cached["rps"] >= TARGET_RPS and cached["p99_ms"] <= TARGET_P99_MS
        return {
            "records": facts["records"], "public_records": facts["public"], "organs": facts["organs"],
            "load_seconds": round(load_s, 1), "index_seconds": index_s,
            "server": f"gunicorn {workers} sync workers, GONGKAI_DEBUG=0, "
                      + ("PostgreSQL" if engine == "postgresql" else "SQLite"),
            "generator": generator, "connections": connections, "duration_s": duration, "cpus": os.cpu_count(),
            "targets": {"rps": TARGET_RPS, "p99_ms": TARGET_P99_MS, "pages": ["list_page_1", "list_page_500",
                                                                            "record_detail"]},
            "pages": results,
            "target_met": (all(results[p]["target_met"] for p in targeted) if targeted else None),
        }
    finally:
        if keep:
            say(f"保留临时目录：{var_dir}" + (f"和临时库 {pg_name}" if pg_name else ""))
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
            if pg_name:
                _drop_postgres_database(var_dir, pg_name)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", type=float, default=5.0, help="每个页面每种模式的压测秒数（默认5）")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto",
                        help="压测工具：wrk（已安装时默认）或 Python 线程")
    parser.add_argument("--keep", action="store_true", help="保留临时数据库目录")
    parser.add_argument("--pages", default=",".join(DEFAULT_PAGES),
                        help=f"要测的页面，逗号分隔（可选：{'、'.join(PAGES)}；默认{','.join(DEFAULT_PAGES)}）")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite",
                        help="数据库：SQLite（默认）或 PostgreSQL（临时库建在 DATABASE_URL 的服务器上）")


def _check(args: argparse.Namespace) -> str | None:
    if args.duration <= 0:
        return "错误：--duration 应为正数"
    names = [p.strip() for p in str(args.pages).split(",") if p.strip()]
    unknown = [p for p in names if p not in PAGES]
    if unknown or not names:
        return f"错误：--pages 中没有这些页面：{'、'.join(unknown) or '（空）'}；可选：{'、'.join(PAGES)}"
    args.pages = names
    if args.generator == "auto":
        args.generator = "wrk" if shutil.which("wrk") else "python"
    elif args.generator == "wrk" and not shutil.which("wrk"):
        return "错误：未安装 wrk（apt-get install wrk），或使用 --generator python"
    return None


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return measure(records=args.records, duration=args.duration, connections=args.connections, workers=args.workers,
                   generator=args.generator, keep=args.keep, pages=args.pages, engine=args.engine, say=say)


def _lines(r: dict[str, Any]) -> list[str]:
    lines = [
        f"{r['records']} 条信息（公开 {r['public_records']} 条），{r['organs']} 个机关；{r['server']}；"
        f"压测工具 {r['generator']}，{r['connections']} 个连接，每项 {r['duration_s']:g} 秒，{r['cpus']} 个CPU",
        f"{'页面':<16}{'无缓存 请求/秒':>14}{'p50 ms':>9}{'p99 ms':>9}   {'有缓存 请求/秒':>14}{'p50 ms':>9}{'p99 ms':>9}",
    ]
    for name, page in r["pages"].items():
        u, c = page["uncached"], page["cached"]
        mark = "" if name not in r["targets"]["pages"] else ("  达标" if page["target_met"] else "  未达标")
        lines.append(f"{name:<16}{u['rps']:>14.1f}{u['p50_ms']:>9.2f}{u['p99_ms']:>9.2f}   "
                     f"{c['rps']:>14.1f}{c['p50_ms']:>9.2f}{c['p99_ms']:>9.2f}{mark}")
    if any(p in r["pages"] for p in r["targets"]["pages"]):
        lines.append(f"目标：详情页和列表页（有缓存）≥ {TARGET_RPS} 请求/秒且 p99 ≤ {TARGET_P99_MS:g} ms —— "
                     + ("达标" if r["target_met"] else "未达标"))
    return lines


BENCHMARK = Benchmark(
    name="pages",
    description="门户页面的吞吐量和延迟（有缓存/无缓存）",
    measure=_measure,
    sizes=(Size("--records", 100_000, "载入的信息条数"), Size("--connections", 16, "并发连接数"),
           Size("--workers", 2, "gunicorn 工作进程数")),
    add_arguments=_add_arguments,
    check=_check,
    lines=_lines,
)
