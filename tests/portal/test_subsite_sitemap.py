"""On a subsite's own host name the XML sitemap lists that organ's site only; the platform's lists all (#22)."""

import re

import pytest

from gongkai.portal import services

pytestmark = pytest.mark.django_db

HOST = "zfb.example.gov.cn"


@pytest.fixture
def office_host(site, settings, django_user_model):
    settings.ALLOWED_HOSTS = ["testserver", HOST]
    admin = django_user_model.objects.create_superuser("admin", "a@example.gov.cn", "x")
    services.site_settings_save(actor=admin, organ=site.office, data={"site_name": "保定市政府办公室", "host": HOST})
    return site


def _locs(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_the_subsite_host_lists_only_its_organ(client, office_host):
    site = office_host
    host = {"HTTP_HOST": HOST}
    index = _locs(client, "/sitemap.xml", **host)
    assert index and all(loc.startswith(f"http://{HOST}/sitemap-") for loc in index)
    assert "sitemap-organs.xml" not in " ".join(index)  # the platform's organ list is not the subsite's
    locs = [loc for section in index for loc in _locs(client, "/" + section.split("/", 3)[3], **host)]
    assert f"http://{HOST}/" in locs
    assert f"http://{HOST}/organ/{site.office.code}/" in locs
    assert f"http://{HOST}/record/{site.news.pk}/" in locs  # the office's own record
    for other in (site.new_policy, site.interp, site.annual):  # the government's records are not its pages
        assert f"http://{HOST}/record/{other.pk}/" not in locs
    assert f"http://{HOST}/organ/{site.gov.code}/" not in locs
    assert f"http://{HOST}/gazette/issue/{site.issue.pk}/" not in locs  # the government's gazette
    assert client.get("/sitemap-organs.xml", **host).status_code == 404

    platform = [loc for section in _locs(client, "/sitemap.xml")
                for loc in _locs(client, "/" + section.split("/", 3)[3])]
    for record in (site.news, site.new_policy, site.interp, site.annual):
        assert f"http://testserver/record/{record.pk}/" in platform
    assert f"http://testserver/organ/{site.gov.code}/" in platform
    assert f"http://testserver/gazette/issue/{site.issue.pk}/" in platform
