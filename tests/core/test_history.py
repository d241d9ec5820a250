"""The audit-history presenter: labels, names and local dates people can read."""

import datetime as dt
from unittest import mock

import pytest
from django.template.loader import render_to_string

from gongkai.core.audit import audit_log
from gongkai.core.history import (
    HistoryRow,
    describe_changes,
    history_row,
    history_rows,
    model_for,
    person_name,
)
from gongkai.core.models import AuditEvent, AuditEventType, Organ
from gongkai.records.models import Record
from tests import factories

pytestmark = pytest.mark.django_db


def _one(event: AuditEvent) -> HistoryRow:
    (row,) = history_rows([event])
    return row


def _changes(row: HistoryRow) -> dict[str, tuple[str, str] | str]:
    return {c.label: (c.old, c.new) if c.is_pair else c.value for c in row.changes}


def test_choice_values_show_their_labels_and_field_names_their_verbose_names():
    record = factories.RecordFactory()
    event = audit_log(actor=None, event_type=AuditEventType.RECORD_SUBMITTED, obj=record, organ=record.organ,
                      changes={"status": ["draft", "submitted"], "attribute": [None, "on_request"]})
    changes = _changes(_one(event))
    assert changes == {"状态": ("草稿", "待审核"), "公开属性": ("（空）", "依申请公开")}


def test_a_value_outside_the_choices_is_shown_as_stored():
    (change,) = describe_changes({"status": ["draft", "lost"]}, model=Record)
    assert (change.old, change.new) == ("草稿", "lost")


def test_booleans_read_yes_and_no():
    organ = factories.OrganFactory()
    event = audit_log(actor=None, event_type=AuditEventType.ORGAN_CHANGED, obj=organ,
                      changes={"is_active": [True, False]})
    assert _changes(_one(event)) == {"启用": ("是", "否")}
    # even where no field explains the key
    (change,) = describe_changes({"withheld": [False, True]}, model=None)
    assert (change.label, change.old, change.new) == ("withheld", "否", "是")


def test_dates_and_datetimes_read_in_asia_shanghai_across_midnight_utc():
    changes = describe_changes(
        {"written_on": ["2025-03-01", "2025-12-31"], "published_at": [None, "2025-03-01T17:30:00+00:00"]},
        model=Record,
    )
    by_label = {c.label: (c.old, c.new) for c in changes}
    assert by_label["成文日期"] == ("2025年3月1日", "2025年12月31日")
    # 17:30 UTC on 1 March is 01:30 on 2 March in Beijing
    assert by_label["发布日期"] == ("（空）", "2025年3月2日 01:30")


def test_the_row_time_is_local_and_the_page_shows_the_local_day():
    record = factories.RecordFactory()
    late_evening_utc = dt.datetime(2025, 3, 1, 16, 5, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        event = audit_log(actor=None, event_type=AuditEventType.RECORD_EDITED, obj=record, organ=record.organ)
    row = _one(event)
    assert (row.at.date(), row.at.hour, row.at.minute) == (dt.date(2025, 3, 2), 0, 5)
    assert str(row.at.tzinfo) == "Asia/Shanghai"
    html = render_to_string("core/_history.html", {"rows": [row]})
    assert "2025年3月2日 00:05" in html
    assert 'datetime="2025-03-02T00:05:00+08:00"' in html


def test_people_are_named_by_full_name_then_username_and_no_one_is_the_system():
    named = factories.UserFactory(username="zhangsan", first_name="张三")
    unnamed = factories.UserFactory(username="lisi", first_name="")
    assert person_name(named) == "张三"
    assert person_name(unnamed) == "lisi"
    assert person_name(None) == "系统"
    record = factories.RecordFactory()
    event = audit_log(actor=named, event_type=AuditEventType.RECORD_EDITED, obj=record, organ=record.organ)
    assert _one(event).actor == "张三"


def test_a_user_stored_by_username_is_shown_by_name():
    from gongkai.applications.models import Application

    factories.UserFactory(username="handler-a", first_name="王经办")
    (change,) = describe_changes({"handler": [None, "handler-a"]}, model=Application)
    assert (change.label, change.old, change.new) == ("经办人", "（空）", "王经办")
    (gone,) = describe_changes({"handler": ["left-the-office", None]}, model=Application)
    assert (gone.old, gone.new) == ("left-the-office", "（空）")


def test_foreign_keys_stored_as_ids_are_looked_up():
    parent = factories.OrganFactory(name="保定市人民政府")
    (change,) = describe_changes({"parent": [None, parent.pk]}, model=Organ)
    assert (change.label, change.new) == ("上级机关", "保定市人民政府")
    (gone,) = describe_changes({"parent": [999999, None]}, model=Organ)
    assert gone.old == "（编号 999999，已删除）"


def test_body_is_summarised_and_long_text_is_shortened():
    changes = describe_changes({"body": ["<p>旧</p>", "<p>新</p>"], "summary": ["", "<b>要</b>" + "长" * 100]},
                               model=Record)
    by_label = {c.label: c for c in changes}
    assert not by_label["正文"].is_pair and by_label["正文"].value == "已修改"
    summary = by_label["内容概述"]
    assert summary.new.startswith("要长") and summary.new.endswith("…") and len(summary.new) == 60


def test_values_that_are_not_pairs_and_unknown_keys():
    changes = describe_changes({"organs": ["市政府办", "市财政局"], "zzz_unknown": "x"}, model=Organ)
    assert [(c.label, c.value, c.is_pair) for c in changes] == [
        ("单位", "市政府办、市财政局", False),
        ("zzz_unknown", "x", False),
    ]


def test_extra_labels_name_keys_of_other_models():
    from gongkai.workplans.models import Task, TaskUnit

    (change,) = describe_changes({"role": "lead"}, model=Task, extra={"role": TaskUnit._meta.get_field("role")})
    assert (change.label, change.value) == ("角色", "牵头单位")
    (named,) = describe_changes({"names": ["甲"]}, model=Task, extra={"names": "确认的单位名称"})
    assert named.label == "确认的单位名称"


def test_unknown_object_types_fall_back_to_plain_values():
    assert model_for("nosuch.model") is None
    assert model_for("not-a-label") is None
    assert model_for("records.record") is Record
    row = history_row(at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), actor=None, event="事件",
                      changes={"status": ["draft", "2025-01-01"]}, model=model_for("nosuch.model"))
    assert _changes(row) == {"status": ("draft", "2025年1月1日")}


def test_the_partial_never_shows_raw_values():
    record = factories.RecordFactory()
    event = audit_log(actor=factories.UserFactory(username="u-raw", first_name="赵审核"),
                      event_type=AuditEventType.RECORD_APPROVED, obj=record, organ=record.organ,
                      changes={"status": ["submitted", "approved"]})
    html = render_to_string("core/_history.html", {"rows": history_rows([event])})
    assert "状态：待审核 → 已审核待发布" in html
    assert "赵审核" in html
    for raw in ("submitted", "approved", "status", "u-raw"):
        assert raw not in html


def test_a_list_of_two_names_is_not_a_pair_but_two_lists_are():
    (names,) = describe_changes({"organs": ["市政府办", "市财政局"]}, model=None)
    assert (names.is_pair, names.value) == (False, "市政府办、市财政局")
    (pair,) = describe_changes({"organs": [["市政府办"], ["市财政局", "市教育局"]]}, model=None)
    assert (pair.is_pair, pair.old, pair.new) == (True, "市政府办", "市财政局、市教育局")


def test_changes_that_read_the_same_are_left_out():
    changes = describe_changes(
        {"doc_no": [None, ""], "title": [None, "通知"], "body": [None, ""], "keywords": [[], None]}, model=Record
    )
    assert [(c.label, c.old, c.new) for c in changes] == [("标题", "（空）", "通知")]
