"""What every API answer shares: rate limits, CORS, ``ETag``/``Last-Modified`` and 304s.

* Rate limit: a fixed window per client (``GONGKAI_API_RATE`` requests per minute for an
  anonymous client by address; ``GONGKAI_API_KEY_RATE`` for a client sending a key of
  ``GONGKAI_API_KEYS`` in ``X-API-Key`` or ``?api_key=``). Counts live in the throttles' cache, shared
  by every process (:func:`gongkai.core.throttle.counter_cache`). When that cache cannot be reached
  (Redis restarting), the request is served uncounted and a warning logged: reads fail open.
* Validators: an endpoint that reads records names the page-cache keys it depends on
  (:mod:`gongkai.portal.cache`), so a conditional request is answered 304 from the generations
  alone, without a query; other endpoints hash their body.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import http_date

from gongkai.core.throttle import client_ip, counter_cache
from gongkai.portal import cache as page_cache

log = logging.getLogger(__name__)
CACHE_CONTROL = "public, max-age=0, must-revalidate"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "X-API-Key, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, X-RateLimit-Limit, X-RateLimit-Remaining",
    "Access-Control-Max-Age": "86400",
}


def error(status: int, message: str, **extra) -> JsonResponse:
    """An error as JSON with a Chinese message (every refusal of the API has this shape)."""
    response = JsonResponse({"error": message, "status": status, **extra}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return with_cors(response)


def with_cors(response: HttpResponse) -> HttpResponse:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def preflight() -> HttpResponse:
    return with_cors(HttpResponse(status=204))


def api_key(request) -> str:
    key = request.META.get("HTTP_X_API_KEY") or request.GET.get("api_key") or ""
    keys = getattr(settings, "GONGKAI_API_KEYS", {}) or {}
    return key if key in keys else ""


def rate_limit(request) -> tuple[bool, int, int]:
    """(allowed, limit, remaining) for this request's client in the current minute."""
    key = api_key(request)
    if key:
        limit, who = int(getattr(settings, "GONGKAI_API_KEY_RATE", 6000)), f"key:{key}"
    else:
        limit, who = int(getattr(settings, "GONGKAI_API_RATE", 600)), f"ip:{client_ip(request)}"
    if limit <= 0:
        return True, 0, 0
    window = int(time.time() // 60)
    name = f"gongkai-api-rate:{who}:{window}"
    try:
        cache = counter_cache()
        if cache.add(name, 1, timeout=70):
            count = 1
        else:
            try:
                count = cache.incr(name)
            except ValueError:  # expired between add and incr
                cache.set(name, 1, timeout=70)
                count = 1
    except Exception as exc:  # the cache backend's own connection errors (a Redis restart)
        # Reads fail open, as the throttles' forms fail safe (gongkai/core/throttle.py): the count is
        # unknown, so the request is served and no limit is claimed (no X-RateLimit headers). The
        # message names the kind of client only, never its address or key.
        log.warning("api rate limit: cache unavailable (%s: %s), request by %s served uncounted",
                    type(exc).__name__, exc, who.split(":", 1)[0])
        return True, 0, 0
    return count <= limit, limit, max(limit - count, 0)


def _matches(request, etag: str, modified: float | None) -> bool:
    return page_cache._not_modified(request, etag, modified)


def _finish(response: HttpResponse, etag: str, modified: float, limit: int, remaining: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = CACHE_CONTROL
    if limit:
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(remaining)
    return with_cors(response)


def _not_modified(etag: str, modified: float, limit: int, remaining: int) -> HttpResponse:
    return _finish(HttpResponse(status=304), etag, modified, limit, remaining)


def api_view(keys: Callable[..., Iterable[str]] | None = None):
    """Wrap an API view: rate limit, CORS, validators from generations (``keys``) or the body."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            allowed, limit, remaining = rate_limit(request)
            if not allowed:
                response = error(429, "请求过于频繁，请一分钟后再试；需要更高频率请申请接口密钥。")
                response["Retry-After"] = "60"
                return response
            gens = None
            if keys is not None:
                try:
                    gens = page_cache.generations([page_cache.SITE, *keys(**kwargs)])
                except page_cache.GenerationsUnavailable:
                    gens = None
            if gens is not None:
                # The answer is a function of the URL, the generations and the day (有效期).
                seed = "|".join([request.get_full_path(), timezone.localdate().isoformat(),
                                 *(f"{k}={v[0]}" for k, v in sorted(gens.items()))])
                etag = '"g' + hashlib.blake2b(seed.encode(), digest_size=12).hexdigest() + '"'
                modified = page_cache.last_modified(gens)
                if _matches(request, etag, modified):
                    return _not_modified(etag, modified, limit, remaining)
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return with_cors(response)
                return _finish(response, etag, modified, limit, remaining)
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return with_cors(response)
            etag = page_cache.make_etag(response.content)
            modified = time.time()
            if _matches(request, etag, None):
                return _not_modified(etag, modified, limit, remaining)
            return _finish(response, etag, modified, limit, remaining)

        return wrapper

    return decorate


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=str).encode()
