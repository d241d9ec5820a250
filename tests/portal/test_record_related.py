"""A record page's links (the records it interprets or is superseded by, and those that interpret or
supersede it) come from one query, each to its place, and only public records among them."""

import pytest

from gongkai.portal.selectors import record_related
from gongkai.records.models import Genre

from ..factories import RecordFactory

pytestmark = pytest.mark.django_db


def test_each_related_record_goes_to_its_place(site):
    interpretation = Genre.objects.get(code="interpretation")
    policy = site.old_policy.genre
    interpreted = RecordFactory(organ=site.gov, genre=policy, published=True, title="被解读的文件")
    newer = RecordFactory(organ=site.gov, genre=policy, published=True, title="修订后的文件")
    record = RecordFactory(organ=site.gov, genre=policy, published=True, title="本文件",
                           interprets=interpreted, superseded_by=newer)
    readings = [RecordFactory(organ=site.gov, genre=interpretation, published=True, interprets=record,
                              title=f"解读{i}") for i in range(2)]
    older = RecordFactory(organ=site.gov, genre=policy, published=True, superseded_by=record, title="旧文件")
    both = RecordFactory(organ=site.gov, genre=interpretation, published=True, interprets=record,
                         superseded_by=record, title="既解读又被修订")
    RecordFactory(organ=site.gov, genre=interpretation, interprets=record, title="未公开的解读")  # a draft
    RecordFactory(organ=site.gov, genre=policy, superseded_by=record, title="未公开的旧文件")
    RecordFactory(organ=site.gov, genre=interpretation, published=True, interprets=newer, title="别的解读")

    found = record_related(record)
    assert found["interprets"] == interpreted and found["superseded_by"] == newer
    assert {r.pk for r in found["interpretations"]} == {readings[0].pk, readings[1].pk, both.pk}
    assert {r.pk for r in found["supersedes"]} == {older.pk, both.pk}
    ordered = [(r.published_at, r.pk) for r in found["interpretations"]]
    assert ordered == sorted(ordered, reverse=True)  # newest first, as the page lists them


def test_links_to_records_that_are_not_public_are_left_out(site):
    policy = site.old_policy.genre
    draft = RecordFactory(organ=site.gov, genre=policy, title="未公开的文件")
    record = RecordFactory(organ=site.gov, genre=policy, published=True, interprets=draft, superseded_by=draft)
    found = record_related(record)
    assert found["interprets"] is None and found["superseded_by"] is None
    assert found["interpretations"] == [] and found["supersedes"] == []
