"""政务公开地图: staff maintain service places (audited); citizens report corrections into the message box."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from gongkai.core.audit import audit_log, diff, snapshot
from gongkai.core.models import AuditEventType
from gongkai.core.permissions import Perm, require

from ..errors import ParticipationActionError
from ..models import Message, MessageKind, Place
from .messages import message_submit

PLACE_FIELDS = ["name", "organ", "kind", "address", "latitude", "longitude", "opening_hours", "phone", "services",
                "accessibility", "photo", "is_published"]
AUDITED = [f for f in PLACE_FIELDS if f != "photo"]


@transaction.atomic
def place_save(*, actor, place: Place | None = None, data: Mapping[str, Any]) -> Place:
    """Create or change a place (the staff of its organ who may edit records maintain it)."""
    place = place if place is not None else Place()
    organ = data.get("organ") or place.organ
    require(actor, Perm.RECORD_DRAFT, organ)
    if place.pk and place.organ_id != organ.pk:
        require(actor, Perm.RECORD_DRAFT, place.organ)
    before = snapshot(place, AUDITED) if place.pk else {}
    event = AuditEventType.PLACE_CHANGED if place.pk else AuditEventType.PLACE_CREATED
    for key in PLACE_FIELDS:
        if key in data:
            setattr(place, key, data[key])
    place.full_clean()
    place.save()
    audit_log(actor=actor, event_type=event, obj=place, organ=place.organ,
              changes=diff(before, snapshot(place, AUDITED)), note="服务场所")
    return place


@transaction.atomic
def place_delete(*, actor, place: Place) -> None:
    require(actor, Perm.RECORD_DRAFT, place.organ)
    audit_log(actor=actor, event_type=AuditEventType.PLACE_DELETED, obj=place, organ=place.organ,
              changes={k: [v, None] for k, v in snapshot(place, AUDITED).items()}, note=f"删除服务场所：{place.name}")
    place.delete()


def place_correction(*, place: Place, body: str, name: str = "", phone: str = "", email: str = "",
                     page_url: str = "", ip: str | None = None) -> Message:
    """A citizen's correction of a place: a 纠错 message to the place's organ (handled in the message box)."""
    if not Place.objects.public().filter(pk=place.pk).exists():
        raise ParticipationActionError("该场所未公开，不能纠错。")
    if not (phone or email):
        raise ParticipationActionError("电话和邮箱请至少填写一项，以便查询办理进度。")
    return message_submit(organ=place.organ, kind=MessageKind.CORRECTION, subject=f"地图纠错：{place.name}"[:100],
                          body=body, name=name, phone=phone, email=email, may_publish=False,
                          page_url=page_url or place.get_absolute_url(), ip=ip)
