"""The production profile's settings, built from the environment as a server builds them: the
read replica (and its connect timeout), PgBouncer and object storage (django-storages' S3)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading

import pytest
from django.core.files.storage import InMemoryStorage, Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils._os import safe_join

from gongkai.records import services
from gongkai.records.models import Attachment
from tests.factories import OrganFactory, RecordFactory

PRIMARY = "postgres://gongkai:pw@10.0.0.21:5432/gongkai"  # never connected to here


def built(env: dict[str, str], code: str = "") -> dict:
    """The settings a process started with ``env`` gets (plus what ``code`` adds to ``out``)."""
    script = ("import json, django\ndjango.setup()\nfrom django.conf import settings as s\n"
              "out = {'databases': s.DATABASES, 'storages': s.STORAGES,"
              " 'routers': getattr(s, 'DATABASE_ROUTERS', [])}\n" + code + "\nprint(json.dumps(out, default=str))")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_URL"))}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,  # noqa: S603
                          env={**keep, "DJANGO_SETTINGS_MODULE": "gongkai.settings", **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_embedded_default_has_no_replica_and_keeps_files_on_disk(tmp_path):
    out = built({"GONGKAI_VAR_DIR": str(tmp_path)})
    assert set(out["databases"]) == {"default"} and out["routers"] == []
    assert out["storages"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_replica_pgbouncer_and_s3_settings(tmp_path):
    out = built({
        "GONGKAI_VAR_DIR": str(tmp_path), "DATABASE_URL": PRIMARY,
        "GONGKAI_REPLICA_URL": "postgres://gongkai:pw@10.0.0.22:5432/gongkai", "GONGKAI_PGBOUNCER": "1",
        "GONGKAI_S3_BUCKET": "gongkai-media", "GONGKAI_S3_ENDPOINT": "https://oss.example.gov.cn",
        "GONGKAI_S3_ACCESS_KEY": "ak", "GONGKAI_S3_SECRET_KEY": "sk",
    })
    replica, default = out["databases"]["replica"], out["databases"]["default"]
    assert replica["HOST"] == "10.0.0.22" and out["routers"] == ["gongkai.ops.replica.ReplicaRouter"]
    assert replica["OPTIONS"]["connect_timeout"] == 2
    for db in (default, replica):  # transaction pooling: nothing that lives in a server session
        assert db["DISABLE_SERVER_SIDE_CURSORS"] is True and db["OPTIONS"]["prepare_threshold"] is None
    s3 = out["storages"]["default"]
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"] == {"bucket_name": "gongkai-media", "endpoint_url": "https://oss.example.gov.cn",
                             "region_name": None, "access_key": "ak", "secret_key": "sk", "default_acl": "private",
                             "querystring_auth": True, "file_overwrite": False}
    assert out["storages"]["staticfiles"]["BACKEND"] == "gongkai.core.staticfiles.StaticStorage"


def test_redis_calls_give_up_after_the_cache_timeout(tmp_path, silent_server):
    out = built({"GONGKAI_VAR_DIR": str(tmp_path), "GONGKAI_CACHE_URL": f"redis://127.0.0.1:{silent_server}/0",
                 "GONGKAI_CACHE_TIMEOUT": "0.3"},
                code="import time\nfrom django.core.cache import caches\nout['caches'] = s.CACHES\n"
                     "t = time.monotonic()\ntry:\n    caches['default'].get('k')\nexcept Exception as exc:\n"
                     "    out['error'] = type(exc).__name__\nout['seconds'] = time.monotonic() - t")
    for name in ("default", "throttle"):  # the rate limits' cache is the same Redis
        assert out["caches"][name]["OPTIONS"] == {"socket_connect_timeout": 0.3, "socket_timeout": 0.3,
                                                  "retry_on_timeout": False}
    # Gives up after its timeout (redis-py alone waits without limit).
    assert out["error"] == "TimeoutError" and 0.25 < out["seconds"] < 2


def test_redis_timeouts_by_default(tmp_path):
    out = built({"GONGKAI_VAR_DIR": str(tmp_path), "GONGKAI_CACHE_URL": "redis://127.0.0.1:6390/0"},
                code="out['caches'] = s.CACHES")
    assert out["caches"]["default"]["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                                                   "retry_on_timeout": False}


def test_sqlite_ignores_the_replica(tmp_path):
    out = built({"GONGKAI_VAR_DIR": str(tmp_path), "GONGKAI_REPLICA_URL": "postgres://x@10.0.0.22/gongkai",
                 "GONGKAI_PGBOUNCER": "1"})
    assert set(out["databases"]) == {"default"} and out["routers"] == []


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers: a replica host that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_a_hung_replica_is_skipped_within_its_connect_timeout(tmp_path, silent_server):
    out = built({"GONGKAI_VAR_DIR": str(tmp_path), "DATABASE_URL": PRIMARY,
                 "GONGKAI_REPLICA_URL": f"postgres://gongkai:pw@127.0.0.1:{silent_server}/gongkai",
                 "GONGKAI_REPLICA_CONNECT_TIMEOUT": "1"},
                code="import time\nfrom gongkai.ops import replica\nt = time.monotonic()\n"
                     "out['usable'] = replica.replica_usable()\nout['seconds'] = time.monotonic() - t")
    assert out["usable"] is False and out["seconds"] < 10  # without the timeout: blocked for minutes


class PathlessStorage(InMemoryStorage):
    """A storage without local paths, as django-storages' S3Storage."""

    path = Storage.path  # raises NotImplementedError

    def _relative_path(self, name):  # what InMemoryStorage itself used path() for
        return os.path.relpath(safe_join(self.location, name), self.location)


@pytest.mark.django_db
def test_an_attachment_is_stored_and_indexed_on_object_storage(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "tests.ops.test_production_settings.PathlessStorage"}}
    record = RecordFactory(organ=OrganFactory())
    upload = SimpleUploadedFile("通知.txt", "关于开展政务公开检查的通知".encode())
    attachment = services.attachment_add(actor=None, record=record, file=upload, check_permission=False)
    stored = Attachment.objects.get(pk=attachment.pk)
    assert stored.text == "关于开展政务公开检查的通知"
    with stored.file.open("rb") as f:
        assert f.read() == "关于开展政务公开检查的通知".encode()
