"""GONGKAI_TASKS names the job queue: database (default) or immediate. Any other value stops the
process at startup with a Chinese configuration error naming the allowed values, not a KeyError
(docs/adr/0017-database-queue-in-production.md: there is no RQ/Redis queue)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = ("import django\ndjango.setup()\nfrom django.conf import settings as s\n"
          "print(s.TASKS['default']['BACKEND'])")


def start(tmp_path, value: str | None) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_URL"))}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_VAR_DIR": str(tmp_path)}
    if value is not None:
        env["GONGKAI_TASKS"] = value
    return subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,  # noqa: S603
                          env=env)


@pytest.mark.parametrize(("value", "backend"), [
    (None, "django_tasks_db.backend.DatabaseBackend"),
    ("database", "django_tasks_db.backend.DatabaseBackend"),
    ("immediate", "django_tasks.backends.immediate.ImmediateBackend"),
    (" Immediate ", "django_tasks.backends.immediate.ImmediateBackend"),
])
def test_the_allowed_values(tmp_path, value, backend):
    done = start(tmp_path, value)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == backend


@pytest.mark.parametrize("value", ["rq", "redis", "celery", ""])
def test_any_other_value_is_a_clear_configuration_error(tmp_path, value):
    done = start(tmp_path, value)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "KeyError" not in done.stderr
    assert "GONGKAI_TASKS" in done.stderr and "database" in done.stderr and "immediate" in done.stderr
    assert "不支持 RQ/Redis 队列" in done.stderr
