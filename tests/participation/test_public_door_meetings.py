"""Nothing non-public of a meeting, a registration or a decision catalog reaches a public page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.participation.models import (
    CatalogStatus,
    DecisionCatalog,
    DecisionItem,
    DecisionItemStatus,
    Meeting,
    MeetingStatus,
    Registration,
)
from tests.factories import OrganFactory, RecordFactory

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


def _meeting(organ, title, **fields):
    defaults = {"kind": "open_day", "starts_at": timezone.now() + dt.timedelta(days=5), "place": "会议室",
                "attendance_open": True, "places": 5, "status": MeetingStatus.PUBLISHED,
                "published_at": timezone.now() - dt.timedelta(days=1)}
    defaults.update(fields)
    return Meeting.objects.create(organ=organ, title=title, **defaults)


@pytest.fixture
def world(organ):
    disabled = OrganFactory(name="已停用机关", is_active=False)
    hidden = [
        _meeting(organ, "MARKERDRAFT", status=MeetingStatus.DRAFT, published_at=None),
        _meeting(organ, "MARKERFUTURE", published_at=timezone.now() + dt.timedelta(days=1)),
        _meeting(disabled, "MARKERDISABLED"),
        # In 保密审查 or sent back by it: never public, even if a publication time was set by mistake.
        _meeting(organ, "MARKERSUBMITTED", status=MeetingStatus.SUBMITTED),
        _meeting(organ, "MARKERRETURNED", status=MeetingStatus.RETURNED),
    ]
    public = _meeting(organ, "公开的开放日", topics="参观", minutes_record=RecordFactory(organ=organ, title="MARKERRECORD"),
                      consultation=make_consultation(organ, title="MARKERCONSULT", status="draft"))
    Registration.objects.create(meeting=public, receipt_code="PUBCODE001", name="MARKERNAME", phone="13811112222",
                                email="MARKER@example.org", reason="MARKERREASON")
    Registration.objects.create(meeting=hidden[0], receipt_code="HIDCODE001", name="王五", phone="13811113333")
    draft_catalog = DecisionCatalog.objects.create(organ=organ, year=2025, title="MARKERCATALOG")
    catalog = DecisionCatalog.objects.create(organ=organ, year=2026, title="2026年度目录",
                                             status=CatalogStatus.PUBLISHED, published_at=timezone.now())
    DecisionItem.objects.create(catalog=catalog, title="公开事项", status=DecisionItemStatus.DECIDED,
                                consultation=make_consultation(organ, title="MARKERC2", status="submitted"),
                                final_record=RecordFactory(organ=organ, title="MARKERREC2"))
    DecisionItem.objects.create(catalog=draft_catalog, title="MARKERITEM")
    for year, status in ((2023, CatalogStatus.SUBMITTED), (2024, CatalogStatus.RETURNED)):
        unreviewed = DecisionCatalog.objects.create(organ=organ, year=year, title=f"MARKERCATALOG{year}",
                                                    status=status, published_at=timezone.now())
        DecisionItem.objects.create(catalog=unreviewed, title=f"MARKERITEM{year}")
    return {"hidden": hidden, "public": public, "catalog": catalog, "draft_catalog": draft_catalog}


def _clean(response):
    body = response.content.decode()
    assert "MARKER" not in body, body[body.find("MARKER") - 80: body.find("MARKER") + 40]
    assert "13811112222" not in body


def test_lists_and_pages_show_only_public(client, world):
    for url in [reverse("participation:meetings"), reverse("participation:meetings") + "?when=upcoming",
                reverse("participation:meeting", args=[world["public"].pk]),
                reverse("participation:meeting_apply", args=[world["public"].pk]),
                reverse("participation:decision_catalogs"),
                reverse("participation:decision_catalog", args=[world["catalog"].pk]),
                reverse("portal:sitemap", args=["meetings"]), reverse("participation:feed_meetings")]:
        response = client.get(url)
        assert response.status_code == 200, url
        _clean(response)
    assert "公开事项" in client.get(world["catalog"].get_absolute_url()).content.decode()
    assert "公开的开放日" in client.get(reverse("participation:feed_meetings")).content.decode()


def test_every_meeting_and_catalog_id_is_public_or_404(client, world):
    public = {world["public"].pk}
    for pk in range(1, max(Meeting.objects.values_list("pk", flat=True)) + 3):
        for name in ("meeting", "meeting_apply"):
            response = client.get(reverse(f"participation:{name}", args=[pk]))
            assert response.status_code == (200 if pk in public else 404), (name, pk)
    for pk in range(1, max(DecisionCatalog.objects.values_list("pk", flat=True)) + 3):
        response = client.get(reverse("participation:decision_catalog", args=[pk]))
        assert response.status_code == (200 if pk == world["catalog"].pk else 404), pk


def test_registration_lookup_needs_the_phone_and_a_public_meeting(client, world):
    url = reverse("participation:registration_lookup")
    assert client.post(url, {"code": "PUBCODE001", "phone_tail": "0000"}).status_code == 400
    assert client.post(url, {"code": "HIDCODE001", "phone_tail": "3333"}).status_code == 400
    response = client.post(url, {"code": "pubcode001", "phone_tail": "2222"})
    assert response.status_code == 200 and "待审核" in response.content.decode()
    _clean(response)


def test_apply_online_and_find_the_result(client, world):
    public = world["public"]
    response = client.post(reverse("participation:meeting_apply", args=[public.pk]),
                           {"name": "赵六", "kind": "citizen", "phone": "13900001111"})
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    code = Registration.objects.get(name="赵六").receipt_code
    assert code in receipt.content.decode()
    response = client.post(reverse("participation:meeting_apply", args=[public.pk]),
                           {"name": "", "kind": "citizen", "phone": "12", "reason": "我想了解开放日安排"})
    body = response.content.decode()
    assert response.status_code == 400 and "请填写姓名" in body and "我想了解开放日安排" in body


def test_meeting_search_finds_public_meetings_by_normalised_substring(world):
    from gongkai.participation.selectors.meetings import public_meetings

    assert [m.title for m in public_meetings(q="参 观")] == ["公开的开放日"]
    assert not public_meetings(q="MARKERDRAFT").exists()
