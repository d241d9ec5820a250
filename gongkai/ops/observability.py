"""Operations endpoints and middleware: request ids, structured logs, Prometheus metrics,
``/healthz`` and ``/readyz`` for a load balancer, and X-Accel-Redirect for attachments.

* ``RequestIdMiddleware`` (outermost) takes ``X-Request-ID`` from nginx or makes one, returns it
  in the response and puts it on every log line of the request (``JsonFormatter``).
* ``MetricsMiddleware`` counts requests and their latency by area (portal, search, workspace …)
  and status class. With gunicorn's several processes, set ``PROMETHEUS_MULTIPROC_DIR`` to an
  empty directory (deploy/ does) so that ``/metrics`` adds up every process.
* ``/metrics`` answers only the addresses in ``GONGKAI_METRICS_IPS`` (loopback by default).
* ``ProbeMiddleware`` answers the three probes whatever the Host and the scheme (an app server is
  probed by its address over plain HTTP).
* ``XAccelMiddleware``: behind nginx (``GONGKAI_X_ACCEL_PREFIX=/_protected/``) an attachment
  the one door let through is sent by nginx from an internal location instead of by Python.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("gongkai_request_id", default="-")

REQUESTS = Counter("gongkai_http_requests_total", "HTTP requests", ["area", "method", "status"])
LATENCY = Histogram("gongkai_http_request_seconds", "HTTP request latency", ["area"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


# --- request ids and logs -----------------------------------------------------------------


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        rid = request_id_var.get()
        if rid == "-":  # Django logs a 4xx answer after the middleware, with the request attached
            rid = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = rid
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if incoming and len(incoming) <= 64 and incoming.replace("-", "").isalnum() else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response


# --- metrics -------------------------------------------------------------------------------


def _area(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return {"": "portal", "search": "search", "workspace": "workspace", "api": "api", "static": "static",
            "healthz": "ops", "readyz": "ops", "metrics": "ops"}.get(first, "portal" if first else "portal")


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        area = _area(request.path_info)
        LATENCY.labels(area).observe(time.perf_counter() - start)
        REQUESTS.labels(area, request.method, f"{response.status_code // 100}xx").inc()
        return response


class QueueCollector:
    """Queue depth, lag and job failures, read from the database at scrape time."""

    def collect(self):
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from gongkai.ops import jobs
        from gongkai.ops.models import JobRun, JobRunStatus, TaskFailure, TaskFailureStatus

        depth = GaugeMetricFamily("gongkai_jobs_ready", "Queued jobs ready to run")
        depth.add_metric([], DBTaskResult.objects.ready().count())
        yield depth
        lag = GaugeMetricFamily("gongkai_jobs_lag_seconds", "Age of the oldest ready job")
        lag.add_metric([], jobs.queue_lag_seconds())
        yield lag
        failed = GaugeMetricFamily("gongkai_jobs_failed", "Failed task rows and periodic runs", labels=["kind"])
        failed.add_metric(["task"], DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count())
        failed.add_metric(["periodic"], JobRun.objects.filter(status=JobRunStatus.FAILED).count())
        failed.add_metric(["task_given_up"], TaskFailure.objects.filter(status=TaskFailureStatus.FAILED).count())
        yield failed


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@never_cache
def metrics(request):
    allowed = getattr(settings, "GONGKAI_METRICS_IPS", ["127.0.0.1", "::1"])
    if _client_ip(request) not in allowed:
        return HttpResponseForbidden("仅限内部监控地址访问。")
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(QueueCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


# --- health ----------------------------------------------------------------------------------


@never_cache
def healthz(request):
    """Alive: the process answers. Nothing else is checked (a load balancer restarts on failure)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Ready for traffic: the database and the cache answer, and the job queue is not far behind."""
    from django.core.cache import cache

    from gongkai.ops import jobs

    checks: dict[str, str] = {}
    ok = True
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"], ok = f"error: {exc.__class__.__name__}", False
    try:
        cache.set("gk:readyz", "1", timeout=10)
        checks["cache"] = "ok" if cache.get("gk:readyz") == "1" else "error: not stored"
        ok = ok and checks["cache"] == "ok"
    except Exception as exc:  # noqa: BLE001
        checks["cache"], ok = f"error: {exc.__class__.__name__}", False
    try:
        lag = jobs.queue_lag_seconds()
        limit = getattr(settings, "GONGKAI_READY_MAX_QUEUE_LAG", 300)
        checks["queue_lag_seconds"] = f"{lag:.0f}"
        if lag > limit:
            checks["queue"], ok = f"error: lag over {limit}s", False
        else:
            checks["queue"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["queue"], ok = f"error: {exc.__class__.__name__}", False
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


class ProbeMiddleware:
    """Answer ``/healthz``, ``/readyz`` and ``/metrics`` before the host check and the HTTPS redirect.

    A load balancer and Prometheus reach each app server directly (``http://10.0.0.11:8000/healthz``):
    by its address, over plain HTTP, not through nginx. Django would refuse that host (400) or
    redirect to HTTPS (301), so the probes never saw a healthy server. These three views read no
    host and no session; ``/metrics`` still answers only ``GONGKAI_METRICS_IPS``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}

    def __call__(self, request):
        view = self.views.get(request.path_info) if request.method in ("GET", "HEAD") else None
        if view is None:
            return self.get_response(request)
        return view(request)


# --- attachments through nginx ----------------------------------------------------------------


class XAccelMiddleware:
    """Replace the body of an attachment download by an ``X-Accel-Redirect`` to nginx's internal
    location, when ``GONGKAI_X_ACCEL_PREFIX`` is set. The view (and so the one door) has run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        prefix = getattr(settings, "GONGKAI_X_ACCEL_PREFIX", "")
        if not prefix or not response.streaming or response.status_code != 200:
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return response
        if (match.namespace, match.url_name) != ("portal", "attachment"):
            return response
        filelike = getattr(response, "file_to_stream", None)
        try:  # a FieldFile of the file system storage knows its path; S3 files have none
            name = getattr(filelike, "path", None) or getattr(filelike, "name", None)
        except NotImplementedError:
            return response
        if not name:
            return response
        try:
            relative = Path(name).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
        except ValueError:
            return response
        if hasattr(response.file_to_stream, "close"):
            response.file_to_stream.close()
        redirected = HttpResponse(status=200)
        for header, value in response.items():
            if header.lower() != "content-length":
                redirected[header] = value
        redirected["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + relative.as_posix()
        return redirected
