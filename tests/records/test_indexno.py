"""索引号: generated per organ and year, unique, in the configured format."""

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.models import Role
from gongkai.records import indexno, services
from gongkai.records.models import Record

codes = st.from_regex(r"[0-9A-Z]{18}", fullmatch=True)


@given(codes, st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=99999))
def test_default_format_matches_reference_pattern(code, year, serial):
    value = indexno.format_index_no(code=code, year=year, serial=serial)
    assert indexno.PATTERN.match(value)
    assert indexno.parse_serial(value) == serial
    assert value.startswith(f"{code}/{year}-")


def test_month_variant():
    value = indexno.format_index_no(code="113417020032563511", year=2025, month=4, serial=57, fmt="{code}/{year}{month}-{serial:05d}")
    assert value == "113417020032563511/202504-00057"
    assert indexno.PATTERN.match(value)


def test_serial_starts_at_one():
    with pytest.raises(ValueError, match="流水号"):
        indexno.format_index_no(code="000014349", year=2018, serial=0)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from([2019, 2020, 2021]), min_size=1, max_size=8))
def test_generated_numbers_unique_and_consecutive(years):
    from ..factories import GenreFactory, OrganFactory, member

    organ = OrganFactory()
    user = member(organ, Role.EDITOR)
    genre = GenreFactory()
    made = [services.record_create(actor=user, organ=organ, data={"title": "t", "genre": genre,
                                                                  "written_on": dt.date(y, 6, 1)}).index_no for y in years]
    assert len(set(made)) == len(made)
    for year in set(years):
        serials = [int(re.search(r"-(\d+)$", n).group(1)) for n in made if f"/{year}-" in n]
        assert serials == list(range(1, len(serials) + 1))
    assert Record.objects.filter(organ=organ).count() == len(years)


@pytest.mark.django_db
def test_format_is_a_setting(settings, editor, organ, genre):
    settings.GONGKAI_INDEX_NO_FORMAT = "{code}/{year}-{serial:06d}"
    record = services.record_create(actor=editor, organ=organ, data={"title": "t", "genre": genre, "written_on": dt.date(2024, 1, 1)})
    assert record.index_no == f"{organ.code}/2024-000001"
