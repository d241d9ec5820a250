"""Exactly-once form submissions: ``Idempotency-Key`` (header) or ``idempotency_key`` (form field).

A POST that carries a key runs in one transaction with the insert of its
:class:`~gongkai.ops.models.IdempotencyKey` row. A success (2xx or a redirect) is stored on the
row and commits with the submission; any later POST with the same key — a client retrying after
a lost answer or a server killed after the commit — gets the stored answer and writes nothing.
A refusal or an error (4xx, 5xx) rolls the whole transaction back — the row and whatever the
view wrote before answering with an error page — so the corrected form can be sent again. A retry that
arrives while the first attempt is still running waits for it (row lock), then gets its answer.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

MAX_BODY = 64 * 1024
KEEP_DAYS = 7


def _key(request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not key and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        key = request.POST.get("idempotency_key", "")
    key = key.strip()
    return key if 8 <= len(key) <= 80 else ""


def _replay(row) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type or None)
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replay"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        key = _key(request)
        if not key:
            return self.get_response(request)
        from .models import IdempotencyKey

        done = IdempotencyKey.objects.filter(key=key).exclude(status=0).first()
        if done is not None:
            return _replay(done)
        try:
            with transaction.atomic():
                row, created = IdempotencyKey.objects.select_for_update().get_or_create(
                    key=key, defaults={"path": request.path[:300]})
                if not created and row.status:
                    return _replay(row)
                response = self.get_response(request)
                if response.status_code >= 400 or getattr(response, "streaming", False):
                    # Refused or failed: nothing of it stays (an error page answers after the view's
                    # writes), and the same key may be sent again, corrected.
                    transaction.set_rollback(True)
                    return response
                row.status = response.status_code
                row.location = response.get("Location", "")[:500]
                row.content_type = response.get("Content-Type", "")[:100]
                row.body = response.content if len(response.content) <= MAX_BODY else b""
                row.save()
                return response
        except IntegrityError:  # the same key inserted meanwhile by a concurrent retry
            done = IdempotencyKey.objects.filter(key=key).exclude(status=0).first()
            if done is not None:
                return _replay(done)
            raise


def idempotency_prune(*, now: dt.datetime | None = None) -> int:
    """Forget answers older than a week (a daily job)."""
    from .models import IdempotencyKey

    now = now or timezone.now()
    return IdempotencyKey.objects.filter(created_at__lt=now - dt.timedelta(days=KEEP_DAYS)).delete()[0]
