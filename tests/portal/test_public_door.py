"""Nothing non-public reaches a public page or an attachment URL, whatever URL is tried."""

import collections
import datetime as dt
import html
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.records.models import (
    Attachment,
    Attribute,
    Catalog,
    CatalogEntry,
    Gazette,
    GazetteIssue,
    GazetteItem,
    Genre,
    Record,
    Status,
)
from gongkai.records.services import catalog_copy

from ..factories import OrganFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


def _with_attachment(record, marker, withheld=False):
    att = Attachment(record=record, name=f"{marker}.txt", size=3, content_type="text/plain", withheld=withheld,
                     withheld_reason="含个人信息" if withheld else "")
    att.file.save(f"{marker}.txt", ContentFile(marker.encode()), save=False)
    att.save()
    return att


@pytest.fixture
def world(organ, genre):
    now = timezone.now()
    disabled = OrganFactory(name="已停用机关", is_active=False)
    states = {
        "DRAFT": dict(status=Status.DRAFT),
        "SUBMITTED": dict(status=Status.SUBMITTED),
        "APPROVED": dict(status=Status.APPROVED),
        "SCHEDULED": dict(status=Status.SCHEDULED, published_at=now + dt.timedelta(days=1)),
        "ONREQUEST": dict(status=Status.FILED, attribute=Attribute.ON_REQUEST, attribute_reason="r"),
        "WITHHELD": dict(status=Status.PUBLISHED, published_at=now, attribute=Attribute.WITHHELD, attribute_reason="r"),
        "WITHDRAWN": dict(status=Status.WITHDRAWN, published_at=now, withdrawal_reason="撤回说明"),
        "DISABLED": dict(status=Status.PUBLISHED, published_at=now, organ=disabled),
    }
    hidden = {}
    for name, fields in states.items():
        marker = f"MARKER{name}"
        fields = {"organ": organ, **fields}
        record = RecordFactory(genre=genre, title=f"标题{marker}", body=f"<p>正文{marker}</p>", keywords=marker, **fields)
        hidden[marker] = (record, _with_attachment(record, f"ATT{marker}"))
    public = RecordFactory(organ=organ, genre=genre, published=True, title="公开的信息", body="<p>公开正文</p>")
    public_att = _with_attachment(public, "PUBLICFILE")
    withheld_att = _with_attachment(public, "ATTMARKERPARTIAL", withheld=True)
    # Hidden records linked from everywhere a public page looks: the catalog, a published gazette
    # issue, interpretations of and successors to the public record, the disabled organ's column.
    catalog = catalog_copy(source=Catalog.objects.get(is_standard=True), organ=organ)
    disabled_catalog = catalog_copy(source=Catalog.objects.get(is_standard=True), organ=disabled)
    entry = catalog.entries.get(code="policy_normative")
    public.catalog_entries.add(entry)
    gazette = Gazette.objects.create(organ=organ, name="测试公报")
    issue = GazetteIssue.objects.create(gazette=gazette, year=2025, number=1, issued_on=dt.date(2025, 1, 1),
                                        is_published=True)
    hidden_issue = GazetteIssue.objects.create(gazette=gazette, year=2025, number=2, issued_on=dt.date(2025, 2, 1),
                                               is_published=False)
    hidden_issue.pdf.save("MARKERISSUEPDF.pdf", ContentFile(b"%PDF MARKERISSUEPDF"), save=True)
    GazetteItem.objects.create(issue=issue, record=public, section="公开栏目")
    interpretation = Genre.objects.get(code="interpretation")
    for i, (record, _) in enumerate(hidden.values()):
        record.catalog_entries.add(entry, disabled_catalog.entries.get(code="policy_normative"))
        GazetteItem.objects.create(issue=issue, record=record, section=f"栏目{i}")
        GazetteItem.objects.create(issue=hidden_issue, record=record)
        Record.objects.filter(pk=record.pk).update(interprets=public, genre=interpretation if i % 2 else genre)
    Record.objects.filter(pk=public.pk).update(superseded_by=hidden["MARKERDRAFT"][0], validity="revised")
    return {"hidden": hidden, "public": public, "public_att": public_att, "withheld_att": withheld_att,
            "disabled": disabled, "issue": issue, "hidden_issue": hidden_issue}


def _assert_clean(response, world):
    body = _body(response)
    for marker in world["hidden"]:
        assert marker not in body, (response.request["PATH_INFO"], marker)
    assert "ATTMARKERPARTIAL" not in body or "不予公开" in body


def _id_window(model) -> list[int]:
    """Every existing id and its neighbours, two either side of each run of ids (sequential guessing).

    On SQLite ids start at 1; PostgreSQL sequences keep counting across tests, so the guesses
    follow the runs of ids that exist rather than counting up from 1."""
    ids = sorted(model.objects.values_list("pk", flat=True))
    guesses: set[int] = set()
    for pk in ids:
        guesses.update(range(max(1, pk - 2), pk + 3))
    return sorted(guesses)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_listing_pages_show_only_public(client, world, organ):
    for url in [reverse("portal:home"), reverse("portal:organ", args=[organ.code])]:
        response = client.get(url)
        assert response.status_code == 200
        _assert_clean(response, world)
        assert "公开的信息" in response.content.decode()
    assert client.get(reverse("portal:organ", args=[world["disabled"].code])).status_code == 404


def test_every_record_id_is_public_or_refused(client, world):
    for pk in _id_window(Record):
        response = client.get(reverse("portal:record", args=[pk]))
        record = Record.objects.filter(pk=pk).first()
        if record is not None and record.pk == world["public"].pk:
            assert response.status_code == 200
            assert record.title in response.content.decode() and record.index_no in response.content.decode()
            continue
        assert response.status_code in (404, 410), pk
        _assert_clean(response, world)
        if response.status_code == 410:
            assert record.status == Status.WITHDRAWN and "撤回说明" in response.content.decode()


def test_every_attachment_id_is_public_or_404(client, world):
    for pk in _id_window(Attachment):
        response = client.get(reverse("portal:attachment", args=[pk]))
        if pk == world["public_att"].pk:
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == b"PUBLICFILE"
        else:
            assert response.status_code == 404, pk


def test_scheduled_record_becomes_visible_only_when_due(client, world):
    record, _ = world["hidden"]["MARKERSCHEDULED"]
    assert client.get(record.get_absolute_url()).status_code == 404
    Record.objects.filter(pk=record.pk).update(status=Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200 and record.title in response.content.decode()


def test_media_files_are_not_served_directly(client, world):
    _, att = world["hidden"]["MARKERDRAFT"]
    assert client.get("/media/" + att.file.name).status_code == 404
    assert client.get("/_media-not-served/" + att.file.name).status_code == 404


def test_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


# Which model's ids an integer in a route names (anything else gets every id guessed).
ID_ROUTES = {"record/": Record, "attachment/": Attachment, "catalog/": CatalogEntry, "gazette/issue/": GazetteIssue}
SKIP_PREFIXES = ("admin/", "workspace/")  # staff-only: their own access tests try every URL
MAX_GUESSES = 250  # per route: routes with several parameters would otherwise multiply out


def _patterns(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if (prefix + str(p.pattern)).startswith(SKIP_PREFIXES):
                continue
            yield from _patterns(p, prefix + str(p.pattern), p.namespace or namespace)
        elif not (prefix + str(p.pattern)).startswith(SKIP_PREFIXES):
            yield prefix + str(p.pattern), p.pattern.converters


def _guesses(route, converters, ids, codes):
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return [route]
    urls = [route]
    for name in names:
        values = ids if type(converters[name]).__name__ == "IntConverter" else codes
        urls = [re.sub(rf"<(?:\w+:)?{name}>", str(v), u, count=1) for u in urls for v in values]
    if len(urls) > MAX_GUESSES:  # an even spread, deterministic
        step = len(urls) / MAX_GUESSES
        urls = [urls[int(i * step)] for i in range(MAX_GUESSES)]
    return urls


def test_every_url_pattern_with_every_guess_shows_nothing_hidden(client, world, organ):
    """Every route of the site (bar the staff ones), every id of its kind and its neighbours, every code."""
    windows = {prefix: _id_window(model) for prefix, model in ID_ROUTES.items()}
    every = sorted(set().union(*windows.values()))
    codes = [o.code for o in Organ.objects.all()] + [g.code for g in Genre.objects.all()] + [
        "records", "organs", "pages", "x"]
    requested = 0
    for route, converters in _patterns(get_resolver()):
        has_id = any(type(c).__name__ == "IntConverter" for c in converters.values())
        ids = next((w for prefix, w in windows.items() if route.startswith(prefix)), every)
        for url in _guesses(route, converters, ids, codes):
            for query in ("",) if has_id else ("", "?page=2&validity=all", "?q=标题&sort=written"):
                response = client.get("/" + url + query)
                requested += 1
                _assert_clean(response, world)
    assert requested > 300
    for path in [world["hidden_issue"].pdf.url, f"/gazette/issue/{world['hidden_issue'].pk}/pdf/"]:
        assert client.get(path).status_code == 404


def test_crawl_from_the_home_page_finds_nothing_hidden(client, world):
    """Follow every link, feed entry and sitemap location from the home page."""
    seen = set()
    queue = collections.deque(["/", "/sitemap.xml", "/feeds/rss.xml", "/feeds/atom.xml", "/robots.txt"])
    while queue and len(seen) < 400:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        _assert_clean(response, world)
        if url.startswith("/attachment/"):
            assert response.status_code == 200 and url == world["public_att"].get_absolute_url()
            continue
        for link in re.findall(r'(?:href|src)="([^"#]+)"|<(?:loc|link)>([^<]+)<', _body(response)):
            link = html.unescape(link[0] or link[1]).replace("http://testserver", "")
            if link.startswith("/") and not link.startswith(("/workspace", "/admin", "/search", "/static", "/a11y")):
                queue.append(link)
    assert world["public"].get_absolute_url() in seen
    assert world["public_att"].get_absolute_url() in seen
    assert f"/gazette/issue/{world['issue'].pk}/" in seen


def test_public_record_links_to_no_hidden_neighbour(client, world):
    body = client.get(world["public"].get_absolute_url()).content.decode()
    assert "公开正文" in body and 'id="interp-title"' not in body and "请参阅" not in body
    body = client.get(f"/gazette/issue/{world['issue'].pk}/").content.decode()
    assert "公开的信息" in body and "栏目0" not in body


def test_api_serves_nothing_hidden(client, world, settings):
    """The read API: every record id, every list with and without filters, and every URL it hands out."""
    settings.GONGKAI_API_RATE = 0  # no limit for the crawl
    public = world["public"]
    for pk in _id_window(Record):
        response = client.get(f"/api/v1/records/{pk}")
        assert response.status_code == (200 if pk == public.pk else 404), pk
        _assert_clean(response, world)
    urls = set()
    lists = ["organs", "records", "policies", "interpretations", "gazette-issues", "annual-reports", "work-plans",
             "consultations", "messages", "qa", "places", "open-data"]
    for name in lists:
        for query in ("", "?q=标题", "?validity=revised", f"?organ={world['disabled'].code}", "?limit=100"):
            response = client.get(f"/api/v1/{name}{query}")
            _assert_clean(response, world)
            urls.update(u.replace("http://testserver", "") for u in re.findall(r'"url": ?"([^"]+)"', _body(response)))
    detail = client.get(f"/api/v1/records/{public.pk}").json()
    assert detail["superseded_by"] is None and detail["interpretations"] == []
    assert [a["id"] for a in detail["attachments"]] == [world["public_att"].pk]
    assert public.get_absolute_url() in urls
    for url in urls:
        _assert_clean(client.get(url), world)


def test_open_data_files_hold_nothing_hidden(client, world, settings, tmp_path):
    from gongkai.portal.api import opendata

    settings.GONGKAI_OPEN_DATA_DIR = str(tmp_path / "open-data")
    opendata.generate_all()
    names = [f.name for f in opendata.files()]
    assert "catalog-all.csv" in names and "catalog-all.xlsx" in names
    for name in names:
        response = client.get(f"/open-data/{name}")
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        if name.endswith(".xlsx"):
            import io

            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(body), read_only=True)
            body = "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row).encode()
        text = body.decode("utf-8-sig", errors="replace")
        for marker in world["hidden"]:
            assert marker not in text, (name, marker)
        assert world["public"].title in text
    _assert_clean(client.get("/open-data/"), world)
