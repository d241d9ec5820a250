"""/api/v1/: the schema, every endpoint's filters, keyset pagination, validators, CORS, limits, errors."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from gongkai.records.models import Audience, Genre, Record, Status
from tests.factories import OrganFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    settings.GONGKAI_API_RATE = 10_000
    from django.core.cache import cache

    cache.clear()


def _publish(organ, genre, n, *, start=None, **fields):
    start = start or timezone.now() - dt.timedelta(days=n + 1)
    return [RecordFactory(organ=organ, genre=genre, status=Status.PUBLISHED,
                          published_at=start + dt.timedelta(hours=i), **fields) for i in range(n)]


def test_openapi_description_is_valid_and_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/organs", "/api/v1/records", "/api/v1/records/{record_id}", "/api/v1/policies",
                 "/api/v1/interpretations", "/api/v1/gazette-issues", "/api/v1/annual-reports", "/api/v1/work-plans",
                 "/api/v1/consultations", "/api/v1/messages", "/api/v1/qa"]:
        assert path in schema["paths"], path


def test_docs_page_is_chinese_and_lists_endpoints(client):
    body = client.get("/api/v1/docs/").content.decode()
    assert "政务公开数据接口" in body and "/api/v1/records" in body and "游标" in body


def test_records_walk_every_page_by_cursor_and_stay_stable_under_inserts(client, organ, genre):
    records = _publish(organ, genre, 7)
    seen = []
    response = client.get("/api/v1/records?limit=3").json()
    seen += [r["id"] for r in response["results"]]
    # A record published meanwhile does not shift the pages already handed out.
    _publish(organ, genre, 1, start=timezone.now() - dt.timedelta(minutes=1))
    while response["next_cursor"]:
        response = client.get(f"/api/v1/records?limit=3&cursor={response['next_cursor']}").json()
        seen += [r["id"] for r in response["results"]]
    assert seen == [r.pk for r in reversed(records)]


def test_records_filters(client, organ, other_organ, genre):
    policy = _publish(organ, genre, 1)[0]
    notice = Genre.objects.get(code="notice")
    other = _publish(other_organ, notice, 1)[0]
    expired = _publish(organ, genre, 1, valid_until=dt.date(2020, 1, 1))[0]
    elderly = Audience.objects.get(code="elderly")
    policy.audiences.add(elderly)

    def ids(query):
        return {r["id"] for r in client.get("/api/v1/records?" + query).json()["results"]}

    assert ids(f"organ={other_organ.code}") == {other.pk}
    assert ids("genre=notice") == {other.pk}
    assert ids("audience=elderly") == {policy.pk}
    assert ids("validity=expired") == {expired.pk}
    assert ids("validity=in_force") == {policy.pk, other.pk}
    assert {r["id"] for r in client.get("/api/v1/policies").json()["results"]} == {policy.pk, expired.pk}
    year = timezone.localtime(policy.published_at).year
    assert policy.pk in ids(f"published_year={year}") and not ids(f"published_year={year - 5}")
    item = next(r for r in client.get("/api/v1/records").json()["results"] if r["id"] == policy.pk)
    assert item["audiences"] == ["老年人"] and item["validity"] == "有效"


def test_record_detail_links_and_attachments(client, organ, genre, interpretation_genre):
    doc = _publish(organ, genre, 1)[0]
    interp = _publish(organ, interpretation_genre, 1, interprets=doc)[0]
    data = client.get(f"/api/v1/records/{doc.pk}").json()
    assert data["index_no"] == doc.index_no and data["body_text"] == "正文内容。"
    assert [i["id"] for i in data["interpretations"]] == [interp.pk]
    assert client.get(f"/api/v1/records/{interp.pk}").json()["interprets"]["id"] == doc.pk
    assert {r["id"] for r in client.get("/api/v1/interpretations").json()["results"]} == {interp.pk}


def test_hidden_record_is_a_json_404_in_chinese(client, organ, genre):
    draft = RecordFactory(organ=organ, genre=genre)
    response = client.get(f"/api/v1/records/{draft.pk}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "尚未公开" in response.json()["error"]
    assert client.get("/api/v1/no-such-thing").json()["status"] == 404


def test_bad_parameters_are_json_errors_in_chinese(client):
    for url, status in [("/api/v1/records?cursor=@@@", 400), ("/api/v1/records?limit=0", 422),
                        ("/api/v1/records?genre=nope", 400), ("/api/v1/records?published_year=abc", 422),
                        ("/api/v1/consultations?phase=x", 422)]:
        response = client.get(url)
        assert response.status_code == status, url
        body = response.json()
        assert body["status"] == status and any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]), url


def test_etag_and_last_modified_give_304_until_a_change(client, organ, genre):
    record = _publish(organ, genre, 1)[0]
    for url in ["/api/v1/records", f"/api/v1/records/{record.pk}", "/api/v1/qa"]:
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
    etag = client.get(f"/api/v1/records/{record.pk}")["ETag"]
    from gongkai.records.services import record_changed

    Record.objects.filter(pk=record.pk).update(title="改过的标题")
    record_changed.send(sender=Record, record_ids=[record.pk])
    changed = client.get(f"/api/v1/records/{record.pk}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["title"] == "改过的标题"


def test_cors_allows_reading_from_any_origin(client):
    response = client.get("/api/v1/organs", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/organs", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code in (200, 204) and preflight["Access-Control-Allow-Origin"] == "*"


def test_rate_limit_per_client_and_api_key(client, settings):
    settings.GONGKAI_API_RATE = 3
    settings.GONGKAI_API_KEYS = {"k-123": "测试客户"}
    settings.GONGKAI_API_KEY_RATE = 100
    codes = [client.get("/api/v1/organs").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/organs")
    assert "频繁" in limited.json()["error"] and limited["Retry-After"] == "60"
    assert client.get("/api/v1/organs", HTTP_X_API_KEY="k-123").status_code == 200


def test_organ_tree(client, organ):
    child = OrganFactory(name="下级单位", parent=organ)
    tree = client.get("/api/v1/organs").json()
    node = next(o for o in tree if o["id"] == organ.pk)
    assert [c["id"] for c in node["children"]] == [child.pk]


def test_search_semantics_with_q(client, organ, genre):
    from gongkai.search.index import index_sync

    hit = _publish(organ, genre, 1, title="关于推进政务公开的通知")[0]
    miss = _publish(organ, genre, 1, title="关于安全生产的通知")[0]
    index_sync([hit.pk, miss.pk])
    data = client.get("/api/v1/records?q=政务公开").json()
    assert [r["id"] for r in data["results"]] == [hit.pk] and data["total"] == 1
    assert json.dumps(data, ensure_ascii=False).count("政务公开") >= 1


def test_a_forged_cursor_reveals_nothing(client, organ, genre):
    import base64

    public = _publish(organ, genre, 1)[0]
    scheduled = RecordFactory(organ=organ, genre=genre, status=Status.SCHEDULED,
                              published_at=timezone.now() + dt.timedelta(days=2))
    future = (timezone.now() + dt.timedelta(days=30)).isoformat()
    cursor = base64.urlsafe_b64encode(f"{future}|999999".encode()).decode().rstrip("=")
    ids = [r["id"] for r in client.get(f"/api/v1/records?cursor={cursor}").json()["results"]]
    assert ids == [public.pk] and scheduled.pk not in ids
    naive = base64.urlsafe_b64encode(b"2025-01-01T00:00:00|5").decode().rstrip("=")
    assert client.get(f"/api/v1/records?cursor={naive}").status_code == 400
