"""Writes of the portal: the texts of an organ's 专栏."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.models import Organ
from gongkai.records.services import sanitize_html

from .models import ColumnKind, ColumnPage


@transaction.atomic
def column_page_save(*, organ: Organ, kind: ColumnKind | str, body: str) -> ColumnPage:
    """Create or replace an organ's 指南/制度/依申请公开说明 text (HTML sanitised with nh3)."""
    page, _ = ColumnPage.objects.update_or_create(
        organ=organ, kind=ColumnKind(kind), defaults={"body": sanitize_html(body)}
    )
    return page
