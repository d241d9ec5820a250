"""Every public page and filter answers in Chinese with what it should, and nothing more."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.portal.models import ColumnKind
from gongkai.portal.services import column_page_save

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row(record) -> str:
    return f'class="row-title" href="{record.get_absolute_url()}"'


def test_home_shows_organs_latest_and_entries(client, site):
    body = text(client.get(reverse("portal:home")))
    assert "保定市人民政府" in body and "保定市人民政府办公室" in body
    assert site.annual.title in body and site.news.title in body
    for label in ("政策文件库", "政策解读", "政府公报", 'action="/search/"'):
        assert label in body
    assert '<html lang="zh-Hans"' in body


def test_organ_column_has_the_statutory_subcolumns(client, site):
    body = text(client.get(site.gov.get_absolute_url()))
    for label in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年度报告", "依申请公开",
                  "保定市人民政府公报", "保定市人民政府办公室", "机构职能"):
        assert label in body, label
    assert site.new_policy.title in body
    assert site.news.title not in body  # belongs to the office, not the government


def test_guide_is_generated_from_the_organ_until_written(client, site):
    url = reverse("portal:organ_guide", args=[site.gov.code])
    body = text(client.get(url))
    assert "20个工作日" in body and "保定市东风路1号" in body and "0312-1234567" in body
    column_page_save(actor=None, organ=site.gov, kind=ColumnKind.GUIDE, body="<p>本机关自编指南</p><script>alert(1)</script>")
    body = text(client.get(url))
    assert "本机关自编指南" in body and "<script>alert" not in body


def test_rules_catalog_reports_and_apply_pages(client, site):
    column_page_save(actor=None, organ=site.gov, kind=ColumnKind.RULES, body="<p>保密审查制度全文</p>")
    assert "保密审查制度全文" in text(client.get(reverse("portal:organ_rules", args=[site.gov.code])))
    body = text(client.get(reverse("portal:organ_catalog", args=[site.gov.code])))
    assert "行政规范性文件" in body and "（3）" in body  # three public records filed there
    body = text(client.get(reverse("portal:organ_reports", args=[site.gov.code])))
    assert site.annual.title in body and site.new_policy.title not in body
    body = text(client.get(reverse("portal:organ_apply", args=[site.gov.code])))
    for label in ("当面提交", "信函申请", "071000", "传真申请", "电子邮件申请", "第二十九条"):
        assert label in body, label


def test_disabled_or_unknown_organ_is_404(client, site):
    site.office.is_active = False
    site.office.save()
    for name in ("organ", "organ_guide", "organ_rules", "organ_catalog", "organ_reports", "organ_apply"):
        assert client.get(reverse(f"portal:{name}", args=[site.office.code])).status_code == 404
        assert client.get(reverse(f"portal:{name}", args=["NOSUCHCODE1"])).status_code == 404


def test_catalog_entry_lists_its_subtree_and_sorts(client, site):
    parent = site.entries["policy_documents"]
    body = text(client.get(parent.get_absolute_url()))
    assert site.new_policy.title in body and site.repealed.title in body  # from two child entries
    assert site.interp.title not in body
    body = text(client.get(site.entries["policy_normative"].get_absolute_url() + "?sort=written"))
    assert body.index(site.old_policy.title) < body.index(site.new_policy.title)
    body = text(client.get(site.entries["policy_normative"].get_absolute_url()))
    assert body.index(site.new_policy.title) < body.index(site.old_policy.title)
    assert client.get(reverse("portal:catalog_entry", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("organ=11130600000000002B", ["news"], ["new_policy"]),
        ("genre=interpretation", ["interp"], ["new_policy"]),
        ("topic=caizheng", ["news", "expired"], ["new_policy"]),
        ("year=2025", ["news"], []),
        ("year=2019", [], ["news"]),
        ("validity=revised", ["old_policy"], ["new_policy"]),
        ("validity=expired", ["expired"], ["new_policy"]),
        ("validity=repealed", ["repealed"], ["old_policy"]),
        ("genre=nosuchgenre", ["new_policy"], []),  # an invalid value is ignored, not an error
    ],
)
def test_record_list_filters(client, site, query, present, absent):
    body = text(client.get(reverse("portal:records") + "?" + query))
    for name in present:
        assert getattr(site, name).title in body, name
    for name in absent:
        assert getattr(site, name).title not in body, name


def test_record_list_sorts_and_paginates(client, site):
    body = text(client.get(reverse("portal:records") + "?sort=published"))
    assert body.index(site.old_policy.title) < body.index(site.annual.title)
    body = text(client.get(reverse("portal:records") + "?sort=-written"))
    assert body.index(site.new_policy.title) < body.index(site.repealed.title)
    body = text(client.get(reverse("portal:records") + "?page=99"))  # past the end: the last page
    assert site.annual.title in body


def test_validity_badges_in_lists(client, site):
    body = text(client.get(reverse("portal:records") + "?genre=normative"))
    assert "现行有效" in body and "已修订" in body and "已失效" in body


def test_policy_library_defaults_to_in_force_and_links_successors(client, site):
    body = text(client.get(reverse("portal:policies")))
    assert site.new_policy.title in body
    for name in ("old_policy", "repealed", "expired", "news", "interp"):
        assert getattr(site, name).title not in body, name
    body = text(client.get(reverse("portal:policies") + "?validity=revised"))
    assert site.old_policy.title in body and "请参阅" in body and site.new_policy.get_absolute_url() in body
    body = text(client.get(reverse("portal:policies") + "?validity=all"))
    for name in ("new_policy", "old_policy", "repealed", "expired"):
        assert getattr(site, name).title in body
    body = text(client.get(reverse("portal:policies") + f"?validity=all&issuer={site.gov.code}"))
    assert site.new_policy.title in body and site.old_policy.title not in body  # only one lists its issuers
    body = text(client.get(reverse("portal:policies") + "?validity=all&year=2019"))
    assert row(site.old_policy) in body and row(site.new_policy) not in body
    body = text(client.get(reverse("portal:policies") + "?validity=all&genre=rule"))
    assert site.repealed.title in body and site.old_policy.title not in body


def test_policy_successor_not_linked_when_successor_is_not_public(client, site):
    from gongkai.records.models import Status

    type(site.new_policy).objects.filter(pk=site.new_policy.pk).update(status=Status.WITHDRAWN, withdrawal_reason="x")
    body = text(client.get(reverse("portal:policies") + "?validity=revised"))
    assert site.old_policy.title in body and "请参阅" not in body


def test_record_detail_has_metadata_links_qr_and_tools(client, site):
    body = text(client.get(site.new_policy.get_absolute_url()))
    for label in ("索引号", site.new_policy.index_no, "发布机构", "成文日期", "2025年3月1日", "发布日期",
                  "保政规〔2025〕2号", "主题分类", "综合政务", "有效性", "现行有效", "新规定正文", "规定全文.txt",
                  site.interp.title, site.old_policy.title, "本文件修订或废止的文件", "打印本页", "纠错/留言",
                  'property="og:title"', "手机扫码阅读"):
        assert label in body, label
    assert site.new_policy.get_absolute_url() + "qr.svg" in body


def test_interpretation_links_back_and_revised_document_links_forward(client, site):
    body = text(client.get(site.interp.get_absolute_url()))
    assert "解读的文件" in body and site.new_policy.get_absolute_url() in body
    body = text(client.get(site.old_policy.get_absolute_url()))
    assert "本文件已修订" in body and site.new_policy.get_absolute_url() in body
    body = text(client.get(site.expired.get_absolute_url()))
    assert "已失效" in body and "有效期至2021年12月31日" in body


def test_print_qr_and_feedback(client, site):
    body = text(client.get(reverse("portal:record_print", args=[site.new_policy.pk])))
    assert "新规定正文" in body and "print-view" in body
    response = client.get(reverse("portal:record_qr", args=[site.new_policy.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"xmlns" in response.content
    body = text(client.get(reverse("portal:record_feedback", args=[site.new_policy.pk]), follow=True))
    assert "gk@example.gov.cn" in body and site.new_policy.index_no in body


def test_public_attachment_downloads(client, site):
    response = client.get(site.attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "全文".encode()
    assert "attachment" in response["Content-Disposition"]


def test_gazette_list_issue_and_pdf(client, site):
    body = text(client.get(reverse("portal:gazettes")))
    assert "2025年第3期" in body and "总第123期" in body and "第4期" not in body
    body = text(client.get(reverse("portal:gazettes") + f"?organ={site.gov.code}&year=2024"))
    assert "2025年第3期" not in body
    body = text(client.get(reverse("portal:gazette_issue", args=[site.issue.pk])))
    assert "市政府文件" in body and site.new_policy.title in body and site.interp.title in body
    response = client.get(reverse("portal:gazette_pdf", args=[site.issue.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("portal:gazette_issue", args=[site.draft_issue.pk])).status_code == 404
    assert client.get(reverse("portal:gazette_pdf", args=[site.draft_issue.pk])).status_code == 404


def test_feeds(client, site):
    for name, args in [("feed_rss", []), ("feed_atom", []), ("feed_organ_rss", [site.gov.code]),
                       ("feed_organ_atom", [site.gov.code]), ("feed_genre_rss", ["normative"]),
                       ("feed_genre_atom", ["normative"])]:
        body = text(client.get(reverse(f"portal:{name}", args=args)))
        assert site.new_policy.title in body, name
    body = text(client.get(reverse("portal:feed_organ_rss", args=[site.office.code])))
    assert site.news.title in body and site.new_policy.title not in body
    assert client.get(reverse("portal:feed_organ_rss", args=["NOSUCHCODE1"])).status_code == 404
    assert client.get(reverse("portal:feed_genre_rss", args=["nosuch"])).status_code == 404


def test_sitemap_and_robots(client, site):
    index = text(client.get(reverse("portal:sitemap_index")))
    assert "sitemap-records.xml" in index
    body = text(client.get("/sitemap-records.xml"))
    assert site.new_policy.get_absolute_url() in body
    body = text(client.get(reverse("portal:robots")))
    assert "Disallow: /workspace/" in body and "Sitemap: http://testserver/sitemap.xml" in body


def test_accessibility_settings_without_javascript(client, site):
    page = site.new_policy.get_absolute_url()
    response = client.get(reverse("portal:accessibility") + f"?preset=on&next={page}")
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies["gk_a11y"].value == "text.contrast.spacing"
    body = text(client.get(page))
    assert 'class="a11y-contrast a11y-spacing a11y-text"' in body and "退出适老化模式" in body
    response = client.get(reverse("portal:accessibility") + "?save=1&guide=on&next=https://evil.example/")
    assert response["Location"] == reverse("portal:accessibility")  # no open redirect
    assert response.cookies["gk_a11y"].value == "guide"
    assert 'class="a11y-guide"' in text(client.get(page))
    client.get(reverse("portal:accessibility") + "?preset=off")
    assert 'class=""' in text(client.get(page))
    assert "阅读指引" in text(client.get(reverse("portal:accessibility")))


def test_error_pages_are_chinese(client, site):
    response = client.get("/record/999999/")
    assert response.status_code == 404 and "该信息不存在或尚未公开" in response.content.decode()
    response = client.get("/nothing-here/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_expired_validity_needs_no_edit(client, site):
    """A document whose 有效期 passed shows 已失效 even though nobody edited it."""
    site.new_policy.valid_until = dt.date(2025, 3, 31)
    type(site.new_policy).objects.filter(pk=site.new_policy.pk).update(valid_until=dt.date(2025, 3, 31))
    body = text(client.get(reverse("portal:policies")))
    assert site.new_policy.title not in body


def test_server_error_page_is_chinese(rf):
    from gongkai.portal.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500 and "服务器错误" in response.content.decode()


def test_head_is_answered_and_other_methods_refused(client, site):
    assert client.head(reverse("portal:home")).status_code == 200
    assert client.post(reverse("portal:home")).status_code == 405
    assert client.get(site.old_policy.get_absolute_url())["Content-Type"].startswith("text/html")


def test_the_public_can_reach_every_public_service_from_the_platform_pages(client, site):
    """Navigation, footer and the HTML site map lead to the participation and reach pages."""
    home = client.get(reverse("portal:home")).content.decode()
    nav = home.split('aria-label="主导航"', 1)[1].split("</nav>", 1)[0]
    for label, url in (("意见征集", reverse("participation:consultations")),
                       ("留言咨询", reverse("participation:message_create")), ("政策问答", reverse("participation:qa"))):
        assert label in nav and f'href="{url}"' in nav, label
    footer = home.split('aria-label="页脚"', 1)[1].split("</nav>", 1)[0]
    for url in (reverse("participation:subscribe"), reverse("participation:map"), reverse("open_data")):
        assert f'href="{url}"' in footer, url
    site_map = client.get(reverse("portal:site_map")).content.decode()
    for label in ("政务公开地图", "订阅政策信息", "开放数据", "数据接口说明", "意见征集", "政策问答"):
        assert label in site_map, label
