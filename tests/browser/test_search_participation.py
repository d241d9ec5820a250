"""Participation in the site search, in a browser on a phone-sized screen: the kind tabs, the
participation box beside the records, one kind's list with highlights, and an item hidden
after it was indexed gone at once; axe-core on the results pages."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.participation.models import (
    Answer,
    AnswerStatus,
    Consultation,
    ConsultationStatus,
    Meeting,
    MeetingStatus,
    Message,
    MessageReply,
    MessageStatus,
    ReplyStatus,
)
from gongkai.search import index
from tests import factories

from .conftest import screenshot
from .test_portal import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _page_cache_file(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")


def build():
    """Public items written straight to the database; their saves index them (participation.search_index)."""
    organ = factories.OrganFactory(name="保定市农业农村局")
    user = factories.UserFactory()
    now, today = timezone.now(), timezone.localdate()
    record = factories.RecordFactory(published=True, organ=organ, title="关于加强秸秆综合利用的通知",
                                     body="<p>推进秸秆综合利用。</p>")
    index.index_sync([record.pk])
    consultation = Consultation.objects.create(
        organ=organ, title="关于《保定市秸秆综合利用办法（征求意见稿）》公开征求意见的公告",
        purpose="为推进秸秆综合利用，拟制定本办法。", starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=28), status=ConsultationStatus.PUBLISHED, published_at=now - dt.timedelta(days=2))
    meeting = Meeting.objects.create(
        organ=organ, kind="forum", title="秸秆综合利用座谈会", starts_at=now + dt.timedelta(days=5), place="市农业农村局会议室",
        topics="听取种植户对秸秆还田补贴的意见", status=MeetingStatus.PUBLISHED, published_at=now - dt.timedelta(days=1))
    message = Message(
        organ=organ, subject="秸秆还田补贴什么时候发？", body="我叫张三，电话13900001111，秸秆还田补贴什么时候发？",
        name="张三", phone="13900001111", may_publish=True, receipt_code="LYBROWSER001", received_on=today,
        status=MessageStatus.REPLIED, is_published=True, published_at=now, replied_at=now,
        public_subject="秸秆还田补贴什么时候发？", public_body="我叫张某，电话，秸秆还田补贴什么时候发？")
    message.save()
    MessageReply.objects.create(message=message, body="秸秆还田补贴在每年十月底前发放。", written_by=user,
                                status=ReplyStatus.APPROVED, reviewed_at=now, public_body="秸秆还田补贴在每年十月底前发放。")
    answer = Answer.objects.create(organ=organ, question="秸秆综合利用补贴怎样申请？", answer="向所在乡镇农业综合服务站申请。",
                                   status=AnswerStatus.USABLE, is_public=True, reviewed_at=now)
    return {"record": record, "consultation": consultation, "meeting": meeting, "message": message, "answer": answer}


def test_search_finds_participation_items_on_a_phone(live_server, page):
    world = build()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/search/?q=秸秆")
    page.wait_for_selector("#search-participation-h")
    tabs = page.locator(".search-kinds")
    assert "全部 5" in tabs.inner_text().replace("\n", " ")
    for label in ("政府信息 1", "意见征集 1", "会议活动 1", "留言答复 1", "政策问答 1"):
        assert label in tabs.inner_text().replace("\n", " ")
    box = page.locator(".search-participation")
    assert box.locator(".hit-kind").count() == 4
    assert box.locator("mark", has_text="秸秆").count() >= 4
    assert "13900001111" not in page.content() and "张三" not in page.content()
    assert page.locator(".search-hits .hit-title").first.is_visible()
    check_axe(page, "search with participation")
    screenshot(page, "search-participation-phone")

    tabs.get_by_role("link", name="留言答复").click()
    page.wait_for_selector("#search-summary:has-text('条留言答复')")
    assert "找到 1 条留言答复" in page.locator("#search-summary").inner_text()
    assert page.locator(".search-item .hit-snippet mark").first.inner_text() == "秸秆"
    check_axe(page, "search one kind")
    page.locator(".search-item .hit-title a").first.click()
    page.wait_for_url(f"**{world['message'].get_absolute_url()}")

    # hidden after it was indexed, behind the index's back: gone from the next search at once
    Message.objects.filter(pk=world["message"].pk).update(hidden=True, hidden_reason="不宜公开")
    page.goto(f"{live_server.url}/search/?q=秸秆&kind=message")
    page.wait_for_selector("#search-summary")
    assert "没有找到包含“秸秆”的留言答复" in page.locator("#search-summary").inner_text()
    page.goto(f"{live_server.url}/search/?q=秸秆")
    assert "留言答复 0" in page.locator(".search-kinds").inner_text().replace("\n", " ")
    assert world["message"].get_absolute_url() not in page.content()
