"""Concurrent writers on the SQLite default never fail with "database is locked"."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only"
)

SCRIPT = textwrap.dedent(
    """
    import threading, django
    django.setup()
    from django.core.management import call_command
    from django.contrib.auth import get_user_model
    from django.db import connection, connections
    from gongkai.core.models import Organ, Membership
    from gongkai.records.models import Genre, Record
    from gongkai.records import services

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    organ = Organ.objects.create(name="并发测试局", code="11130600MB1234567X")
    user = get_user_model().objects.create_user("writer", password="x-pass-123456")
    Membership.objects.create(user=user, organ=organ, role="editor")
    genre, _ = Genre.objects.get_or_create(code="notice", defaults={"name": "通知公告"})
    errors = []

    def work(n):
        try:
            for i in range(10):
                services.record_create(actor=user, organ=organ, data={"title": f"并发{n}-{i}", "genre": genre})
        except Exception as exc:  # noqa
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    numbers = list(Record.objects.values_list("index_no", flat=True))
    print(len(numbers), len(set(numbers)), len(errors), errors[:1])
    """
)


def test_eight_threads_write_at_once(tmp_path):
    env = {**os.environ, "GONGKAI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)  # noqa: S603 - our own script
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[:3] == ["80", "80", "0"], result.stdout
