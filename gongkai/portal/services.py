"""Writes of the portal: the texts of an organ's 专栏, the settings of the platform and of subsites."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.core.audit import audit_log, diff
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can
from gongkai.core.services import Actor, values
from gongkai.records.services import sanitize_html

from .cache import bump_now_and_on_commit
from .models import ColumnKind, ColumnPage, SiteSettings

FIELDS = ["organ", "kind", "body"]


@transaction.atomic
def column_page_save(*, actor: Actor, organ: Organ, kind: ColumnKind | str, body: str) -> ColumnPage:
    """Create or replace an organ's 指南/制度/依申请公开说明 text (HTML sanitised with nh3), with its
    audit row (before/after) in the same transaction."""
    stored = ColumnPage.objects.select_for_update().filter(organ=organ, kind=ColumnKind(kind)).first()
    before = values(stored, FIELDS) if stored else {}
    page, _ = ColumnPage.objects.update_or_create(
        organ=organ, kind=ColumnKind(kind), defaults={"body": sanitize_html(body)}
    )
    changes = diff(before, values(page, FIELDS))
    if changes:
        audit_log(actor=actor, event_type=AuditEventType.COLUMN_PAGE_CHANGED, obj=page, organ=organ,
                  changes=changes, note="修改" if stored else "新建")
    return page


# --- the site settings of the platform and of an organ's subsite --------------------------

SITE_FIELDS = ["site_name", "accent", "host", "nav", "home_blocks", "sponsor", "organizer", "contact_phone",
               "contact_email", "site_code", "icp", "police_record", "conac_url", "a11y_contact"]


def site_settings_may_edit(*, user, organ: Organ | None) -> bool:
    """The platform's settings: a platform admin; an organ's: its 公开办 (or one above it) or an admin."""
    if organ is None:
        return bool(getattr(user, "is_superuser", False) and user.is_active)
    return can(user, Perm.ORGAN_OVERSEE, organ)


@transaction.atomic
def site_settings_save(
    *, actor: Actor, organ: Organ | None, data: dict, emblem: UploadedFile | None = None,
    clear_emblem: bool = False,
) -> SiteSettings:
    """Save the identity and frame of the platform (``organ=None``) or of an organ's subsite, with
    one audit row of what changed; the page cache and the host map follow at once."""
    if not site_settings_may_edit(user=actor, organ=organ):
        raise PermissionDenied("只有该机关的公开办或平台管理员可以修改网站设置。")
    stored = SiteSettings.objects.select_for_update().filter(organ=organ).first()
    row = stored or SiteSettings(organ=organ)
    before = values(row, SITE_FIELDS) if stored else {}
    old_emblem = row.emblem.name if stored else ""
    for name in SITE_FIELDS:
        if name in data:
            setattr(row, name, data[name])
    row.host = (row.host or "").strip().lower() or None
    if organ is None:
        row.host = None  # the platform is reached on ALLOWED_HOSTS, not by a subsite host
    if emblem is not None:
        row.emblem = emblem
    elif clear_emblem:
        row.emblem = ""
    row.full_clean()
    row.save()
    changes = diff(before, values(row, SITE_FIELDS))
    if row.emblem.name != old_emblem:
        changes["emblem"] = [old_emblem or None, row.emblem.name or None]
    if changes or stored is None:
        audit_log(actor=actor, event_type=AuditEventType.SITE_CHANGED, obj=row, organ=organ, changes=changes,
                  note="修改" if stored else "新建")
    bump_now_and_on_commit()  # pages and the cached settings (site.all_settings) follow at once
    return row
