"""The site frame (政府网站发展指引) on every page type, subsites by path and by host, and their settings."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.portal import services
from gongkai.portal.hosts import AllowedHosts
from gongkai.portal.models import SiteSettings
from gongkai.portal.site import site_for
from gongkai.records.models import Genre

from ..factories import member
from .world import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def framed(site, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.gov.cn", "x")
    services.site_settings_save(actor=admin, organ=None, data={
        "site_name": "保定市政府信息公开平台", "sponsor": "保定市人民政府办公室", "organizer": "保定市政务服务数据管理局",
        "contact_phone": "0312-5900000", "site_code": "1306000001", "icp": "冀ICP备05005123号",
        "police_record": "冀公网安备 13060202000123号", "conac_url": "https://bszs.conac.cn/sitename?id=1",
    })
    site.admin = admin
    return site


PAGE_TYPES = [
    lambda s: reverse("portal:home"),
    lambda s: reverse("portal:organ", args=[s.gov.code]),
    lambda s: reverse("portal:organ_catalog", args=[s.gov.code]),
    lambda s: reverse("portal:policies"),
    lambda s: reverse("portal:records"),
    lambda s: reverse("portal:record", args=[s.new_policy.pk]),
    lambda s: reverse("portal:gazettes"),
    lambda s: reverse("portal:gazette_issue", args=[s.issue.pk]),
    lambda s: reverse("portal:catalog_entry", args=[s.entries["policy_normative"].pk]),
    lambda s: reverse("portal:organ_guide", args=[s.gov.code]),
    lambda s: reverse("portal:accessibility"),
    lambda s: reverse("portal:site_map"),
    lambda s: reverse("search:results") + "?q=通知",
    lambda s: "/no-such-page/",
]


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_type_carries_the_frame(client, framed, url):
    response = client.get(url(framed))
    assert response.status_code in (200, 404)
    body = response.content.decode()
    for text in ("主办单位", "承办单位：保定市政务服务数据管理局", "网站标识码：1306000001", "冀ICP备05005123号",
                 "https://beian.miit.gov.cn/", "冀公网安备 13060202000123号", "code=13060202000123",
                 "党政机关", "我为政府网站找错", reverse("portal:site_map")):
        assert text in body, text
    assert reverse("participation:message_create") in body


def test_the_xml_sitemap_lists_published_gazette_issues_only(client, framed):
    body = client.get("/sitemap-gazette.xml").content.decode()
    assert reverse("portal:gazette_issue", args=[framed.issue.pk]) in body
    assert reverse("portal:gazette_issue", args=[framed.draft_issue.pk]) not in body
    assert "/sitemap-gazette.xml" in client.get("/sitemap.xml").content.decode()


def test_site_map_is_an_html_page_listing_columns_and_organs(client, framed):
    body = client.get(reverse("portal:site_map")).content.decode()
    assert "<h1>网站地图</h1>" in body
    for url in (reverse("portal:policies"), reverse("workplans:public_plans"), reverse("applications:apply"),
                framed.gov.get_absolute_url(), framed.office.get_absolute_url()):
        assert f'href="{url}' in body


def test_organ_frame_falls_back_and_overrides(framed):
    platform = site_for(None)
    assert platform.name == "保定市政府信息公开平台" and platform.organ is None
    organ_site = site_for(framed.office)
    assert organ_site.name == framed.office.name  # no settings of its own: its name
    assert organ_site.sponsor == framed.office.name and organ_site.site_code == "1306000001"  # platform's code
    services.site_settings_save(actor=framed.admin, organ=framed.gov, data={"site_code": "1306000002"})
    assert site_for(framed.office).site_code == "1306000002"  # the parent's beats the platform's
    assert framed.office.code in site_for(framed.office).error_report_url


def test_subsite_by_path_shows_identity_nav_and_blocks(client, framed):
    notice = published(organ=framed.gov, genre=Genre.objects.get(code="notice"), title="关于清明节放假的通知")
    services.site_settings_save(actor=framed.admin, organ=framed.gov, data={
        "site_name": "保定市人民政府门户", "accent": "#1d4f91", "nav": ["home", "policies", "apply"],
        "home_blocks": ["notices", "policies"],
    })
    body = client.get(reverse("portal:organ", args=[framed.gov.code])).content.decode()
    assert "保定市人民政府门户" in body
    assert reverse("portal:site_theme") + "?c=1d4f91" in body
    assert f"{reverse('portal:policies')}?issuer={framed.gov.code}" in body
    assert 'aria-labelledby="block-notices"' in body and 'aria-labelledby="block-latest"' not in body
    assert body.index("block-notices") < body.index("block-policies")
    assert notice.title in body  # the notice block lists the organ's 通知公告
    nav = body[body.index('aria-label="主导航"'):body.index("</nav>", body.index('aria-label="主导航"'))]
    assert "政策文件库" in nav and "政府公报" not in nav
    css = client.get(reverse("portal:site_theme") + "?c=1d4f91")
    assert b"--red: #1d4f91" in css.content and css["Content-Type"].startswith("text/css")
    assert client.get(reverse("portal:site_theme") + "?c=red;}").status_code == 404


def test_subsite_by_host_name(client, framed, settings):
    settings.ALLOWED_HOSTS = ["testserver", "zfb.example.gov.cn"]
    services.site_settings_save(actor=framed.admin, organ=framed.office, data={
        "site_name": "保定市政府办公室", "host": "ZFB.example.gov.cn"})
    on_host = client.get("/", HTTP_HOST="zfb.example.gov.cn").content.decode()
    assert "保定市政府办公室" in on_host and 'aria-labelledby="block-latest"' in on_host
    assert 'class="brand" href="/"' in on_host
    platform = client.get("/").content.decode()
    assert "保定市政府信息公开平台" in platform and 'aria-labelledby="block-latest"' not in platform
    assert SiteSettings.objects.get(organ=framed.office).host == "zfb.example.gov.cn"


def test_settings_are_audited_and_checked(framed):
    row = services.site_settings_save(actor=framed.admin, organ=framed.gov, data={"sponsor": "保定市人民政府"})
    event = AuditEvent.objects.filter(event_type=AuditEventType.SITE_CHANGED, object_id=str(row.pk)).latest("pk")
    assert event.changes["sponsor"][1] == "保定市人民政府" and event.actor == framed.admin
    with pytest.raises(ValidationError, match="导航栏目"):
        services.site_settings_save(actor=framed.admin, organ=framed.gov, data={"nav": ["home", "nowhere"]})
    assert SiteSettings.objects.get(organ=framed.gov).nav == []


def test_only_the_office_or_an_admin_may_configure(client, framed):
    editor = member(framed.gov, Role.EDITOR, "site-editor")
    office = member(framed.gov, Role.OFFICE, "site-office")
    with pytest.raises(PermissionDenied, match="公开办"):
        services.site_settings_save(actor=editor, organ=framed.gov, data={"site_name": "x"})
    url = reverse("portal:staff_site", args=[framed.gov.code])
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert client.get(reverse("portal:staff_site_platform")).status_code == 403
    client.force_login(office)
    assert client.get(reverse("portal:staff_site", args=[framed.office.code])).status_code == 200  # below it
    assert client.get(reverse("portal:staff_site_platform")).status_code == 403  # the platform: admins only
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(buf, "PNG")
    response = client.post(url, {
        "site_name": "保定市人民政府信息公开", "accent": "#ffff00", "nav_home": "1",
    })
    assert "太浅" in response.content.decode()  # white text on yellow: refused with a reason
    response = client.post(url, {
        "site_name": "保定市人民政府信息公开", "accent": "#1d4f91", "nav_home": "1", "nav_policies": "2",
        "block_latest": "2", "block_notices": "1", "site_code": "1306000003",
        "emblem": SimpleUploadedFile("logo.png", buf.getvalue(), content_type="image/png"),
    })
    assert response.status_code == 302
    row = SiteSettings.objects.get(organ=framed.gov)
    assert row.nav == ["home", "policies"] and row.home_blocks == ["notices", "latest"] and row.emblem
    emblem = client.get(reverse("portal:site_emblem", args=[row.pk]))
    assert emblem.status_code == 200 and emblem["Content-Type"] == "image/png"
    home = client.get(reverse("portal:organ", args=[framed.gov.code])).content.decode()
    assert reverse("portal:site_emblem", args=[row.pk]) in home


def test_a_configured_host_is_allowed_without_editing_settings(client, framed, settings):
    settings.ALLOWED_HOSTS = AllowedHosts(["testserver"])  # what gongkai.settings installs
    assert client.get("/", HTTP_HOST="bd.example.gov.cn").status_code == 400  # unknown: Django's refusal
    client.force_login(framed.admin)
    body = client.post(reverse("portal:staff_site", args=[framed.gov.code]),
                       {"host": "bd.example.gov.cn", "nav_home": "1"}, follow=True).content.decode()
    assert "独立域名 bd.example.gov.cn 已生效" in body
    client.logout()
    home = client.get("/", HTTP_HOST="bd.example.gov.cn")
    assert home.status_code == 200 and 'class="brand" href="/"' in home.content.decode()
    assert framed.gov.name in home.content.decode()
    # The sitemap and robots.txt on the subsite's host speak of that host.
    robots = client.get("/robots.txt", HTTP_HOST="bd.example.gov.cn").content.decode()
    assert "Sitemap: http://bd.example.gov.cn/sitemap.xml" in robots
    index = client.get("/sitemap.xml", HTTP_HOST="bd.example.gov.cn").content.decode()
    assert "http://bd.example.gov.cn/sitemap-" in index
    pages = client.get("/sitemap-pages.xml", HTTP_HOST="bd.example.gov.cn").content.decode()
    assert "<loc>http://bd.example.gov.cn/</loc>" in pages
    # A changed host takes over at once; the old one is refused again.
    services.site_settings_save(actor=framed.admin, organ=framed.gov, data={"host": "gov.example.gov.cn"})
    assert client.get("/", HTTP_HOST="bd.example.gov.cn").status_code == 400
    assert client.get("/", HTTP_HOST="gov.example.gov.cn").status_code == 200
    # An organ that is closed loses its host.
    framed.gov.is_active = False
    framed.gov.save(update_fields=["is_active"])
    services.site_settings_save(actor=framed.admin, organ=None, data={"icp": "冀ICP备05005124号"})  # bumps
    assert client.get("/", HTTP_HOST="gov.example.gov.cn").status_code == 400


def test_the_project_settings_install_the_configured_hosts():
    from gongkai import settings as project

    assert isinstance(project.ALLOWED_HOSTS, AllowedHosts)
