"""sitemap.xml: organs, their 专栏 pages and every public record (through the one door).

On a subsite's own host name (``site.host_organ``) the sitemap lists that organ's site only: its
home and 专栏 pages, its catalog's entries, its public records, gazette issues, consultations and
meetings — not the whole platform, which its own hosts list.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import reverse

from gongkai.core.models import Organ
from gongkai.participation.selectors import answers as answer_selectors
from gongkai.participation.selectors import consultations as consultation_selectors
from gongkai.participation.selectors import meetings as meeting_selectors
from gongkai.participation.selectors import messages as message_selectors

from . import selectors, site


class RecordSitemap(Sitemap):
    limit = 10000
    changefreq = "monthly"

    def items(self):
        return selectors.public_records().only("pk", "updated_at", "published_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: one aggregate instead of 100,000 rows.
        return selectors.public_records().aggregate(latest=Max("updated_at"))["latest"]


class OrganSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(selectors.active_organs().only("pk", "code"))

    def location(self, item):
        return item.get_absolute_url()


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["portal:home", "portal:records", "portal:policies", "portal:gazettes", "portal:site_map",
                "workplans:public_plans", "search:results", "applications:apply",
                "applications:track"]

    def location(self, item):
        return reverse(item)


class ConsultationSitemap(Sitemap):
    """意见征集: the list and every public consultation (through ``Consultation.objects.public()``)."""

    changefreq = "daily"

    def items(self):
        return list(consultation_selectors.public_consultations().order_by("pk"))

    def lastmod(self, item):
        return item.updated_at


class ParticipationPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["participation:consultations", "participation:comment_lookup", "participation:messages",
                "participation:message_stats", "participation:qa", "participation:meetings",
                "participation:registration_lookup", "participation:decision_catalogs"]

    def location(self, item):
        return reverse(item)


class MessageSitemap(Sitemap):
    """留言选登: every published message (through ``Message.objects.public()``)."""

    changefreq = "monthly"

    def items(self):
        return list(message_selectors.public_messages().order_by("pk"))

    def lastmod(self, item):
        return item.replied_at


class AnswerSitemap(Sitemap):
    """政策问答: every public entry (through ``Answer.objects.public()``)."""

    changefreq = "weekly"

    def items(self):
        return list(answer_selectors.public_answers().order_by("pk"))

    def lastmod(self, item):
        return item.updated_at


class MeetingSitemap(Sitemap):
    """会议开放: every public meeting and every published 重大行政决策事项目录."""

    changefreq = "weekly"

    def items(self):
        return (list(meeting_selectors.public_meetings().order_by("pk"))
                + list(meeting_selectors.public_catalogs().order_by("pk")))

    def lastmod(self, item):
        return item.updated_at


class ReachSitemap(Sitemap):
    """政务公开地图 (the map and every public place), subscriptions, the open data and the API's documentation."""

    changefreq = "weekly"

    def items(self):
        from gongkai.participation.selectors.places import public_places

        return ["participation:map", "participation:subscribe", "open_data", "api_docs", *public_places()]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


class GazetteSitemap(Sitemap):
    """政府公报: every published issue (through ``selectors.public_issues()``)."""

    changefreq = "monthly"

    def items(self):
        return list(selectors.public_issues().order_by("pk"))

    def location(self, item):
        return reverse("portal:gazette_issue", kwargs={"pk": item.pk})


SITEMAPS = {"pages": PagesSitemap, "gazette": GazetteSitemap, "organs": OrganSitemap, "records": RecordSitemap,
            "participation": ParticipationPagesSitemap, "consultations": ConsultationSitemap,
            "messages": MessageSitemap, "qa": AnswerSitemap, "meetings": MeetingSitemap, "reach": ReachSitemap}


# --- a subsite's own host: its organ's pages only ----------------------------------------------


class OrganScoped(Sitemap):
    def __init__(self, organ: Organ):
        self.organ = organ


class OrganPagesSitemap(OrganScoped):
    """The subsite's home (``/`` on its host), its 专栏 tabs and its catalog's entries."""

    changefreq = "daily"

    def items(self):
        code = self.organ.code
        pages = ["/", *(reverse(name, args=[code]) for name in (
            "portal:organ", "portal:organ_guide", "portal:organ_rules", "portal:organ_catalog", "portal:organ_reports",
            "portal:organ_apply"))]
        catalog = selectors.organ_catalog(self.organ)
        if catalog is not None:
            pages += [reverse("portal:catalog_entry", kwargs={"pk": pk})
                      for pk in catalog.entries.order_by("order", "id").values_list("pk", flat=True)]
        return pages

    def location(self, item):
        return item


class OrganRecordSitemap(RecordSitemap, OrganScoped):
    def items(self):
        return super().items().filter(organ=self.organ)

    def get_latest_lastmod(self):
        return selectors.public_records().filter(organ=self.organ).aggregate(latest=Max("updated_at"))["latest"]


class OrganGazetteSitemap(GazetteSitemap, OrganScoped):
    def items(self):
        return list(selectors.public_issues().filter(gazette__organ=self.organ).order_by("pk"))


class OrganConsultationSitemap(ConsultationSitemap, OrganScoped):
    def items(self):
        return list(consultation_selectors.public_consultations(organ=self.organ).order_by("pk"))


class OrganMeetingSitemap(MeetingSitemap, OrganScoped):
    def items(self):
        return (list(meeting_selectors.public_meetings(organ=self.organ).order_by("pk"))
                + list(meeting_selectors.public_catalogs().filter(organ=self.organ).order_by("pk")))


def organ_sitemaps(organ: Organ) -> dict[str, Sitemap]:
    return {"pages": OrganPagesSitemap(organ), "gazette": OrganGazetteSitemap(organ),
            "records": OrganRecordSitemap(organ), "consultations": OrganConsultationSitemap(organ),
            "meetings": OrganMeetingSitemap(organ)}


def sitemaps_for(request) -> dict:
    organ = site.host_organ(request)
    return SITEMAPS if organ is None else organ_sitemaps(organ)


def sitemap_index(request, **kwargs):
    """``/sitemap.xml``: the platform's sections, or on a subsite's host that organ's."""
    return sitemap_views.index(request, sitemaps_for(request), **kwargs)


def sitemap_section(request, section: str, **kwargs):
    """``/sitemap-<section>.xml``; a section the host does not have is a 404."""
    return sitemap_views.sitemap(request, sitemaps_for(request), section=section, **kwargs)
