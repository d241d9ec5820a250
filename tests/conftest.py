import os

import pytest

from gongkai.core.models import Role

from . import factories
from .factories import member

# The slowest tests (measured with --durations; the cluster benchmark on PostgreSQL only), slowest
# first. ``make test`` runs two pytest-xdist workers; xdist hands the first quarter of the tests out
# in turn and the rest to whichever worker is free, so a long test left near the end of the order
# keeps one worker busy while the other core idles. Run first, they are spread over both workers.
SLOW_FIRST = (
    "tests/ops/test_bench_cluster.py::test_the_cluster_loses_nothing_under_faults",
    "tests/ops/test_demo.py::test_demo_loads_organs_seeds_accounts_every_state_applications_work_plans_and_the_report",
    "tests/participation/test_demo_messages.py",
    "tests/core/test_sqlite_concurrency.py",
    "tests/ops/test_demo.py::test_demo_grows_without_duplicating_and_is_idempotent",
    "tests/portal/test_public_door.py::test_every_url_pattern_with_every_guess_shows_nothing_hidden",
    "tests/ops/test_demo.py::test_demo_dry_run_leaves_no_applications_or_letter_files",
    "tests/browser/test_reports.py",
    "tests/portal/test_demo_catalog.py",
    "tests/applications/test_concurrency.py",
    "tests/applications/test_letter_matrix.py",
    "tests/browser/test_applications_flow.py",
    "tests/ops/test_demo.py",
    "tests/browser/test_participation_messages.py",
    "tests/browser/test_portal.py",
    "tests/browser/test_participation_consultations.py",
    "tests/portal/test_demo_profile.py",
    "tests/browser/test_workplans.py",
    "tests/browser/test_portal_site.py",
    "tests/security/test_access_matrix.py",
    "tests/participation/test_message_masking.py",
    "tests/reports/test_exports.py",
    "tests/browser/",
)


def pytest_collection_modifyitems(config, items):
    """Under xdist (``PYTEST_XDIST_WORKER``, set in every worker, which all collect the same order)
    the tests of ``SLOW_FIRST`` go first, in its order; the others keep theirs. Transactional tests
    stay after all the others (pytest-django's order), slowest first among them."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return

    def rank(item):
        return next((i for i, prefix in enumerate(SLOW_FIRST) if item.nodeid.startswith(prefix)), len(SLOW_FIRST))

    def transactional(item) -> bool:
        """As pytest-django orders them: a transactional test flushes the database after it, taking
        the rows the migrations gave (genres, topics, the standard catalog) with it, so every test
        that relies on them must run before any transactional one."""
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        return bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
                    or "transactional_db" in fixtures or "live_server" in fixtures)

    items.sort(key=lambda item: (transactional(item), rank(item)))  # stable: otherwise the collection order


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
