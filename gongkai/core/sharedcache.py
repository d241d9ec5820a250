"""A Django cache backend in one SQLite file, shared by every process of the machine.

The embedded default runs gunicorn with several workers and no Redis. Django's local-memory cache
is one per process, so a rate limit kept there would allow N times its attempts with N workers.
This backend keeps the throttles' counts (``CACHES["throttle"]``, see ``gongkai/settings.py``) in a
small SQLite file under ``VAR_DIR`` instead: every write runs in a ``BEGIN IMMEDIATE`` transaction,
which SQLite serialises across processes, so :meth:`SQLiteCache.incr` and :meth:`SQLiteCache.add`
are atomic and concurrent increments lose nothing (tests/core/test_throttle_processes.py counts
them). It is a separate file, outside the application database's transactions: a rolled-back
request does not take its counted attempt with it.

It holds whole numbers only (the counters of form submissions and API requests), stored as SQLite
integers: nothing is pickled, so a file planted under ``VAR_DIR`` cannot run code when read (the class
of flaw of diskcache's CVE-2025-69872, see docs/adr/0013). Any other value is refused when written,
and a stored value that is not a whole number reads as missing. It is not a page cache.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_SCHEMA = "CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL)"


def _count(value) -> int:
    """The value to store: a whole number, nothing else (see the module docstring)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("这个缓存只保存整数计数")
    return value


def _read(value):
    """A stored value, or ``None`` when it is not a whole number (never unpickled, never trusted)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
_PRUNE_EVERY = 200  # writes of one process between two deletions of expired rows


def _setup(conn: sqlite3.Connection, *, patience: float = 10.0) -> None:
    """WAL mode, the table and its index, once per connection. Switching to WAL takes the file's
    exclusive lock and SQLite does not wait for it (the busy timeout does not apply): several processes
    opening a new file at once get "database is locked", so the setup is tried again for a while."""
    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
            conn.execute("CREATE INDEX IF NOT EXISTS cache_expires ON cache (expires)")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


class SQLiteCache(BaseCache):
    """``LOCATION`` is the path of the SQLite file (its directory is made when missing)."""

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        self._path = str(location)
        self._local = threading.local()
        self._writes = 0

    # -- the connection: one per thread and process (gunicorn forks its workers) -------------------

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self._path, timeout=10, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        _setup(conn)
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _write(self, work):
        """Run ``work(conn, now)`` in one immediate (write-locked) transaction and return its result."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            now = time.time()
            result = work(conn, now)
            self._writes += 1
            if self._writes % _PRUNE_EVERY == 0:
                conn.execute("DELETE FROM cache WHERE expires IS NOT NULL AND expires <= ?", (now,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return result

    @staticmethod
    def _live(conn: sqlite3.Connection, key: str, now: float):
        row = conn.execute("SELECT value FROM cache WHERE key = ? AND (expires IS NULL OR expires > ?)",
                           (key, now)).fetchone()
        return row

    def _expiry(self, timeout) -> float | None:
        return self.get_backend_timeout(timeout)  # an absolute time, -1 for “already expired”, None for never

    # -- the cache API -----------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = self._live(self._connection(), key, time.time())
        value = None if row is None else _read(row[0])
        return default if value is None else value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        blob, expires = _count(value), self._expiry(timeout)
        self._write(lambda conn, now: conn.execute(
            "INSERT OR REPLACE INTO cache (key, value, expires) VALUES (?, ?, ?)", (key, blob, expires)))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        blob, expires = _count(value), self._expiry(timeout)

        def work(conn, now):
            if self._live(conn, key, now) is not None:
                return False
            conn.execute("INSERT OR REPLACE INTO cache (key, value, expires) VALUES (?, ?, ?)", (key, blob, expires))
            return True

        return self._write(work)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)

        def work(conn, now):
            row = self._live(conn, key, now)
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            if _read(row[0]) is None:
                raise ValueError(f"Key '{key}' does not hold a whole number.")
            value = _read(row[0]) + _count(delta)
            conn.execute("UPDATE cache SET value = ? WHERE key = ?", (value, key))
            return value

        return self._write(work)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        expires = self._expiry(timeout)
        return self._write(lambda conn, now: conn.execute(
            "UPDATE cache SET expires = ? WHERE key = ? AND (expires IS NULL OR expires > ?)",
            (expires, key, now)).rowcount > 0)

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._write(lambda conn, now: conn.execute("DELETE FROM cache WHERE key = ?", (key,)).rowcount > 0)

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._live(self._connection(), key, time.time()) is not None

    def get_many(self, keys, version=None):
        made = {self.make_and_validate_key(k, version=version): k for k in keys}
        if not made:
            return {}
        marks = ",".join("?" * len(made))
        rows = self._connection().execute(
            f"SELECT key, value FROM cache WHERE key IN ({marks}) AND (expires IS NULL OR expires > ?)",  # noqa: S608
            (*made, time.time())).fetchall()
        return {made[k]: _read(v) for k, v in rows if _read(v) is not None}

    def clear(self):
        self._write(lambda conn, now: conn.execute("DELETE FROM cache"))

    def close(self, **kwargs):
        """Kept open between requests (one small file); closed with the process."""
