"""Tables counted from generated records and applications; drill-down; roll-up."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.contrib.auth.models import User
from django.utils import timezone

from gongkai.core.models import OrganKind, Role
from gongkai.records import services as record_services
from gongkai.records.models import Validity
from gongkai.reports import selectors, tables
from gongkai.reports.models import AnnualReport

from ..factories import member
from .conftest import make_app, make_appeal, make_doc


def test_table3_counts_new_carried_outcomes_and_carry_forward(organ, sibling):
    make_app(organ, "natural_person", dt.date(2023, 12, 20), dt.date(2024, 1, 8), "r3_1")   # r2 → r3_1
    make_app(organ, "business", dt.date(2023, 12, 29))                                       # r2 → r4
    make_app(organ, "business", dt.date(2023, 10, 9), dt.date(2023, 10, 30), "r3_2")         # not in 2024
    make_app(organ, "research", dt.date(2024, 12, 31), dt.date(2025, 1, 10), "r3_3_4")      # r1 → r4
    make_app(organ, "legal_service", dt.date(2024, 6, 3), dt.date(2024, 6, 20), "r3_5_2")   # r1 → r3_5_2
    # post without signature: received = confirmed day, in 2025 → not in 2024
    make_app(organ, "other", dt.date(2024, 12, 31), confirmed=dt.date(2025, 1, 2))
    make_app(sibling, "natural_person", dt.date(2024, 6, 3))                                  # another organ
    data = selectors.report_data(organ, 2024)
    v = data.values
    assert (v["t3.r1.total"], v["t3.r2.total"], v["t3.r3_7.total"], v["t3.r4.total"]) == (2, 2, 2, 2)
    assert v["t3.r2.natural_person"] == 1 and v["t3.r3_1.natural_person"] == 1
    assert v["t3.r4.research"] == 1 and v["t3.r4.business"] == 1
    assert v["t3.r3_5_2.legal_service"] == 1
    assert data.errors == []
    assert data.monthly[5] == 1 and data.monthly[11] == 1 and sum(data.monthly) == 2
    # 2025: the carried research application is decided; the 2025-01-02 confirmed one is new.
    v25 = selectors.report_data(organ, 2025).values
    assert v25["t3.r2.total"] == 2 and v25["t3.r1.other"] == 1 and v25["t3.r3_3_4.research"] == 1
    assert [x for x in selectors.report_data(organ, 2025).findings if x.code == "I4"] == []


def test_drill_down_lists_the_applications_behind_a_cell(organ):
    a = make_app(organ, "natural_person", dt.date(2024, 2, 1), dt.date(2024, 2, 20), "r3_4_1")
    make_app(organ, "natural_person", dt.date(2024, 2, 1), dt.date(2024, 2, 20), "r3_1")
    data = selectors.report_data(organ, 2024)
    found = selectors.drill_down(data, "t3.r3_4_1.natural_person")
    assert found["kind"] == "applications" and list(found["items"]) == [a]
    assert list(selectors.drill_down(data, "t3.r1.total")["items"]).__len__() == 2


def test_table4_from_reconsideration_and_litigation(organ):
    app = make_app(organ, "natural_person", dt.date(2023, 3, 1), dt.date(2023, 3, 20), "r3_3_6")
    make_appeal(app, filed=dt.date(2024, 4, 1), decided=dt.date(2024, 6, 1), result="upheld")
    make_appeal(app, filed=dt.date(2023, 11, 1))                                     # still pending: counted
    make_appeal(app, filed=dt.date(2023, 5, 1), decided=dt.date(2023, 8, 1), result="corrected")  # not 2024
    make_appeal(app, litigation=True, filed=dt.date(2024, 7, 1), decided=dt.date(2025, 2, 1), result="other")
    make_appeal(app, litigation=True, after=True, filed=dt.date(2024, 9, 1), decided=dt.date(2024, 12, 1),
                result="corrected")
    data = selectors.report_data(organ, 2024)
    v = data.values
    assert (v["t4.reconsideration.upheld"], v["t4.reconsideration.pending"], v["t4.reconsideration.total"]) == (1, 1, 2)
    assert v["t4.litigation_direct.pending"] == 1 and v["t4.litigation_direct.total"] == 1
    assert v["t4.litigation_after.corrected"] == 1
    items = selectors.drill_down(data, "t4.reconsideration.total")["items"]
    assert len(items) == 2


def _at(day: dt.date):
    return mock.patch("django.utils.timezone.now",
                      return_value=dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC))


def _set_validity(office, record, validity):
    """Request a published record's validity change and have a second person approve it."""
    record_services.record_set_validity(actor=office, record=record, validity=validity)
    second = (User.objects.filter(username="validity_second_reviewer").first()
              or member(record.organ, Role.REVIEWER, "validity_second_reviewer"))
    change = record.validity_changes.get(decided_at__isnull=True)
    record_services.record_validity_change_decide(actor=second, change=change, approve=True)


def test_table2_made_repealed_in_force_from_the_validity_history(organ, office):
    make_doc(organ, "rule", dt.date(2024, 2, 1))
    old = make_doc(organ, "normative", dt.date(2022, 5, 1))
    make_doc(organ, "normative", dt.date(2024, 3, 1))
    expiring = make_doc(organ, "normative", dt.date(2023, 1, 1), valid_until=dt.date(2024, 6, 30))  # expires in 2024
    later = make_doc(organ, "normative", dt.date(2021, 1, 1))
    revised = make_doc(organ, "normative", dt.date(2021, 6, 1))
    with _at(dt.date(2024, 8, 15)):
        _set_validity(office, old, Validity.REPEALED)
        _set_validity(office, revised, Validity.REVISED)
    with _at(dt.date(2025, 3, 1)):
        _set_validity(office, later, Validity.REPEALED)
    v = selectors.report_data(organ, 2024).values
    assert (v["t2.rule.made"], v["t2.rule.repealed"], v["t2.rule.in_force"]) == (1, 0, 1)
    assert v["t2.normative.made"] == 1
    assert v["t2.normative.repealed"] == 2  # repealed in August + expired in June; revision is not 废止
    assert v["t2.normative.in_force"] == 2  # the one made in 2024 and the one repealed only in 2025
    data = selectors.report_data(organ, 2024)
    assert {r.pk for r in selectors.drill_down(data, "t2.normative.repealed")["items"]} == {old.pk, expiring.pk}
    assert selectors.drill_down(data, "t2.licensing.decisions")["kind"] == "entered"
    hint = [x for x in data.findings if x.code == "I6"]
    assert hint and "修订、重新分类时属正常" in hint[0].message


def test_entries_merge_and_discrepancies(organ, office):
    make_doc(organ, "rule", dt.date(2024, 2, 1))
    AnnualReport.objects.create(organ=organ, year=2024, entries={"t2.rule.made": "2", "t2.fees.amount": "1.5"},
                                sources={"t2.rule.made": "含一件线下印发", "t2.fees.amount": "财政局"})
    data = selectors.report_data(organ, 2024)
    assert data.values["t2.rule.made"] == 2 and data.values["t2.fees.amount"] == Decimal("1.5")
    assert [d.key for d in data.discrepancies] == ["t2.rule.made"]


def test_a_government_rolls_up_its_departments_when_it_chooses(government, organ, sibling):
    make_app(government, "natural_person", dt.date(2024, 5, 1))
    make_app(organ, "business", dt.date(2024, 5, 1))
    make_app(sibling, "research", dt.date(2024, 5, 1), dt.date(2024, 5, 20), "r3_1")
    AnnualReport.objects.create(organ=organ, year=2024, entries={"t2.penalty.decisions": "7"}, sources={"t2.penalty.decisions": "执法系统"})
    own = selectors.report_data(government, 2024)
    assert own.values["t3.r1.total"] == 1 and own.values["t2.penalty.decisions"] == 0
    AnnualReport.objects.create(organ=government, year=2024, include_subordinates=True)
    rolled = selectors.report_data(government, 2024)
    assert rolled.values["t3.r1.total"] == 3 and rolled.values["t3.r3_1.research"] == 1
    assert rolled.values["t2.penalty.decisions"] == 7
    assert rolled.errors == []


def test_rollup_lists_who_has_not_published_after_the_deadline(government, organ, sibling):
    town = type(organ).objects.create(name="某某镇人民政府", code="11130600MA9999994X", kind=OrganKind.TOWN,
                                      parent=government)
    make_doc(organ, "annual_report", dt.date(2025, 1, 20), title="保定市测试局2024年政府信息公开工作年度报告")
    rows = {r.organ.pk: r for r in selectors.rollup(government, 2024, today=dt.date(2025, 2, 3))}
    assert rows[organ.pk].published_on is not None and rows[organ.pk].state == "已按时发布"
    assert rows[sibling.pk].overdue and rows[sibling.pk].state == "逾期未发布"
    assert rows[town.pk].overdue
    early = {r.organ.pk: r for r in selectors.rollup(government, 2024, today=dt.date(2025, 1, 20))}
    assert not early[sibling.pk].overdue and early[sibling.pk].state == "未发布"


def test_figures_are_independent_counts_for_a_random_history(organ):
    """Every cell equals a count made separately, for a generated set of rows across years."""
    import random

    rnd = random.Random(8)
    facts = []
    for _ in range(120):
        received = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randrange(0, 900))
        decided = received + dt.timedelta(days=rnd.randrange(0, 60)) if rnd.random() < 0.8 else None
        outcome = rnd.choice(tables.OUTCOME_ROWS) if decided else None
        kind = rnd.choice(tables.T3_KINDS)
        make_app(organ, kind, received, decided, outcome)
        facts.append((kind, received, decided, outcome))
    for year in (2023, 2024, 2025):
        v = selectors.report_data(organ, year).values
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        assert tables.errors(tables.check(v)) == []
        for kind in tables.T3_KINDS:
            mine = [x for x in facts if x[0] == kind]
            assert v[f"t3.r1.{kind}"] == sum(1 for x in mine if start <= x[1] <= end)
            assert v[f"t3.r2.{kind}"] == sum(1 for x in mine if x[1] < start and (x[2] is None or x[2] >= start))
            for row in tables.OUTCOME_ROWS:
                assert v[f"t3.{row}.{kind}"] == sum(1 for x in mine if x[3] == row and start <= x[2] <= end
                                                    and x[1] <= end)
    assert timezone.now()  # the tables never read "today"


def test_fees_collected_sentence_for_section_six(organ):
    from gongkai.applications.models import FeeNotice

    assert selectors.fees_sentence([organ], 2024) == "2024年度，本机关未收取政府信息公开信息处理费。"
    for amount, paid in ((Decimal("120.00"), dt.date(2024, 5, 1)), (Decimal("80.50"), dt.date(2024, 9, 1)),
                         (Decimal("99.00"), None)):
        app = make_app(organ, received=dt.date(2024, 4, 1))
        FeeNotice.objects.create(application=app, standard="per_page", amount=amount, issued_on=dt.date(2024, 4, 2),
                                 paid_on=paid)
    assert selectors.fees_sentence([organ], 2024) == \
        "2024年度，本机关依据《政府信息公开信息处理费管理办法》收取信息处理费2件，共计200.5元。"
