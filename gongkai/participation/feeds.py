"""RSS feed of consultations (new ones and those whose feedback was published), through the one door."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from .models import Consultation

FEED_SIZE = 50


class ConsultationFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-hans"
    title = "意见征集 · 政府信息公开平台"
    description = "政策出台前公开征求意见，以及意见采纳情况反馈。"

    def link(self):
        return reverse("participation:consultations")

    def items(self):
        return (Consultation.objects.public().select_related("organ", "feedback")
                .order_by("-published_at", "-id")[:FEED_SIZE])

    def item_title(self, item):
        return f"{item.title}（{item.public_phase()}）"

    def item_description(self, item):
        return f"{item.organ.name} · 征求意见时间：{item.starts_on:%Y年%m月%d日}至{item.ends_on:%Y年%m月%d日}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organ.name


class MeetingFeed(Feed):
    """Open meetings and open days (会议开放、政务开放日), newest announcements first."""

    feed_type = Rss201rev2Feed
    language = "zh-hans"
    title = "会议开放与政务开放日 · 政府信息公开平台"
    description = "政府常务会议、听证会、座谈会和政务开放日的安排、报名和会议决定。"

    def link(self):
        return reverse("participation:meetings")

    def items(self):
        from .models import Meeting

        return Meeting.objects.public().select_related("organ").order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title}（{item.get_status_display() if item.status == 'cancelled' else item.get_kind_display()}）"

    def item_description(self, item):
        return f"{item.organ.name} · {item.starts_at:%Y年%m月%d日 %H:%M} · {item.place}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
