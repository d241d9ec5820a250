"""The demo's message senders have random-looking phone numbers, the same on every run (audit finding 9)."""

import pytest

from gongkai.ops.demo.loader import load_demo
from gongkai.ops.demo.participation_messages import sender_phone
from gongkai.participation.models import Message


@pytest.mark.django_db
def test_demo_sender_phones_are_not_a_guessable_sequence():
    load_demo(records=10, applications=0)
    phones = list(Message.objects.exclude(phone="").values_list("phone", flat=True))
    assert len(phones) >= 10
    tails = {p[-4:] for p in phones}
    assert len(tails) >= len(phones) * 0.8  # spread out, not nine numbers reused
    assert not tails & {f"{i:04d}" for i in range(1, 11)}
    assert all(len(p) == 11 and p.isdigit() and p[0] == "1" for p in phones)
    m = Message.objects.exclude(phone="").select_related("organ").first()
    assert sender_phone(m.organ, 0) == sender_phone(m.organ, 0)  # reproducible from the seed
