"""Audit history as people read it: Chinese field and choice labels, local dates, people's names.

``AuditEvent.changes`` stores what the services wrote: ``{field: [old, new]}`` pairs or
``{field: value}``, with model instances as their ``str()``, dates and datetimes as ISO
strings and choices as their stored values (gongkai/core/audit.py). This module turns
those rows into ``HistoryRow`` objects for the one partial ``core/_history.html``.

The model of an event is found from ``object_type`` through the app registry, so this
module imports no app above core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags

from .models import AuditEvent

EMPTY = "（空）"
SYSTEM = "系统"
MAX_VALUE_CHARS = 60

# Keys some services write that are not fields of the event's model.
COMMON_LABELS: dict[str, str] = {
    "attachment": "附件",
    "applicant_files": "申请人上传的文件",
    "names": "单位名称",
    "organs": "单位",
}
# Keys whose value is itself a list of names: two names are not an [old, new] pair.
LIST_KEYS = frozenset({"names", "organs"})

Label = str | models.Field


@dataclass(frozen=True)
class Change:
    """One changed field: ``label：old → new`` when ``is_pair``, else ``label：value``."""

    label: str
    old: str = ""
    new: str = ""
    value: str = ""
    is_pair: bool = True


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    actor: str
    event: str
    note: str = ""
    subject: str = ""
    changes: list[Change] = field(default_factory=list)


def person_name(user) -> str:
    """A person's name as the project shows it: the full name, else the username; no user is the system."""
    if user is None:
        return SYSTEM
    full = (user.get_full_name() or "").strip()
    return full or user.get_username()


def local_datetime(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the installation's time zone (Asia/Shanghai); naive values are taken as UTC."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return timezone.localtime(value, timezone.get_default_timezone())


def chinese_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_datetime(value: dt.datetime) -> str:
    local = local_datetime(value)
    return f"{chinese_date(local)} {local:%H:%M}"


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return local_datetime(value).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _parse_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and value[10:11] in ("T", " "):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Formatter:
    """Formats stored values; remembers the rows it looked up while formatting one history."""

    def __init__(self) -> None:
        self._related: dict[tuple[type[models.Model], str, Any], str | None] = {}

    def _lookup(self, model: type[models.Model], key: str, value: Any) -> str | None:
        cache_key = (model, key, value)
        if cache_key not in self._related:
            obj = model._default_manager.filter(**{key: value}).first()
            if obj is None:
                text = None
            elif model is apps.get_model(settings.AUTH_USER_MODEL):
                text = person_name(obj)
            else:
                text = str(obj)
            self._related[cache_key] = text
        return self._related[cache_key]

    def _related_value(self, fld: models.Field, value: Any) -> str:
        model = fld.related_model
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        if isinstance(value, int) and not isinstance(value, bool):
            return self._lookup(model, "pk", value) or f"（编号 {value}，已删除）"
        if isinstance(value, str) and model is user_model:
            # Users are stored by their str(), which is the username.
            return self._lookup(model, model.USERNAME_FIELD, value) or value
        return self._plain(value)

    def value(self, fld: models.Field | None, value: Any) -> str:
        if value is None or value == "" or value == []:
            return EMPTY
        if isinstance(value, list | tuple):
            inner = fld if fld is not None and (fld.many_to_many or fld.one_to_many) else None
            return "、".join(self.value(inner, v) for v in value) or EMPTY
        if fld is None:
            return self._plain(value)
        if fld.choices:
            labels = {str(k): str(v) for k, v in fld.flatchoices}
            if str(value) in labels:
                return labels[str(value)]
            return self._plain(value)
        if fld.is_relation and fld.related_model is not None:
            return self._related_value(fld, value)
        if isinstance(fld, models.BooleanField):
            return self._plain(bool(value))
        if isinstance(fld, models.DateTimeField):
            parsed = _parse_datetime(value)
            return chinese_datetime(parsed) if parsed else self._plain(value)
        if isinstance(fld, models.DateField):
            parsed_date = _parse_date(value)
            return chinese_date(parsed_date) if parsed_date else self._plain(value)
        if isinstance(fld, models.DecimalField):
            try:
                return format(Decimal(str(value)), "f")
            except InvalidOperation:
                return self._plain(value)
        if isinstance(fld, models.TextField) and isinstance(value, str):
            return _shorten(strip_tags(value))
        return self._plain(value)

    def _plain(self, value: Any) -> str:
        """A value with no field to explain it: booleans, ISO dates and datetimes are still read."""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list | tuple):
            return "、".join(self._plain(v) for v in value) or EMPTY
        if isinstance(value, dict):
            return "；".join(f"{k}：{self._plain(v)}" for k, v in value.items()) or EMPTY
        if value is None or value == "":
            return EMPTY
        parsed = _parse_datetime(value)
        if parsed is not None:
            return chinese_datetime(parsed)
        parsed_date = _parse_date(value)
        if parsed_date is not None:
            return chinese_date(parsed_date)
        return _shorten(str(value))


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def model_for(object_type: str) -> type[models.Model] | None:
    """The model named by an ``AuditEvent.object_type`` (``app_label.modelname``), if installed."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        fld = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and reverse relations alike: not a field to label
        return None
    return fld if isinstance(fld, models.Field) else None


def _label(name: str, fld: models.Field | None) -> str:
    if fld is not None:
        return str(fld.verbose_name)
    if name in COMMON_LABELS:
        return COMMON_LABELS[name]
    return name  # the last resort; keys that are names themselves (an attachment, an appeal) read well


def _is_pair(change: Any, *, list_valued: bool) -> bool:
    """``[old, new]``; for a list-valued key only when both sides are lists (or empty)."""
    if not isinstance(change, list | tuple) or len(change) != 2:
        return False
    return not list_valued or all(side is None or isinstance(side, list | tuple) for side in change)


def describe_changes(
    changes: Mapping[str, Any] | None,
    *,
    model: type[models.Model] | None,
    extra: Mapping[str, Label] | None = None,
    formatter: _Formatter | None = None,
) -> list[Change]:
    """``changes`` as labelled rows. ``extra`` names keys that are not fields of ``model``:
    a Chinese label, or a field of another model whose label and choices apply."""
    extra = extra or {}
    fmt = formatter or _Formatter()
    rows: list[Change] = []
    for name, change in (changes or {}).items():
        given = extra.get(name)
        fld = given if isinstance(given, models.Field) else _field(model, name)
        label = given if isinstance(given, str) else _label(name, fld)
        pair = _is_pair(change, list_valued=name in LIST_KEYS or (fld is not None and fld.many_to_many))
        if name == "body" and fld is not None and isinstance(fld, models.TextField):
            if not pair or change[0] or change[1]:
                rows.append(Change(label=label, value="已修改", is_pair=False))
        elif pair:
            old, new = fmt.value(fld, change[0]), fmt.value(fld, change[1])
            if old != new:  # e.g. None → "" when a record is created: nothing a person would call a change
                rows.append(Change(label=label, old=old, new=new))
        else:
            rows.append(Change(label=label, value=fmt.value(fld, change), is_pair=False))
    return rows


def history_row(
    *,
    at: dt.datetime,
    actor,
    event: str,
    changes: Mapping[str, Any] | None = None,
    model: type[models.Model] | None = None,
    note: str = "",
    subject: str = "",
    extra: Mapping[str, Label] | None = None,
    formatter: _Formatter | None = None,
) -> HistoryRow:
    """One row from any append-only log entry (an AuditEvent, a work plan's own events)."""
    return HistoryRow(
        at=local_datetime(at),
        actor=person_name(actor),
        event=event,
        note=note,
        subject=subject,
        changes=describe_changes(changes, model=model, extra=extra, formatter=formatter),
    )


def history_rows(
    events: Iterable[AuditEvent], *, extra: Mapping[str, Label] | None = None, subjects: bool = False
) -> list[HistoryRow]:
    """Rows for a history table, in the order given. ``subjects`` names each event's object
    (for a page that lists the events of several objects)."""
    fmt = _Formatter()
    return [
        history_row(
            at=e.created_at,
            actor=e.actor,
            event=e.get_event_type_display(),
            changes=e.changes,
            model=model_for(e.object_type),
            note=e.note,
            subject=e.object_repr if subjects else "",
            extra=extra,
            formatter=fmt,
        )
        for e in events
    ]
