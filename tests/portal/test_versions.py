"""Versions of a published record through review (★): the one door, the diff, the audit, a withdrawn record reopened."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core.models import AuditEvent, Role
from gongkai.records import versions
from gongkai.records.models import Record, Status, VersionStatus
from gongkai.records.textdiff import diff_segments
from gongkai.search import index
from gongkai.search.query import search

from ..factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(site):
    return (member(site.gov, Role.EDITOR, "v-editor"), member(site.gov, Role.REVIEWER, "v-reviewer"),
            member(site.gov, Role.REVIEWER, "v-reviewer2"))


def test_a_new_version_is_public_only_once_published(client, site, people, django_capture_on_commit_callbacks):
    editor, reviewer, _ = people
    record = site.new_policy
    index.index_sync([record.pk])
    version = versions.record_version_open(actor=editor, record=record, reason="更正第二条中的日期")
    versions.record_version_update(actor=editor, version=version, title=record.title,
                                   summary=record.summary, body="<p>新规定正文。自2025年6月1日起施行。</p>")
    versions.record_version_submit(actor=editor, version=version)
    # the one door: the unpublished version never shows; the previous text stays public
    page = client.get(record.get_absolute_url()).content.decode()
    assert "自2025年6月1日起施行" not in page and "新规定正文" in page
    assert not search("2025年6月1日起施行").hits
    assert client.get(reverse("portal:record_diff", args=[record.pk, 1, 2])).status_code == 404
    with pytest.raises(PermissionDenied):
        versions.record_version_review(actor=editor, version=version, approve=True)  # editors do not review
    with django_capture_on_commit_callbacks(execute=True):
        versions.record_version_review(actor=reviewer, version=version, approve=True)
    record.refresh_from_db()
    assert "自2025年6月1日起施行" in record.body
    page = client.get(record.get_absolute_url()).content.decode()
    assert "自2025年6月1日起施行" in page and "版本记录" in page and "更正第二条中的日期" in page
    assert search("2025年6月1日起施行").hits[0].record == record  # the index followed at once
    diff = client.get(reverse("portal:record_diff", args=[record.pk, 1, 2])).content.decode()
    assert '<ins class="diff-ins">自2025年6月1日起施行。</ins>' in diff
    notes = list(AuditEvent.objects.for_object(record).values_list("note", flat=True))
    for note in ("第2版：新建版本", "第2版：修改版本", "第2版：送审", "第2版：审核通过并发布"):
        assert note in notes


def test_the_author_cannot_approve_and_only_one_open_version(site, people):
    editor, reviewer, reviewer2 = people
    from gongkai.core.models import Membership

    Membership.objects.create(user=reviewer, organ=site.gov, role=Role.EDITOR)  # edits and reviews
    version = versions.record_version_open(actor=reviewer, record=site.new_policy, reason="修订")
    with pytest.raises(versions.VersionError, match="已有一个正在编辑"):
        versions.record_version_open(actor=editor, record=site.new_policy, reason="另一次修订")
    versions.record_version_submit(actor=reviewer, version=version)
    with pytest.raises(versions.VersionError, match="编辑过该版本的人不能审核"):
        versions.record_version_review(actor=reviewer, version=version, approve=True)
    versions.record_version_review(actor=reviewer2, version=version, approve=False, comment="请补充依据")
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    with pytest.raises(PermissionDenied):
        versions.record_version_open(actor=member(site.office, Role.EDITOR, "v-other"), record=site.new_policy,
                                     reason="别的机关")


def test_a_withdrawn_record_is_reopened_as_a_corrected_version(client, site, people):
    editor, reviewer, _ = people
    Record.objects.filter(pk=site.news.pk).update(organ=site.gov)
    record = Record.objects.get(pk=site.news.pk)
    Record.objects.filter(pk=record.pk).update(status=Status.WITHDRAWN, withdrawal_reason="值班电话有误")
    assert client.get(record.get_absolute_url()).status_code == 410
    version = versions.record_version_open(actor=editor, record=Record.objects.get(pk=record.pk), reason="更正值班电话")
    versions.record_version_submit(actor=editor, version=version)
    assert client.get(record.get_absolute_url()).status_code == 410  # still withdrawn until approved
    versions.record_version_review(actor=reviewer, version=version, approve=True)
    assert Record.objects.get(pk=record.pk).status == Status.PUBLISHED
    assert client.get(record.get_absolute_url()).status_code == 200


def test_diff_is_by_character():
    assert diff_segments("预算为100万元", "预算为120万元") == [("=", "预算为1"), ("-", "0"), ("+", "2"), ("=", "0万元")]


def test_versions_page_in_the_workspace(client, site, people, django_capture_on_commit_callbacks):
    editor, reviewer, _ = people
    url = reverse("portal:staff_record_versions", args=[site.new_policy.pk])
    client.force_login(editor)
    assert url in client.get(reverse("workspace:record", args=[site.new_policy.pk])).content.decode()
    client.post(url, {"action": "open", "reason": "更正附则"})
    client.post(url, {"action": "save", "title": site.new_policy.title, "summary": "", "body": "<p>更正后的正文。</p>"})
    client.post(url, {"action": "submit"})
    refused = client.post(url, {"action": "approve"})
    assert refused.status_code == 403  # an editor does not review
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "approve"})
    assert "更正后的正文" in client.get(site.new_policy.get_absolute_url()).content.decode()
    client.force_login(member(site.office, Role.EDITOR, "v-outsider"))
    assert client.get(url).status_code == 403
