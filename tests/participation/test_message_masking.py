"""What a published message shows: hypothesis over generated messages and replies that contain the sender's
name, phone and ID numbers anywhere in their texts; none of it reaches the public texts or the public pages."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.models import Role
from gongkai.participation.models import Message, MessageKind
from gongkai.participation.services import messages as svc
from tests import factories

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超兰霞平刚桂"
FILLER = "关于公积金提取的问题请问租房需要什么材料谢谢办理地点在哪里时间多久，。？"

name = st.builds(lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(alphabet=GIVEN, min_size=1, max_size=2))
mobile = st.builds(lambda d, sep: sep.join([d[:3], d[3:7], d[7:]]) if sep else d,
                   st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", " ", "-"]))
landline = st.from_regex(r"0[1-9][0-9]{1,2}-[2-8][0-9]{6,7}", fullmatch=True)
id_number = st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True)
filler = st.text(alphabet=FILLER, max_size=12)


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(person=name, phone=mobile, other=landline, idn=id_number, parts=st.lists(filler, min_size=4, max_size=4),
       intro=st.sampled_from(["我叫", "姓名：", "联系人"]))
def test_published_texts_never_carry_the_senders_name_phone_or_id(organ, person, phone, other, idn, parts, intro):
    author, reviewer = factories.member(organ, Role.EDITOR), factories.member(organ, Role.REVIEWER)
    body = f"{parts[0]}{intro}{person}，电话{phone}{parts[1]}，身份证号{idn}，家里座机{other}{parts[2]}"
    m = svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject=f"{person}咨询{parts[3]}"[:100],
                           body=body, name=person, phone=phone, may_publish=True)
    svc.message_reply_draft(actor=author, message=m, body=f"{person}您好：已收到您的来电{phone}，身份证{idn}核验无误。")
    svc.message_reply_submit(actor=author, message=m)
    reply = svc.message_reply_review(actor=reviewer, message=m, approve=True)
    m.refresh_from_db()
    assert Message.objects.public().filter(pk=m.pk).exists()
    public = "\n".join([m.public_subject, m.public_body, reply.public_body, m.search_text])
    assert person not in public and person[0] + "某" in m.public_body
    for secret in (phone, other, idn):
        assert _digits(secret) not in _digits(public)
    page = Client().get(m.get_absolute_url()).content.decode()
    assert "***" in page and person[0] + "某" in page  # the masked message is what the page shows
    assert person not in page and idn not in page and phone not in page and _digits(phone) not in page
