"""Every consultation state change writes its audit row, with before and after, in the same transaction."""

import pytest
from django.db import transaction

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.participation.errors import ParticipationActionError
from gongkai.participation.models import CommentModeration, Consultation, Disposition
from gongkai.participation.services import consultations as svc

pytestmark = pytest.mark.django_db


def _last(obj):
    return AuditEvent.objects.for_object(obj).order_by("-id").first()


def test_audit_rows_with_changes(organ, editor, reviewer, closed_with_comments):
    c, comments = closed_with_comments
    first = comments[0]
    received = AuditEvent.objects.for_object(first).get()
    assert received.event_type == AuditEventType.COMMENT_RECEIVED and received.actor is None
    svc.comment_moderate(actor=editor, comment=first, moderation=CommentModeration.SHOWN)
    row = _last(first)
    assert row.event_type == AuditEventType.COMMENT_MODERATED and row.actor == editor
    assert row.changes["moderation"] == ["pending", "shown"]
    svc.comment_dispose(actor=editor, comment=first, disposition=Disposition.NOT_ADOPTED, reason="与上位法不一致。")
    row = _last(first)
    assert row.event_type == AuditEventType.COMMENT_DISPOSED
    assert row.changes["disposition"] == ["", "not_adopted"] and row.changes["disposition_reason"][1] == "与上位法不一致。"
    closed = AuditEvent.objects.for_object(c).get(event_type=AuditEventType.CONSULTATION_CLOSED)
    assert closed.organ == organ and "自动结束" in closed.note


def test_a_refused_action_writes_nothing(organ, editor, closed_with_comments):
    c, comments = closed_with_comments
    before = AuditEvent.objects.count()
    with pytest.raises(ParticipationActionError):
        svc.comment_dispose(actor=editor, comment=comments[0], disposition="bogus", reason="x")
    with pytest.raises(ParticipationActionError):
        svc.feedback_submit(actor=editor, consultation=c)
    assert AuditEvent.objects.count() == before


def test_audit_row_rolls_back_with_the_change(organ, reviewer, open_consultation):
    with pytest.raises(RuntimeError), transaction.atomic():
        svc.consultation_close(actor=reviewer, consultation=open_consultation, reason="提前结束。")
        raise RuntimeError
    assert Consultation.objects.get(pk=open_consultation.pk).status == "published"
    assert not AuditEvent.objects.for_object(open_consultation).exists()
