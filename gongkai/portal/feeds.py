"""RSS and Atom feeds of new public records: all, per organ, per genre (through the one door)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from gongkai.records.models import Genre

from . import selectors

FEED_SIZE = 50


class _Base(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-hans"

    def items(self, obj=None):
        qs = selectors.public_records().select_related("organ", "genre").defer("body")
        if obj is not None:
            qs = qs.filter(**self.filter_for(obj))
        return qs.order_by("-published_at", "-id")[:FEED_SIZE]

    def filter_for(self, obj):  # pragma: no cover - overridden
        return {}

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [f"{item.organ.name}", item.doc_no, item.summary]
        return " · ".join(p for p in parts if p)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.genre.name]

    def item_author_name(self, item):
        return item.organ.name


class LatestFeed(_Base):
    title = "政府信息公开平台 · 最新公开信息"
    description = "本平台各机关最新主动公开的政府信息"

    def link(self):
        return reverse("portal:records")


class OrganFeed(_Base):
    def get_object(self, request, code):
        organ = selectors.public_organ(code)
        if organ is None:
            raise Http404
        return organ

    def filter_for(self, obj):
        return {"organ": obj}

    def title(self, obj):
        return f"{obj.name} · 最新公开信息"

    def description(self, obj):
        return f"{obj.name}主动公开的政府信息"

    def link(self, obj):
        return obj.get_absolute_url()


class GenreFeed(_Base):
    def get_object(self, request, code):
        genre = Genre.objects.filter(code=code).first()
        if genre is None:
            raise Http404
        return genre

    def filter_for(self, obj):
        return {"genre": obj}

    def title(self, obj):
        return f"{obj.name} · 政府信息公开平台"

    def description(self, obj):
        return f"最新公开的{obj.name}"

    def link(self, obj):
        return reverse("portal:records") + f"?genre={obj.code}"


class LatestAtom(LatestFeed):
    feed_type = Atom1Feed
    subtitle = LatestFeed.description


class OrganAtom(OrganFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class GenreAtom(GenreFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
