"""The core KeptFilesMixin's registry of pending directories and the one purge for all of them."""

import datetime as dt
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongkai.core.forms import KEPT_DIRS, purge_kept_files


def test_every_public_form_registers_its_pending_directory():
    import gongkai.applications.forms  # noqa: F401
    import gongkai.participation.forms.consultations  # noqa: F401
    import gongkai.participation.forms.messages  # noqa: F401

    assert {"applications/pending/", "participation/pending/comments/", "messages/kept/"} <= set(KEPT_DIRS)
    assert all(age > 0 for age in KEPT_DIRS.values())


def test_purge_deletes_only_stale_files_in_every_directory():
    a = default_storage.save("applications/pending/a.pdf", ContentFile(b"a"))
    b = default_storage.save("messages/kept/b.pdf", ContentFile(b"b"))
    elsewhere = default_storage.save("records/c.pdf", ContentFile(b"c"))
    dirs = {"applications/pending/": 3600, "messages/kept/": 3600, "missing/": 3600}
    assert purge_kept_files(dirs=dirs) == 0  # fresh files stay
    old = (dt.datetime.now() - dt.timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(a), (old, old))
    assert purge_kept_files(dirs=dirs) == 1
    assert not default_storage.exists(a) and default_storage.exists(b)
    assert purge_kept_files(dirs=dirs, older_than=dt.timedelta(seconds=-60)) == 1
    assert not default_storage.exists(b) and default_storage.exists(elsewhere)
