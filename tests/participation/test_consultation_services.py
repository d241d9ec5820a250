import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.participation.errors import ParticipationActionError
from gongkai.participation.models import (
    CommentModeration,
    Consultation,
    ConsultationStatus,
    Disposition,
    FeedbackStatus,
)
from gongkai.participation.services import consultations as svc
from gongkai.records.models import Record
from tests import factories

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


def _data(**over):
    today = timezone.localdate()
    data = {
        "title": "关于《保定市停车管理办法（征求意见稿）》公开征求意见的公告",
        "kind": "regulation",
        "purpose": "为规范停车管理，拟制定本办法。",
        "draft_text": "<p>第一条 为了规范停车管理，制定本办法。</p><script>alert(1)</script>",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=29),
        "allow_anonymous": True,
    }
    data.update(over)
    return data


def test_full_lifecycle_from_draft_to_published_feedback(organ, editor, reviewer):
    # the editor may also review, but never what they wrote themselves
    factories.MembershipFactory(user=editor, organ=organ, role=Role.REVIEWER)
    c = svc.consultation_create(actor=editor, organ=organ, data=_data(),
                                sections=[{"heading": "第一条", "text": "为了规范停车管理，制定本办法。"}],
                                questions=[{"text": "您是否赞成收费？", "kind": "single", "options": ["赞成", "反对"]}])
    assert "<script>" not in c.draft_text
    assert not Consultation.objects.public().filter(pk=c.pk).exists()
    svc.consultation_submit(actor=editor, consultation=c)
    with pytest.raises(ParticipationActionError, match="不能审核"):
        svc.consultation_review(actor=editor, consultation=c, decision="approved", opinion="不涉密")
    svc.consultation_review(actor=reviewer, consultation=c, decision="approved", opinion="经审查，不涉及国家秘密。",
                            publish_now=True)
    c.refresh_from_db()
    assert c.status == ConsultationStatus.PUBLISHED
    assert Consultation.objects.public().filter(pk=c.pk).exists()

    section = c.sections.get()
    question = c.questions.get()
    first = svc.comment_submit(consultation=c, body="建议第一条增加“方便群众”。我叫张三丰，电话13812345678。",
                               name="张三丰", email="zhang@example.org", section=section,
                               answers={str(question.pk): "赞成"})
    second = svc.comment_submit(consultation=c, body="收费标准过高。", anonymous=True)
    assert first.receipt_code != second.receipt_code and len(first.receipt_code) == 10
    assert first.answers == {str(question.pk): "赞成"}

    svc.comment_moderate(actor=editor, comment=first, moderation=CommentModeration.SHOWN)
    first.refresh_from_db()
    assert "13812345678" not in first.public_text and "张三丰" not in first.public_text
    svc.comment_moderate(actor=editor, comment=second, moderation=CommentModeration.NOT_SHOWN)

    # the period ends: the scheduled job closes it, and only it
    assert svc.consultation_close_due(today=c.ends_on) == 0
    assert svc.consultation_close_due(today=c.ends_on + dt.timedelta(days=1)) == 1
    c.refresh_from_db()
    assert c.status == ConsultationStatus.CLOSED
    close_event = AuditEvent.objects.for_object(c).get(event_type=AuditEventType.CONSULTATION_CLOSED)
    assert close_event.actor is None and close_event.changes["status"] == ["published", "closed"]

    svc.feedback_save(actor=editor, consultation=c, main_opinions="主要集中在收费标准。", changes="删除了第五条。")
    with pytest.raises(ParticipationActionError, match="2条意见没有填写采纳情况"):
        svc.feedback_submit(actor=editor, consultation=c)
    svc.comment_dispose(actor=editor, comment=first, disposition=Disposition.ADOPTED, reason="已在第一条中增加。")
    with pytest.raises(ParticipationActionError, match="1条意见没有填写采纳情况"):
        svc.feedback_submit(actor=editor, consultation=c)
    svc.comment_group_dispose(actor=editor, consultation=c, title="关于收费标准的意见", comments=[second],
                              disposition=Disposition.PARTLY, reason="收费标准已下调。")
    svc.feedback_submit(actor=editor, consultation=c)
    with pytest.raises(ParticipationActionError, match="不能审核"):
        svc.feedback_review(actor=editor, consultation=c, decision="approved", opinion="不涉密")

    mail.outbox.clear()
    with pytest.raises(ParticipationActionError):  # changes are frozen while the feedback is reviewed
        svc.comment_dispose(actor=editor, comment=first, disposition=Disposition.NOT_ADOPTED, reason="改主意")
    from django.test import TestCase
    with TestCase.captureOnCommitCallbacks(execute=True):
        svc.feedback_review(actor=reviewer, consultation=c, decision="approved", opinion="经审查，不涉密，同意公开。")
    c.refresh_from_db()
    feedback = c.feedback
    assert feedback.status == FeedbackStatus.PUBLISHED
    assert Record.objects.public().filter(pk=feedback.record_id).exists()
    assert feedback.record.reviews.get().reviewer == reviewer
    assert "收费标准已下调" in feedback.record.body and "采纳" in feedback.record.body
    assert [m.to for m in mail.outbox] == [["zhang@example.org"]]
    assert first.receipt_code in mail.outbox[0].body
    assert AuditEvent.objects.for_object(feedback).filter(event_type=AuditEventType.FEEDBACK_PUBLISHED).exists()


def test_comment_after_the_end_is_refused_even_before_the_job_runs(organ):
    c = make_consultation(organ, days_left=-1)  # still "published": the job has not run yet
    with pytest.raises(ParticipationActionError, match="已经结束"):
        svc.comment_submit(consultation=c, body="迟到的意见", name="李四")
    assert not c.comments.exists()


def test_comment_rules(organ):
    c = make_consultation(organ, allow_anonymous=False)
    with pytest.raises(ParticipationActionError, match="不接受匿名"):
        svc.comment_submit(consultation=c, body="意见", anonymous=True)
    with pytest.raises(ParticipationActionError, match="请填写意见内容"):
        svc.comment_submit(consultation=c, body="  ", name="李四")
    draft = make_consultation(organ, status=ConsultationStatus.SUBMITTED)
    with pytest.raises(ParticipationActionError, match="不存在或尚未发布"):
        svc.comment_submit(consultation=draft, body="意见", name="李四")


def test_short_period_needs_a_reason_for_regulations(organ, editor):
    today = timezone.localdate()
    with pytest.raises(ParticipationActionError, match="理由"):
        svc.consultation_create(actor=editor, organ=organ, data=_data(ends_on=today + dt.timedelta(days=9)))
    c = svc.consultation_create(actor=editor, organ=organ,
                                data=_data(ends_on=today + dt.timedelta(days=9), short_period_reason="防汛需要，情况紧急。"))
    assert c.short_period_reason


def test_dispositions_only_after_close(organ, editor, open_consultation):
    comment = svc.comment_submit(consultation=open_consultation, body="意见", name="李四")
    with pytest.raises(ParticipationActionError, match="结束后"):
        svc.comment_dispose(actor=editor, comment=comment, disposition=Disposition.ADOPTED, reason="好")


def test_disposition_needs_a_reason(organ, editor, closed_with_comments):
    _c, comments = closed_with_comments
    with pytest.raises(ParticipationActionError, match="理由"):
        svc.comment_dispose(actor=editor, comment=comments[0], disposition=Disposition.NOT_ADOPTED, reason=" ")


def test_invalid_comments_need_no_disposition(organ, editor, closed_with_comments):
    c, comments = closed_with_comments
    for comment in comments[1:]:
        svc.comment_moderate(actor=editor, comment=comment, moderation=CommentModeration.REJECTED)
    svc.comment_moderate(actor=editor, comment=comments[0], moderation=CommentModeration.SHOWN)
    svc.comment_dispose(actor=editor, comment=comments[0], disposition=Disposition.OUT_OF_SCOPE, reason="已有规定。")
    svc.feedback_save(actor=editor, consultation=c, main_opinions="意见较少。", changes="")
    assert svc.feedback_submit(actor=editor, consultation=c).status == FeedbackStatus.SUBMITTED


def test_permissions_per_organ_and_role(organ, other_organ, editor, reviewer, other_editor, other_reviewer,
                                        open_consultation):
    handler = factories.member(organ, Role.HANDLER, "handler")
    for actor in (other_editor, handler):
        with pytest.raises(Exception, match="权限"):
            svc.consultation_create(actor=actor, organ=organ, data=_data())
    comment = svc.comment_submit(consultation=open_consultation, body="意见", name="李四")
    with pytest.raises(Exception, match="权限"):
        svc.comment_moderate(actor=other_editor, comment=comment, moderation=CommentModeration.SHOWN)
    with pytest.raises(Exception, match="权限"):
        svc.consultation_close(actor=editor, consultation=open_consultation, reason="提前结束")
    with pytest.raises(Exception, match="权限"):
        svc.consultation_close(actor=other_reviewer, consultation=open_consultation, reason="提前结束")
    svc.consultation_close(actor=reviewer, consultation=open_consultation, reason="决策事项已撤销。")
    c = svc.consultation_create(actor=editor, organ=organ, data=_data())
    svc.consultation_submit(actor=editor, consultation=c)
    with pytest.raises(ParticipationActionError, match="权限"):
        svc.consultation_review(actor=other_reviewer, consultation=c, decision="approved", opinion="不涉密")


def test_early_close_needs_a_reason(organ, reviewer, open_consultation):
    with pytest.raises(ParticipationActionError, match="理由"):
        svc.consultation_close(actor=reviewer, consultation=open_consultation)
    assert Consultation.objects.get(pk=open_consultation.pk).status == ConsultationStatus.PUBLISHED


def test_returned_feedback_can_be_edited_again(organ, editor, reviewer, closed_with_comments):
    c, comments = closed_with_comments
    svc.comment_group_dispose(actor=editor, consultation=c, title="办理时限", comments=comments,
                              disposition=Disposition.ADOPTED, reason="已延长。")
    for comment in comments:
        svc.comment_moderate(actor=editor, comment=comment, moderation=CommentModeration.NOT_SHOWN)
    svc.feedback_save(actor=editor, consultation=c, main_opinions="办理时限。", changes="")
    svc.feedback_submit(actor=editor, consultation=c)
    svc.feedback_review(actor=reviewer, consultation=c, decision="returned", opinion="请补充修改情况。")
    c.refresh_from_db()
    assert c.feedback.status == FeedbackStatus.RETURNED and c.feedback.record is None
    svc.feedback_save(actor=editor, consultation=c, main_opinions="办理时限。", changes="第三条改为十五个工作日。")
    assert AuditEvent.objects.for_object(c.feedback).filter(event_type=AuditEventType.FEEDBACK_RETURNED).count() == 1
    svc.feedback_submit(actor=editor, consultation=c)
    # Returning it does not make the reviewer an author: the same reviewer approves the corrected feedback.
    svc.feedback_review(actor=reviewer, consultation=c, decision="approved", opinion="同意公开。")
    c.refresh_from_db()
    assert c.feedback.status == FeedbackStatus.PUBLISHED and c.feedback.record is not None


def test_close_command_closes_due_consultations(organ, capsys):
    from django.core.management import call_command

    due = make_consultation(organ, days_left=-1)
    running = make_consultation(organ, days_left=0)
    call_command("consultations", "close", "--dry-run")
    assert "共 1 项" in capsys.readouterr().out
    assert Consultation.objects.get(pk=due.pk).status == ConsultationStatus.PUBLISHED
    call_command("consultations", "close")
    assert Consultation.objects.get(pk=due.pk).status == ConsultationStatus.CLOSED
    assert Consultation.objects.get(pk=running.pk).status == ConsultationStatus.PUBLISHED


def test_the_feedback_title_does_not_double_guanyu():
    from gongkai.participation.services.consultations import feedback_title

    assert feedback_title("关于《办法（征求意见稿）》公开征求意见的公告") == "关于《办法（征求意见稿）》公开征求意见的公告的意见采纳情况反馈"
    assert feedback_title("《办法（征求意见稿）》") == "关于《办法（征求意见稿）》的意见采纳情况反馈"
