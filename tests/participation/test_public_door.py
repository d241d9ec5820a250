"""Nothing non-public of a consultation reaches a public page, feed, sitemap, search or receipt lookup."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.participation.models import (
    Comment,
    CommentModeration,
    Consultation,
    ConsultationFeedback,
    ConsultationStatus,
    Disposition,
    FeedbackStatus,
)
from gongkai.participation.services import consultations as svc
from tests.factories import OrganFactory

from .conftest import make_consultation

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "DRAFT": {"status": ConsultationStatus.DRAFT},
    "SUBMITTED": {"status": ConsultationStatus.SUBMITTED},
    "RETURNED": {"status": ConsultationStatus.RETURNED},
    "APPROVED": {"status": ConsultationStatus.APPROVED},
    "WITHDRAWN": {"status": ConsultationStatus.WITHDRAWN, "withdrawal_reason": "撤回"},
    "FUTURE": {"status": ConsultationStatus.PUBLISHED, "published_at": timezone.now() + dt.timedelta(days=1)},
}


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


@pytest.fixture
def world(organ):
    hidden = {}
    for name, fields in HIDDEN_STATES.items():
        hidden[name] = make_consultation(organ, title=f"标题MARKER{name}", purpose=f"理由MARKER{name}", **fields)
    disabled = OrganFactory(name="已停用机关", is_active=False)
    hidden["DISABLED"] = make_consultation(disabled, title="标题MARKERDISABLED")
    public = make_consultation(organ, title="公开的意见征集", show_comments=True)
    shown = svc.comment_submit(consultation=public, body="我叫王小明，电话13912345678，建议增加停车位。",
                               name="王小明", email="MARKEREMAIL@example.org", phone="13900000000")
    svc.comment_moderate(actor=_superuser(), comment=shown, moderation=CommentModeration.SHOWN)
    for kind in ("PENDING", "NOT_SHOWN", "REJECTED"):
        c = svc.comment_submit(consultation=public, body=f"意见MARKERCOMMENT{kind}", name="李四")
        if kind != "PENDING":
            svc.comment_moderate(actor=_superuser(), comment=c, moderation=getattr(CommentModeration, kind))
    hidden_comment = Comment.objects.create(consultation=hidden["DRAFT"], receipt_code="HIDDENCODE",
                                            body="MARKERHIDDENCOMMENT", name="赵六")
    # A closed consultation whose feedback is written but not yet approved.
    closed = make_consultation(organ, title="已结束的意见征集", status=ConsultationStatus.CLOSED, days_left=-3)
    c = Comment.objects.create(consultation=closed, receipt_code="CLOSEDCODE1", body="意见", name="钱七",
                               disposition=Disposition.ADOPTED, disposition_reason="MARKERUNPUBLISHEDREASON",
                               moderation=CommentModeration.SHOWN, public_text="意见")
    ConsultationFeedback.objects.create(consultation=closed, main_opinions="MARKERUNPUBLISHEDFEEDBACK",
                                        status=FeedbackStatus.SUBMITTED)
    return {"hidden": hidden, "public": public, "shown": shown, "hidden_comment": hidden_comment,
            "closed": closed, "closed_comment": c}


def _superuser():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="root", defaults={"is_superuser": True})
    return user


def _assert_clean(body: str):
    assert "MARKER" not in body, body[body.find("MARKER") - 80: body.find("MARKER") + 40]
    assert "13912345678" not in body and "13900000000" not in body and "王小明" not in body


def test_public_pages_show_only_public(client, world):
    urls = [
        reverse("participation:consultations"),
        reverse("participation:consultations") + "?phase=open",
        reverse("participation:consultations") + "?phase=closed",
        reverse("participation:consultations") + "?q=标题",
        reverse("participation:consultation", args=[world["public"].pk]),
        reverse("participation:consultation", args=[world["closed"].pk]),
        reverse("participation:comment_create", args=[world["public"].pk]),
        reverse("participation:feed_consultations"),
        reverse("portal:sitemap", args=["consultations"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response.content.decode())
    page = client.get(world["public"].get_absolute_url()).content.decode()
    assert "王某" in page and "***" in page  # the shown comment, masked
    sitemap = client.get(reverse("portal:sitemap", args=["consultations"])).content.decode()
    assert world["public"].get_absolute_url() in sitemap


def test_every_consultation_id_is_public_or_404(client, world):
    public_ids = set(Consultation.objects.public().values_list("pk", flat=True))
    assert public_ids == {world["public"].pk, world["closed"].pk}
    from django.core.files.base import ContentFile

    for c in Consultation.objects.all():
        c.draft_file.save(f"draft{c.pk}.pdf", ContentFile(f"MARKERFILE{c.title}".encode()), save=True)
    for pk in range(1, max(Consultation.objects.values_list("pk", flat=True)) + 3):
        response = client.get(reverse("participation:consultation_draft", args=[pk]))
        assert response.status_code == (200 if pk in public_ids else 404), pk
        for name in ("consultation", "comment_create"):
            response = client.get(reverse(f"participation:{name}", args=[pk]))
            if pk in public_ids:
                assert response.status_code in (200, 410), (name, pk)
            else:
                assert response.status_code == 404, (name, pk)
            _assert_clean(response.content.decode())


def test_comment_to_a_hidden_consultation_is_refused(client, world):
    draft = world["hidden"]["DRAFT"]
    response = client.post(reverse("participation:comment_create", args=[draft.pk]), {"body": "x", "name": "y"})
    assert response.status_code == 404
    assert draft.comments.count() == 1  # only the one written in the fixture


def test_receipt_lookup_finds_only_comments_of_public_consultations(client, world):
    response = client.post(reverse("participation:comment_lookup"), {"code": "HIDDENCODE"})
    assert response.status_code == 400
    _assert_clean(response.content.decode())
    response = client.post(reverse("participation:comment_lookup"), {"code": "closedcode1"})
    body = response.content.decode()
    assert response.status_code == 200 and "意见正在研究处理" in body
    _assert_clean(body)  # the disposition waits for the published feedback
    receipt = client.get(reverse("participation:comment_receipt", args=[world["shown"].receipt_code]))
    assert receipt.status_code == 302  # not this browser's comment: sent to the lookup form


def test_sitemap_index_lists_the_participation_sections(client, world):
    body = client.get(reverse("portal:sitemap_index")).content.decode()
    assert "sitemap-consultations.xml" in body and "sitemap-participation.xml" in body


def test_search_matches_normalised_substrings_of_public_consultations_only(world, organ):
    from gongkai.participation.selectors.consultations import public_consultations

    make_consultation(organ, title="关于停车收费的公告", draft_text="<p>第三条　ＡＢＣ停车场收费标准</p>")
    assert [c.title for c in public_consultations(q="abc 停车场")] == ["关于停车收费的公告"]
    assert not public_consultations(q="MARKERDRAFT").exists()
    assert public_consultations(q="").count() == 3


def test_organ_column_lists_open_consultations_and_forgets_a_withdrawn_one(client, world, organ, settings):
    settings.GONGKAI_PAGE_CACHE = True
    url = reverse("portal:organ", args=[organ.code])
    body = client.get(url).content.decode()
    assert "公开的意见征集" in body and "已结束的意见征集" not in body
    _assert_clean(body)
    public = world["public"]
    public.status = ConsultationStatus.WITHDRAWN
    public.withdrawal_reason = "撤回"
    public.save()  # a model save drops the cached column page
    assert "公开的意见征集" not in client.get(url).content.decode()


def test_final_document_links_back_to_its_public_consultation_only(client, world, organ, genre):
    from tests.factories import RecordFactory

    final = RecordFactory(organ=organ, genre=genre, published=True, title="正式印发的办法")
    Consultation.objects.filter(pk=world["public"].pk).update(final_record=final)
    Consultation.objects.filter(pk=world["hidden"]["DRAFT"].pk).update(final_record=final)
    body = client.get(final.get_absolute_url()).content.decode()
    assert "本文件出台前公开征求了意见" in body and world["public"].title in body
    _assert_clean(body)
    detail = client.get(world["public"].get_absolute_url()).content.decode()
    assert "正式印发的办法" in detail


def test_api_shows_only_public_consultations(client, world, settings):
    settings.GONGKAI_API_RATE = 0
    for url in ["/api/v1/consultations", "/api/v1/consultations?phase=open", "/api/v1/consultations?phase=closed",
                "/api/v1/consultations?phase=feedback"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(response.content.decode())
    assert client.get("/api/v1/consultations").json()  # the public ones are there


def test_a_record_page_names_the_consultations_it_ends_and_answers(client, world, organ, genre):
    """One query finds both the consultations a record is the final document of and the one whose
    feedback it is; a consultation may be both, and a non-public one is neither."""
    from gongkai.participation.templatetags.participation_column import record_consultations
    from tests.factories import RecordFactory

    final = RecordFactory(organ=organ, genre=genre, published=True, title="正式印发的办法")
    other = make_consultation(organ, title="另一次公开的意见征集")
    for c in (world["public"], other, world["hidden"]["FUTURE"]):
        Consultation.objects.filter(pk=c.pk).update(final_record=final)
    ConsultationFeedback.objects.create(consultation=other, record=final, status=FeedbackStatus.PUBLISHED)
    ConsultationFeedback.objects.create(consultation=world["hidden"]["DRAFT"], record=RecordFactory(organ=organ))

    shown = record_consultations(final)
    assert {c.pk for c in shown["consultations"]} == {world["public"].pk, other.pk}
    assert shown["feedback_of"].pk == other.pk
    body = client.get(final.get_absolute_url()).content.decode()
    assert body.count("本文件出台前公开征求了意见") == 2 and "本信息是以下意见征集的采纳情况反馈" in body
    _assert_clean(body)

    answer = RecordFactory(organ=organ, genre=genre, published=True, title="采纳情况")
    ConsultationFeedback.objects.filter(consultation=other).update(record=answer)
    shown = record_consultations(answer)
    assert shown["consultations"] == [] and shown["feedback_of"].pk == other.pk
    assert record_consultations(RecordFactory(organ=organ, published=True)) == {"consultations": [],
                                                                                "feedback_of": None}
