"""``gongkai bench apply [--json] [--clients C] [--submissions N] [--rate R] [--workers W]`` — public
submissions under load, through the production server.

Creates a temporary database of the engine in use (Django's test-database machinery: a temporary
SQLite file, or ``test_<name>`` on PostgreSQL; never the demo database), serves it with gunicorn
(``--workers`` sync workers, ``GONGKAI_DEBUG=0``, persistent database connections) on 127.0.0.1, and
drives it with ``--clients`` threads (default 50). Each client is a browser: its own address
(``X-Forwarded-For`` through a trusted proxy), its own cookies, the form fetched once for its CSRF
token, then one POST per submission with a fresh one-time token. Every tenth submission is sent twice
with the same token (a double click), so the run also proves the idempotency. The receipt letter is
queued for the worker, as in production (the database task backend), so the figures are the
request's own cost.

The load: ``--rate`` submissions per second offered by all clients together (default 50, the goal; after a few unmeasured
warm-up submissions per worker),
each submission sent at its scheduled time by the next free client; its latency counts from that
time, so a server falling behind shows as latency, not as a slower schedule. ``--rate 0``: every
client sends its next submission as soon as the last is answered (the server's maximum; with C
clients the mean latency is then C / throughput).

Figures: ``submissions_per_s`` (accepted submissions per second of wall time), ``p50_ms`` /
``p95_ms`` per POST, ``lost`` (a submission without its application), ``duplicated`` (applications
beyond one per token, or a repeat sent to another receipt), ``errors`` (with the first few),
``server_cpu_ms`` (CPU of the gunicorn workers per POST), ``server_cores_used`` (their CPU per second of
wall time), ``client_cpu_ms`` (the load generator's), ``db_cpu_ms`` (PostgreSQL's backends on this machine), ``load_average`` (of the machine, at the end). Goal (issue 23): ≥ 50 submissions/s with
p95 ≤ 500 ms at 50 clients, 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any
from urllib.parse import quote, urlencode

from .common import Benchmark, Say, Size

__all__ = ["BENCHMARK", "measure"]

TARGET_PER_S = 50.0
TARGET_P95_MS = 500.0

FORM = {"person_kind": "natural", "name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "13812345678", "address": "河北省保定市竞秀区东风路1号", "title": "城市道路建设项目资金使用情况",
        "description": "申请公开本市城市道路建设项目的资金拨付和使用情况。", "delivery": "paper",
        "receive_via": "post", "agree": "on"}
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_url(settings_dict: dict[str, Any]) -> str:
    """The ``DATABASE_URL`` of a connection's settings, with persistent connections for the server."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    auth = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{quote(settings_dict['NAME'], safe='')}?conn_max_age=300"


def server_env(var_dir: str, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "GONGKAI_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "DATABASE_URL": url,
        "GONGKAI_VAR_DIR": var_dir,
        "GONGKAI_DEBUG": "0",
        "GONGKAI_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "GONGKAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GONGKAI_SSL_REDIRECT": "0",
        "GONGKAI_STATIC_ROOT": os.path.join(var_dir, "static"),
        "GONGKAI_MEDIA_ROOT": os.path.join(var_dir, "media"),
        "GONGKAI_LOG_LEVEL": "ERROR",
        "GONGKAI_TRUSTED_PROXIES": "127.0.0.1",
        # The bench is 50 people, not one address hammering the form: no limit, no question.
        "GONGKAI_APPLY_RATE_LIMIT": str(10**9),
        "GONGKAI_APPLY_CHALLENGE_AFTER": str(10**9),
    })
    return env


class Browser:
    """One citizen: an address, cookies, the form's CSRF token."""

    def __init__(self, port: int, path: str, address: str) -> None:
        self.port, self.path, self.address = port, path, address
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def _request(self, method: str, body: str | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"X-Forwarded-For": self.address, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{self.path}"
        try:
            conn.request(method, self.path, body=body.encode() if body is not None else None, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            for header, value in resp.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return resp.status, resp.getheader("Location") or "", text
        finally:
            conn.close()

    def open_form(self) -> None:
        status, _, text = self._request("GET")
        match = _CSRF_INPUT.search(text)
        if status != 200 or match is None:
            raise RuntimeError(f"申请表未能打开（HTTP {status}）")
        self.csrf = match.group(1)

    def submit(self, data: dict[str, str]) -> tuple[int, str, str]:
        return self._request("POST", urlencode({**data, "csrfmiddlewaretoken": self.csrf}))


def _proc_cpu(pid: int | str) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process, or None when it is gone or not ours to read."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_seconds(master: int) -> float:
    """User + system CPU of the gunicorn workers (children of ``master``) so far."""
    found = (_proc_cpu(pid) for pid in os.listdir("/proc") if pid.isdigit())
    return sum(cpu for parent, cpu in filter(None, found) if parent == master)


def _db_backends_cpu(seen: dict[int, float]) -> None:
    """PostgreSQL on this machine: the CPU so far of each backend serving the bench's database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        for (pid,) in cursor.fetchall():
            if (proc := _proc_cpu(pid)) is not None:
                seen[pid] = proc[1]


def _start_server(env: dict[str, str], *, workers: int) -> tuple[subprocess.Popen, int]:
    from .pages import _free_port

    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "gunicorn", "gongkai.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--backlog", "2048", "--log-level", "warning", "--timeout", "120"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn 未能启动：{proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/robots.txt")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn 未能在60秒内启动")


def measure(*, clients: int, submissions: int, rate: float = TARGET_PER_S, workers: int = 4,
            say: Say = lambda m: None) -> dict[str, Any]:
    from django.db import connection

    from gongkai.applications.models import Application, Letter
    from gongkai.core.models import Organ, SubmissionToken

    tmp = tempfile.mkdtemp(prefix="gongkai-bench-apply-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        organ = Organ.objects.create(name="基准测试局", short_name="基准局", code="11130600MB7654321X")
        path = f"/apply/organ/{organ.code}/"
        url = database_url(connection.settings_dict)
        connection.close()
        say(f"gunicorn {workers} 个工作进程（{connection.vendor}）")
        server, port = _start_server(server_env(tmp, url), workers=workers)
        # Warm every worker up (its first POST loads what the later ones reuse): not measured.
        warm = 4 * workers
        warm_browser = Browser(port, path, "10.255.255.1")
        warm_browser.open_form()
        warm_tokens = [f"bench-apply-warm-up-{w:08d}" for w in range(warm)]
        for w, token in enumerate(warm_tokens):
            warm_browser.submit({**FORM, "title": f"预热{w}", "submission_token": token})
        warmed = Application.objects.count()
        lock = threading.Lock()
        timings: list[float] = []
        errors: list[str] = []
        receipts: dict[int, set[str]] = {}
        counter = {"next": 0}
        start = {"t": 0.0}

        def begin() -> None:  # runs once, before any client is released
            start["t"] = time.perf_counter()

        ready = threading.Barrier(clients + 1, action=begin)

        def take() -> int | None:
            with lock:
                n = counter["next"]
                if n >= submissions:
                    return None
                counter["next"] = n + 1
                return n

        def client_loop(c: int) -> None:
            browser = Browser(port, path, f"10.{c // 250}.{c % 250}.1")
            try:
                browser.open_form()
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(repr(exc))
            ready.wait()
            while (n := take()) is not None:
                due = start["t"] + n / rate if rate else None
                if due is not None and (wait := due - time.perf_counter()) > 0:
                    time.sleep(wait)
                data = {**FORM, "title": f"{FORM['title']}{n}", "submission_token": f"bench-apply-token-{n:08d}"}
                for _ in range(2 if n % 10 == 0 else 1):
                    t0 = due if due is not None else time.perf_counter()
                    try:
                        status, location, _ = browser.submit(data)
                    except Exception as exc:  # noqa: BLE001 - counted and reported
                        status, location = 0, repr(exc)
                    elapsed = time.perf_counter() - t0
                    due = None  # the repeat is the click right after the first answer
                    with lock:
                        timings.append(elapsed)
                        receipts.setdefault(n, set()).add(location)
                        if status != 302:
                            errors.append(f"HTTP {status} {location[:200]}")

        say(f"{clients} 个客户端提交 {submissions} 份申请（{f'每秒 {rate:g} 份' if rate else '尽快'}；"
            "每 10 份重复提交 1 次）")
        try:
            threads = [threading.Thread(target=client_loop, args=(c,)) for c in range(clients)]
            for t in threads:
                t.start()
            db0: dict[int, float] = {}
            db1: dict[int, float] = {}
            if connection.vendor == "postgresql":
                _db_backends_cpu(db0)
            cpu0, own0 = _cpu_seconds(server.pid), time.process_time()
            ready.wait()
            t0 = start["t"]
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            cpu, own = _cpu_seconds(server.pid) - cpu0, time.process_time() - own0
            if connection.vendor == "postgresql":
                _db_backends_cpu(db1)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()

        apps = Application.objects.count() - warmed
        measured = SubmissionToken.objects.filter(purpose="application").exclude(token__in=warm_tokens)
        tokens = measured.count()
        split = sum(1 for locations in receipts.values() if len(locations) > 1)
        ordered = sorted(timings)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000 if ordered else 0.0
        result = {
            "database": connection.vendor,
            "server": f"gunicorn {workers} sync workers, GONGKAI_DEBUG=0",
            "clients": clients,
            "rate": rate,
            "submissions": submissions,
            "requests": len(timings),
            "warm_up_submissions": warmed,
            "wall_s": round(wall, 2),
            "submissions_per_s": round(apps / wall, 1) if wall else 0.0,
            "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else 0.0,
            "p95_ms": round(p95, 1),
            "server_cpu_ms": round(cpu * 1000 / len(timings), 1) if timings else 0.0,
            # CPU the server got per second of wall time: far below the cores it could use means
            # it waited (for locks, or for a CPU taken by other programs on the machine)
            "server_cores_used": round(cpu / wall, 2) if wall else 0.0,
            "client_cpu_ms": round(own * 1000 / len(timings), 1) if timings else 0.0,
            # PostgreSQL's backends serving the server (on this machine; SQLite's work is in server_cpu_ms)
            "db_cpu_ms": (round(sum(v - db0.get(pid, 0.0) for pid, v in db1.items()) * 1000 / len(timings), 1)
                          if db1 and timings else None),
            "cpus": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 1),
            "lost": max(0, submissions - apps),
            "duplicated": max(0, apps - tokens) + max(0, apps - submissions) + split,
            "errors": len(errors),
            "first_errors": errors[:3],
            "letters_waiting_for_worker": Letter.objects.filter(docx="").count(),
            "target_per_s": TARGET_PER_S,
            "target_p95_ms": TARGET_P95_MS,
        }
        result["target_met"] = (result["submissions_per_s"] >= TARGET_PER_S and result["p95_ms"] <= TARGET_P95_MS
                                and result["lost"] == 0 and result["duplicated"] == 0 and not errors)
        return result
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rate", type=float, default=TARGET_PER_S,
                        help=f"所有客户端合计每秒提交的份数；0：尽快（默认{TARGET_PER_S:g}）")


def _check(args: argparse.Namespace) -> str | None:
    return "错误：--rate 不能为负数" if args.rate < 0 else None


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return measure(clients=args.clients, submissions=args.submissions, rate=args.rate, workers=args.workers,
                   say=say)


BENCHMARK = Benchmark(
    name="apply",
    description="依申请公开：并发网上提交申请的速度，不丢失、不重复",
    measure=_measure,
    sizes=(Size("--clients", 50, "并发客户端数"), Size("--submissions", 1000, "提交的申请份数"),
           Size("--workers", 4, "gunicorn 工作进程数")),
    add_arguments=_add_arguments,
    check=_check,
    passed=lambda result: result["target_met"],
    target=f"目标：≥ {TARGET_PER_S:.0f} 份/秒，p95 ≤ {TARGET_P95_MS:.0f} ms，不丢失、不重复",
)
