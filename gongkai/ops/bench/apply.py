"""``gongkai bench apply [--json] [--clients C] [--submissions N]`` — public submissions under load.

Creates a temporary database of the engine in use (Django's test-database machinery: a
temporary SQLite file, or ``test_<name>`` on PostgreSQL; never the demo database), then
``--clients`` threads (default 50), each with its own address and session, post the public
apply form through Django's test client until ``--submissions`` (default 1,000) are made.
Every tenth submission is sent twice with the same one-time token (a double click), so the
run also proves the idempotency. The receipt letter is queued for the worker, as in production
(the database task backend), so the figures are the request's own cost.

Figures: ``submissions_per_s`` (accepted submissions per second of wall time), ``p50_ms`` /
``p95_ms`` per POST, ``lost`` (a submission without its application), ``duplicated``
(applications beyond one per token) and ``errors``. Goal (issue 23): ≥ 50 submissions/s with
p95 ≤ 500 ms at 50 clients, 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from typing import Any

from .common import Benchmark, Say, Size

__all__ = ["BENCHMARK", "measure"]

TARGET_PER_S = 50.0
TARGET_P95_MS = 500.0

FORM = {"person_kind": "natural", "name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "13812345678", "address": "河北省保定市竞秀区东风路1号", "title": "城市道路建设项目资金使用情况",
        "description": "申请公开本市城市道路建设项目的资金拨付和使用情况。", "delivery": "paper",
        "receive_via": "post", "agree": "on"}


def measure(*, clients: int, submissions: int, say: Say = lambda m: None) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client

    from gongkai.applications.models import Application, Letter
    from gongkai.core.models import Organ, SubmissionToken

    settings.GONGKAI_APPLY_RATE_LIMIT = 10**9
    settings.GONGKAI_APPLY_CHALLENGE_AFTER = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    tmp = tempfile.mkdtemp(prefix="gongkai-bench-apply-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organ = Organ.objects.create(name="基准测试局", short_name="基准局", code="11130600MB7654321X")
        url = f"/apply/organ/{organ.code}/"
        lock = threading.Lock()
        timings: list[float] = []
        errors: list[str] = []
        counter = {"next": 0}
        barrier = threading.Barrier(clients)

        def take() -> int | None:
            with lock:
                n = counter["next"]
                if n >= submissions:
                    return None
                counter["next"] = n + 1
                return n

        def client_loop(c: int) -> None:
            client = Client(REMOTE_ADDR=f"10.{c // 250}.{c % 250}.1")
            try:
                barrier.wait()
                while (n := take()) is not None:
                    data = {**FORM, "title": f"{FORM['title']}{n}", "submission_token": f"bench-apply-token-{n:08d}"}
                    for _ in range(2 if n % 10 == 0 else 1):
                        t0 = time.perf_counter()
                        r = client.post(url, data)
                        elapsed = time.perf_counter() - t0
                        with lock:
                            timings.append(elapsed)
                            if r.status_code != 302:
                                errors.append(f"{r.status_code}")
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(repr(exc))
            finally:
                connections.close_all()

        say(f"{clients} 个客户端提交 {submissions} 份申请（每 10 份重复提交 1 次）")
        threads = [threading.Thread(target=client_loop, args=(c,)) for c in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0

        apps = Application.objects.count()
        tokens = SubmissionToken.objects.filter(purpose="application").count()
        ordered = sorted(timings)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000 if ordered else 0.0
        result = {
            "database": connection.vendor,
            "clients": clients,
            "submissions": submissions,
            "requests": len(timings),
            "wall_s": round(wall, 2),
            "submissions_per_s": round(apps / wall, 1) if wall else 0.0,
            "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else 0.0,
            "p95_ms": round(p95, 1),
            "lost": max(0, submissions - apps),
            "duplicated": max(0, apps - tokens) + max(0, apps - submissions),
            "errors": len(errors),
            "letters_waiting_for_worker": Letter.objects.filter(docx="").count(),
            "target_per_s": TARGET_PER_S,
            "target_p95_ms": TARGET_P95_MS,
        }
        result["target_met"] = (result["submissions_per_s"] >= TARGET_PER_S and result["p95_ms"] <= TARGET_P95_MS
                                and result["lost"] == 0 and result["duplicated"] == 0 and not errors)
        return result
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return measure(clients=args.clients, submissions=args.submissions, say=say)


BENCHMARK = Benchmark(
    name="apply",
    description="依申请公开：并发网上提交申请的速度，不丢失、不重复",
    measure=_measure,
    sizes=(Size("--clients", 50, "并发客户端数"), Size("--submissions", 1000, "提交的申请份数")),
    passed=lambda result: result["target_met"],
    target=f"目标：≥ {TARGET_PER_S:.0f} 份/秒，p95 ≤ {TARGET_P95_MS:.0f} ms，不丢失、不重复",
)
