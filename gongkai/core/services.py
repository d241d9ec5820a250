"""Writes to organs, roles and the working-day calendar, each with its audit row.

Every change of these rows goes through a function here — the Django admin
included (``gongkai/core/admin.py`` calls them from ``save_model``,
``delete_model``, ``delete_queryset`` and ``save_formset``) — and writes its
:class:`~gongkai.core.models.AuditEvent` in the same transaction, with the
stored values before and after (``changes``: field name → ``[old, new]``).

The services are ``@transaction.atomic`` but not ``durable``: the admin runs
``save_model`` and ``save_related`` inside its own atomic block, so these
functions are not always the outermost transaction.

:func:`reference_save` and :func:`reference_delete` are the shared writer for
rows that are plain reference data (a form's fields, no workflow): the services
below and those of ``gongkai.records.reference`` are thin wrappers around them.

A calendar change moves due dates: ``gongkai.applications.signals`` listens to
``post_save``/``post_delete`` of :class:`CalendarOverride` and :class:`CalendarYear`
and recomputes every application's clock on commit, and
:func:`gongkai.core.calendar.get_work_calendar` rereads the rows once the calendar's generation
token (bumped on the same commit) has changed.
The signal stays where it is (core must not import applications); the services
here save and delete through the model, so it fires for every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from .audit import audit_log, diff, snapshot
from .models import AuditEventType, CalendarOverride, CalendarYear, Membership, Organ, Role

__all__ = [
    "CALENDAR_OVERRIDE_FIELDS",
    "CALENDAR_YEAR_FIELDS",
    "ORGAN_FIELDS",
    "Actor",
    "calendar_override_delete",
    "calendar_override_save",
    "calendar_year_delete",
    "calendar_year_save",
    "membership_grant",
    "membership_revoke",
    "organ_create",
    "organ_disable",
    "organ_update",
    "reference_delete",
    "reference_save",
    "user_delete",
    "user_save",
]

Actor = AbstractBaseUser | AnonymousUser | None
M = TypeVar("M", bound=models.Model)

ORGAN_FIELDS = [
    "name", "short_name", "code", "kind", "parent", "order", "is_active", "aliases",
    "address", "postcode", "office_hours", "phone", "fax", "email", "website",
]
MEMBERSHIP_FIELDS = ["user", "organ", "role"]
CALENDAR_OVERRIDE_FIELDS = ["date", "is_workday", "note"]
CALENDAR_YEAR_FIELDS = ["year", "note"]


# --- the shared writer for reference rows -------------------------------------------------


def values(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The audit form of ``obj``'s fields: ``snapshot``, with a file as its stored name."""
    plain = snapshot(obj, [f for f in fields if not isinstance(getattr(obj, f), FieldFile)])
    files = {f: getattr(obj, f).name or "" for f in fields if isinstance(getattr(obj, f), FieldFile)}
    return {f: files[f] if f in files else plain[f] for f in fields}


def assign(obj: models.Model, data: Mapping[str, Any], fields: Sequence[str]) -> None:
    """Set field values as a model form would (a file field takes an upload, ``False`` clears it)."""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"{obj._meta.label} cannot be changed through this service: {', '.join(unknown)}")
    for name, value in data.items():
        obj._meta.get_field(name).save_form_data(obj, value)


def _created(after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [None, v] for k, v in after.items() if v not in (None, "", [], {})}


def _deleted(before: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [v, None] for k, v in before.items() if v not in (None, "", [], {})}


def reference_save(
    *,
    actor: Actor,
    obj: M,
    data: Mapping[str, Any],
    fields: Sequence[str],
    event_type: AuditEventType,
    organ: Organ | None = None,
    note: str = "",
) -> M:
    """Create (``obj`` not yet saved) or update ``obj`` from ``data`` and log the change.

    The values before are read from the database row, not from ``obj``: the admin
    hands over an instance its form has already changed. Validates with
    ``full_clean`` (a ``ValidationError`` in Chinese). An update that changes
    nothing writes no audit row.
    """
    with transaction.atomic():
        adding = obj._state.adding
        before = {} if adding else values(type(obj)._default_manager.select_for_update().get(pk=obj.pk), fields)
        assign(obj, data, fields)
        obj.full_clean()
        obj.save()
        after = values(obj, fields)
        changes = _created(after) if adding else diff(before, after)
        if adding or changes:
            audit_log(actor=actor, event_type=event_type, obj=obj, organ=organ, changes=changes,
                      note=note or ("新建" if adding else "修改"))
    return obj


def reference_delete(
    *,
    actor: Actor,
    obj: models.Model,
    fields: Sequence[str],
    event_type: AuditEventType,
    organ: Organ | None = None,
    note: str = "删除",
) -> None:
    """Delete ``obj``, logging the values it had (the audit row keeps its number and name)."""
    with transaction.atomic():
        audit_log(actor=actor, event_type=event_type, obj=obj, organ=organ,
                  changes=_deleted(values(obj, fields)), note=note)
        obj.delete()


# --- organs ---------------------------------------------------------------------------------


def _check_parent(organ: Organ) -> None:
    parent = organ.parent
    if parent is None:
        return
    if organ.pk is not None and (parent.pk == organ.pk or f"/{organ.pk}/" in parent.path):
        raise ValidationError({"parent": "上级机关不能是本机关或本机关的下级机关。"})


@transaction.atomic
def organ_create(*, actor: Actor, data: Mapping[str, Any]) -> Organ:
    """A new organ (``data``: field → value, fields of :data:`ORGAN_FIELDS`)."""
    organ = Organ()
    assign(organ, data, ORGAN_FIELDS)
    _check_parent(organ)
    return reference_save(actor=actor, obj=organ, data={}, fields=ORGAN_FIELDS,
                          event_type=AuditEventType.ORGAN_CHANGED, organ=organ, note="新建机关")


@transaction.atomic
def organ_update(*, actor: Actor, organ: Organ, data: Mapping[str, Any]) -> Organ:
    """Change an organ's details (moving it in the tree moves its subtree's paths too)."""
    assign(organ, data, ORGAN_FIELDS)
    _check_parent(organ)
    return reference_save(actor=actor, obj=organ, data={}, fields=ORGAN_FIELDS,
                          event_type=AuditEventType.ORGAN_CHANGED, organ=organ, note="修改机关信息")


@transaction.atomic
def organ_disable(*, actor: Actor, organ: Organ) -> Organ:
    """停用: the organ keeps its records, roles and history, but its records leave the portal and
    search, and it takes no new applications or publications. An organ is never deleted."""
    if not organ.is_active:
        return organ
    return reference_save(actor=actor, obj=organ, data={"is_active": False}, fields=ORGAN_FIELDS,
                          event_type=AuditEventType.ORGAN_CHANGED, organ=organ, note="停用机关")


# --- roles ----------------------------------------------------------------------------------


@transaction.atomic
def membership_grant(*, actor: Actor, user: AbstractBaseUser, organ: Organ, role: Role | str) -> Membership:
    """Give ``user`` a role in ``organ``; a role already held is a ``ValidationError``."""
    membership = Membership(user=user, organ=organ, role=role)
    return reference_save(actor=actor, obj=membership, data={}, fields=MEMBERSHIP_FIELDS,
                          event_type=AuditEventType.MEMBERSHIP_CHANGED, organ=organ, note="授予角色")


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    """Take a role away (the audit row keeps who held which role where)."""
    reference_delete(actor=actor, obj=membership, fields=MEMBERSHIP_FIELDS,
                     event_type=AuditEventType.MEMBERSHIP_CHANGED, organ=membership.organ, note="撤销角色")


# --- the working-day calendar ---------------------------------------------------------------


@transaction.atomic
def calendar_override_save(
    *, actor: Actor, override: CalendarOverride | None = None, data: Mapping[str, Any]
) -> CalendarOverride:
    """Enter (``override`` None) or change a day whose working status differs from the package's.

    Every application's due date is recomputed on commit (see the module docstring)."""
    return reference_save(actor=actor, obj=override if override is not None else CalendarOverride(), data=data,
                          fields=CALENDAR_OVERRIDE_FIELDS, event_type=AuditEventType.CALENDAR_CHANGED)


@transaction.atomic
def calendar_override_delete(*, actor: Actor, override: CalendarOverride) -> None:
    reference_delete(actor=actor, obj=override, fields=CALENDAR_OVERRIDE_FIELDS,
                     event_type=AuditEventType.CALENDAR_CHANGED)


@transaction.atomic
def calendar_year_save(*, actor: Actor, year: CalendarYear | None = None, data: Mapping[str, Any]) -> CalendarYear:
    """Declare (``year`` None) or change a year whose official schedule is fully entered: its
    results are no longer marked 暂定."""
    return reference_save(actor=actor, obj=year if year is not None else CalendarYear(), data=data, fields=CALENDAR_YEAR_FIELDS,
                          event_type=AuditEventType.CALENDAR_CHANGED)


@transaction.atomic
def calendar_year_delete(*, actor: Actor, year: CalendarYear) -> None:
    reference_delete(actor=actor, obj=year, fields=CALENDAR_YEAR_FIELDS, event_type=AuditEventType.CALENDAR_CHANGED)


# --- accounts -------------------------------------------------------------------------------

USER_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser"]


@transaction.atomic
def user_save(*, actor: Actor, user: AbstractBaseUser) -> AbstractBaseUser:
    """Save an account that a form has already changed (the admin's user forms set the password
    hash themselves), logging the changed fields — a platform-admin grant (``is_superuser``) is a
    role change — and, without the hash, that the password was set."""
    adding = user._state.adding
    before: dict[str, Any] = {}
    old_password = ""
    if not adding:
        row = type(user)._default_manager.select_for_update().get(pk=user.pk)
        before, old_password = values(row, USER_FIELDS), row.password
    user.full_clean(exclude=["password"])
    user.save()
    after = values(user, USER_FIELDS)
    changes: dict[str, Any] = _created(after) if adding else diff(before, after)
    if not adding and user.password != old_password:
        changes["password"] = ["", "（已重设）"]
    if adding or changes:
        audit_log(actor=actor, event_type=AuditEventType.MEMBERSHIP_CHANGED, obj=user, changes=changes,
                  note="新建账号" if adding else "修改账号")
    return user


@transaction.atomic
def user_delete(*, actor: Actor, user: AbstractBaseUser) -> None:
    """Delete an account: each of its roles is revoked through :func:`membership_revoke` first, so
    the log keeps who held which role where. An account that acted (it appears in the audit log)
    cannot be deleted — deactivate it instead (``is_active``)."""
    for membership in Membership.objects.filter(user=user).select_related("organ"):
        membership_revoke(actor=actor, membership=membership)
    reference_delete(actor=actor, obj=user, fields=USER_FIELDS, event_type=AuditEventType.MEMBERSHIP_CHANGED,
                     note="删除账号")
