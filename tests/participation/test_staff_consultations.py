import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.participation.models import (
    CommentModeration,
    Consultation,
    ConsultationStatus,
    Disposition,
)
from gongkai.participation.services import consultations as svc

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


def test_staff_create_submit_review_publish(client, organ, editor, reviewer):
    client.force_login(editor)
    today = timezone.localdate()
    data = {"organ": organ.pk, "kind": "regulation", "title": "关于《测试办法》公开征求意见的公告", "purpose": "理由",
            "draft_text": "第一条", "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=9)).isoformat(),
            "accepts_online": "on", "show_comments": "on", "sections_text": "第一条|为了测试。",
            "questions_text": "单选|您是否赞成？|赞成、反对"}
    response = client.post(reverse("participation_staff:consultation_create"), data)
    assert response.status_code == 400 and "理由" in response.content.decode()  # 10 days without a reason
    assert "测试办法" in response.content.decode()  # nothing typed is lost
    data["short_period_reason"] = "情况紧急。"
    response = client.post(reverse("participation_staff:consultation_create"), data)
    c = Consultation.objects.get()
    assert response.status_code == 302 and c.created_by == editor
    assert [s.heading for s in c.sections.all()] == ["第一条"] and c.questions.get().options == ["赞成", "反对"]
    client.post(reverse("participation_staff:consultation_submit", args=[c.pk]))
    client.force_login(reviewer)
    client.post(reverse("participation_staff:consultation_review", args=[c.pk]),
                {"decision": "approved", "opinion": "不涉密。"})
    c.refresh_from_db()
    assert c.status == ConsultationStatus.PUBLISHED  # the reviewer may publish: approved and published at once
    assert client.get(c.get_absolute_url()).status_code == 200


def test_staff_pages_are_per_organ(client, organ, other_editor, editor, open_consultation):
    client.force_login(other_editor)
    assert client.get(reverse("participation_staff:consultation", args=[open_consultation.pk])).status_code == 404
    assert client.get(reverse("participation_staff:consultation_export", args=[open_consultation.pk])).status_code == 404
    board = client.get(reverse("participation_staff:consultations")).content.decode()
    assert open_consultation.title not in board
    client.force_login(editor)
    assert open_consultation.title in client.get(reverse("participation_staff:consultations")).content.decode()
    client.logout()
    response = client.get(reverse("participation_staff:consultations"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_moderate_dispose_and_export(client, organ, editor, closed_with_comments):
    c, comments = closed_with_comments
    client.force_login(editor)
    page = client.get(reverse("participation_staff:consultation", args=[c.pk]))
    assert page.status_code == 200 and comments[0].receipt_code in page.content.decode()
    client.post(reverse("participation_staff:comment_moderate", args=[c.pk, comments[0].pk]), {"moderation": "shown"})
    comments[0].refresh_from_db()
    assert comments[0].moderation == CommentModeration.SHOWN and comments[0].public_text == comments[0].body
    client.post(reverse("participation_staff:comment_group", args=[c.pk]),
                {"comments": [comments[1].pk, comments[2].pk], "title": "办理时限", "disposition": "adopted",
                 "reason": "已延长。"})
    assert set(c.comments.filter(group__title="办理时限").values_list("disposition", flat=True)) == {Disposition.ADOPTED}
    response = client.get(reverse("participation_staff:consultation_export", args=[c.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "查询码" and len(rows) == 4
    assert {r[5] for r in rows[1:]} == {"zhang@example.org", None}


def test_overdue_feedback_on_the_dashboard(client, organ, editor):
    make_consultation(organ, title="期满未反馈的征集", status=ConsultationStatus.CLOSED, days_left=-5)
    client.force_login(editor)
    body = client.get(reverse("participation_staff:consultations")).content.decode()
    assert "期满未反馈的征集" in body and 'data-count="overdue">1<' in body


def test_formula_in_a_comment_is_exported_as_text(organ, open_consultation):
    from gongkai.participation.exports import comments_xlsx

    svc.comment_submit(consultation=open_consultation, body="=HYPERLINK(\"http://x\")", name="李四")
    sheet = load_workbook(io.BytesIO(comments_xlsx([open_consultation]))).active
    assert sheet.cell(row=2, column=9).value.startswith("'=")


def test_draft_upload_and_a_hearing_on_the_consultation_page(client, organ, editor, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.participation.services import meetings as meeting_svc

    client.force_login(editor)
    today = timezone.localdate()
    data = {"organ": organ.pk, "kind": "policy", "title": "关于《测试规定》公开征求意见的公告", "purpose": "理由",
            "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=30)).isoformat(),
            "accepts_online": "on", "draft_upload": SimpleUploadedFile("草案.exe", b"MZ")}
    response = client.post(reverse("participation_staff:consultation_create"), data)
    assert response.status_code == 400 and "草案附件只能是" in response.content.decode()
    data["draft_upload"] = SimpleUploadedFile("草案.pdf", b"%PDF draft")
    client.post(reverse("participation_staff:consultation_create"), data)
    c = Consultation.objects.get()
    assert c.draft_file.read() == b"%PDF draft"
    svc.consultation_submit(actor=editor, consultation=c)  # the uploaded draft is a draft
    svc.consultation_review(actor=reviewer, consultation=c, decision="approved", opinion="不涉密", publish_now=True)
    hearing = meeting_svc.meeting_create(actor=editor, organ=organ, data={
        "kind": "hearing", "title": "测试规定听证会", "starts_at": timezone.now() + dt.timedelta(days=5),
        "place": "听证室", "consultation": c})
    assert "测试规定听证会" not in client.get(c.get_absolute_url()).content.decode()  # not published yet
    meeting_svc.meeting_submit(actor=editor, meeting=hearing)
    meeting_svc.meeting_review(actor=reviewer, meeting=hearing, decision="approved", opinion="同意公开。")
    assert "测试规定听证会" in client.get(c.get_absolute_url()).content.decode()


def test_questionnaire_results_count_each_option(client, organ, editor, open_consultation):
    from gongkai.participation.models import ConsultationQuestion
    from gongkai.participation.selectors.consultations import questionnaire_results

    single = ConsultationQuestion.objects.create(consultation=open_consultation, text="是否赞成？", kind="single",
                                                 options=["赞成", "反对"])
    multi = ConsultationQuestion.objects.create(consultation=open_consultation, text="关注哪些方面？", kind="multiple",
                                                options=["收费", "车位", "管理"])
    for one, many in (("赞成", ["收费", "车位"]), ("赞成", ["车位"]), ("反对", [])):
        svc.comment_submit(consultation=open_consultation, body="意见", name="李四",
                           answers={str(single.pk): one, str(multi.pk): many})
    rejected = svc.comment_submit(consultation=open_consultation, body="广告", name="某",
                                  answers={str(single.pk): "反对"})
    svc.comment_moderate(actor=editor, comment=rejected, moderation=CommentModeration.REJECTED)
    first, second = questionnaire_results(open_consultation)
    assert first.options == [("赞成", 2), ("反对", 1)] and first.answered == 3
    assert second.options == [("收费", 1), ("车位", 2), ("管理", 0)] and second.answered == 2
    client.force_login(editor)
    assert "问卷结果" in client.get(reverse("participation_staff:consultation", args=[open_consultation.pk])).content.decode()
