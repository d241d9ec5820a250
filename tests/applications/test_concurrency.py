"""50 simultaneous submissions on SQLite all succeed; two handlers never make two determinations."""

import os
import subprocess
import sys
import textwrap
import threading

import pytest
from django.conf import settings
from django.db import connections

from gongkai.applications import services
from gongkai.applications.models import ApplicationEvent, Determination, Outcome

SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

SCRIPT = textwrap.dedent(
    """
    import threading, django
    django.setup()
    from django.conf import settings
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from gongkai.core.models import Organ, Membership
    from gongkai.applications.models import Application, Determination
    from gongkai.applications import services

    call_command("migrate", verbosity=0)
    organ = Organ.objects.create(name="并发测试局", code="11130600MB7654321X")
    data = {"person_kind": "natural", "name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X",
            "phone": "13812345678", "address": "保定市", "title": "某项信息", "description": "某项信息的内容描述",
            "delivery": "paper", "receive_via": "post", "agree": "on"}
    codes, errors = [], []
    barrier = threading.Barrier(50)

    def submit(n):
        try:
            client = Client(REMOTE_ADDR=f"10.0.{n // 200}.{n % 200 + 1}")
            barrier.wait()
            r = client.post(f"/apply/organ/{organ.code}/", {**data, "title": f"某项信息{n}"})
            if r.status_code != 302:
                errors.append((r.status_code, r.content[:300]))
        except Exception as exc:  # noqa
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(50)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    codes = list(Application.objects.values_list("tracking_code", flat=True))
    print("SUBMIT", len(codes), len(set(codes)), len(errors), errors[:1])

    # 30 double submissions (the same one-time token twice, at the same moment): 30 applications.
    pairs, found, dup_errors = 30, {}, []
    barrier2 = threading.Barrier(2 * pairs)

    def double(n, k):
        try:
            client = Client(REMOTE_ADDR=f"10.9.{n}.{k + 1}")
            barrier2.wait()
            r = client.post(f"/apply/organ/{organ.code}/", {**data, "title": f"重复提交{n}",
                                                             "submission_token": f"double-submit-token-{n:04d}"})
            if r.status_code != 302:
                dup_errors.append((r.status_code, r.content[:300]))
            else:
                found.setdefault(n, set()).add(r["Location"])
        except Exception as exc:  # noqa
            dup_errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=double, args=(n, k)) for n in range(pairs) for k in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print("DOUBLE", Application.objects.filter(title__startswith="重复提交").count(),
          sum(len(v) == 1 for v in found.values()), len(dup_errors), dup_errors[:1])

    users = []
    for name in ("h1", "h2"):
        u = get_user_model().objects.create_user(name, password="x-pass-123456")
        Membership.objects.create(user=u, organ=organ, role="handler")
        users.append(u)
    app = Application.objects.order_by("pk").first()
    results = []
    gate = threading.Barrier(2)

    def decide(u):
        try:
            gate.wait()
            services.application_determine(actor=u, application=app, on=services.today(), outcome="r3_1")
            results.append("ok")
        except services.ApplicationActionError as exc:
            results.append("refused")
        except Exception as exc:  # noqa
            results.append(repr(exc))
        finally:
            connections.close_all()

    ts = [threading.Thread(target=decide, args=(u,)) for u in users]
    [t.start() for t in ts]
    [t.join() for t in ts]
    print("DECIDE", sorted(results), Determination.objects.filter(application=app).count(),
          app.events.filter(kind="determined").count())
    """
)


@pytest.mark.skipif(not SQLITE, reason="SQLite only (the default database)")
def test_fifty_simultaneous_submissions_and_two_handlers_on_sqlite(tmp_path):
    env = {**os.environ, "GONGKAI_VAR_DIR": str(tmp_path), "GONGKAI_MEDIA_ROOT": str(tmp_path / "media"),
           "DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_PAGE_CACHE": "0"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600)  # noqa: S603 - our own script
    assert result.returncode == 0, result.stderr[-3000:]
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.split()}
    assert lines["SUBMIT"].split()[1:4] == ["50", "50", "0"], result.stdout
    assert lines["DOUBLE"].split()[1:4] == ["30", "30", "0"], result.stdout
    assert lines["DECIDE"] == "DECIDE ['ok', 'refused'] 1 1", result.stdout


@pytest.mark.skipif(SQLITE, reason="PostgreSQL: threads share the test database")
@pytest.mark.django_db(transaction=True)
def test_two_handlers_never_make_two_determinations(organ, handler, head, today):
    from .conftest import applicant_data

    app = services.application_submit(organ=organ, data=applicant_data())
    gate = threading.Barrier(2)
    results = []

    def decide(user):
        try:
            gate.wait()
            services.application_determine(actor=user, application=app, on=today.day, outcome=Outcome.DISCLOSED)
            results.append("ok")
        except services.ApplicationActionError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(u,)) for u in (handler, head)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == ["ok", "refused"]
    assert Determination.objects.filter(application=app).count() == 1
    assert ApplicationEvent.objects.filter(application=app, kind="determined").count() == 1
