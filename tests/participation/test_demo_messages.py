"""The demo's message box and 口径库: every state, a flagged entry, nothing duplicated on a second run;
its senders have random-looking phone numbers, the same on every run (audit finding 9). One demo load
for both (a load is the slowest part of these tests)."""

import pytest

from gongkai.core.models import AuditEvent
from gongkai.ops.demo.loader import load_demo
from gongkai.ops.demo.participation_messages import sender_phone
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
    _assert_sender_phones_are_not_a_guessable_sequence()
    counts = (Message.objects.count(), Answer.objects.count(), AuditEvent.objects.count())
    phones = sorted(Message.objects.exclude(phone="").values_list("phone", flat=True))
    load_demo(records=10, applications=0)
    assert (Message.objects.count(), Answer.objects.count()) == counts[:2]
    assert sorted(Message.objects.exclude(phone="").values_list("phone", flat=True)) == phones


def _assert_sender_phones_are_not_a_guessable_sequence():
    phones = list(Message.objects.exclude(phone="").values_list("phone", flat=True))
    assert len(phones) >= 10
    tails = {p[-4:] for p in phones}
    assert len(tails) >= len(phones) * 0.8  # spread out, not nine numbers reused
    assert not tails & {f"{i:04d}" for i in range(1, 11)}
    assert all(len(p) == 11 and p.isdigit() and p[0] == "1" for p in phones)
    m = Message.objects.exclude(phone="").select_related("organ").first()
    assert sender_phone(m.organ, 0) == sender_phone(m.organ, 0)  # reproducible from the seed
