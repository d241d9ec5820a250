"""The site settings are read from the table when the shared cache goes away between two calls."""

import pytest

from gongkai.portal import site

pytestmark = pytest.mark.django_db


class GoneCache:
    """Redis killed after the page cache's generation was read: every call is refused."""

    def get(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    set = get


def test_settings_rows_come_from_the_table_when_the_cache_is_gone(monkeypatch):
    site.SiteSettings.objects.create(site_name="基准市政府信息公开", host="gk.example.gov.cn")
    expected = list(site.SiteSettings.objects.select_related("organ"))
    assert expected
    monkeypatch.setattr(site, "_generation", lambda: "1733350000-abc-0")
    monkeypatch.setattr(site, "cache", GoneCache())
    assert site.all_settings() == expected


def test_settings_rows_are_still_kept_when_the_cache_answers(monkeypatch):
    kept = {}

    class Answering:
        def get(self, key):
            return kept.get(key)

        def set(self, key, value, timeout):
            kept[key] = value

    monkeypatch.setattr(site, "_generation", lambda: "1733350000-abc-0")
    monkeypatch.setattr(site, "cache", Answering())
    rows = site.all_settings()
    assert list(kept.values()) == [rows]
