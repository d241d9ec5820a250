"""Table 二 dated by the documents (issue 19): repeal when it takes effect, lapse after 有效期至, audit only as fallback."""

import datetime as dt
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType
from gongkai.records.models import Genre, Status, Validity
from gongkai.reports import selectors, tables
from tests import factories

from .conftest import make_doc


def _at(day: dt.date):
    return mock.patch("django.utils.timezone.now", return_value=dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC))


def _validity_changed_in_system(record, day: dt.date, to=Validity.REPEALED):
    """The audit row written when someone marks the record in the platform on ``day``."""
    with _at(day):
        audit_log(actor=None, event_type=AuditEventType.RECORD_VALIDITY_CHANGED, obj=record, organ=record.organ,
                  changes={"validity": [Validity.VALID.value, to.value]})


def t2(organ, year, row="normative"):
    v = selectors.report_data(organ, year).values
    return v[f"t2.{row}.made"], v[f"t2.{row}.repealed"], v[f"t2.{row}.in_force"]


# -- the pure rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kw", "expected"), [
    ({"valid_until": dt.date(2024, 12, 31)}, dt.date(2025, 1, 1)),
    ({"valid_until": None, "successor_effective": dt.date(2025, 2, 1), "successor_written": dt.date(2024, 12, 20)},
     dt.date(2025, 2, 1)),
    ({"valid_until": None, "successor_written": dt.date(2024, 12, 20), "successor_published": dt.date(2024, 12, 25)},
     dt.date(2024, 12, 20)),
    ({"valid_until": None, "successor_published": dt.date(2024, 12, 25)}, dt.date(2024, 12, 25)),
    ({"valid_until": dt.date(2024, 3, 31), "successor_effective": dt.date(2024, 9, 1)}, dt.date(2024, 4, 1)),
    ({"valid_until": None}, None),
])
def test_document_end_from_the_documents_dates(kw, expected):
    assert tables.document_end(**kw) == expected


def test_lapse_on_31_december_is_in_force_that_year_and_repealed_the_next():
    fact = tables.DocumentFact("normative", made=dt.date(2022, 1, 1), ended=dt.date(2025, 1, 1), ended_how="expired")
    assert tables.t2_cells(fact, 2024) == ["t2.normative.in_force"]
    assert tables.t2_cells(fact, 2025) == ["t2.normative.repealed"]


# -- counted from the records ----------------------------------------------------------------------


def test_repeal_decided_in_one_year_takes_effect_in_the_next(organ):
    repealing = make_doc(organ, "normative", dt.date(2024, 12, 20), valid_from=dt.date(2025, 2, 1))
    make_doc(organ, "normative", dt.date(2020, 5, 1), validity=Validity.REPEALED, superseded_by=repealing)
    assert t2(organ, 2024) == (1, 0, 2)  # the old one is still in force on 31 December 2024
    assert t2(organ, 2025) == (0, 1, 1)  # the repeal takes effect on 1 February 2025


def test_lapse_on_31_december(organ):
    make_doc(organ, "normative", dt.date(2022, 1, 1), valid_until=dt.date(2024, 12, 31))
    make_doc(organ, "normative", dt.date(2022, 1, 1), validity=Validity.EXPIRED, valid_until=dt.date(2024, 12, 31))
    assert t2(organ, 2024) == (0, 0, 2)
    assert t2(organ, 2025) == (0, 2, 0)


def test_a_document_entered_years_after_its_repeal_is_dated_by_the_repeal(organ):
    repealing = make_doc(organ, "rule", dt.date(2021, 6, 1))  # no 施行日期: its 成文日期 counts
    old = make_doc(organ, "rule", dt.date(2018, 3, 1), validity=Validity.REPEALED, superseded_by=repealing)
    _validity_changed_in_system(old, dt.date(2026, 11, 20))  # entered and marked in the platform in 2026
    assert t2(organ, 2020, "rule") == (0, 0, 1)
    assert t2(organ, 2021, "rule") == (1, 1, 1)
    for year in (2022, 2023, 2024, 2025, 2026):
        assert t2(organ, year, "rule") == (0, 0, 1), year
    assert selectors.report_data(organ, 2021).notes == []


def test_the_repealing_documents_publication_date_when_it_has_no_other(organ):
    genre = Genre.objects.get(code="normative")
    repealing = factories.RecordFactory(organ=organ, genre=genre, written_on=None, status=Status.PUBLISHED,
                                        index_no=f"{organ.code}/2023-09999",
                                        published_at=dt.datetime(2023, 7, 9, 2, 0, tzinfo=dt.UTC))
    make_doc(organ, "normative", dt.date(2019, 1, 1), validity=Validity.REPEALED, superseded_by=repealing)
    assert t2(organ, 2023) == (1, 1, 1)


def test_a_document_without_dates_falls_back_to_the_audit_time_and_says_so(organ):
    undated = make_doc(organ, "normative", dt.date(2019, 1, 1), validity=Validity.REPEALED)
    _validity_changed_in_system(undated, dt.date(2024, 8, 15))
    assert t2(organ, 2023) == (0, 0, 1)
    assert t2(organ, 2024) == (0, 1, 0)
    notes = selectors.report_data(organ, 2024).notes
    assert len(notes) == 1
    assert "表二第二十条第（一）项“行政规范性文件”行“本年废止件数”列中有1件文件未载明废止或失效日期" in notes[0]
    assert "按在平台上变更有效性的时间计算" in notes[0]
    assert "现行有效件数" in selectors.report_data(organ, 2023).notes[0]
    assert selectors.report_data(organ, 2025).notes == []
    dated = make_doc(organ, "normative", dt.date(2019, 1, 1), validity=Validity.EXPIRED,
                     valid_until=dt.date(2024, 6, 30))
    _validity_changed_in_system(dated, dt.date(2026, 1, 5), to=Validity.EXPIRED)
    assert t2(organ, 2024) == (0, 2, 0)  # the dated one by its 有效期, not by the 2026 audit row
    assert len(selectors.report_data(organ, 2024).notes) == 1


def test_the_note_is_printed_under_table_two(client, organ, office):
    from django.urls import reverse

    undated = make_doc(organ, "normative", dt.date(2019, 1, 1), validity=Validity.REPEALED)
    _validity_changed_in_system(undated, dt.date(2024, 8, 15))
    client.force_login(office)
    page = client.get(reverse("reports:edit", kwargs={"slug": f"{organ.code}-2024"})).content.decode()
    assert page.count("按在平台上变更有效性的时间计算") == 2  # in the checks and under table 二
    cell = client.get(reverse("reports:cell", kwargs={"slug": f"{organ.code}-2024"}) + "?key=t2.normative.repealed")
    assert 'id="date-note"' in cell.content.decode() and undated.title in cell.content.decode()
    cell = client.get(reverse("reports:cell", kwargs={"slug": f"{organ.code}-2024"}) + "?key=t2.normative.made")
    assert 'id="date-note"' not in cell.content.decode()


_dates = st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)))


@given(valid_until=_dates, effective=_dates, written=_dates, published=_dates)
def test_document_end_is_the_earliest_dated_end(valid_until, effective, written, published):
    end = tables.document_end(valid_until=valid_until, successor_effective=effective, successor_written=written,
                              successor_published=published)
    repeal = effective or written or published
    lapse = valid_until + dt.timedelta(days=1) if valid_until else None
    candidates = [d for d in (repeal, lapse) if d is not None]
    assert end == (min(candidates) if candidates else None)
    if effective is not None:  # the 施行日期 wins over the repealing document's other dates
        assert end in (effective, lapse)
