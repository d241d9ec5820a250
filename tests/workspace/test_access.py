"""Every workspace URL refuses the anonymous, the wrong role and the wrong organ."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.records import services
from gongkai.records.models import Record, ReviewDecision, Status

from ..factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(editor, organ, genre):
    record = services.record_create(actor=editor, organ=organ, data={"title": "内部草稿标记XYZ", "genre": genre,
                                                                    "written_on": dt.date(2025, 1, 2)})
    services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("a.txt", "附件内容".encode()))
    return record


RECORD_URLS = [
    ("get", "workspace:record"), ("get", "workspace:record_edit"), ("post", "workspace:record_submit"),
    ("post", "workspace:record_review"), ("post", "workspace:record_publish"), ("post", "workspace:record_withdraw"),
    ("post", "workspace:record_validity"), ("post", "workspace:record_delete"), ("post", "workspace:attachment_add"),
]
ATTACHMENT_URLS = [("get", "workspace:attachment"), ("post", "workspace:attachment_remove"), ("post", "workspace:attachment_withhold")]
LIST_URLS = ["workspace:home", "workspace:records", "workspace:records_mine", "workspace:review_queue",
             "workspace:record_create", "workspace:redetermination"]


def _all_urls(record):
    att = record.attachments.first()
    return [(m, reverse(n, args=[record.pk])) for m, n in RECORD_URLS] + [
        (m, reverse(n, args=[att.pk])) for m, n in ATTACHMENT_URLS
    ]


def test_anonymous_is_sent_to_login(client, draft):
    for method, url in _all_urls(draft) + [("get", reverse(n)) for n in LIST_URLS]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/workspace/login/" in response["Location"], url


def test_user_without_role_is_refused(client, draft):
    client.force_login(UserFactory(username="nobody"))
    for method, url in _all_urls(draft) + [("get", reverse(n)) for n in LIST_URLS]:
        assert getattr(client, method)(url).status_code == 403, url


def test_other_organ_cannot_see_or_touch(client, draft, other_editor, other_reviewer):
    for user in (other_editor, other_reviewer):
        client.force_login(user)
        for method, url in _all_urls(draft):
            response = getattr(client, method)(url, {"reason": "x", "decision": "approved", "validity": "repealed"})
            assert response.status_code == 404, (user, url)
        for name in ("workspace:records", "workspace:records_mine", "workspace:review_queue", "workspace:home"):
            assert "内部草稿标记XYZ" not in client.get(reverse(name)).content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.attachments.count() == 1


def test_reviewer_cannot_edit_and_editor_cannot_review(client, draft, editor, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("workspace:record_edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("workspace:record_create"), {}).status_code == 403
    client.force_login(editor)
    client.post(reverse("workspace:record_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    response = client.post(reverse("workspace:record_review", args=[draft.pk]), {
        "decision": ReviewDecision.APPROVED, "confidentiality_opinion": "同意", "attribute_confirmed": "proactive",
        "publish": "now"}, follow=True)
    assert "不能审核" in response.content.decode() or "没有审核" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    # a crafted publish request without review changes nothing
    client.post(reverse("workspace:record_publish", args=[draft.pk]), {"publish": "now"})
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert not Record.objects.public().exists()


def test_whole_flow_through_views(client, editor, reviewer, organ, genre):
    client.force_login(editor)
    response = client.post(reverse("workspace:record_create"), {
        "organ": organ.pk, "title": "关于进一步做好政务公开工作的通知", "doc_no": "保政办函（2025）3号", "genre": genre.pk,
        "attribute": "proactive", "validity": "valid", "body": "<p>独特正文标记</p>", "written_on": "2025-03-01"})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Record.objects.get()
    assert record.doc_no == "保政办函〔2025〕3号"
    client.post(reverse("workspace:record_submit", args=[record.pk]))
    client.force_login(reviewer)
    page = client.get(reverse("workspace:review_queue")).content.decode()
    assert record.title in page
    client.post(reverse("workspace:record_review", args=[record.pk]), {
        "decision": "approved", "confidentiality_opinion": "经审查，不涉密。", "attribute_confirmed": "proactive",
        "publish": "now"})
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    public = client.get(record.get_absolute_url())
    assert public.status_code == 200
    assert record.title in public.content.decode() and "独特正文标记" in public.content.decode()
    history = client.get(reverse("workspace:record", args=[record.pk])).content.decode()
    for label in ("创建信息", "提交审核", "审核通过", "发布"):
        assert label in history
    client.post(reverse("workspace:record_withdraw", args=[record.pk]), {"reason": "内容已过时"})
    response = client.get(record.get_absolute_url())
    assert response.status_code == 410
    assert "内容已过时" in response.content.decode() and "独特正文标记" not in response.content.decode()


def test_bad_form_keeps_input_and_speaks_chinese(client, editor, organ, genre):
    client.force_login(editor)
    response = client.post(reverse("workspace:record_create"), {
        "organ": organ.pk, "title": "保留我输入的标题", "doc_no": "乱写的文号", "genre": genre.pk,
        "attribute": "withheld", "validity": "valid"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "保留我输入的标题" in html
    assert "不是有效的发文字号" in html
    assert "必须写明理由" in html
    assert not Record.objects.exists()


def test_office_oversees_subordinate_organs(client, organ, genre, editor):
    from gongkai.core.models import Organ, Role

    parent = Organ.objects.create(name="保定市人民政府", code="11130600000000000A", kind="government")
    organ.parent = parent
    organ.save()
    office = member(parent, Role.OFFICE, "office")
    record = services.record_create(actor=editor, organ=organ, data={"title": "下级机关草稿", "genre": genre})
    client.force_login(office)
    page = client.get(reverse("workspace:record", args=[record.pk]))
    assert page.status_code == 200 and "下级机关草稿" in page.content.decode()
    assert client.get(reverse("workspace:record_edit", args=[record.pk])).status_code == 403
