"""The daily applications job also deletes every public form's stale pending uploads (kept across a form error)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongkai.ops import jobs

pytestmark = pytest.mark.django_db


def test_the_daily_job_purges_stale_pending_files_of_every_form():
    stale = [default_storage.save(d + "old.pdf", ContentFile(b"%PDF-1.4 old"))
             for d in ("applications/pending/", "participation/pending/comments/", "messages/kept/")]
    fresh = default_storage.save("messages/kept/new.pdf", ContentFile(b"%PDF-1.4 new"))
    old = (dt.datetime.now() - dt.timedelta(days=1)).timestamp()
    for path in stale:
        os.utime(default_storage.path(path), (old, old))
    summary = jobs._applications_daily()
    assert "删除过期待用文件 3 个" in summary
    assert not any(default_storage.exists(p) for p in stale) and default_storage.exists(fresh)
