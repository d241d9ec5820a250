"""口径库 services: review before use, the automatic flagging of entries, the public door, search."""

import datetime as dt

import pytest
from django.db import IntegrityError

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.participation.errors import ParticipationActionError
from gongkai.participation.models import Answer, AnswerStatus
from gongkai.participation.selectors import answers as sel
from gongkai.participation.services import answers as svc
from gongkai.records import services as record_services
from gongkai.records.models import Validity
from tests import factories


@pytest.fixture
def drafter(organ):
    return factories.member(organ, Role.EDITOR, "answer_drafter")


@pytest.fixture
def checker(organ):
    return factories.member(organ, Role.REVIEWER, "answer_checker")


@pytest.fixture
def policy(organ):
    return factories.RecordFactory(organ=organ, published=True, title="保定市住房公积金提取管理办法")


def usable(organ, drafter, checker, *, bases=(), **data):
    fields = {"question": "租房提取公积金需要什么材料？", "phrasings": "公积金租房提取\n租房怎么取公积金",
              "answer": "携带身份证和租房合同到公积金中心办理。"}
    fields.update(data)
    entry = svc.answer_create(actor=drafter, organ=organ, data=fields, bases=bases)
    svc.answer_submit(actor=drafter, answer=entry)
    return svc.answer_review(actor=checker, answer=entry, approve=True)


@pytest.mark.django_db
def test_draft_review_usable_and_public(organ, drafter, checker, policy):
    entry = svc.answer_create(actor=drafter, organ=organ, bases=[(policy, "第十二条")],
                              data={"question": "租房提取公积金需要什么材料？", "answer": "携带身份证办理。"})
    assert entry.status == AnswerStatus.DRAFT and not Answer.objects.public().exists()
    assert list(entry.bases.values_list("article", flat=True)) == ["第十二条"]
    svc.answer_submit(actor=drafter, answer=entry)
    assert not Answer.objects.public().exists()
    with pytest.raises(ParticipationActionError, match="不能审核它"):
        factories.MembershipFactory(user=drafter, organ=organ, role=Role.REVIEWER)
        svc.answer_review(actor=drafter, answer=entry, approve=True)
    with pytest.raises(ParticipationActionError, match="写明"):
        svc.answer_review(actor=checker, answer=entry, approve=False)
    svc.answer_review(actor=checker, answer=entry, approve=True)
    assert list(Answer.objects.public()) == [entry]
    assert list(sel.answers_for_record(policy)) == [entry]
    kinds = list(AuditEvent.objects.for_object(entry).order_by("id").values_list("event_type", flat=True))
    assert kinds == [AuditEventType.ANSWER_CHANGED, AuditEventType.ANSWER_CHANGED, AuditEventType.ANSWER_REVIEWED]


@pytest.mark.django_db
def test_internal_and_expired_entries_are_not_public(organ, drafter, checker):
    internal = usable(organ, drafter, checker, is_public=False)
    expired = usable(organ, drafter, checker, question="过期口径", valid_until=dt.date(2020, 1, 1))
    assert not Answer.objects.public().exists()
    assert internal in Answer.objects.usable() and expired not in Answer.objects.usable()


@pytest.mark.django_db
def test_validity_order_constraint(organ):
    with pytest.raises(IntegrityError):
        Answer.objects.create(organ=organ, question="q", answer="a", valid_from=dt.date(2025, 2, 1),
                              valid_until=dt.date(2025, 1, 1))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("validity", [Validity.REVISED, Validity.REPEALED, Validity.EXPIRED])
def test_entry_is_flagged_when_its_basis_stops_being_in_force(organ, drafter, checker, policy, validity):
    entry = usable(organ, drafter, checker, bases=[(policy, "第十二条")])
    other = usable(organ, drafter, checker, question="无依据的口径")
    record_services.record_set_validity(actor=drafter, record=policy, validity=validity)  # a published record's
    record_services.record_validity_change_decide(  # validity changes once a second person approves
        actor=checker, change=policy.validity_changes.get(), approve=True)
    entry.refresh_from_db()
    assert entry.status == AnswerStatus.FLAGGED
    assert policy.title in entry.flag_reason
    assert list(Answer.objects.public()) == [other]
    assert not sel.answers_for_record(policy).exists()
    assert AuditEvent.objects.for_object(entry).filter(event_type=AuditEventType.ANSWER_FLAGGED).exists()
    # Reviewing it again needs a basis that is in force.
    svc.answer_update(actor=drafter, answer=entry, data={"answer": "按新办法办理。"})
    svc.answer_submit(actor=drafter, answer=entry)
    with pytest.raises(ParticipationActionError, match=policy.title):
        svc.answer_review(actor=checker, answer=entry, approve=True)
    entry.refresh_from_db()
    assert entry.status == AnswerStatus.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_withdrawn_basis_flags_the_entry(organ, drafter, checker, policy):
    entry = usable(organ, drafter, checker, bases=[(policy, "")])
    record_services.record_withdraw(actor=checker, record=policy, reason="发布有误")
    entry.refresh_from_db()
    assert entry.status == AnswerStatus.FLAGGED


@pytest.mark.django_db
def test_daily_sweep_flags_an_expired_validity_period(organ, drafter, checker, policy):
    entry = usable(organ, drafter, checker, bases=[(policy, "")])
    type(policy).objects.filter(pk=policy.pk).update(valid_until=dt.date(2020, 1, 1))  # ran out, no service call
    assert svc.answers_flag_check() == 1
    entry.refresh_from_db()
    assert entry.status == AnswerStatus.FLAGGED and "已失效" in entry.flag_reason
    assert svc.answers_flag_check() == 0


@pytest.mark.django_db
def test_flagged_entry_back_in_use_after_new_basis_and_review(organ, drafter, checker, policy):
    entry = usable(organ, drafter, checker, bases=[(policy, "")])
    type(policy).objects.filter(pk=policy.pk).update(validity=Validity.REPEALED)
    svc.answers_flag_check()
    entry.refresh_from_db()
    new_policy = factories.RecordFactory(organ=organ, published=True, title="新办法")
    svc.answer_update(actor=drafter, answer=entry, data={"answer": "按新办法办理。"}, bases=[(new_policy, "第三条")])
    svc.answer_submit(actor=drafter, answer=entry)
    svc.answer_review(actor=checker, answer=entry, approve=True)
    entry.refresh_from_db()
    assert entry.status == AnswerStatus.USABLE and entry.flag_reason == ""
    assert list(sel.answers_for_record(new_policy)) == [entry]


@pytest.mark.django_db
def test_permissions_per_organ(organ, other_organ, drafter, checker, other_editor):
    with pytest.raises(Exception, match="权限"):
        svc.answer_create(actor=other_editor, organ=organ, data={"question": "q", "answer": "a"})
    entry = usable(organ, drafter, checker)
    assert not sel.staff_answers(other_editor).filter(organ=organ).exists()
    assert list(sel.staff_answers(drafter)) == [entry]
    # Public entries of any organ may be inserted by anyone handling messages.
    assert list(sel.insertable_answers(other_editor)) == [entry]


@pytest.mark.django_db
def test_search_is_substring_over_question_phrasings_and_answer(organ, drafter, checker):
    entry = usable(organ, drafter, checker)
    other = usable(organ, drafter, checker, question="养老保险怎么交？", phrasings="", answer="按月缴纳。")
    assert list(sel.public_answers(q="租房怎么取")) == [entry]  # a phrasing
    assert list(sel.public_answers(q="合同")) == [entry]  # the answer
    assert list(sel.public_answers(q="ＰＰ")) == []
    assert list(sel.public_answers(q="养老 按月")) == [other]
    assert set(sel.public_answers()) == {entry, other}
    assert sel.suggest_answers("租房公积金提取要带什么")[0] == entry


@pytest.mark.django_db
def test_retire_and_restore(organ, drafter, checker):
    entry = usable(organ, drafter, checker)
    with pytest.raises(ParticipationActionError, match="原因"):
        svc.answer_retire(actor=drafter, answer=entry, reason="")
    svc.answer_retire(actor=drafter, answer=entry, reason="政策调整")
    assert not Answer.objects.usable().exists()
    svc.answer_restore(actor=drafter, answer=entry)
    entry.refresh_from_db()
    assert entry.status == AnswerStatus.DRAFT
