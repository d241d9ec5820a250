"""What every service shares: the refusal, today, dates in Chinese, who may handle."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.utils import timezone

from gongkai.core.permissions import Perm, can

from ..clock import DEFAULT_SETTINGS
from ..models import Application

CLOCK_SETTINGS = DEFAULT_SETTINGS
_TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ERASED = "（已删除）"


class ApplicationActionError(Exception):
    """An action cannot happen; the message says why, in Chinese."""


def today() -> dt.date:
    return timezone.localdate()


def date_cn(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "（暂停计时，待恢复后计算）"


def new_tracking_code() -> str:
    return "GK" + "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def can_handle(user, application: Application) -> bool:
    """Handlers of the organ and its 公开办 (roles above it): may act and see personal data."""
    return can(user, Perm.APPLICATION_HANDLE, application.organ)


def require_handle(actor, application: Application) -> None:
    if not can_handle(actor, application):
        raise ApplicationActionError("您没有办理该机关依申请公开申请的权限。")


def decimal_str(d: Decimal) -> str:
    return f"{d:.2f}"


def audit_history(app: Application):
    from gongkai.core.models import AuditEvent

    return AuditEvent.objects.for_object(app).select_related("actor")[:100]
