"""Fixtures of the portal tests: a small public world (see world.py) and a private page-cache file."""

import pytest

from .world import build_site


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


@pytest.fixture
def site(db):
    return build_site()
