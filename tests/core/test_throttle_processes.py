"""Rate limits hold across processes in the embedded default (no Redis): the counts live in one
SQLite file under VAR_DIR (gongkai/core/sharedcache.py), not in each gunicorn worker's memory."""

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse

from gongkai.core.throttle import Throttle

from ..serving import free_port, get, start_gunicorn, stop

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "203.0.113.5"

# One process: waits for "go" on stdin (so all start together), then hits or checks-and-hits.
CHILD = textwrap.dedent("""
    import sys, django
    django.setup()
    from gongkai.core.throttle import Throttle
    mode, n, limit, ip = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    t = Throttle(name="processes", limit=limit, window=3600)
    print("ready", flush=True)
    sys.stdin.readline()
    allowed = 0
    for _ in range(n):
        if mode == "hit":
            t.hit(ip)
            allowed += 1
        elif not t.is_limited(ip):
            t.hit(ip)
            allowed += 1
    print(allowed, flush=True)
""")


@pytest.fixture
def shared_env(settings, tmp_path):
    """The environment of a child process of this installation, counting in this test's throttle file."""
    location = settings.CACHES["throttle"]["LOCATION"]
    assert settings.CACHES["throttle"]["BACKEND"] == "gongkai.core.sharedcache.SQLiteCache"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_VAR_DIR": str(tmp_path / "var"),
           "GONGKAI_THROTTLE_FILE": location, "PYTHONPATH": str(ROOT)}
    env.pop("GONGKAI_CACHE_URL", None)
    return env


def run_together(env, mode: str, processes: int, n: int, limit: int) -> list[int]:
    children = [subprocess.Popen([sys.executable, "-c", CHILD, mode, str(n), str(limit), ADDRESS], env=env, cwd=ROOT,  # noqa: S603
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                for _ in range(processes)]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "ready"
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        results = [int(child.stdout.readline()) for child in children]
    finally:
        for child in children:
            child.stdin.close()
            child.wait(timeout=60)
    return results


def test_concurrent_hits_from_four_processes_lose_no_count(shared_env):
    hits = run_together(shared_env, "hit", processes=4, n=100, limit=10**6)
    assert hits == [100, 100, 100, 100]
    assert Throttle(name="processes", limit=10**6, window=3600).count(ADDRESS) == 400


def test_the_limit_holds_across_two_processes(shared_env):
    allowed = run_together(shared_env, "check", processes=2, n=10, limit=10)
    # Check and count are two steps: two processes racing may let one attempt through beyond the limit
    # (per process, locmem would have let 20 through).
    assert 10 <= sum(allowed) <= 11
    assert Throttle(name="processes", limit=10, window=3600).is_limited(ADDRESS)


def test_gunicorn_with_two_workers_shares_one_limit(shared_env):
    port = free_port()
    env = {**shared_env, "THROTTLE_TEST_LIMIT": "5", "THROTTLE_TEST_HOLD": "0.5"}
    server = start_gunicorn(env, port, app="tests.core.throttle_app:application")
    try:
        def in_pairs(path: str, times: int) -> list[tuple[int, str]]:
            """Two requests at a time: while one worker holds a request, the other worker takes the next."""
            answers: list[tuple[int, str]] = []
            for _ in range(times):
                pair = [threading.Thread(target=lambda: answers.append(get(f"http://127.0.0.1:{port}{path}")))
                        for _ in range(2)]
                for thread in pair:
                    thread.start()
                for thread in pair:
                    thread.join()
            return answers

        deadline = time.monotonic() + 30  # both workers booted (the first answers /ping before the second is up)
        while len({pid for _, pid in in_pairs("/worker", 1)}) < 2 and time.monotonic() < deadline:
            pass
        answers = in_pairs("/submit", 8)
    finally:
        stop(server)
    allowed = [pid for status, pid in answers if status == 200]
    assert len(answers) == 16 and {status for status, _ in answers} <= {200, 429}
    assert len(set(allowed)) == 2  # both workers let some through ...
    assert 5 <= len(allowed) <= 6  # ... and together no more than the limit (one more if two raced)


def test_login_lockouts_are_rows_of_the_database(client, db, settings):
    """django-axes counts wrong passwords in the application database (its database handler), which
    every process and every app server shares; its cache handler would count per process here."""
    from axes.handlers.database import AxesDatabaseHandler
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    assert isinstance(AxesProxyHandler.get_implementation(force=True), AxesDatabaseHandler)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("workspace:login"), {"username": "someone", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    attempt = AccessAttempt.objects.get(username="someone", ip_address=ADDRESS)
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_the_api_rate_limit_counts_in_the_shared_store(client, db, settings, monkeypatch):
    """The read API's per-minute limit counts where the throttles do: emptying this process's own
    cache (what another worker sees) does not reset it."""
    import types

    from django.core.cache import cache, caches

    from gongkai.portal.api import http

    now = time.time()
    monkeypatch.setattr(http, "time", types.SimpleNamespace(time=lambda: now))  # one minute's window throughout
    settings.GONGKAI_API_RATE = 2
    assert [client.get("/api/v1/organs").status_code for _ in range(2)] == [200, 200]
    cache.clear()
    assert client.get("/api/v1/organs").status_code == 429
    caches["throttle"].clear()
    assert client.get("/api/v1/organs").status_code == 200
