"""The page cache of the public portal, invalidated the moment anything public changes.

Design (see docs/portal.md):

* One **generation** for the whole site, kept in a small file
  (``GONGKAI_PAGE_CACHE_FILE``, default ``VAR_DIR/portal-generation``) so that
  every worker process of the server sees a change at once. Reading it is one
  ``stat()`` per request. It is bumped when a record, attachment, organ, genre,
  topic, catalog, gazette or 专栏 text is saved or deleted — immediately *and*
  again when the transaction commits — and on ``records.services.record_changed``.
  Writes are rare (a few an hour in an office), so dropping every page on each
  write costs little and can never leave one stale list behind.
* Each process keeps rendered pages in memory (a bounded LRU). An entry remembers
  the generation read **before** its page was rendered, so a page rendered while a
  record was being withdrawn is never served after the withdrawal commits.
  Entries also expire after ``GONGKAI_PAGE_CACHE_SECONDS`` and at midnight
  (a 有效期 passing turns a document 已失效 without anyone saving it).
* Only anonymous GET/HEAD requests to ``portal`` URLs that answered 200 without
  setting a cookie are stored; requests with a session cookie (staff) always
  render. Every portal page carries ``ETag``/``Last-Modified`` and
  ``Cache-Control: public, no-cache``: browsers and proxies may keep it but must
  revalidate (a cheap 304), so no cache outside the server can show a withdrawn
  record either.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

A11Y_COOKIE = "gk_a11y"
CACHE_CONTROL = "public, no-cache"


# --- the generation -------------------------------------------------------------


def generation_file() -> Path:
    configured = getattr(settings, "GONGKAI_PAGE_CACHE_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "portal-generation"


def current_generation() -> tuple[int, int, int]:
    """Identity of the last bump: (inode, mtime_ns, size) of the generation file."""
    try:
        st = os.stat(generation_file())
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def last_modified() -> float:
    """Time of the last change anywhere on the public site (seconds since the epoch)."""
    mtime_ns = current_generation()[1]
    return mtime_ns / 1e9 if mtime_ns else time.time()


def bump() -> None:
    """Invalidate every cached page in every process (atomic replace of the generation file)."""
    path = generation_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    # A fresh file (new inode, new mtime, varying size) so no two bumps look alike.
    tmp.write_text(uuid.uuid4().hex + "\n" * (time.monotonic_ns() % 7))
    os.replace(tmp, path)
    _STORE.clear()


def bump_now_and_on_commit(using: str | None = None) -> None:
    """Bump at once and once more when the outermost transaction commits.

    The commit bump is what other processes need (until then they see, and may
    store, the old committed state); the immediate one covers the writing
    connection itself, which sees its own uncommitted rows (and tests, which
    never commit). One commit bump per transaction, however many rows it saves.
    """
    bump()
    conn = transaction.get_connection(using)
    if not conn.in_atomic_block:
        return
    pending = getattr(conn, "_portal_cache_bump", None)
    if pending is not None and any(entry[1] is pending for entry in conn.run_on_commit):
        return

    def on_commit() -> None:
        conn._portal_cache_bump = None
        bump()

    conn._portal_cache_bump = on_commit
    transaction.on_commit(on_commit, using=using)


# --- the per-process store -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    generation: tuple[int, int, int]
    day: str
    expires: float
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str


class _Store:
    def __init__(self) -> None:
        self._data: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is not None:
                self._data.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        max_entries = getattr(settings, "GONGKAI_PAGE_CACHE_ENTRIES", 5000)
        max_bytes = getattr(settings, "GONGKAI_PAGE_CACHE_BYTES", 256 * 1024 * 1024)
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._data[key] = entry
            self._bytes += len(entry.body)
            while self._data and (len(self._data) > max_entries or self._bytes > max_bytes):
                _, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._data)


_STORE = _Store()


# --- HTTP helpers ----------------------------------------------------------------


def make_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _not_modified(request, etag: str, modified: float | None) -> bool:
    inm = request.META.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if ims and modified is not None:
        since = parse_http_date_safe(ims)
        return since is not None and int(modified) <= since
    return False


def _set_validators(response, etag: str, modified: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = CACHE_CONTROL
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    if "Cookie" not in vary:
        vary.append("Cookie")  # the 适老化 cookie changes the page
    response["Vary"] = ", ".join(vary)


def _not_modified_response(etag: str, modified: float) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = CACHE_CONTROL
    return response


# --- the middleware -------------------------------------------------------------


class PageCacheMiddleware:
    """Outermost middleware: serve stored public pages; store fresh ones; answer conditional GETs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self._validators_only(request, self.get_response(request))
        enabled = getattr(settings, "GONGKAI_PAGE_CACHE", True)
        generation = current_generation()  # read BEFORE rendering: see the module docstring
        key = (request.scheme, request.get_host(), request.get_full_path(), request.COOKIES.get(A11Y_COOKIE, ""))
        day = timezone.localdate().isoformat()
        now = time.monotonic()
        if enabled:
            entry = _STORE.get(key)
            if entry is not None and entry.generation == generation and entry.day == day and entry.expires > now:
                modified = last_modified()
                if _not_modified(request, entry.etag, modified):
                    return _not_modified_response(entry.etag, modified)
                response = HttpResponse(entry.body, status=entry.status)
                for name, value in entry.headers:
                    response[name] = value
                response["Last-Modified"] = http_date(modified)
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if not self._is_public_page(request, response):
            return response
        body = response.content
        etag = make_etag(body)
        modified = last_modified()
        _set_validators(response, etag, modified)
        if enabled:
            headers = tuple((k, v) for k, v in response.items() if k not in ("Last-Modified", "X-Page-Cache"))
            _STORE.put(key, Entry(generation, day, now + getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 300),
                                  response.status_code, headers, body, etag))
            response["X-Page-Cache"] = "miss"
        if _not_modified(request, etag, modified):
            return _not_modified_response(etag, modified)
        return response

    @staticmethod
    def _is_public_page(request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            match is not None
            and match.namespace == "portal"
            and not getattr(match.func, "page_cache_exempt", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cookie" not in response.get("Vary", "")
        )

    def _validators_only(self, request, response):
        """Staff and other requests: correct validators on public pages, never a stored copy."""
        return response


def page_cache_exempt(view):
    """Mark a portal view whose answer must never be stored (downloads, redirects with cookies)."""
    view.page_cache_exempt = True
    return view


# --- counts of long lists ---------------------------------------------------------------

_COUNTS: dict[tuple, tuple[float, int]] = {}
COUNT_SECONDS = 60


def cached_count(key: tuple, compute) -> int:
    """A list's total, remembered until the next change anywhere (or a minute): counting
    94,000 public records takes SQLite a few hundred milliseconds, and every page of a list
    shares one total. Only the number is kept, never which records are public."""
    full_key = (current_generation(), timezone.localdate().isoformat(), key)
    now = time.monotonic()
    hit = _COUNTS.get(full_key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    if len(_COUNTS) > 2000:
        _COUNTS.clear()
    _COUNTS[full_key] = (now + COUNT_SECONDS, value)
    return value
