"""Reads of records. Public reads start from Record.objects.public(), the one door."""

from __future__ import annotations

from django.db.models import Q

from gongkai.core.permissions import Perm, organs_where

from .models import Record, Status


def public_records():
    return Record.objects.public()


def workspace_records(user):
    """Every record the user may see in the workspace (drafts of their organs included)."""
    return Record.objects.filter(organ__in=organs_where(user, Perm.RECORD_VIEW))


def my_drafts(user):
    return workspace_records(user).filter(
        Q(created_by=user) | Q(last_edited_by=user), status__in=[Status.DRAFT, Status.RETURNED]
    )


def review_queue(user):
    return Record.objects.filter(organ__in=organs_where(user, Perm.RECORD_REVIEW), status=Status.SUBMITTED)
