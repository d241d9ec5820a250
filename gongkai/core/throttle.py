"""Abuse protection for public forms, keyed by a name: a rate limit per client address and
an arithmetic challenge after a few submissions (the applications' approach, shared).

Counts live in the ``throttle`` cache (``gongkai/settings.py``): the Redis cache when one is
configured, so several app servers share one limit, else a SQLite file under ``VAR_DIR`` shared by
every process of the machine (``gongkai/core/sharedcache.py``; a per-process locmem cache would let
gunicorn's N workers allow N times the attempts). A count is a row of small counters, one per tenth
of the window, each raised with the cache's atomic ``add``/``incr``: concurrent hits from several
processes lose nothing. Checking and then counting are two steps, so P requests racing in the same
instant may pass at most P - 1 beyond the limit. The client address is
``REMOTE_ADDR``, unless the request came from one of ``GONGKAI_TRUSTED_PROXIES`` (addresses
or networks of the reverse proxies in front of the application): then it is the right-most
address of ``X-Forwarded-For`` that is not itself a trusted proxy. A header sent by anyone
else is ignored, so a client cannot choose its own address. Every throttle of the project
(this module, the applications' tracking check, participation, the login lockout) uses
:func:`client_ip`.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.cache import caches

UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - not a bind address
log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client: ``REMOTE_ADDR``, or behind a trusted proxy the last untrusted
    hop of ``X-Forwarded-For`` (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN_ADDRESS
    networks = _networks(tuple(getattr(settings, "GONGKAI_TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(_address(remote), networks):
        return remote
    hops = [h for h in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # a malformed header: count the proxy, never a made-up value
        if not _trusted(address, networks):
            return str(address)
    return str(_address(hops[0])) if hops else remote  # every hop is ours: the first is the client


BUCKETS = 10  # counters per window


def counter_cache():
    """The cache rate-limit counts live in, shared by every process: ``throttle`` when configured
    (always, by ``gongkai/settings.py``), else ``default``."""
    return caches["throttle" if "throttle" in settings.CACHES else "default"]


_store = counter_cache


@dataclass(frozen=True)
class Throttle:
    """``limit`` submissions per ``window`` seconds per address; a challenge after ``challenge_after``."""

    name: str
    limit: int = 10
    window: int = 3600
    challenge_after: int = 2

    # A hit counts in the counter of its tenth of the window; the count sums the current counter
    # and the ten before it, so a hit is counted for at least ``window`` seconds (at most a tenth
    # longer): the limit holds for every span of ``window`` seconds.

    def _bucket(self) -> int:
        return max(1, -(-self.window // BUCKETS))

    def _keys(self, ip: str) -> list[str]:
        size = self._bucket()
        current = int(time.time() // size)
        return [f"gongkai-throttle:{self.name}:{ip}:{size}:{n}" for n in range(current - BUCKETS, current + 1)]

    # A cache that cannot be reached (a Redis restart) must not turn a citizen's submission into a
    # 500: the counts are then unknown, so every form shows its challenge, and no limit is claimed.

    def _count(self, ip: str) -> int | None:
        try:
            values = _store().get_many(self._keys(ip))
        except Exception:  # the cache backend's own connection errors
            log.warning("throttle %s: cache unavailable, counting as unknown", self.name, exc_info=True)
            return None
        return sum(int(v) for v in values.values())

    def count(self, ip: str) -> int:
        return self._count(ip) or 0

    def is_limited(self, ip: str) -> bool:
        return self.count(ip) >= self.limit

    def needs_challenge(self, ip: str) -> bool:
        n = self._count(ip)
        return n is None or n >= self.challenge_after

    def hit(self, ip: str) -> None:
        key, timeout = self._keys(ip)[-1], self.window + 2 * self._bucket()
        try:
            store = _store()
            if not store.add(key, 1, timeout=timeout):
                try:
                    store.incr(key)
                except ValueError:  # expired between add and incr (not within one bucket's life)
                    store.set(key, 1, timeout=timeout)
        except Exception:
            log.warning("throttle %s: cache unavailable, hit not counted", self.name, exc_info=True)

    def reset(self, ip: str) -> None:
        try:
            _store().delete_many(self._keys(ip))
        except Exception:
            log.warning("throttle %s: cache unavailable, not reset", self.name, exc_info=True)

    # -- the challenge: a small sum, its answer signed into a hidden field ---------------------

    def make_challenge(self) -> tuple[str, str]:
        """(question, token): show the question, put the token in a hidden field."""
        a, b = random.randint(2, 9), random.randint(2, 9)  # noqa: S311 - not cryptographic
        return self._question(a, b), signing.dumps([a, b], salt=f"gongkai.challenge.{self.name}")

    @staticmethod
    def _question(a: int, b: int) -> str:
        return f"{a} 加 {b} 等于几？"

    def _terms(self, token: str) -> tuple[int, int] | None:
        try:
            a, b = signing.loads(token or "", salt=f"gongkai.challenge.{self.name}", max_age=3600)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return int(a), int(b)

    def challenge_for(self, token: str) -> tuple[str, str]:
        """The same question again for a re-shown form (a new one if the token is bad or old)."""
        terms = self._terms(token)
        return (self._question(*terms), token) if terms else self.make_challenge()

    def check_challenge(self, token: str, answer: str) -> bool:
        terms = self._terms(token)
        return terms is not None and (answer or "").strip() == str(sum(terms))
