"""``gongkai bench api`` — how fast the read API answers on a large catalog.

Builds a throw-away database (SQLite in a temporary ``GONGKAI_VAR_DIR``; or the PostgreSQL database
named by ``--database-url``, which must be empty and is left filled) with ``--records`` records
(default 100,000, the pages benchmark's data), then, in one process with Django's test client (the
application alone, no network), times ``--repeat`` requests of each: the record list's page 1, its
page 5,000 (reached by the keyset cursor), and a record's detail, each without and with
``If-None-Match`` (a 304). It also checks that the cursor's page 5,000 is the list's page 5,000.

Goal (issue 21): p95 ≤ 50 ms for the list on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

from .common import Benchmark, Say, Size

TARGET_P95_MS = 50.0
PER_PAGE = 20


def _env(var_dir: str, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGKAI_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_VAR_DIR": var_dir, "GONGKAI_DEBUG": "0",
                "GONGKAI_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
                "GONGKAI_ALLOWED_HOSTS": "testserver,127.0.0.1", "GONGKAI_SSL_REDIRECT": "0",
                "GONGKAI_API_RATE": "0", "GONGKAI_LOG_LEVEL": "ERROR", "GONGKAI_TASKS": "immediate"})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(var_dir: str, database_url: str, *args: str) -> str:
    out = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, *(["-c", args[0]] if len(args) == 1 else ["-m", "django", *args])],
        env=_env(var_dir, database_url), capture_output=True, text=True,
    )
    if out.returncode:
        raise RuntimeError(f"基准测试失败：\n{out.stderr[-3000:]}")
    return out.stdout


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def time_requests(repeat: int) -> dict[str, Any]:
    """Run inside the benchmark's Django process: the timings of each request (milliseconds)."""
    from django.test import Client

    from gongkai.portal.api.endpoints import encode_cursor
    from gongkai.records.models import Record

    client = Client()
    ordered = Record.objects.public().order_by("-published_at", "-id")
    total = ordered.count()
    page = max(1, min(5000, total // PER_PAGE))
    last_before = ordered[(page - 1) * PER_PAGE - 1] if page > 1 else None
    expected = list(ordered.values_list("pk", flat=True)[(page - 1) * PER_PAGE: page * PER_PAGE])
    detail = (Record.objects.public().filter(interpretations__isnull=False).values_list("pk", flat=True).first()
              or ordered.values_list("pk", flat=True).first())
    paths = {"list_page_1": "/api/v1/records",
             f"list_page_{page}": "/api/v1/records" + (f"?cursor={encode_cursor(last_before)}" if last_before else ""),
             "detail": f"/api/v1/records/{detail}"}
    got = [r["id"] for r in client.get(paths[f"list_page_{page}"]).json()["results"]]
    results: dict[str, Any] = {"public_records": total, "page_checked": got == expected}
    for name, path in paths.items():
        first = client.get(path)
        assert first.status_code == 200, (path, first.status_code)
        etag = first["ETag"]
        for label, headers, status in (("plain", {}, 200), ("etag", {"HTTP_IF_NONE_MATCH": etag}, 304)):
            for _ in range(3):
                client.get(path, **headers)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                response = client.get(path, **headers)
                times.append((time.perf_counter() - t0) * 1e3)
                assert response.status_code == status, (path, label, response.status_code)
            results[f"{name}_{label}"] = {"p50_ms": round(_percentile(times, 0.5), 2),
                                          "p95_ms": round(_percentile(times, 0.95), 2), "bytes": len(response.content)}
    return results


def measure(*, records: int, repeat: int, database_url: str = "", say: Say = lambda msg: None) -> dict[str, Any]:
    var_dir = tempfile.mkdtemp(prefix="gongkai-bench-api-")
    try:
        t0 = time.monotonic()
        say(f"准备数据库：{database_url.rsplit('/', 1)[-1] if database_url else var_dir}")
        _run(var_dir, database_url, "migrate", "--noinput", "-v0")
        facts = json.loads(_run(var_dir, database_url, "import django, json; django.setup(); "
                                "from gongkai.ops.bench.pages import load; "
                                f"print(json.dumps(load({int(records)})))").strip().splitlines()[-1])
        say(f"已载入 {facts['records']} 条信息，用时 {time.monotonic() - t0:.0f} 秒；测量中……")
        timings = json.loads(_run(var_dir, database_url, "import django, json; django.setup(); "
                                  "from gongkai.ops.bench.api import time_requests; "
                                  f"print(json.dumps(time_requests({int(repeat)})))").strip().splitlines()[-1])
        lists = [k for k in timings if k.startswith("list_page_") and k.endswith("_plain")]
        return {"records": facts["records"], **timings,
                "database": "PostgreSQL" if database_url else "SQLite", "repeat": repeat,
                "target_p95_ms": TARGET_P95_MS,
                "target_met": all(timings[k]["p95_ms"] <= TARGET_P95_MS for k in lists) and timings["page_checked"]}
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", default="",
                        help="用这个空的 PostgreSQL 数据库代替临时的 SQLite（例如 postgres://postgres@127.0.0.1:5432/gongkai_api）")


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return measure(records=args.records, repeat=args.repeat, database_url=args.database_url, say=say)


def _lines(r: dict[str, Any]) -> list[str]:
    lines = [f"{r['database']}，{r['records']} 条信息（公开 {r['public_records']} 条），每项 {r['repeat']} 次："]
    for key, value in r.items():
        if isinstance(value, dict):
            lines.append(f"  {key:24s} p50 {value['p50_ms']:7.2f} ms  p95 {value['p95_ms']:7.2f} ms  {value['bytes']} 字节")
    lines.append(f"游标第 5,000 页与偏移分页一致：{'是' if r['page_checked'] else '否'}")
    lines.append(f"目标：列表 p95 ≤ {TARGET_P95_MS:.0f} ms —— {'达到' if r['target_met'] else '未达到'}")
    return lines


BENCHMARK = Benchmark(
    name="api", description="数据接口 /api/v1/ 的响应时间（列表第1页、第5000页、详情，有无 ETag）",
    measure=_measure, sizes=(Size("--records", 100_000, "信息条数"),), repeat=200,
    add_arguments=_add_arguments, lines=_lines, passed=lambda r: r["target_met"],
)
