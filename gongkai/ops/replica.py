"""Read replica routing (``GONGKAI_REPLICA_URL``; PostgreSQL only, SQLite ignores it).

* ``ReplicaMiddleware`` marks a request as a *public read* when it is an anonymous GET/HEAD
  (no session cookie) of the public site, search, API or feeds, and the client has not written
  in the last ``GONGKAI_REPLICA_PIN_SECONDS`` (a cookie set on any other request pins it to the
  primary: read-your-writes).
* ``ReplicaRouter`` sends the reads of such a request to ``replica`` while the replica answers,
  streams from the primary and lags less than ``GONGKAI_REPLICA_MAX_LAG`` seconds (checked at most
  every two seconds per process), and only once it has replayed the WAL past the latest page-cache bump of the page's
  keys (``portal.cache.required_lsn``): a page rendered after a withdrawal commits never shows
  the replica's older state. Everything else, and every write, goes to ``default``.
"""

from __future__ import annotations

import contextvars
import logging
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger("gongkai.ops.replica")
PIN_COOKIE = "gk_primary"
public_read: contextvars.ContextVar[bool] = contextvars.ContextVar("gongkai_public_read", default=False)

_PRIVATE_PREFIXES = ("/workspace/", "/admin/", "/healthz", "/readyz", "/metrics")
_health: dict[str, float | bool] = {"checked": 0.0, "ok": False}

LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)

# A replica cut off from its primary (network, primary restarting) has replayed all it received and
# so reports no lag by LAG_SQL while it falls ever further behind: it is used only while a WAL
# receiver runs (the view has a row only then; an unprivileged role sees it too, with its pid).
STREAMING_SQL = "SELECT EXISTS (SELECT 1 FROM pg_stat_wal_receiver)"


def _private_prefixes() -> tuple[str, ...]:
    """Never public reads: the workspace, the admin (at ``GONGKAI_ADMIN_PATH`` in production) and the probes."""
    return (*_PRIVATE_PREFIXES, "/" + getattr(settings, "GONGKAI_ADMIN_PATH", "admin/").strip("/") + "/")


def replica_configured() -> bool:
    return "replica" in settings.DATABASES


def replica_lag() -> float:
    """Seconds the replica is behind (raises when it cannot be reached)."""
    with connections["replica"].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0] or 0)


def replica_streaming() -> bool:
    """Whether the replica is receiving the primary's WAL (raises when it cannot be reached)."""
    with connections["replica"].cursor() as cursor:
        cursor.execute(STREAMING_SQL)
        return bool(cursor.fetchone()[0])


def replica_usable() -> bool:
    now = time.monotonic()
    if now - float(_health["checked"]) < 2.0:
        return bool(_health["ok"])
    _health["checked"] = now
    try:
        lag = replica_lag()
        streaming = replica_streaming()
        _health["ok"] = streaming and lag <= getattr(settings, "GONGKAI_REPLICA_MAX_LAG", 10)
        if not streaming:
            logger.warning("replica receives no WAL from the primary: reads go to the primary")
        elif not _health["ok"]:
            logger.warning("replica lags %.1fs: reads go to the primary", lag)
    except Exception as exc:  # noqa: BLE001 - a replica down is skipped, never an error page
        _health["ok"] = False
        logger.warning("replica unreachable (%s): reads go to the primary", exc.__class__.__name__)
        try:
            connections["replica"].close()
        except Exception:  # noqa: BLE001, S110 - a broken connection may fail to close
            pass
    return bool(_health["ok"])


_replayed: contextvars.ContextVar[int] = contextvars.ContextVar("gongkai_replica_replayed", default=-1)


def replica_caught_up(required: int) -> bool:
    """Whether the replica has replayed the WAL up to ``required`` (the page's latest bump)."""
    from gongkai.portal.cache import NO_REPLICA

    if required <= 0:
        return True
    if required >= NO_REPLICA:
        return False
    replayed = _replayed.get()
    if replayed < required:  # ask (again) only when what we know is not enough
        from gongkai.portal.cache import lsn_int

        try:
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT COALESCE(pg_last_wal_replay_lsn()::text, '0/0')")
                replayed = lsn_int(cursor.fetchone()[0])
        except Exception:  # noqa: BLE001 - unreachable: the primary answers instead
            return False
        _replayed.set(replayed)
    return replayed >= required


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        from gongkai.portal.cache import required_lsn

        if (public_read.get() and replica_configured() and replica_usable()
                and replica_caught_up(required_lsn.get())):
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reads = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and PIN_COOKIE not in request.COOKIES
            and not request.path_info.startswith(_private_prefixes())
        )
        token, replayed = public_read.set(reads), _replayed.set(-1)
        try:
            response = self.get_response(request)
        finally:
            public_read.reset(token)
            _replayed.reset(replayed)
        if request.method not in ("GET", "HEAD", "OPTIONS") and replica_configured():
            response.set_cookie(PIN_COOKIE, "1", max_age=getattr(settings, "GONGKAI_REPLICA_PIN_SECONDS", 5),
                                httponly=True, samesite="Lax")
        return response

    def process_exception(self, request, exception):
        """A public read whose replica went away mid-request: mark it down, answer from the primary."""
        from django.db import DatabaseError

        if not (public_read.get() and replica_configured() and isinstance(exception, DatabaseError)):
            return None
        logger.warning("replica failed during a request (%s): answered from the primary",
                       exception.__class__.__name__)
        _health.update(checked=time.monotonic(), ok=False)
        try:
            connections["replica"].close()
        except Exception:  # noqa: BLE001, S110 - a broken connection may fail to close
            pass
        token = public_read.set(False)
        try:
            return self.get_response(request)  # a GET: running it again changes nothing
        finally:
            public_read.reset(token)
