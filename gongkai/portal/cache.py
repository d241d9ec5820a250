"""The page cache of the public portal: fine-grained, shared invalidation, never a withdrawn page.

Design (docs/adr/0008-fine-grained-page-cache.md, which supersedes 0002):

* A page **depends on keys**, derived from its URL: every page on ``site`` (organs, genres,
  topics, catalogs, gazettes, 专栏 texts: rare changes that may show anywhere); a record's
  pages on ``record:<pk>``; an organ's pages and feeds on ``organ:<code>``; a genre's feeds on
  ``genre:<code>``; every other list (home, 信息列表, 政策文件库, gazettes, catalog entries, the
  site feeds and sitemap) on ``lists``.
* A write **bumps only the keys it touches**: a record's save, withdrawal or publication bumps
  its own key, the records that link to it or that it links to, its organ (and the organs above,
  and its issuers), its genre (old and new values alike) and ``lists`` — immediately *and* again
  when the transaction commits, and on ``records.services.record_changed``. Other organs'
  pages and every other record's page stay cached.
* Each key has a **generation**: in the shared cache (``GONGKAI_CACHE_URL=redis://…``) when
  there is one, so that every app server sees a bump at once; otherwise in small files beside
  ``GONGKAI_PAGE_CACHE_FILE`` that every process of the machine ``stat()``s. A missing
  generation (e.g. Redis restarted) is created afresh with a random token, never equal to an
  earlier one; if the shared cache cannot be read, pages are rendered and not stored.
* Each process keeps rendered pages in memory (a bounded LRU). An entry remembers the
  generations of its keys read **before** its page was rendered, and is served only while
  they are all unchanged: a page rendered while a record was being withdrawn is never served
  after the withdrawal commits, on any server. Entries also expire after
  ``GONGKAI_PAGE_CACHE_SECONDS`` and at midnight (a 有效期 passing turns a document 已失效
  without anyone saving it).
* With a shared cache, a rendered page is also stored there, under a key made of its URL and the
  generation tokens it was rendered under (``gk:page:<hash>``): the other processes and servers
  take it from there instead of rendering it again, so after a bump each page is rendered once
  for the whole cluster, not once per process. A bump changes the tokens, so a page stored under
  older tokens is never found again (it expires). When a process misses, it takes a short lock
  (``gk:pagelock:<hash>``) so that the others wait for its render (at most
  ``GONGKAI_PAGE_CACHE_WAIT`` seconds) instead of all rendering the same page at once. A process
  whose own copy has only aged past its time to live (every generation unchanged, so as true as a
  new render) serves that copy while another renders the page (``X-Page-Cache: stale``, at most
  ``STALE_SECONDS`` past its time) instead of waiting; times to live are spread by up to a fifth, so
  that pages stored together do not all age out in the same second.
* The site search's result pages (namespace ``search``) cannot know from their URL which records
  they will show. They depend on ``site`` and ``search`` (the participation items' index and the
  dictionary) and, once rendered, on ``record:<pk>`` of **each record they show** (its view sets
  ``response.page_records``): a record leaving the public drops exactly the result pages that show
  it, and a publication in one organ drops none. Before such a page is stored its records are
  asked once more of the public door on the primary database, after their generations were read
  (so a withdrawal committing while the page rendered, or a replica that had not replayed it yet,
  never gets stored). A result page lives at most ``GONGKAI_PAGE_CACHE_QUERY_SECONDS`` (default
  60): a newly published record appears in anonymous results within them (staff always see the
  search as it is). Its render still waits for the replica to replay the last bump of ``lists``.
  A stored result page that lists participation items also asks the public doors about what it
  shows before it is served (``still_public``).
* Only anonymous GET/HEAD requests to ``portal`` and ``search`` URLs that answered 200 without
  setting a cookie are stored; requests with a session cookie (staff) always render. Every portal
  page carries ``ETag``/``Last-Modified`` and ``Cache-Control: public, no-cache``.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import os
import random
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger("gongkai.portal.cache")
A11Y_COOKIE = "gk_a11y"
CACHE_CONTROL = "public, no-cache"
SITE = "site"
LISTS = "lists"
SEARCH = "search"  # what the site search finds beside the public records: its indexes and its dictionary
# The URL namespaces whose anonymous GETs are cached: the portal's pages, and the site search's result
# pages (gongkai.search sits below portal and knows nothing of this cache; its pages are listed here).
CACHED_NAMESPACES = frozenset({"portal", "search"})


# --- the generations ------------------------------------------------------------

Generation = tuple[str, float]  # (token, time of the bump in seconds since the epoch)


class GenerationsUnavailable(Exception):
    """The shared store of generations cannot be read: render, do not store."""


def generation_file() -> Path:
    """The ``site`` key's generation file; the other keys' files live in ``<file>.d/``."""
    configured = getattr(settings, "GONGKAI_PAGE_CACHE_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "portal-generation"


def _key_file(key: str) -> Path:
    base = generation_file()
    if key == SITE:
        return base
    return base.with_name(base.name + ".d") / key.replace(":", "-").replace("/", "_")


def _uses_shared_cache() -> bool:
    mode = getattr(settings, "GONGKAI_PAGE_CACHE_GENERATIONS", "auto")
    if mode == "auto":
        backend = settings.CACHES.get(_alias(), {}).get("BACKEND", "")
        return not backend.endswith(("locmem.LocMemCache", "dummy.DummyCache"))
    return mode == "cache"


def _alias() -> str:
    return getattr(settings, "GONGKAI_PAGE_CACHE_ALIAS", "default")


def _cache_key(key: str) -> str:
    return f"gk:pagegen:{key}"


def _primary_lsn() -> int:
    """The primary's WAL position now (PostgreSQL), 0 elsewhere: a reader that renders from a
    read replica must wait until the replica has replayed past it (see ``required_lsn``)."""
    from django.db import connections

    conn = connections["default"]
    if conn.vendor != "postgresql":
        return 0
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return lsn_int(cursor.fetchone()[0])


def lsn_int(text: str) -> int:
    hi, _, lo = text.partition("/")
    return (int(hi, 16) << 32) | int(lo or "0", 16)


def _new_token() -> str:
    return f"{time.time_ns()}-{uuid.uuid4().hex}-{_primary_lsn()}"


def _token_lsn(token: str) -> int:
    parts = token.split("-")
    return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0


# The WAL position the data of the page being rendered must include: the latest bump of its keys.
# The read-replica router (gongkai/ops/replica.py) reads from the replica only once it has replayed
# this far, so a page rendered after a withdrawal's bump never shows the replica's older state.
NO_REPLICA = 1 << 62
required_lsn: contextvars.ContextVar[int] = contextvars.ContextVar("gongkai_required_lsn", default=0)


def _token_time(token: str) -> float:
    try:
        return int(token.split("-", 1)[0]) / 1e9
    except ValueError:
        return time.time()


def generations(keys: Iterable[str]) -> dict[str, Generation]:
    """The current generation of each key (raises GenerationsUnavailable if they cannot be read)."""
    keys = list(dict.fromkeys(keys))
    if _uses_shared_cache():
        from django.core.cache import caches

        store = caches[_alias()]
        try:
            found = store.get_many([_cache_key(k) for k in keys])
            result = {}
            for key in keys:
                token = found.get(_cache_key(key))
                if token is None:  # never bumped, or lost with a restart: a fresh token, never an old one
                    store.add(_cache_key(key), _new_token(), timeout=None)
                    token = store.get(_cache_key(key))
                    if token is None:
                        raise GenerationsUnavailable(key)
                result[key] = (token, _token_time(token))
            return result
        except GenerationsUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - Redis down or restarting: serve nothing stored
            raise GenerationsUnavailable(str(exc)) from exc
    result = {}
    for key in keys:
        try:
            st = os.stat(_key_file(key))
        except FileNotFoundError:
            result[key] = ("0", 0.0)
        else:
            result[key] = (f"file:{st.st_ino}:{st.st_mtime_ns}:{st.st_size}", st.st_mtime_ns / 1e9)
    return result


def current_generation() -> Generation:
    """The ``site`` key's generation (every page depends on it)."""
    return generations([SITE])[SITE]


def last_modified(gens: dict[str, Generation] | None = None) -> float:
    """Time of the last change any of these generations saw (seconds since the epoch)."""
    if gens is None:
        try:
            gens = generations([SITE, LISTS])
        except GenerationsUnavailable:
            return time.time()
    latest = max((g[1] for g in gens.values()), default=0.0)
    return latest or time.time()


def bump(*keys: str) -> None:
    """Invalidate, in every process of every server, the pages that depend on these keys
    (no key: ``site``, i.e. every page)."""
    keys = tuple(dict.fromkeys(keys or (SITE,)))
    if _uses_shared_cache():
        from django.core.cache import caches

        store = caches[_alias()]
        try:
            store.set_many({_cache_key(k): _new_token() for k in keys}, timeout=None)
        except Exception:  # noqa: BLE001 - the store is down: when it returns every key is fresh
            _STORE.clear()
            raise
    else:
        for key in keys:
            path = _key_file(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
            # A fresh file (new inode, new mtime, a random size) so no two bumps look alike. The
            # size is a hole, no data written: ext4 flushes a file's unwritten data when it is
            # renamed over another (auto_da_alloc), ~2 ms a bump against ~0.1 ms without data.
            with open(tmp, "wb") as f:
                f.truncate(1 + uuid.uuid4().int % 4096)
            os.replace(tmp, path)
    if SITE in keys:
        _STORE.clear()


def bump_now_and_on_commit(using: str | None = None, keys: Iterable[str] = (SITE,)) -> None:
    """Bump at once and once more when the outermost transaction commits.

    The commit bump is what other processes need (until then they see, and may
    store, the old committed state); the immediate one covers the writing
    connection itself, which sees its own uncommitted rows (and tests, which
    never commit). One commit bump per transaction, with every key it touched.
    """
    keys = set(keys)
    bump(*keys)
    conn = transaction.get_connection(using)
    if not conn.in_atomic_block:
        return
    pending = getattr(conn, "_portal_cache_bump", None)
    if pending is not None and any(entry[1] is pending[0] for entry in conn.run_on_commit):
        pending[1].update(keys)
        return
    collected = set(keys)

    def on_commit() -> None:
        conn._portal_cache_bump = None
        try:
            bump(*collected)
        except Exception:  # noqa: BLE001 - committed already; the immediate bump went through
            logger.exception("page cache: the bump at commit failed")

    conn._portal_cache_bump = (on_commit, collected)
    transaction.on_commit(on_commit, using=using)


def record_keys(record_ids: Iterable[int], *, also: Iterable[str] = ()) -> set[str]:
    """The keys of every page that may show these records (see the module docstring)."""
    from django.db.models import Q

    from gongkai.core.models import Organ
    from gongkai.records.models import Record

    ids = set(record_ids)
    keys = {LISTS, *also}
    if not ids:
        return keys
    keys.update(f"record:{pk}" for pk in ids)
    rows = list(Record.objects.filter(pk__in=ids).values_list("organ__path", "genre__code", "interprets_id",
                                                               "superseded_by_id"))
    linked = Record.objects.filter(Q(interprets__in=ids) | Q(superseded_by__in=ids)).values_list("pk", flat=True)
    keys.update(f"record:{pk}" for pk in linked)
    organ_pks: set[int] = set()
    for path, genre_code, interprets_id, superseded_id in rows:
        organ_pks.update(int(p) for p in (path or "").strip("/").split("/") if p)
        if genre_code:
            keys.add(f"genre:{genre_code}")
        keys.update(f"record:{pk}" for pk in (interprets_id, superseded_id) if pk)
    organ_pks.update(Record.issuers.through.objects.filter(record_id__in=ids).values_list("organ_id", flat=True))
    keys.update(f"organ:{code}" for code in Organ.objects.filter(pk__in=organ_pks).values_list("code", flat=True))
    return keys


_RECORD_PAGES = {"record", "record_print", "record_qr", "record_feedback"}
_ORGAN_PAGES = {"organ", "organ_guide", "organ_rules", "organ_catalog", "organ_reports", "organ_apply",
                "feed_organ_rss", "feed_organ_atom"}
_GENRE_PAGES = {"feed_genre_rss", "feed_genre_atom"}


def page_keys(match) -> tuple[str, ...]:
    """The keys a portal page depends on, from its URL alone (before anything is rendered)."""
    name, kwargs = match.url_name, match.kwargs
    if match.namespace == "search":
        # A result page shows public records (it depends on each one's key too, once rendered: see
        # the module docstring), public participation items and counts of them (``search``: bumped
        # by every write to the items' index and to the dictionary), and organ, genre and topic names
        # (``site``).
        return (SITE, SEARCH)
    if name in _RECORD_PAGES:
        return (SITE, f"record:{kwargs.get('pk')}")
    if name in _ORGAN_PAGES:
        return (SITE, f"organ:{kwargs.get('code')}")
    if name in _GENRE_PAGES:
        return (SITE, f"genre:{kwargs.get('code')}")
    return (SITE, LISTS)


def freshness_keys(match) -> tuple[str, ...]:
    """Keys read only for how fresh a read replica must be to render this page (``required_lsn``),
    not for whether a stored copy is still good: a result page's records are unknown before it
    renders, and every record change bumps ``lists``."""
    return (LISTS,) if match.namespace == "search" else ()


# --- the per-process store -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    generations: dict[str, Generation]
    day: str
    expires: float
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    refs: dict | None = None  # what the page shows, asked of the public doors again before it is served
    shown: dict[str, Generation] | None = None  # a result page's ``record:<pk>`` keys, read after it rendered


def shown_unchanged(shown: dict[str, Generation] | None, known: dict[str, Generation] | None = None) -> bool:
    """Whether the records a stored result page shows are unchanged since it was stored (``known``:
    generations already read in this request, when they include every one of them)."""
    if not shown:
        return True
    if known is not None and all(k in known for k in shown):
        return all(known[k] == g for k, g in shown.items())
    try:
        return generations(shown) == shown
    except GenerationsUnavailable:
        return False


def shown_generations(record_ids: Iterable[int]) -> dict[str, Generation] | None:
    """The generations of the records a freshly rendered result page shows, or None when one of them
    is no longer public on the primary (the page is then not stored, and is rendered again there).

    The generations are read first, the door asked second: a withdrawal that commits before the
    question is seen by it; one that commits after it bumps the keys after they were read here."""
    from django.db import DEFAULT_DB_ALIAS

    from gongkai.records.models import Record

    ids = sorted({int(pk) for pk in record_ids})
    found = generations([f"record:{pk}" for pk in ids]) if ids else {}
    if ids and Record.objects.public().using(DEFAULT_DB_ALIAS).filter(pk__in=ids).count() != len(ids):
        return None
    return found


def still_public(refs: dict | None) -> bool:
    """Whether everything a stored page shows (``refs``, set by its view as ``response.public_refs``:
    record ids, and participation item ids by kind) is public *now*. The site search's result pages
    that list participation items carry them: an item (or record) made non-public behind every
    signal's back (a queryset update) is then never served from a stored page, as the search itself
    would not show it. Pages without refs are served without asking (one connection less a hit)."""
    if not refs:
        return True
    from gongkai.records.models import Record
    from gongkai.search import items

    try:
        records = set(refs.get("records") or ())
        if records and Record.objects.public().filter(pk__in=records).count() != len(records):
            return False
        for name, ids in (refs.get("items") or {}).items():
            kind, wanted = items.kind(name), set(ids)
            if kind is None or (wanted and {int(i) for i in kind.public_ids(list(wanted))} != wanted):
                return False
    except Exception:  # noqa: BLE001 - the database cannot say: render instead
        logger.warning("page cache: could not check a stored page's records", exc_info=True)
        return False
    return True


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


# --- the shared store (Redis): one render per page and generation for the whole cluster -------


def _shares_pages() -> bool:
    return _uses_shared_cache() and getattr(settings, "GONGKAI_PAGE_CACHE_SHARED", True)


def _shared_key(key: tuple, gens: dict[str, Generation], day: str, prefix: str = "gk:page:") -> str:
    tokens = sorted((k, g[0]) for k, g in gens.items())
    return prefix + hashlib.blake2b(repr((key, tokens, day)).encode(), digest_size=20).hexdigest()


def _shared_get(skey: str):
    from django.core.cache import caches

    try:
        return caches[_alias()].get(skey)
    except Exception:  # noqa: BLE001 - the shared store is down: render
        return None


def _shared_put(skey: str, payload: tuple, seconds: int) -> None:
    from django.core.cache import caches

    try:
        caches[_alias()].set(skey, payload, timeout=seconds)
    except Exception:  # noqa: BLE001 - the shared store is down: the local copy still serves
        logger.warning("page cache: could not store a page in the shared cache")


BUSY = "busy"  # another process is rendering the page (see _shared_wait's stale_ok)
# How long past its time to live a copy whose generations are all unchanged may still be served while
# another process renders the page anew (with the shared cache): the others do not queue behind it.
STALE_SECONDS = 60


def _shared_wait(key: tuple, gens: dict[str, Generation], day: str, *,
                 stale_ok: bool = False) -> tuple[tuple | None, str]:
    """A page another process is rendering under these very generations: wait for it a little.
    Returns (its payload, "") or (None, the lock this process took to render it, or ""); with
    ``stale_ok`` (the caller holds a copy that only aged), (None, BUSY) at once instead of waiting."""
    from django.core.cache import caches

    skey = _shared_key(key, gens, day)
    found = _shared_get(skey)
    if found is not None:
        return found, ""
    wait = float(getattr(settings, "GONGKAI_PAGE_CACHE_WAIT", 1.0))
    lock = _shared_key(key, gens, day, "gk:pagelock:")
    try:
        if wait <= 0:
            return None, ""
        if caches[_alias()].add(lock, 1, timeout=max(int(wait) + 1, 1)):
            return None, lock  # this process renders it
        if stale_ok:
            return None, BUSY
    except Exception:  # noqa: BLE001 - the shared store is down: render
        return None, ""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.02)
        found = _shared_get(skey)
        if found is not None:
            return found, ""
        try:
            if caches[_alias()].get(lock) is None:  # released: the page was not one to store
                return None, ""
        except Exception:  # noqa: BLE001 - the shared store is down: render
            return None, ""
    return None, ""


def _shared_release(lock: str) -> None:
    from django.core.cache import caches

    try:
        caches[_alias()].delete(lock)
    except Exception:  # noqa: BLE001, S110 - it expires by itself
        pass


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
        found = self._keys(request)
        if found is None:  # not a portal page
            return self.get_response(request)
        keys, guard = found
        key = (request.scheme, request.get_host(), request.get_full_path(), request.COOKIES.get(A11Y_COOKIE, ""))
        entry = _STORE.get(key) if enabled else None
        # A stored result page's records are read with the page's own keys: one round trip a hit.
        shown = tuple(entry.shown) if entry is not None and entry.shown else ()
        try:
            fresh = generations((*keys, *guard, *shown))  # read BEFORE rendering: see the module docstring
            read = {k: fresh[k] for k in (*keys, *guard)}
            gens = {k: fresh[k] for k in keys}
        except GenerationsUnavailable:
            fresh, read, gens, enabled = None, None, None, False
        # Without generations nothing says how fresh the data must be: read from the primary.
        lsn_token = required_lsn.set(max((_token_lsn(g[0]) for g in read.values()), default=0) if read
                                     else NO_REPLICA)
        try:
            return self._serve(request, enabled, key, entry if enabled else None, gens, read, fresh)
        finally:
            required_lsn.reset(lsn_token)

    def _serve(self, request, enabled, key, entry, gens, read, fresh):
        """``entry``: this process's stored copy, if any; ``gens``: the generations a stored copy must still
        have; ``read``: those and the freshness keys' (``Last-Modified`` is the latest change of any of
        them); ``fresh``: those and the generations of the records the stored copy shows."""
        day = timezone.localdate().isoformat()
        now = time.monotonic()
        aged = None  # a stored copy as true as a new render, only older than its time to live
        if enabled:
            if (entry is not None and entry.generations == gens and entry.day == day
                    and shown_unchanged(entry.shown, fresh) and still_public(entry.refs)):
                if entry.expires > now:
                    return self._from_entry(request, entry, read, "hit")
                if now - entry.expires < STALE_SECONDS:
                    aged = entry
        lock = ""
        if enabled and _shares_pages():
            payload, lock = _shared_wait(key, gens, day, stale_ok=aged is not None)
            if lock == BUSY:  # another process renders it now: this one serves its aged copy meanwhile
                return self._from_entry(request, aged, read, "stale")
            if (payload is not None and shown_unchanged(payload[6] if len(payload) > 6 else None)
                    and still_public(payload[5] if len(payload) > 5 else None)):
                return self._from_shared(request, key, gens, read, day, now, payload)
        try:
            response = self.get_response(request)
        except BaseException:
            if lock:
                _shared_release(lock)
            raise
        if not self._is_public_page(request, response):
            if lock:
                _shared_release(lock)
            return response
        seconds = getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 300)
        shown = None
        records = getattr(response, "page_records", None)
        if records is None and request.resolver_match.namespace == "search":
            enabled = False  # a result page that does not say what it shows is never stored
        if records is not None and enabled:
            seconds = min(seconds, getattr(settings, "GONGKAI_PAGE_CACHE_QUERY_SECONDS", 60))
            try:
                shown = shown_generations(records)
            except GenerationsUnavailable:
                shown = None
            if shown is None:  # a record it shows has just left the public: render it from the primary
                if lock:
                    _shared_release(lock)
                primary = required_lsn.set(NO_REPLICA)
                try:
                    response = self.get_response(request)
                finally:
                    required_lsn.reset(primary)
                enabled, lock = False, ""
                if not self._is_public_page(request, response):
                    return response
        if lock and not enabled:
            _shared_release(lock)
            lock = ""
        body = response.content
        etag = make_etag(body)
        modified = last_modified(read) if read else time.time()
        _set_validators(response, etag, modified)
        if enabled:
            headers = tuple((k, v) for k, v in response.items() if k not in ("Last-Modified", "X-Page-Cache"))
            refs = getattr(response, "public_refs", None)
            # pages stored together (after a bump, or at start) do not all age out in the same second
            seconds = max(int(seconds * (0.8 + 0.2 * random.random())), 1)  # noqa: S311 - not security
            _STORE.put(key, Entry(gens, day, now + seconds, response.status_code, headers, body, etag, refs, shown))
            if _shares_pages():
                _shared_put(_shared_key(key, gens, day), (time.time() + seconds, response.status_code, headers, body,
                                                          etag, refs, shown), seconds)
                if lock:
                    _shared_release(lock)
            response["X-Page-Cache"] = "miss"
        if _not_modified(request, etag, modified):
            return _not_modified_response(etag, modified)
        return response

    @staticmethod
    def _from_entry(request, entry, read, how):
        modified = last_modified(read)
        if _not_modified(request, entry.etag, modified):
            return _not_modified_response(entry.etag, modified)
        response = HttpResponse(entry.body, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
        response["Last-Modified"] = http_date(modified)
        response["X-Page-Cache"] = how
        return response

    @staticmethod
    def _from_shared(request, key, gens, read, day, now, payload):
        """A page another process rendered under the same generations (so as true as ours would be)."""
        expires_at, status, headers, body, etag, *rest = payload  # rest: refs, shown (none from an older server)
        entry = Entry(gens, day, now + max(expires_at - time.time(), 0), status, headers, body, etag,
                      rest[0] if rest else None, rest[1] if len(rest) > 1 else None)
        _STORE.put(key, entry)
        return PageCacheMiddleware._from_entry(request, entry, read, "shared")

    @staticmethod
    def _keys(request) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(the keys the page depends on, the keys read only for the replica's freshness)."""
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.namespace not in CACHED_NAMESPACES:
            return None
        return page_keys(match), freshness_keys(match)

    @staticmethod
    def _is_public_page(request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            match is not None
            and match.namespace in CACHED_NAMESPACES
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
    """A list's total, remembered until the next change of any record or list (or a minute):
    counting 94,000 public records takes SQLite a few hundred milliseconds, and every page of a
    list shares one total. Only the number is kept, never which records are public."""
    try:
        gens = generations([SITE, LISTS])
    except GenerationsUnavailable:
        return compute()
    full_key = (gens[SITE][0], gens[LISTS][0], timezone.localdate().isoformat(), key)
    now = time.monotonic()
    hit = _COUNTS.get(full_key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    if len(_COUNTS) > 2000:
        _COUNTS.clear()
    _COUNTS[full_key] = (now + COUNT_SECONDS, value)
    return value
