"""The demo's catalogs are filled: no standard entry of 法定主动公开内容 stays empty when public records of
its kind exist (issue 22), on the data and on the public catalog pages."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.portal import selectors
from gongkai.records.models import Catalog, Record
from gongkai.records.reference import catalog_rules

pytestmark = pytest.mark.django_db


def _totals(nodes, into=None) -> dict[int, int]:
    into = {} if into is None else into
    for n in nodes:
        into[n.entry.pk] = n.total
        _totals(n.children, into)
    return into


def test_no_standard_entry_stays_empty_when_records_of_its_kind_exist(client):
    call_command("demo", "--records", "60", "--applications", "5", stdout=io.StringIO())
    standard_codes = set(Catalog.objects.get(is_standard=True, organ=None).entries.values_list("code", flat=True))
    checked = filled = 0
    for catalog in Catalog.objects.filter(organ__isnull=False).select_related("organ"):
        rules = [r for r in catalog_rules(catalog.organ) if not r.is_empty]
        entries = {e.pk: e for e in catalog.entries.all()}
        public = list(Record.objects.public().filter(organ=catalog.organ).select_related("genre", "topic"))
        filed = {e.pk: set(e.records.public().values_list("pk", flat=True)) for e in entries.values()}
        for rule in rules:
            entry = entries[rule.entry_id]
            if entry.code not in standard_codes:
                continue
            of_its_kind = {r.pk for r in public if rule.matches(
                genre=r.genre.code, topic=r.topic.code if r.topic_id else "", title=r.title, keywords=r.keywords)}
            checked += 1
            if of_its_kind:
                filled += 1
                assert of_its_kind <= filed[entry.pk], f"{catalog.organ.name}：{entry.name} 漏归档"
        # The public catalog page shows the same: an entry with records of its kind never reads （0）.
        if public:
            page = client.get(reverse("portal:organ_catalog", args=[catalog.organ.code])).content.decode()
            tree = selectors.catalog_tree(catalog, with_counts=True)
            totals = _totals(tree)
            for rule in rules:
                if filed[rule.entry_id]:
                    assert totals[rule.entry_id] >= 1
                    name = re.escape(entries[rule.entry_id].name)
                    assert re.search(rf">{name}</a> <span class=\"count\">（[1-9]\d*）", page), name
    assert checked > 20 and filled >= 10  # the demo has records of many kinds, in several organs
