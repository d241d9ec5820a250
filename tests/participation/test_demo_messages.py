"""The demo's message box and 口径库: every state, a flagged entry, nothing duplicated on a second run."""

import pytest

from gongkai.core.models import AuditEvent
from gongkai.ops.demo.loader import load_demo
from gongkai.participation.models import Answer, AnswerStatus, Message, MessageStatus


@pytest.mark.django_db
def test_demo_messages_in_every_state_and_a_flagged_entry():
    summary = load_demo(records=10, applications=0)
    assert "口径库" in summary.messages
    statuses = set(Message.objects.values_list("status", flat=True))
    assert set(MessageStatus.values) <= statuses, statuses
    assert Message.objects.public().exists() and Message.objects.filter(transfers__isnull=False).exists()
    assert Message.objects.exclude(due_on=None).filter(status=MessageStatus.RECEIVED).exists()
    for m in Message.objects.public():
        assert m.name not in m.public_body and m.phone not in m.public_body
    assert Answer.objects.public().count() >= 15  # three questions about each seed policy
    cited = Message.objects.public().filter(replies__answers_used__isnull=False).distinct()
    assert cited.exists()  # published replies written from a reviewed 口径库 entry
    for m in cited:
        entry = m.public_reply().answers_used.get()
        assert entry.answer in m.public_reply().body and Answer.objects.usable().filter(pk=entry.pk).exists()
    assert Message.objects.filter(ratings__isnull=False).exists()
    flagged = Answer.objects.filter(status=AnswerStatus.FLAGGED)
    assert flagged.count() == 1
    assert "已废止" in flagged.get().flag_reason or "已修订" in flagged.get().flag_reason
    counts = (Message.objects.count(), Answer.objects.count(), AuditEvent.objects.count())
    load_demo(records=10, applications=0)
    assert (Message.objects.count(), Answer.objects.count()) == counts[:2]
