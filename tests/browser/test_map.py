"""The 政务公开地图 in chromium: the list without JavaScript, the Leaflet map from our own static files,
axe-core on the map, a place page and the subscription form, and no request leaving the test server."""

import pytest
from playwright.sync_api import expect

from gongkai.participation.models import Place, PlaceKind
from tests.factories import OrganFactory

from .conftest import screenshot
from .test_portal import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


@pytest.fixture
def places(db):
    organ = OrganFactory(name="保定市莲池区人民政府", code="11130602MB0000001X")
    return [
        Place.objects.create(name="莲池区政务公开专区", organ=organ, kind=PlaceKind.DISCLOSURE_ZONE,
                             address="东风路1号", latitude=38.87, longitude=115.46, opening_hours="周一至周五"),
        Place.objects.create(name="莲池区图书馆查阅点", organ=organ, kind=PlaceKind.LIBRARY,
                             address="图书馆一楼", latitude=38.88, longitude=115.47),
    ]


def _watch(page, base):
    """Every request the page makes, and whether it went anywhere but the test server."""
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None)
    return outside


def test_map_with_local_tiles_and_leaflet(live_server, page, places, settings):
    base = live_server.url
    # Tiles from the test server itself (a small PNG of Leaflet's), so the map really draws.
    settings.GONGKAI_MAP_TILE_URL = base + "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    outside = _watch(page, base)
    page.goto(base + "/map/")
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(2)
    page.locator(".leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_be_visible()
    check_axe(page, "map")
    screenshot(page, "map")
    page.get_by_label("类型").select_option("library")
    page.get_by_role("button", name="查找").click()
    expect(page.locator(".place-list li")).to_have_count(1)
    page.get_by_role("link", name="莲池区图书馆查阅点").click()
    expect(page.get_by_role("heading", name="莲池区图书馆查阅点")).to_be_visible()
    check_axe(page, "place")
    assert outside == [], outside


def test_list_without_javascript_or_tiles(live_server, browser, places, settings):
    settings.GONGKAI_MAP_TILE_URL = ""
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    outside = _watch(page, live_server.url)
    page.goto(live_server.url + "/map/?q=公开专区")
    expect(page.locator(".place-list li")).to_have_count(1)
    expect(page.get_by_role("link", name="莲池区政务公开专区")).to_be_visible()
    assert page.locator(".leaflet-container").count() == 0
    assert outside == []
    context.close()


def test_subscribe_page_passes_axe(live_server, page, places):
    page.goto(live_server.url + "/subscribe/")
    expect(page.get_by_role("heading", name="订阅政务公开信息")).to_be_visible()
    check_axe(page, "subscribe")
