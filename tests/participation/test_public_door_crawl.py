"""The one-door crawl over the participation pages: start at the home page, the consultation, meeting and
catalog lists, the sitemap, every feed and the API, follow every link; nothing non-public is ever served —
no consultation, meeting or catalog that is not through review, no hidden comment, no contact data."""

import collections
import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from gongkai.participation.models import (
    CatalogStatus,
    Comment,
    CommentModeration,
    ConsultationFeedback,
    ConsultationStatus,
    DecisionCatalog,
    DecisionItem,
    Disposition,
    FeedbackStatus,
    Meeting,
    MeetingStatus,
    Registration,
)
from tests.factories import OrganFactory, RecordFactory

from .conftest import make_consultation

pytestmark = pytest.mark.django_db

CONTACT = ("13912345678", "MARKERMAIL@example.org", "王小明")
START = ["/", "/consultations/", "/consultations/?phase=open", "/consultations/?phase=closed", "/meetings/",
         "/meetings/?when=upcoming", "/decisions/", "/sitemap.xml", "/feeds/rss.xml", "/feeds/atom.xml",
         "/consultations/feed.xml", "/meetings/feed.xml", "/api/v1/consultations", "/api/v1/consultations?limit=100"]
SKIP = ("/workspace", "/admin", "/search", "/static", "/a11y", "/media")


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    settings.GONGKAI_API_RATE = 0


def _meeting(organ, title, **fields):
    defaults = {"kind": "open_day", "starts_at": timezone.now() + dt.timedelta(days=5), "place": "会议室",
                "attendance_open": True, "places": 5, "status": MeetingStatus.PUBLISHED,
                "published_at": timezone.now() - dt.timedelta(days=1)}
    return Meeting.objects.create(organ=organ, title=title, **(defaults | fields))


@pytest.fixture
def world(organ):
    now = timezone.now()
    disabled = OrganFactory(name="已停用机关MARKERORGAN", is_active=False)
    for name, fields in {
        "DRAFT": {"status": ConsultationStatus.DRAFT}, "SUBMITTED": {"status": ConsultationStatus.SUBMITTED},
        "RETURNED": {"status": ConsultationStatus.RETURNED}, "APPROVED": {"status": ConsultationStatus.APPROVED},
        "WITHDRAWN": {"status": ConsultationStatus.WITHDRAWN, "withdrawal_reason": "撤回"},
        "FUTURE": {"status": ConsultationStatus.PUBLISHED, "published_at": now + dt.timedelta(days=1)},
    }.items():
        make_consultation(organ, title=f"标题MARKERC{name}", **fields)
    make_consultation(disabled, title="标题MARKERCDISABLED")
    public = make_consultation(organ, title="公开的意见征集", show_comments=True)
    Comment.objects.create(consultation=public, receipt_code="SHOWN00001", body="我叫王小明，电话13912345678。",
                           name="王小明", email=CONTACT[1], phone=CONTACT[0], moderation=CommentModeration.SHOWN,
                           public_text="我叫王某，电话***。")
    for kind in ("PENDING", "NOT_SHOWN", "REJECTED"):
        Comment.objects.create(consultation=public, receipt_code=f"HID{kind[:6]}", body=f"意见MARKERCOMMENT{kind}",
                               name="李四", moderation=getattr(CommentModeration, kind))
    closed = make_consultation(organ, title="已结束的意见征集", status=ConsultationStatus.CLOSED, days_left=-3)
    Comment.objects.create(consultation=closed, receipt_code="CLOSED0001", body="意见", name="钱七",
                           disposition=Disposition.ADOPTED, disposition_reason="MARKERUNPUBLISHEDREASON",
                           moderation=CommentModeration.SHOWN, public_text="意见")
    ConsultationFeedback.objects.create(consultation=closed, main_opinions="MARKERUNPUBLISHEDFEEDBACK",
                                        status=FeedbackStatus.SUBMITTED)
    for status in (MeetingStatus.DRAFT, MeetingStatus.SUBMITTED, MeetingStatus.RETURNED):
        _meeting(organ, f"会议MARKERM{status.upper()}", status=status)
    _meeting(organ, "会议MARKERMFUTURE", published_at=now + dt.timedelta(days=1))
    _meeting(disabled, "会议MARKERMDISABLED")
    meeting = _meeting(organ, "公开的政务开放日", minutes_record=RecordFactory(organ=organ, title="纪要MARKERRECORD"))
    Registration.objects.create(meeting=meeting, receipt_code="REG0000001", name=CONTACT[2], phone=CONTACT[0],
                                email=CONTACT[1], reason="MARKERREASON")
    catalog = DecisionCatalog.objects.create(organ=organ, year=2026, title="2026年度重大行政决策事项目录",
                                             status=CatalogStatus.PUBLISHED, published_at=now)
    DecisionItem.objects.create(catalog=catalog, title="停车管理办法", status="consulting", consultation=public)
    for year, status in ((2023, CatalogStatus.DRAFT), (2024, CatalogStatus.SUBMITTED), (2025, CatalogStatus.RETURNED)):
        hidden = DecisionCatalog.objects.create(organ=organ, year=year, title=f"目录MARKERCAT{year}", status=status,
                                                published_at=now)
        DecisionItem.objects.create(catalog=hidden, title=f"事项MARKERITEM{year}")
    return {"public": public, "closed": closed, "meeting": meeting, "catalog": catalog}


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_crawl_of_the_participation_pages_finds_nothing_hidden(client, world):
    seen: dict[str, int] = {}
    queue = collections.deque(START)
    while queue and len(seen) < 600:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        body = _body(response)
        assert "MARKER" not in body, (url, body[body.find("MARKER") - 80: body.find("MARKER") + 40])
        for private in CONTACT:
            assert private not in body, (url, private)
        for link in re.findall(r'(?:href|src)="([^"#]+)"|<(?:loc|link)>([^<]+)<|"url": ?"([^"]+)"', body):
            link = html.unescape(next(part for part in link if part)).replace("http://testserver", "")
            if link.startswith("/") and not link.startswith(SKIP):
                queue.append(link)
    for item in ("public", "closed", "meeting", "catalog"):
        assert world[item].get_absolute_url() in seen, item
    assert all(code < 500 for code in seen.values())
    ok = sum(1 for code in seen.values() if code == 200)
    assert ok > 30
    print(f"participation crawl: {len(seen)} URLs requested, {ok} answered 200, nothing hidden")
