import pytest

from gongkai.core.models import Role

from . import factories
from .factories import member


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The audit log refuses DELETE (a database trigger); the test database is flushed between
    transactional tests, so it is put in maintenance once (core migration 0008)."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_auditmaintenance (reason) VALUES ('test database')")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_REPORT_PREGENERATE = False  # LibreOffice at every publication: only where a test asks
    # Fast hashing in tests: real password hashing is ~0.25 s a user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Jobs run at once in tests; tests/ops/test_jobs.py uses the database queue of production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _throttle_store(settings, tmp_path):
    """Rate-limit counts live in a file shared by every process (gongkai/core/sharedcache.py): each
    test gets its own, empty one, so neither an earlier test nor the other pytest-xdist worker counts."""
    if settings.CACHES.get("throttle", {}).get("BACKEND") == "gongkai.core.sharedcache.SQLiteCache":
        settings.CACHES = {**settings.CACHES, "throttle": {"BACKEND": "gongkai.core.sharedcache.SQLiteCache",
                                                           "LOCATION": str(tmp_path / "throttle.sqlite3")}}


@pytest.fixture(autouse=True)
def _calendar_by_rows(monkeypatch, settings, tmp_path):
    """Tests compare the calendar rows on every call (exact): a test's calendar change is rolled
    back, even when the test ran its on-commit callbacks, so a generation bumped by them would keep
    a calendar of rows that no longer exist. Tests of the generation set ``_pending`` to 0."""
    from gongkai.core import calendar

    settings.GONGKAI_CALENDAR_GENERATION_FILE = str(tmp_path / "calendar-generation")
    monkeypatch.setattr(calendar, "_pending", {"changes": 1})


@pytest.fixture
def organ(db):
    return factories.OrganFactory(name="保定市测试局", code="11130600MA9999991X")


@pytest.fixture
def other_organ(db):
    return factories.OrganFactory(name="广安市测试局", code="11511600MA9999992X")


@pytest.fixture
def editor(organ):
    return member(organ, Role.EDITOR, "editor")


@pytest.fixture
def reviewer(organ):
    return member(organ, Role.REVIEWER, "reviewer")


@pytest.fixture
def other_editor(other_organ):
    return member(other_organ, Role.EDITOR, "other_editor")


@pytest.fixture
def other_reviewer(other_organ):
    return member(other_organ, Role.REVIEWER, "other_reviewer")


@pytest.fixture
def genre(db):
    return factories.GenreFactory(code="normative", name="行政规范性文件", is_policy=True)


@pytest.fixture
def interpretation_genre(db):
    return factories.GenreFactory(code="interpretation", name="政策解读", is_interpretation=True)
