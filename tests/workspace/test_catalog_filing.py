"""The catalog in the workspace: filing rules edited by the 公开办, a published record's entries edited by
an editor, and the 公报's order saved by dragging or by the buttons through one service."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.records import gazette, reference, services
from gongkai.records.models import Catalog, CatalogEntry, GazetteItem, Genre, Record

from ..factories import OrganFactory, member
from ..portal.world import build_site, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    site = build_site()
    site.office_user = member(site.gov, Role.OFFICE, "catalog-office")
    site.editor = member(site.gov, Role.EDITOR, "catalog-editor")
    return site


def _events(obj):
    return AuditEvent.objects.filter(event_type=AuditEventType.CATALOG_CHANGED, object_id=str(obj.pk))


def test_the_office_edits_an_entrys_rules_and_public_records_follow(client, world):
    entry = world.entries["policy_other"]
    before = sorted(entry.rule_genres.values_list("name", flat=True))
    notice = Genre.objects.get(code="notice")
    heating = published(organ=world.gov, genre=notice, topic=world.new_policy.topic, title="关于冬季供暖的通告")
    assert not heating.catalog_entries.filter(pk=entry.pk).exists()
    public_page = reverse("portal:catalog_entry", args=[entry.pk])
    assert heating.title not in client.get(public_page).content.decode()

    client.force_login(world.office_user)
    listing = client.get(reverse("portal:staff_catalogs")).content.decode()
    assert world.catalog.name in listing
    tree = client.get(reverse("portal:staff_catalog", args=[world.catalog.pk])).content.decode()
    assert "财政信息 › “三公”经费" in tree  # labelled by its place in the tree
    url = reverse("portal:staff_catalog_entry", args=[entry.pk])
    assert "供暖" not in client.get(url).content.decode()
    response = client.post(url, {"genres": [notice.pk], "keywords": "供暖，燃气"}, follow=True)
    assert "按新规则归档 1 条已公开信息" in response.content.decode()
    entry.refresh_from_db()
    assert list(entry.rule_genres.all()) == [notice] and entry.rule_keywords == "供暖 燃气"
    assert heating.catalog_entries.filter(pk=entry.pk).exists()
    event = _events(entry).latest("pk")
    assert event.actor == world.office_user and event.changes["rule_keywords"][1] == "供暖 燃气"
    assert event.changes["rule_genres"] == [before, [notice.name]]
    client.logout()
    assert heating.title in client.get(public_page).content.decode()  # the public column follows at once


def test_only_the_office_or_an_admin_edits_rules(client, world):
    entry = world.entries["policy_other"]
    client.force_login(world.editor)
    assert client.get(reverse("portal:staff_catalog_entry", args=[entry.pk])).status_code == 403
    assert client.get(reverse("portal:staff_catalog", args=[world.catalog.pk])).status_code == 403
    with pytest.raises(PermissionDenied, match="公开办"):
        reference.catalog_entry_rules_save(actor=world.editor, entry=entry, genres=[], topics=[], keywords="x")
    standard = Catalog.objects.get(is_standard=True)
    assert not reference.catalog_may_edit(user=world.office_user, catalog=standard)  # admins only
    client.force_login(world.office_user)
    response = client.post(reverse("portal:staff_catalog_entry", args=[entry.pk]), {"keywords": "长" * 301})
    assert response.status_code == 200 and "300" in response.content.decode()  # refused with a reason
    assert entry.rule_keywords == CatalogEntry.objects.get(pk=entry.pk).rule_keywords


def test_an_editor_changes_the_entries_of_a_published_record(client, world):
    record = world.new_policy
    other = OrganFactory(name="别的机关", code="11130600000000009Z")
    foreign = services.catalog_copy(source=Catalog.objects.get(is_standard=True), organ=other).entries.first()
    url = reverse("portal:staff_record_catalog", args=[record.pk])
    client.force_login(world.editor)
    detail = client.get(reverse("workspace:record", args=[record.pk])).content.decode()
    assert url in detail and "归档栏目" in detail
    page = client.get(url).content.decode()
    assert 'data-filter-list="entry-list"' in page and "财政信息 › “三公”经费" in page
    assert str(foreign.pk) not in [s.split('"')[0] for s in page.split('value="')[1:]]  # only its organ's tree
    keep, add = world.entries["policy_normative"], world.entries["policy_other"]
    response = client.post(url, {"entries": [keep.pk, add.pk]})
    assert response.status_code == 302
    assert set(record.catalog_entries.values_list("pk", flat=True)) == {keep.pk, add.pk}
    event = _events(record).latest("pk")
    assert event.actor == world.editor and event.changes["catalog_entries"][0] == [keep.name]
    assert set(event.changes["catalog_entries"][1]) == {keep.name, add.name}
    client.logout()
    assert record.title in client.get(reverse("portal:catalog_entry", args=[add.pk])).content.decode()
    client.force_login(world.editor)
    client.post(url, {"entries": [add.pk]})  # removed from 规范性文件
    client.logout()
    assert record.title not in client.get(reverse("portal:catalog_entry", args=[keep.pk])).content.decode()
    client.force_login(world.editor)
    response = client.post(url, {"entries": [foreign.pk]})  # not a choice of the form: refused, nothing lost
    assert response.status_code == 200 and "error" in response.content.decode()
    assert list(record.catalog_entries.values_list("pk", flat=True)) == [add.pk]
    with pytest.raises(reference.FilingError, match="本机关"):
        reference.record_catalog_entries_set(actor=world.editor, record=record, entries=[foreign])
    outsider = member(other, Role.EDITOR, "catalog-outsider")
    with pytest.raises(PermissionDenied):
        reference.record_catalog_entries_set(actor=outsider, record=record, entries=[add])
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_the_gazettes_order_is_saved_by_one_audited_service(client, world):
    issue = gazette.gazette_issue_create(actor=world.editor, gazette=world.gazette, year=2025, number=9,
                                         issued_on=dt.date(2025, 9, 1))
    a = gazette.gazette_item_add(actor=world.editor, issue=issue, record=world.new_policy, section="市政府文件")
    b = gazette.gazette_item_add(actor=world.editor, issue=issue, record=world.repealed, section="市政府文件")
    c = gazette.gazette_item_add(actor=world.editor, issue=issue, record=world.interp, section="政策解读")
    client.force_login(world.editor)
    url = reverse("portal:staff_gazette_issue", args=[issue.pk])
    page = client.get(url).content.decode()
    assert 'data-drag-order="gazette-order"' in page and f'data-item="{a.pk}"' in page and "上移" in page
    client.post(url, {"action": "reorder", "order": f"{b.pk},{a.pk},{c.pk}"})
    order = [i.pk for _s, items in gazette.table_of_contents(issue) for i in items]
    assert order == [b.pk, a.pk, c.pk]
    log = AuditEvent.objects.filter(event_type=AuditEventType.GAZETTE_CHANGED, object_id=str(issue.pk),
                                    note="调整顺序").latest("pk")
    assert log.changes["order"][1] == [world.repealed.title, world.new_policy.title, world.interp.title]
    # The buttons go through the same service.
    client.post(url, {"action": "down", "item": b.pk})
    assert [i.pk for _s, items in gazette.table_of_contents(issue) for i in items] == [a.pk, b.pk, c.pk]
    assert AuditEvent.objects.filter(object_id=str(issue.pk), note="调整顺序").count() == 2
    # A stale or forged order is refused with a reason, nothing changes.
    body = client.post(url, {"action": "reorder", "order": f"{a.pk},{c.pk}"}, follow=True).content.decode()
    assert "本期目录已有变化" in body
    body = client.post(url, {"action": "reorder", "order": "x,y,z"}, follow=True).content.decode()
    assert "顺序无效" in body
    assert list(GazetteItem.objects.filter(issue=issue).order_by("order").values_list("pk", flat=True)) == [
        a.pk, b.pk, c.pk]
    assert Record.objects.public().filter(pk=world.repealed.pk).exists()


def test_the_gazette_editor_finds_records_by_a_few_characters(client, world):
    issue = gazette.gazette_issue_create(actor=world.editor, gazette=world.gazette, year=2025, number=10,
                                         issued_on=dt.date(2025, 10, 1))
    client.force_login(world.editor)
    url = reverse("portal:staff_gazette_issue", args=[issue.pk])
    page = client.post(url, {"action": "add", "record": "政府信息公开", "section": "市政府文件"}).content.decode()
    assert "对应多份文件" in page and world.new_policy.title in page and world.old_policy.title in page
    assert world.news.title not in page  # the office's notice does not match
    client.post(url, {"action": "add", "record": world.new_policy.index_no, "section": "市政府文件"})
    client.post(url, {"action": "add", "record": "春节 值班", "section": "部门文件"})  # one match: taken
    titles = [i.record.title for _s, items in gazette.table_of_contents(issue) for i in items]
    assert titles == [world.new_policy.title, world.news.title]
    page = client.post(url, {"action": "add", "record": "没有这份文件", "section": "市政府文件"}).content.decode()
    assert "没有找到已公开的文件" in page
