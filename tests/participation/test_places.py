"""政务公开地图: the list without JavaScript or tiles, filters, nearest first, the place page with its QR
code, corrections into the message box, staff upkeep, coordinates, the API."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.participation.geo import gcj02_to_wgs84, wgs84_to_gcj02
from gongkai.participation.models import Message, MessageKind, Place, PlaceKind
from gongkai.participation.services import places as svc
from tests.factories import OrganFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(organ, other_organ):
    return {
        "zone": Place.objects.create(name="莲池区政务公开专区", organ=organ, kind=PlaceKind.DISCLOSURE_ZONE,
                                     address="保定市莲池区东风路1号", latitude=38.8700, longitude=115.4600,
                                     opening_hours="周一至周五 9:00—17:00", services="政府信息公开申请\n查阅公报"),
        "center": Place.objects.create(name="市政务服务中心", organ=organ, kind=PlaceKind.SERVICE_CENTER,
                                       address="保定市朝阳大街", latitude=38.9000, longitude=115.5000,
                                       services="社保卡补办"),
        "legal": Place.objects.create(name="法律援助中心", organ=other_organ, kind=PlaceKind.LEGAL_AID,
                                      address="广安市某路"),
        "hidden": Place.objects.create(name="未公开的场所MARKER", organ=organ, kind=PlaceKind.OTHER,
                                       address="某处", is_published=False),
        "disabled": Place.objects.create(name="停用机关的场所MARKER", kind=PlaceKind.OTHER, address="某处",
                                         organ=OrganFactory(name="停用机关", is_active=False)),
    }


def test_list_view_works_without_tiles_or_script(client, places, settings):
    settings.GONGKAI_MAP_TILE_URL = ""
    body = client.get("/map/").content.decode()
    for name in ("莲池区政务公开专区", "市政务服务中心", "法律援助中心"):
        assert name in body
    assert "MARKER" not in body
    assert "leaflet" not in body and 'id="place-map"' not in body  # no map library, no tile request


def test_filters_by_kind_organ_and_search(client, places, organ):
    def names(query):
        return {p.name for p in client.get("/map/" + query).context["places"]}

    assert names("?kind=disclosure_zone") == {"莲池区政务公开专区"}
    assert names(f"?organ={organ.code}") == {"莲池区政务公开专区", "市政务服务中心"}
    assert names("?q=社保") == {"市政务服务中心"}
    assert names("?q=公开 莲池") == {"莲池区政务公开专区"}


def test_nearest_first(client, places):
    listed = client.get("/map/?near=38.90,115.50").context["places"]
    assert [p.name for p in listed][:2] == ["市政务服务中心", "莲池区政务公开专区"]
    assert listed[0].distance < 50 and listed[-1].distance is None


def test_map_loads_leaflet_locally_when_tiles_are_configured(client, places, settings):
    settings.GONGKAI_MAP_TILE_URL = "https://t{s}.tianditu.example/vec_w/{z}/{x}/{y}"
    response = client.get("/map/")
    body = response.content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in body and 'id="place-markers"' in body
    assert "tianditu.example" in response["Content-Security-Policy"]


def test_place_page_and_qr(client, places):
    zone = places["zone"]
    body = client.get(zone.get_absolute_url()).content.decode()
    assert "东风路1号" in body and "政府信息公开申请" in body and f"/map/{zone.pk}/qr.svg" in body
    qr = client.get(f"/map/{zone.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    for hidden in (places["hidden"], places["disabled"]):
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get(f"/map/{hidden.pk}/qr.svg").status_code == 404


def test_correction_goes_to_the_message_box(client, places):
    zone = places["zone"]
    bad = client.post(f"/map/{zone.pk}/correct/", {"body": "电话不对"})
    assert bad.status_code == 400 and "至少填写一项" in bad.content.decode()
    response = client.post(f"/map/{zone.pk}/correct/", {"body": "开放时间已改为8:30", "phone": "13800000000"},
                           follow=True)
    assert response.redirect_chain[0][1] == 302 and "查询码" in response.content.decode()
    message = Message.objects.get()
    assert message.kind == MessageKind.CORRECTION and message.organ == zone.organ
    assert message.page_url == zone.get_absolute_url() and "莲池区政务公开专区" in message.subject


def test_staff_maintain_places_with_an_audit_row(client, organ, editor, other_editor, places):
    client.force_login(editor)
    response = client.post("/workspace/participation/places/new/", {
        "name": "新的查阅点", "organ": organ.pk, "kind": "reading_point", "address": "图书馆一楼",
        "latitude": "38.873000", "longitude": "115.464000", "coordinates_are_gcj02": "on", "is_published": "on"})
    assert response.status_code == 302
    place = Place.objects.get(name="新的查阅点")
    assert abs(float(place.latitude) - 38.873) > 0.0005  # GCJ-02 converted to WGS-84
    assert AuditEvent.objects.filter(note="服务场所", event_type=AuditEventType.PLACE_CREATED,
                                     object_id=str(place.pk)).exists()
    assert "新的查阅点" in client.get("/workspace/participation/places/").content.decode()
    client.force_login(other_editor)
    assert client.get(f"/workspace/participation/places/{place.pk}/").status_code == 404
    assert "新的查阅点" not in client.get("/workspace/participation/places/").content.decode()


def test_coordinates_constraint(organ):
    place = Place(name="x", organ=organ, kind=PlaceKind.OTHER, address="y", latitude=95, longitude=10)
    with pytest.raises(ValidationError):
        place.full_clean()
    with pytest.raises(IntegrityError):
        Place.objects.create(name="x", organ=organ, kind=PlaceKind.OTHER, address="y", latitude=30, longitude=None)


def test_service_refuses_other_organs(organ, other_editor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        svc.place_save(actor=other_editor, data={"name": "x", "organ": organ, "kind": "other", "address": "y"})


def test_gcj02_round_trip_and_outside_china():
    lat, lng = 38.8700, 115.4600
    glat, glng = wgs84_to_gcj02(lat, lng)
    assert 0.0005 < abs(glat - lat) + abs(glng - lng) < 0.01
    back = gcj02_to_wgs84(glat, glng)
    assert abs(back[0] - lat) < 1e-7 and abs(back[1] - lng) < 1e-7
    assert wgs84_to_gcj02(48.85, 2.35) == (48.85, 2.35)


def test_api_lists_public_places(client, places, settings):
    settings.GONGKAI_API_RATE = 0
    data = client.get("/api/v1/places").json()
    assert {p["name"] for p in data} == {"莲池区政务公开专区", "市政务服务中心", "法律援助中心"}
    assert {p["name"] for p in client.get("/api/v1/places?kind=legal_aid").json()} == {"法律援助中心"}


def test_sitemap_lists_the_map_and_public_places_only(client, places, settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    body = client.get("/sitemap-reach.xml").content.decode()
    assert "/map/" in body and places["zone"].get_absolute_url() in body and "/open-data/" in body
    assert places["hidden"].get_absolute_url() not in body and places["disabled"].get_absolute_url() not in body


def test_a_correction_sent_five_times_is_one_message(client, places):
    from django.core.cache import cache

    cache.clear()  # the throttle's counts of earlier tests
    zone = places["zone"]
    form = client.get(f"/map/{zone.pk}/correct/").context["form"]
    token = form["submission_token"].value()
    data = {"body": "开放时间已改为8:30", "phone": "13800000000", "submission_token": token}
    answers = [client.post(f"/map/{zone.pk}/correct/", data) for _ in range(5)]
    assert Message.objects.count() == 1
    code = Message.objects.get().receipt_code
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, f"/messages/receipt/{code}/")}
    assert code in client.get(f"/messages/receipt/{code}/").content.decode()


def test_a_correction_form_has_a_honeypot_and_a_bad_phone_is_refused(client, places):
    zone = places["zone"]
    trap = client.post(f"/map/{zone.pk}/correct/", {"body": "错", "phone": "13800000000", "website": "x"})
    bad_phone = client.post(f"/map/{zone.pk}/correct/", {"body": "错", "phone": "abc"})
    assert trap.status_code == 400 and bad_phone.status_code == 400 and not Message.objects.exists()
    assert "有效的联系电话" in bad_phone.content.decode()


def test_place_changes_and_deletion_have_their_own_audit_types(organ, editor, places):
    from gongkai.participation.services.places import place_delete, place_save

    zone = Place.objects.get(pk=places["zone"].pk)  # coordinates as the database keeps them
    place_save(actor=editor, place=zone, data={"opening_hours": "周一至周五 8:30-17:30"})
    changed = AuditEvent.objects.filter(event_type=AuditEventType.PLACE_CHANGED).get()
    assert "opening_hours" in changed.changes
    pk = zone.pk
    place_delete(actor=editor, place=zone)
    assert AuditEvent.objects.filter(event_type=AuditEventType.PLACE_DELETED, object_id=str(pk)).exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.SITE_CHANGED, note__contains="服务场所").exists()
