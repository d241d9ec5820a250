"""Findings 1, 2, 8 and 10 of the security audit: nobody reviews their own change, making
anything public takes a second person, and deleted rows take their files with them."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongkai.core.models import AuditEvent, AuditEventType, Membership, Role
from gongkai.records import services
from gongkai.records.models import Attachment, Record, ReviewDecision, Status, Validity

from ..factories import member


def _draft(editor, organ, genre):
    return services.record_create(actor=editor, organ=organ, data={
        "title": "关于印发测试办法的通知", "genre": genre, "written_on": dt.date(2021, 3, 1), "body": "<p>正文</p>"})


def _approve(reviewer, record, **kw):
    return services.record_review(actor=reviewer, record=record, decision=ReviewDecision.APPROVED,
                                  confidentiality_opinion="经审查，不涉及国家秘密。", attribute_confirmed=record.attribute, **kw)


def _file(text="内容"):
    return ContentFile(text.encode(), name="附件.txt")


@pytest.fixture
def second_reviewer(organ):
    return member(organ, Role.REVIEWER, "second_reviewer")


@pytest.fixture
def editor_reviewer(organ):
    user = member(organ, Role.EDITOR, "editor_reviewer")
    Membership.objects.create(user=user, organ=organ, role=Role.REVIEWER)
    return user


def _published(editor, reviewer, organ, genre, *, withheld_attachment=False):
    record = _draft(editor, organ, genre)
    if withheld_attachment:
        services.attachment_add(actor=editor, record=record, file=_file(), withheld=True, withheld_reason="含个人信息")
    services.record_submit(actor=editor, record=record)
    _approve(reviewer, record, publish="now")
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    return record


# -- 1. self-review through an attachment -----------------------------------------------------


def test_adding_an_attachment_to_someone_elses_draft_makes_you_an_author(editor, editor_reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    services.attachment_add(actor=editor_reviewer, record=record, file=_file())
    services.record_submit(actor=editor, record=record)
    assert services.record_review_failure_reason(actor=editor_reviewer, record=record)
    with pytest.raises(services.RecordActionError, match="不能审核"):
        _approve(editor_reviewer, record)


def test_changing_an_attachments_withholding_under_review_makes_you_an_author(editor, reviewer, second_reviewer,
                                                                             organ, genre):
    record = _draft(editor, organ, genre)
    attachment = services.attachment_add(actor=editor, record=record, file=_file())
    services.record_submit(actor=editor, record=record)
    services.attachment_set_withheld(actor=reviewer, attachment=attachment, withheld=True, reason="含个人信息")
    with pytest.raises(services.RecordActionError, match="不能审核"):
        _approve(reviewer, record)
    _approve(second_reviewer, record)  # someone who changed nothing may
    assert Record.objects.get(pk=record.pk).status == Status.APPROVED


def test_authorship_ends_with_the_version_it_belongs_to(editor, reviewer, organ, genre):
    """A reviewer who approved an earlier version (and changed nothing since) is not an author of the next."""
    record = _draft(editor, organ, genre)
    services.record_submit(actor=editor, record=record)
    assert reviewer.pk not in services.record_authors(record)
    assert services.record_authors(record) == {editor.pk}


# -- 2. un-withholding goes through a second person -------------------------------------------


def test_unwithholding_an_attachment_of_a_published_record_needs_a_second_reviewer(editor, reviewer, second_reviewer,
                                                                                   organ, genre):
    record = _published(editor, reviewer, organ, genre, withheld_attachment=True)
    attachment = record.attachments.get()
    services.attachment_set_withheld(actor=reviewer, attachment=attachment, withheld=False, reason="个人信息已删除")
    attachment.refresh_from_db()
    assert attachment.withheld  # only a request so far
    assert attachment.disclosure_requested_by == reviewer
    with pytest.raises(services.RecordActionError, match="另一位审核人"):
        services.attachment_set_withheld(actor=reviewer, attachment=attachment, withheld=False)
    assert Attachment.objects.get(pk=attachment.pk).withheld
    services.attachment_set_withheld(actor=second_reviewer, attachment=attachment, withheld=False)
    attachment.refresh_from_db()
    assert not attachment.withheld and attachment.disclosure_requested_by is None
    kinds = list(AuditEvent.objects.for_object(record).order_by("id").values_list("event_type", "actor"))
    assert kinds[-2:] == [(AuditEventType.ATTACHMENT_DISCLOSURE_REQUESTED, reviewer.pk),
                          (AuditEventType.ATTACHMENT_UNWITHHELD, second_reviewer.pk)]


def test_the_audit_row_of_unwithholding_says_so(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    attachment = services.attachment_add(actor=editor, record=record, file=_file(), withheld=True, withheld_reason="x")
    services.attachment_set_withheld(actor=editor, attachment=attachment, withheld=False)
    event = AuditEvent.objects.for_object(record).order_by("-id").first()
    assert event.event_type == AuditEventType.ATTACHMENT_UNWITHHELD
    assert event.get_event_type_display() == "附件转为公开"


# -- 8. validity of a published record --------------------------------------------------------


def test_an_editor_cannot_repeal_a_published_record_alone(editor, reviewer, organ, genre):
    record = _published(editor, reviewer, organ, genre)
    services.record_set_validity(actor=editor, record=record, validity=Validity.REPEALED, note="已被新办法替代")
    assert Record.objects.get(pk=record.pk).validity == Validity.VALID
    change = record.validity_changes.get()
    assert change.is_pending
    with pytest.raises(services.RecordActionError, match="待审批"):
        services.record_set_validity(actor=editor, record=record, validity=Validity.EXPIRED)
    services.record_validity_change_decide(actor=reviewer, change=change, approve=True)
    assert Record.objects.get(pk=record.pk).validity == Validity.REPEALED
    event = AuditEvent.objects.for_object(record).filter(event_type=AuditEventType.RECORD_VALIDITY_CHANGED).get()
    assert event.actor == reviewer and event.changes["validity"] == ["valid", "repealed"]


def test_the_requester_cannot_approve_their_own_validity_change(editor_reviewer, editor, reviewer, organ, genre):
    record = _published(editor, reviewer, organ, genre)
    services.record_set_validity(actor=editor_reviewer, record=record, validity=Validity.REPEALED)
    change = record.validity_changes.get()
    with pytest.raises(services.RecordActionError, match="不能自己审批"):
        services.record_validity_change_decide(actor=editor_reviewer, change=change, approve=True)
    services.record_validity_change_decide(actor=reviewer, change=change, approve=False, comment="仍然有效")
    assert Record.objects.get(pk=record.pk).validity == Validity.VALID
    assert AuditEvent.objects.for_object(record).filter(
        event_type=AuditEventType.RECORD_VALIDITY_CHANGE_REJECTED, actor=reviewer).exists()


def test_a_drafts_validity_changes_at_once(editor, organ, genre):
    record = _draft(editor, organ, genre)
    services.record_set_validity(actor=editor, record=record, validity=Validity.REVISED)
    assert Record.objects.get(pk=record.pk).validity == Validity.REVISED


# -- 10. files left behind --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_deleting_a_draft_deletes_its_attachment_files(editor, organ, genre):
    record = _draft(editor, organ, genre)
    attachment = services.attachment_add(actor=editor, record=record, file=_file())
    name = attachment.file.name
    assert default_storage.exists(name)
    services.record_delete_draft(actor=editor, record=record)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_deletion_keeps_the_file(editor, organ, genre):
    from django.db import transaction

    record = _draft(editor, organ, genre)
    attachment = services.attachment_add(actor=editor, record=record, file=_file())
    name = attachment.file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        services.attachment_remove(actor=editor, attachment=attachment)
        raise RuntimeError
    assert default_storage.exists(name)
    services.attachment_remove(actor=editor, attachment=Attachment.objects.get(name="附件.txt"))
    assert not default_storage.exists(name)
