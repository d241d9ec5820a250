from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, staff_views, views
from .sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("organ/<str:code>/", views.organ, name="organ"),
    path("organ/<str:code>/guide/", views.organ_guide, name="organ_guide"),
    path("organ/<str:code>/rules/", views.organ_rules, name="organ_rules"),
    path("organ/<str:code>/catalog/", views.organ_catalog, name="organ_catalog"),
    path("organ/<str:code>/annual-reports/", views.organ_reports, name="organ_reports"),
    path("organ/<str:code>/apply/", views.organ_apply, name="organ_apply"),
    path("catalog/<int:pk>/", views.catalog_entry, name="catalog_entry"),
    path("records/", views.record_list, name="records"),
    path("policies/", views.policies, name="policies"),
    path("record/<int:pk>/", views.record, name="record"),
    path("record/<int:pk>/print/", views.record_print, name="record_print"),
    path("record/<int:pk>/versions/<int:a>/<int:b>/", views.record_versions_diff, name="record_diff"),
    path("record/<int:pk>/qr.svg", views.record_qr, name="record_qr"),
    path("record/<int:pk>/feedback/", views.record_feedback, name="record_feedback"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
    path("gazette/", views.gazettes, name="gazettes"),
    path("gazette/issue/<int:pk>/", views.gazette_issue, name="gazette_issue"),
    path("gazette/issue/<int:pk>/pdf/", views.gazette_pdf, name="gazette_pdf"),
    path("feeds/rss.xml", feeds.LatestFeed(), name="feed_rss"),
    path("feeds/atom.xml", feeds.LatestAtom(), name="feed_atom"),
    path("feeds/organ/<str:code>/rss.xml", feeds.OrganFeed(), name="feed_organ_rss"),
    path("feeds/organ/<str:code>/atom.xml", feeds.OrganAtom(), name="feed_organ_atom"),
    path("feeds/genre/<str:code>/rss.xml", feeds.GenreFeed(), name="feed_genre_rss"),
    path("feeds/genre/<str:code>/atom.xml", feeds.GenreAtom(), name="feed_genre_atom"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap",
                                              "template_name": "portal/sitemap_index.xml"}, name="sitemap_index"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS,
                                                          "template_name": "portal/sitemap.xml"}, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("a11y/", views.accessibility, name="accessibility"),
    path("sitemap/", views.site_map, name="site_map"),
    path("site/emblem/<int:pk>/", views.site_emblem, name="site_emblem"),
    path("site/theme.css", views.site_theme, name="site_theme"),
    path("workspace/sites/", staff_views.site_list, name="staff_sites"),
    path("workspace/sites/platform/", staff_views.site_edit, name="staff_site_platform"),
    path("workspace/sites/<str:code>/", staff_views.site_edit, name="staff_site"),
    path("workspace/gazette/", staff_views.gazette_list, name="staff_gazettes"),
    path("workspace/gazette/<int:pk>/", staff_views.gazette_issue, name="staff_gazette_issue"),
    path("workspace/record/<int:pk>/versions/", staff_views.record_versions, name="staff_record_versions"),
]
