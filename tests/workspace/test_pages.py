"""The workspace pages show what a known set of records should show them, by role."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.records import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(editor, organ, genre):
    draft = services.record_create(actor=editor, organ=organ, data={
        "title": "草稿标记甲", "genre": genre, "written_on": dt.date(2025, 1, 2)})
    submitted = services.record_create(actor=editor, organ=organ, data={
        "title": "待审标记乙", "genre": genre, "written_on": dt.date(2025, 1, 3)})
    services.record_submit(actor=editor, record=submitted)
    return draft, submitted


def _main(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode().split("<main", 1)[1]


def test_editor_sees_own_drafts_and_every_record_of_the_organ(client, editor, records):
    draft, submitted = records
    client.force_login(editor)
    home = _main(client, "workspace:home")
    assert "我的角色：" in home and "（信息员/编辑）" in home
    assert draft.title in home and submitted.title not in home.split("待审核（")[0]
    listing = _main(client, "workspace:records")
    assert "共 2 条" in listing and draft.title in listing and submitted.title in listing
    assert "草稿" in listing and "待审核" in listing and "主动公开" in listing
    mine = _main(client, "workspace:records_mine")
    assert "共 1 条" in mine and draft.title in mine and submitted.title not in mine
    create = _main(client, "workspace:record_create")
    assert "新建信息" in create and "保定市测试局" in create and "行政规范性文件" in create


def test_reviewer_sees_the_queue_and_the_record_to_review(client, reviewer, records):
    draft, submitted = records
    client.force_login(reviewer)
    home = _main(client, "workspace:home")
    assert "（审核人）" in home and "待审核（1）" in home and submitted.title in home
    queue = _main(client, "workspace:review_queue")
    assert "共 1 条" in queue and submitted.title in queue and draft.title not in queue
    detail = _main(client, "workspace:record", submitted.pk)
    assert submitted.title in detail
    for text in (submitted.index_no, "行政规范性文件", "保密审查", "提交审核意见", "状态：草稿 → 待审核"):
        assert text in detail, text
    author = submitted.created_by
    assert author.get_full_name() and f"<td>{author.get_full_name()}</td>" in detail  # 起草人 by name
    assert f"<td>{author.username}</td>" not in detail
    redetermine = _main(client, "workspace:redetermination")
    assert "公开属性重新审定" in redetermine and "没有需要重新审定的信息。" in redetermine
