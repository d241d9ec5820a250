"""Health, readiness, metrics, request ids, replica routing and X-Accel attachments."""

import json
import logging

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from gongkai.ops import observability, replica
from gongkai.records.models import Attachment
from tests.factories import OrganFactory, RecordFactory

pytestmark = pytest.mark.django_db


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok" and ready.json()["checks"]["cache"] == "ok"


def test_readyz_fails_when_the_queue_lags(client, monkeypatch, settings):
    settings.GONGKAI_READY_MAX_QUEUE_LAG = 60
    monkeypatch.setattr("gongkai.ops.jobs.queue_lag_seconds", lambda: 600.0)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["queue"].startswith("error")


def test_metrics_are_internal_and_in_prometheus_format(client, settings):
    client.get("/healthz")
    body = client.get("/metrics").content.decode()  # the test client comes from 127.0.0.1
    assert 'gongkai_http_requests_total{area="ops",method="GET",status="2xx"}' in body
    assert "gongkai_http_request_seconds_bucket" in body and "gongkai_jobs_ready 0.0" in body
    assert 'gongkai_jobs_failed{kind="periodic"} 0.0' in body
    settings.GONGKAI_METRICS_IPS = ["10.0.0.5"]
    refused = client.get("/metrics")
    assert refused.status_code == 403 and "内部监控" in refused.content.decode()


def test_search_latency_and_failed_jobs_are_measured(client):
    from gongkai.ops.models import JobRun, JobRunStatus

    assert client.get("/search/?q=" + "公开").status_code == 200
    JobRun.objects.create(job="publish_due", period="2026-12-07T02:00:00Z", status=JobRunStatus.FAILED,
                          last_error="RuntimeError: 邮件服务器无应答")
    body = client.get("/metrics").content.decode()
    count = [line for line in body.splitlines() if line.startswith('gongkai_http_request_seconds_count{area="search"}')]
    assert count and float(count[0].split()[-1]) >= 1
    assert 'gongkai_jobs_failed{kind="periodic"} 1.0' in body


def test_request_id_is_echoed_and_logged(client):
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<bad>")["X-Request-ID"] != "<bad>"
    record = logging.LogRecord("gongkai", logging.WARNING, __file__, 1, "出错了 %s", ("甲",), None)
    token = observability.request_id_var.set("rid-1")
    try:
        observability.RequestIdFilter().filter(record)
    finally:
        observability.request_id_var.reset(token)
    line = json.loads(observability.JsonFormatter().format(record))
    assert line["message"] == "出错了 甲" and line["request_id"] == "rid-1" and line["level"] == "WARNING"


def test_a_not_found_answer_is_logged_with_its_request_id(client):
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record)

    handler = Keep()
    handler.addFilter(observability.RequestIdFilter())
    django_request = logging.getLogger("django.request")
    django_request.addHandler(handler)
    try:  # Django logs 4xx answers once the middleware has returned
        assert client.get("/no-such-page/", HTTP_X_REQUEST_ID="nginx-rid-42").status_code == 404
    finally:
        django_request.removeHandler(handler)
    assert [(r.getMessage(), r.request_id) for r in lines] == [("Not Found: /no-such-page/", "nginx-rid-42")]


def test_router_sends_only_anonymous_public_reads_to_a_healthy_replica(monkeypatch, settings):
    router = replica.ReplicaRouter()
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    healthy = {"ok": True}
    monkeypatch.setattr(replica, "replica_usable", lambda: healthy["ok"])
    assert router.db_for_read(None) == "default"  # outside a public read
    token = replica.public_read.set(True)
    try:
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        healthy["ok"] = False  # down or lagging: skipped
        assert router.db_for_read(None) == "default"
    finally:
        replica.public_read.reset(token)
    assert router.allow_migrate("replica", "records") is False


def test_replica_health_is_skipped_when_it_lags_or_fails(monkeypatch, settings):
    settings.GONGKAI_REPLICA_MAX_LAG = 10
    streaming = {"now": True}
    monkeypatch.setattr(replica, "replica_streaming", lambda: streaming["now"])
    replica._health.update(checked=0.0)
    monkeypatch.setattr(replica, "replica_lag", lambda: 30.0)
    assert replica.replica_usable() is False
    replica._health.update(checked=0.0)
    monkeypatch.setattr(replica, "replica_lag", lambda: 0.5)
    assert replica.replica_usable() is True
    replica._health.update(checked=0.0)
    streaming["now"] = False  # cut off from the primary: "no lag", yet behind
    monkeypatch.setattr(replica, "replica_lag", lambda: 0.0)
    assert replica.replica_usable() is False
    replica._health.update(checked=0.0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's replication views")
def test_a_server_that_receives_no_wal_counts_as_not_streaming():
    with connection.cursor() as cursor:  # the test server is a primary: no WAL receiver runs
        cursor.execute(replica.STREAMING_SQL)
        assert cursor.fetchone()[0] is False
        cursor.execute(replica.LAG_SQL)
        assert float(cursor.fetchone()[0]) == 0.0  # which the lag alone would take for up to date


def test_middleware_marks_public_reads_and_pins_writers(rf, monkeypatch, settings):
    seen = []
    middleware = replica.ReplicaMiddleware(lambda request: seen.append(replica.public_read.get()) or _ok())
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    middleware(rf.get("/policies/"))
    staff = rf.get("/policies/")
    staff.COOKIES[settings.SESSION_COOKIE_NAME] = "x"
    middleware(staff)
    middleware(rf.get("/workspace/"))
    response = middleware(rf.post("/apply/"))
    pinned = rf.get("/policies/")
    pinned.COOKIES[replica.PIN_COOKIE] = "1"
    middleware(pinned)
    settings.GONGKAI_ADMIN_PATH = "manage-x7/"  # the admin at its production path
    middleware(rf.get("/manage-x7/login/"))
    assert seen == [True, False, False, False, False, False]
    assert response.cookies[replica.PIN_COOKIE]["max-age"] == settings.GONGKAI_REPLICA_PIN_SECONDS


def _ok():
    from django.http import HttpResponse

    return HttpResponse("ok")


def test_attachments_behind_nginx_are_sent_with_x_accel_redirect(client, settings, tmp_path):
    from gongkai.records.models import Status

    record = RecordFactory(organ=OrganFactory(), published=True)
    att = Attachment(record=record, name="全文.txt", size=6, content_type="text/plain")
    att.file.save("full.txt", ContentFile("全文".encode()), save=False)
    att.save()
    url = reverse("portal:attachment", args=[att.pk])
    direct = client.get(url)
    assert direct.status_code == 200 and b"".join(direct.streaming_content) == "全文".encode()
    settings.GONGKAI_X_ACCEL_PREFIX = "/_protected/"
    sent = client.get(url)
    assert sent.status_code == 200 and sent.content == b""
    assert sent["X-Accel-Redirect"] == "/_protected/" + att.file.name
    assert "attachment" in sent["Content-Disposition"]
    record.status, record.withdrawal_reason = Status.WITHDRAWN, "内容有误"
    record.save()
    assert "X-Accel-Redirect" not in client.get(url)  # the one door still decides


def test_the_replica_serves_a_page_only_once_it_has_replayed_the_pages_latest_bump(monkeypatch):
    from gongkai.portal.cache import NO_REPLICA, lsn_int, required_lsn

    assert lsn_int("1/A0") == (1 << 32) + 0xA0
    assert replica.replica_caught_up(0) is True  # SQLite, or keys never bumped on PostgreSQL
    assert replica.replica_caught_up(NO_REPLICA) is False  # generations unreadable: primary
    known = replica._replayed.set(500)
    try:
        assert replica.replica_caught_up(400) is True
        assert replica.replica_caught_up(600) is False  # asks the replica (none here): primary
    finally:
        replica._replayed.reset(known)
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "replica_usable", lambda: True)
    reads, needs = replica.public_read.set(True), required_lsn.set(NO_REPLICA)
    try:
        assert replica.ReplicaRouter().db_for_read(None) == "default"
    finally:
        replica.public_read.reset(reads)
        required_lsn.reset(needs)


def test_a_replica_failing_mid_request_is_answered_from_the_primary(rf, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    answered_from = []
    middleware = replica.ReplicaMiddleware(lambda request: answered_from.append(replica.public_read.get()) or _ok())
    request = rf.get("/policies/")
    token = replica.public_read.set(True)
    try:
        response = middleware.process_exception(request, OperationalError("server closed the connection"))
    finally:
        replica.public_read.reset(token)
    assert response.status_code == 200 and answered_from == [False]
    assert replica._health["ok"] is False
    assert middleware.process_exception(request, ValueError("not a database error")) is None
    replica._health.update(checked=0.0)


def test_probes_answer_an_app_server_by_its_address_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["gongkai.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True
    settings.GONGKAI_METRICS_IPS = ["10.0.0.30"]
    direct = {"HTTP_HOST": "10.0.0.11:8000"}
    assert client.get("/healthz", **direct).json() == {"status": "ok"}
    assert client.get("/readyz", **direct).json()["status"] == "ok"
    scraped = client.get("/metrics", REMOTE_ADDR="10.0.0.30", **direct)
    assert scraped.status_code == 200 and b"gongkai_http_requests_total" in scraped.content
    assert client.get("/metrics", **direct).status_code == 403  # still only the monitoring address
    assert client.get("/policies/", **direct).status_code == 400  # every other page still checks the host
    assert client.get("/healthz", HTTP_HOST="gongkai.example.gov.cn").status_code == 200
    assert client.get("/policies/", HTTP_HOST="gongkai.example.gov.cn").status_code == 301  # to HTTPS
