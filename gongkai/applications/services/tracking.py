"""The applicant's way in: the tracking code (查询码) and the last four characters of the
phone number or ID number given in the application.

Four characters are guessable, so failed attempts are counted per client address and per
tracking code (:func:`track_throttle`, :func:`track_code_throttle`, in the cache) and refused
after a limit; the comparison runs in
constant time and the same work is done whether the code exists or not.
"""

from __future__ import annotations

import hmac

from django.conf import settings

from gongkai.core.throttle import Throttle

from ..models import Application
from .base import ApplicationActionError

CHECK_LENGTH = 4


class TrackingRefused(ApplicationActionError):
    """Wrong code or check (``throttled`` False) or too many failures from the address (True)."""

    def __init__(self, message: str, *, throttled: bool = False) -> None:
        super().__init__(message)
        self.throttled = throttled


def track_throttle() -> Throttle:
    """Failed look-ups per address per hour (``GONGKAI_TRACK_FAILURE_LIMIT``, default 10)."""
    return Throttle(name="applications.track", limit=int(getattr(settings, "GONGKAI_TRACK_FAILURE_LIMIT", 10)),
                    window=3600)


def track_code_throttle() -> Throttle:
    """Failed look-ups per tracking code per hour, from any address (``GONGKAI_TRACK_CODE_FAILURE_LIMIT``,
    default 5): guessing one applicant's four characters from many addresses stops too."""
    return Throttle(name="applications.track.code",
                    limit=int(getattr(settings, "GONGKAI_TRACK_CODE_FAILURE_LIMIT", 5)), window=3600)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def tracking_matches(app: Application | None, check: str) -> bool:
    """Whether ``check`` is the last four characters of the phone or the ID number (constant time)."""
    check = check.strip().upper()
    phone = app.phone[-CHECK_LENGTH:] if app else "\0" * CHECK_LENGTH
    id_number = app.id_number[-CHECK_LENGTH:].upper() if app else "\0" * CHECK_LENGTH
    by_phone = _same(phone, check)
    by_id = _same(id_number, check)
    return app is not None and len(check) == CHECK_LENGTH and (by_phone | by_id)


def application_track(*, code: str, check: str, ip: str) -> Application:
    """The application behind ``code`` if ``check`` matches; :class:`TrackingRefused` otherwise.

    Erased applications cannot be looked up (nothing personal is left to check against).
    """
    throttle, per_code = track_throttle(), track_code_throttle()
    code_key = code.strip().upper()[:40]
    if throttle.is_limited(ip) or per_code.is_limited(code_key):
        raise TrackingRefused("查询失败次数过多，请一小时后再试；如忘记查询码，请联系受理机关。", throttled=True)
    app = Application.objects.filter(tracking_code=code, erased_at__isnull=True).select_related("organ").first()
    if not tracking_matches(app, check):
        throttle.hit(ip)
        per_code.hit(code_key)
        raise TrackingRefused("查询码或验证信息不正确，请核对申请回执。")
    assert app is not None
    return app
