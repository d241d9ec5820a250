"""The standard genres 回应关切 and 新闻发布会 (records migrations 0008, 0009): present beside 政策解读, and
their records are filed under the standard 政策解读 entry like 政策解读 itself."""

import pytest

from gongkai.records.models import Catalog, Genre
from gongkai.records.reference import record_file_by_rules
from gongkai.records.services import catalog_copy
from tests import factories

pytestmark = pytest.mark.django_db


def test_response_genres_exist_and_are_filed_under_the_interpretation_entry(organ):
    genres = {g.code: g for g in Genre.objects.filter(code__in=["interpretation", "response", "press_conference"])}
    assert [genres[c].name for c in ("interpretation", "response", "press_conference")] == [
        "政策解读", "回应关切", "新闻发布会"]
    assert not genres["response"].is_policy and not genres["press_conference"].is_interpretation
    catalog = catalog_copy(source=Catalog.objects.get(is_standard=True, organ__isnull=True), organ=organ)
    entry = catalog.entries.get(code="interpretation")
    assert set(entry.rule_genres.values_list("code", flat=True)) == {"interpretation", "response", "press_conference"}
    for code in ("response", "press_conference", "interpretation"):
        record = factories.RecordFactory(organ=organ, published=True, genre=genres[code])
        assert [e.code for e in record_file_by_rules(record=record)] == ["interpretation"]
    notice = factories.RecordFactory(organ=organ, published=True, genre=Genre.objects.get(code="notice"))
    assert "interpretation" not in [e.code for e in record_file_by_rules(record=notice)]
