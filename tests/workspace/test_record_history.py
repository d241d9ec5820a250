"""The record page's history reads in Chinese: labels, names, local dates."""

import datetime as dt
from unittest import mock

from django.urls import reverse

from gongkai.core.models import Role
from gongkai.records import services
from gongkai.records.models import ReviewDecision
from tests import factories


def _history(page: str) -> str:
    return page.split("<h2>操作历史</h2>", 1)[1]


def test_record_history_shows_labels_names_and_beijing_time(client, organ, genre):
    editor = factories.member(organ, Role.EDITOR, "ed-history", first_name="陈编辑")
    reviewer = factories.member(organ, Role.REVIEWER, "rv-history", first_name="刘审核")
    # 23:30 in UTC on 1 March is 07:30 on 2 March in Beijing
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC)):
        record = services.record_create(actor=editor, organ=organ, data={
            "title": "关于做好春季防火工作的通知", "genre": genre, "written_on": dt.date(2025, 2, 28)})
    services.record_submit(actor=editor, record=record)
    services.record_review(actor=reviewer, record=record, decision=ReviewDecision.RETURNED,
                           confidentiality_opinion="经审查，不涉密。", attribute_confirmed="proactive",
                           comment="请补充附件。")
    client.force_login(reviewer)
    history = _history(client.get(reverse("workspace:record", args=[record.pk])).content.decode())
    assert "创建信息" in history and "2025年3月2日 07:30" in history
    assert "成文日期：（空） → 2025年2月28日" in history
    assert "公开属性：（空） → 主动公开" in history
    assert "状态：草稿 → 待审核" in history and "状态：待审核 → 退回修改" in history
    assert "陈编辑" in history and "刘审核" in history
    for raw in ("submitted", "returned", "proactive", "written_on", "2025-02-28", "ed-history", "rv-history"):
        assert raw not in history
