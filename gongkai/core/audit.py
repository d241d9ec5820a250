"""Writing the audit log. Call inside the transaction of the change it records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AuditEvent, AuditEventType, Organ


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _change(value: Any) -> Any:
    """[old, new] pairs stay pairs; any other value (e.g. a list of names) is kept as it is."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return [_plain(value[0]), _plain(value[1])]
    return _plain(value)


def audit_log(
    *,
    actor,
    event_type: AuditEventType,
    obj: models.Model,
    organ: Organ | None = None,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
    object_repr: str | None = None,
) -> AuditEvent:
    """``object_repr`` replaces ``str(obj)`` when that would put personal data (an e-mail address) in the
    append-only log."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organ=organ,
        event_type=event_type,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=(str(obj) if object_repr is None else object_repr)[:300],
        changes={k: _change(v) for k, v in (changes or {}).items()},
        note=note,
    )
