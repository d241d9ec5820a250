"""Abuse protection for public forms, keyed by a name: a rate limit per client address and
an arithmetic challenge after a few submissions (the applications' approach, shared).

Counts live in Django's cache (locmem in the embedded default, Redis when configured), so
several app servers sharing a Redis cache share one limit. The client address is
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
from django.core.cache import cache

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


@dataclass(frozen=True)
class Throttle:
    """``limit`` submissions per ``window`` seconds per address; a challenge after ``challenge_after``."""

    name: str
    limit: int = 10
    window: int = 3600
    challenge_after: int = 2

    def _key(self, ip: str) -> str:
        return f"gongkai-throttle:{self.name}:{ip}"

    # A cache that cannot be reached (a Redis restart) must not turn a citizen's submission into a
    # 500: the counts are then unknown, so every form shows its challenge, and no limit is claimed.

    def _stamps(self, ip: str) -> list[float] | None:
        try:
            stamps = cache.get(self._key(ip), [])
        except Exception:  # the cache backend's own connection errors
            log.warning("throttle %s: cache unavailable, counting as unknown", self.name, exc_info=True)
            return None
        now = time.time()
        return [t for t in stamps if t > now - self.window]

    def count(self, ip: str) -> int:
        stamps = self._stamps(ip)
        return len(stamps) if stamps is not None else 0

    def is_limited(self, ip: str) -> bool:
        return self.count(ip) >= self.limit

    def needs_challenge(self, ip: str) -> bool:
        stamps = self._stamps(ip)
        return stamps is None or len(stamps) >= self.challenge_after

    def hit(self, ip: str) -> None:
        stamps = self._stamps(ip)
        if stamps is None:
            return
        stamps = stamps[-self.limit * 2:] + [time.time()]
        try:
            cache.set(self._key(ip), stamps, timeout=self.window)
        except Exception:
            log.warning("throttle %s: cache unavailable, hit not counted", self.name, exc_info=True)

    def reset(self, ip: str) -> None:
        try:
            cache.delete(self._key(ip))
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
