import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.records import services
from gongkai.records.models import Attribute, Record, ReviewDecision, Status


def _draft(editor, organ, genre, **extra):
    data = {"title": "关于印发测试办法的通知", "genre": genre, "doc_no": "保政办函[2021]15号", "written_on": dt.date(2021, 3, 1),
            "body": "<p>正文</p><script>alert(1)</script>", **extra}
    return services.record_create(actor=editor, organ=organ, data=data)


def _approve(reviewer, record, **kw):
    return services.record_review(actor=reviewer, record=record, decision=ReviewDecision.APPROVED,
                                  confidentiality_opinion="经审查，不涉及国家秘密。", attribute_confirmed=record.attribute, **kw)


def test_create_normalises_and_audits(editor, organ, genre):
    record = _draft(editor, organ, genre)
    assert record.doc_no == "保政办函〔2021〕15号"
    assert "<script>" not in record.body
    assert record.index_no == f"{organ.code}/2021-00001"
    assert record.status == Status.DRAFT
    event = AuditEvent.objects.for_object(record).get()
    assert event.event_type == AuditEventType.RECORD_CREATED
    assert event.actor == editor
    assert event.changes["title"] == [None, "关于印发测试办法的通知"]


def test_index_numbers_are_sequential_per_organ_and_year(editor, organ, genre):
    numbers = [_draft(editor, organ, genre).index_no for _ in range(3)]
    numbers.append(_draft(editor, organ, genre, written_on=dt.date(2022, 1, 5)).index_no)
    assert numbers == [f"{organ.code}/2021-00001", f"{organ.code}/2021-00002", f"{organ.code}/2021-00003",
                       f"{organ.code}/2022-00001"]


def test_full_flow_reaches_public(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    assert not Record.objects.public().filter(pk=record.pk).exists()
    services.record_submit(actor=editor, record=record)
    _approve(reviewer, record, publish="now")
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert Record.objects.public().filter(pk=record.pk).exists()
    kinds = list(AuditEvent.objects.for_object(record).order_by("id").values_list("event_type", flat=True))
    assert kinds == [AuditEventType.RECORD_CREATED, AuditEventType.RECORD_SUBMITTED,
                     AuditEventType.RECORD_APPROVED, AuditEventType.RECORD_PUBLISHED]


def test_author_cannot_approve_own_record(organ, genre, editor):
    from gongkai.core.models import Membership, Role

    Membership.objects.create(user=editor, organ=organ, role=Role.REVIEWER)
    record = _draft(editor, organ, genre)
    services.record_submit(actor=editor, record=record)
    with pytest.raises(services.RecordActionError, match="不能审核"):
        _approve(editor, record)


def test_cannot_publish_without_review(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    with pytest.raises(services.RecordActionError):
        services.record_publish(actor=reviewer, record=record)
    services.record_submit(actor=editor, record=record)
    with pytest.raises(services.RecordActionError):
        services.record_publish(actor=reviewer, record=record)
    assert not Record.objects.public().exists()


def test_editor_of_other_organ_is_refused(other_editor, organ, genre, editor):
    with pytest.raises(PermissionDenied):
        _draft(other_editor, organ, genre)
    record = _draft(editor, organ, genre)
    with pytest.raises(PermissionDenied):
        services.record_update(actor=other_editor, record=record, data={"title": "改"})


def test_return_sends_back_with_comment(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    services.record_submit(actor=editor, record=record)
    services.record_review(actor=reviewer, record=record, decision=ReviewDecision.RETURNED,
                           confidentiality_opinion="需修改", attribute_confirmed=Attribute.PROACTIVE, comment="请补充附件")
    record.refresh_from_db()
    assert record.status == Status.RETURNED
    services.record_update(actor=editor, record=record, data={"title": "新标题"})
    services.record_submit(actor=editor, record=record)
    # the old approval-less review does not count: publishing still needs a fresh approval
    with pytest.raises(services.RecordActionError):
        services.record_publish(actor=reviewer, record=record)


def test_scheduled_publication_goes_live_when_due(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    services.record_submit(actor=editor, record=record)
    at = timezone.now() + dt.timedelta(hours=2)
    _approve(reviewer, record, publish="schedule", publish_at=at)
    record.refresh_from_db()
    assert record.status == Status.SCHEDULED
    assert not Record.objects.public().filter(pk=record.pk).exists()
    assert services.record_publish_due(now=timezone.now()) == (0, 0)
    assert services.record_publish_due(now=at + dt.timedelta(seconds=1)) == (1, 0)
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert not Record.objects.public().filter(pk=record.pk).exists()  # its time has not come in real time
    assert Record.objects.public(now=at).filter(pk=record.pk).exists()


def test_scheduled_publication_revalidated(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    services.record_submit(actor=editor, record=record)
    at = timezone.now() + dt.timedelta(hours=2)
    _approve(reviewer, record, publish="schedule", publish_at=at)
    organ.is_active = False
    organ.save()
    assert services.record_publish_due(now=at + dt.timedelta(seconds=1)) == (0, 1)
    record.refresh_from_db()
    assert record.status == Status.APPROVED


def test_withdraw_needs_reason_and_leaves_public(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre)
    services.record_submit(actor=editor, record=record)
    _approve(reviewer, record, publish="now")
    with pytest.raises(services.RecordActionError):
        services.record_withdraw(actor=reviewer, record=record, reason=" ")
    services.record_withdraw(actor=reviewer, record=record, reason="内容有误")
    assert not Record.objects.public().filter(pk=record.pk).exists()


def test_nonpublic_attribute_needs_reason(editor, organ, genre):
    with pytest.raises(services.RecordActionError, match="理由"):
        _draft(editor, organ, genre, attribute=Attribute.ON_REQUEST)


def test_redetermination_turns_filed_record_public(editor, reviewer, organ, genre):
    record = _draft(editor, organ, genre, attribute=Attribute.ON_REQUEST, attribute_reason="涉及个人信息")
    services.record_submit(actor=editor, record=record)
    _approve(reviewer, record)
    record.refresh_from_db()
    assert record.status == Status.FILED
    assert list(services.redetermination_candidates([organ])) == [record]
    services.record_request_redetermination(actor=editor, records=[record], reason="不公开的理由已消失")
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.proposed_attribute == Attribute.PROACTIVE
    services.record_review(actor=reviewer, record=record, decision=ReviewDecision.APPROVED,
                           confidentiality_opinion="可以公开", attribute_confirmed=Attribute.PROACTIVE, publish="now")
    record.refresh_from_db()
    assert record.attribute == Attribute.PROACTIVE and record.attribute_reason == ""
    assert Record.objects.public().filter(pk=record.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_record_changed_is_sent_once_per_transaction(editor, reviewer, organ, genre):
    from django.db import transaction

    sent = []

    def listener(sender, record_ids, **kwargs):
        sent.append(list(record_ids))

    services.record_changed.connect(listener, dispatch_uid="test-listener")
    try:
        with transaction.atomic():
            a = _draft(editor, organ, genre)
            b = _draft(editor, organ, genre)
            for r in (a, b):
                services.record_submit(actor=editor, record=r)
                _approve(reviewer, r, publish="now")
            assert sent == []  # nothing before commit
        assert sent == [sorted([a.pk, b.pk])]
        sent.clear()
        with pytest.raises(RuntimeError), transaction.atomic():
            services.record_withdraw(actor=reviewer, record=a, reason="回滚")
            raise RuntimeError
        assert sent == []  # rolled back: nothing announced
        services.record_withdraw(actor=reviewer, record=b, reason="撤回")
        assert sent == [[b.pk]]  # and the next transaction still announces
    finally:
        services.record_changed.disconnect(dispatch_uid="test-listener")
