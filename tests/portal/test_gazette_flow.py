"""政府公报 produced on the platform: compose, order, PDF, review by a second person, publish."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType, Membership, Role
from gongkai.records import gazette
from gongkai.records.models import GazetteIssue, GazetteIssueStatus

from ..factories import RecordFactory, member
from ..programs import require_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(site):
    return member(site.gov, Role.EDITOR, "gz-editor"), member(site.gov, Role.REVIEWER, "gz-reviewer")


def test_compose_generate_review_publish(client, site, people, settings):
    editor, reviewer = people
    client.force_login(editor)
    response = client.post(reverse("portal:staff_gazettes"), {
        "gazette": site.gazette.pk, "year": 2025, "number": 5, "issued_on": "2025-05-10"})
    issue = GazetteIssue.objects.get(gazette=site.gazette, year=2025, number=5)
    assert response.status_code == 302 and issue.status == GazetteIssueStatus.DRAFT
    url = reverse("portal:staff_gazette_issue", args=[issue.pk])
    client.post(url, {"action": "add", "record": "保政规[2025]2号", "section": "市政府文件"})
    client.post(url, {"action": "add", "record": site.interp.title, "section": "政策解读"})
    draft = RecordFactory(organ=site.gov, genre=site.new_policy.genre, title="未公开的草稿")
    refused = client.post(url, {"action": "add", "record": draft.title, "section": "部门文件"})
    assert "没有找到已公开的文件" in refused.content.decode()
    contents = gazette.table_of_contents(issue)
    assert [s for s, _ in contents] == ["市政府文件", "政策解读"]
    assert contents[0][1][0].record == site.new_policy
    # not yet public: the public pages do not list it
    assert client.get(reverse("portal:gazette_issue", args=[issue.pk])).status_code == 404
    refused = client.post(url, {"action": "submit"}, follow=True)
    assert "送审前须收录文件并生成或上传PDF" in refused.content.decode()
    gazette.gazette_issue_build_pdf(actor=editor, issue=issue, convert=lambda docx: b"%PDF-1.4 " + docx[:10])
    issue.refresh_from_db()
    assert issue.pdf and issue.pdf.read().startswith(b"%PDF")
    client.post(url, {"action": "submit"})
    issue.refresh_from_db()
    assert issue.status == GazetteIssueStatus.SUBMITTED and issue.submitted_by == editor
    with pytest.raises(Exception, match="权限"):
        gazette.gazette_issue_review(actor=editor, issue=issue, approve=True)  # an editor cannot review
    client.force_login(reviewer)
    client.post(url, {"action": "approve"})
    issue.refresh_from_db()
    assert issue.is_published and issue.status == GazetteIssueStatus.PUBLISHED and issue.reviewed_by == reviewer
    public = client.get(reverse("portal:gazette_issue", args=[issue.pk])).content.decode()
    assert site.new_policy.get_absolute_url() in public and site.interp.get_absolute_url() in public
    notes = list(AuditEvent.objects.filter(event_type=AuditEventType.GAZETTE_CHANGED, object_id=str(issue.pk))
                 .values_list("note", flat=True))
    for note in ("新建公报期次", "收录文件", "生成PDF", "送审", "审核通过并发布"):
        assert note in notes


def test_the_submitter_cannot_approve_and_uploads_must_be_pdf(site, people):
    _, reviewer = people
    editor_and_reviewer = member(site.gov, Role.EDITOR, "gz-both")
    Membership.objects.create(user=editor_and_reviewer, organ=site.gov, role=Role.REVIEWER)
    issue = gazette.gazette_issue_create(actor=editor_and_reviewer, gazette=site.gazette, year=2025, number=6,
                                         issued_on=dt.date(2025, 6, 1))
    gazette.gazette_item_add(actor=editor_and_reviewer, issue=issue, record=site.new_policy, section="市政府文件")
    with pytest.raises(gazette.GazetteError, match="不是PDF"):
        gazette.gazette_issue_upload_pdf(actor=editor_and_reviewer, issue=issue,
                                         upload=SimpleUploadedFile("x.pdf", b"<html>not a pdf"))
    gazette.gazette_issue_upload_pdf(actor=editor_and_reviewer, issue=issue,
                                     upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 printed"))
    gazette.gazette_issue_submit(actor=editor_and_reviewer, issue=issue)
    with pytest.raises(gazette.GazetteError, match="送审人不能审核"):
        gazette.gazette_issue_review(actor=editor_and_reviewer, issue=issue, approve=True)
    gazette.gazette_issue_review(actor=reviewer, issue=issue, approve=False, comment="请补充人事任免")
    issue.refresh_from_db()
    assert issue.status == GazetteIssueStatus.DRAFT and not issue.is_published


def test_print_ready_pdf_through_libreoffice(site, people):
    require_program("soffice")
    editor, _ = people
    issue = gazette.gazette_issue_create(actor=editor, gazette=site.gazette, year=2025, number=7,
                                         issued_on=dt.date(2025, 7, 1))
    gazette.gazette_item_add(actor=editor, issue=issue, record=site.new_policy, section="市政府文件")
    gazette.gazette_issue_build_pdf(actor=editor, issue=issue)
    issue.refresh_from_db()
    assert issue.pdf.read(5) == b"%PDF-"


def test_public_gazette_years_are_the_years_with_issues(client, site):
    body = client.get(reverse("portal:gazettes")).content.decode()
    start = body.index('<select name="year"')
    years = body[start:body.index("</select>", start)]
    assert "2025年" in years and "2024年" not in years
    assert site.issue.gazette.name in client.get(reverse("portal:gazettes"), {"year": 2025}).content.decode()
