"""Fixes on the way: staff navigation by permission, titles within titles, pages in the sitemap."""

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.portal.templatetags.portal import book_title
from gongkai.records.models import Genre

from ..factories import member
from .world import published

pytestmark = pytest.mark.django_db


def _nav(client, user) -> str:
    client.force_login(user)
    body = client.get(reverse("workspace:home")).content.decode()
    start = body.index('aria-label="主导航"')
    return body[start:body.index("</nav>", start)]


def test_staff_navigation_offers_only_what_the_person_may_use(client, organ):
    editor = member(organ, Role.EDITOR, "nav-editor")
    nav = _nav(client, editor)
    assert reverse("workspace:records_mine") in nav
    for forbidden in (reverse("applications:queue"), reverse("reports:index")):
        assert forbidden not in nav, forbidden
        assert client.get(forbidden).status_code == 403  # what the link would have led to
    assert reverse("workspace:review_queue") not in nav and reverse("portal:staff_sites") not in nav
    office = member(organ, Role.OFFICE, "nav-office")
    nav = _nav(client, office)
    for allowed in (reverse("applications:queue"), reverse("reports:index"), reverse("portal:staff_sites")):
        assert allowed in nav
    assert reverse("workspace:records_mine") not in nav


def test_a_title_within_a_title_uses_single_angle_brackets():
    assert book_title("关于印发《保定市政务公开办法》的通知") == "《关于印发〈保定市政务公开办法〉的通知》"
    assert book_title("保定市政务公开办法") == "《保定市政务公开办法》"


def test_interpretation_names_its_document_with_nested_marks(client, site):
    document = published(organ=site.gov, genre=Genre.objects.get(code="normative"),
                         title="关于印发《保定市政务公开办法》的通知")
    interp = published(organ=site.gov, genre=Genre.objects.get(code="interpretation"), interprets=document,
                       title="政策解读：政务公开办法")
    body = client.get(interp.get_absolute_url()).content.decode()
    assert "本文是对" in body and "《关于印发〈保定市政务公开办法〉的通知》" in body


def test_plans_search_apply_and_site_map_are_in_the_sitemap(client, site):
    body = client.get("/sitemap-pages.xml").content.decode()
    for url in ("/plans/", "/search/", "/apply/", "/sitemap/"):
        assert f"{url}</loc>" in body, url
    home = client.get("/").content.decode()
    organ_page = client.get(site.gov.get_absolute_url()).content.decode()
    assert 'href="/plans/"' in home and 'href="/plans/"' in organ_page
