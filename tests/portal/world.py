"""A small public world for the portal and browser tests."""

import datetime as dt
import importlib
from types import SimpleNamespace

from django.core.files.base import ContentFile

from gongkai.records.models import (
    Attachment,
    Catalog,
    CatalogEntry,
    Gazette,
    GazetteIssue,
    GazetteItem,
    Genre,
    Topic,
    Validity,
)
from gongkai.records.services import catalog_copy

from ..factories import OrganFactory, RecordFactory

REFERENCE = importlib.import_module("gongkai.records.migrations.0002_reference_data")


def reference_data() -> None:
    """Genres, topics and the standard catalog (transactional tests flush what the migration wrote)."""
    for order, (code, name, is_policy, is_interpretation) in enumerate(REFERENCE.GENRES):
        Genre.objects.get_or_create(code=code, defaults={"name": name, "is_policy": is_policy,
                                                         "is_interpretation": is_interpretation, "order": order})
    for order, (code, name) in enumerate(REFERENCE.TOPICS):
        Topic.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    if not Catalog.objects.filter(is_standard=True).exists():
        catalog = Catalog.objects.create(name=REFERENCE.STANDARD_CATALOG_NAME, is_standard=True)
        REFERENCE._create_entries(CatalogEntry, catalog, REFERENCE.CATALOG, None)


def published(**kwargs):
    return RecordFactory(published=True, **kwargs)


def at(day: int) -> dt.datetime:
    return dt.datetime(2025, 3, day, 2, 0, tzinfo=dt.UTC)


def build_site() -> SimpleNamespace:
    """Two organs, a copied catalog, policies in every validity, an interpretation, a gazette."""
    reference_data()
    gov = OrganFactory(name="保定市人民政府", code="11130600000000001A", kind="government",
                       address="保定市东风路1号", postcode="071000", phone="0312-1234567",
                       office_hours="工作日 9:00-17:00", email="gk@example.gov.cn", fax="0312-7654321")
    office = OrganFactory(name="保定市人民政府办公室", code="11130600000000002B", parent=gov)
    standard = Catalog.objects.get(is_standard=True)
    catalog = catalog_copy(source=standard, organ=gov)
    entries = {e.code: e for e in catalog.entries.all()}
    normative = Genre.objects.get(code="normative")
    rule = Genre.objects.get(code="rule")
    interpretation = Genre.objects.get(code="interpretation")
    notice = Genre.objects.get(code="notice")
    report = Genre.objects.get(code="annual_report")
    topic = Topic.objects.get(code="zonghe")
    finance = Topic.objects.get(code="caizheng")

    new_policy = published(organ=gov, genre=normative, topic=topic, title="保定市政府信息公开规定（2025年修订）",
                           doc_no="保政规〔2025〕2号", written_on=dt.date(2025, 3, 1), published_at=at(5),
                           body="<p>新规定正文。</p>", summary="规定政府信息公开工作。")
    old_policy = published(organ=gov, genre=normative, topic=topic, title="保定市政府信息公开暂行规定",
                           doc_no="保政规〔2019〕1号", written_on=dt.date(2019, 5, 1), published_at=at(1),
                           validity=Validity.REVISED, superseded_by=new_policy)
    repealed = published(organ=gov, genre=rule, topic=topic, title="保定市某某管理办法",
                         doc_no="保定市人民政府令第3号", written_on=dt.date(2018, 1, 1), published_at=at(2),
                         validity=Validity.REPEALED)
    expired = published(organ=gov, genre=normative, topic=finance, title="关于2020年财政补贴的通知",
                        doc_no="保政规〔2020〕5号", written_on=dt.date(2020, 2, 1), published_at=at(3),
                        valid_until=dt.date(2021, 12, 31))
    interp = published(organ=gov, genre=interpretation, topic=topic, title="《保定市政府信息公开规定》政策解读",
                       interprets=new_policy, published_at=at(6), written_on=dt.date(2025, 3, 2))
    news = published(organ=office, genre=notice, topic=finance, title="市政府办公室关于春节值班安排的通知",
                     published_at=at(4), written_on=dt.date(2025, 2, 20))
    annual = published(organ=gov, genre=report, topic=topic, title="保定市人民政府2024年政府信息公开工作年度报告",
                       published_at=at(7), written_on=dt.date(2025, 1, 20))
    for r in (new_policy, old_policy, expired):
        r.catalog_entries.add(entries["policy_normative"])
    repealed.catalog_entries.add(entries["policy_rules"])
    interp.catalog_entries.add(entries["interpretation"])
    annual.catalog_entries.add(entries["annual_reports"])
    new_policy.issuers.add(gov)

    att = Attachment(record=new_policy, name="规定全文.txt", size=6, content_type="text/plain")
    att.file.save("full.txt", ContentFile("全文".encode()), save=False)
    att.save()

    gazette = Gazette.objects.create(organ=gov, name="保定市人民政府公报")
    issue = GazetteIssue.objects.create(gazette=gazette, year=2025, number=3, total_number=123,
                                        issued_on=dt.date(2025, 3, 10), is_published=True)
    issue.pdf.save("2025-3.pdf", ContentFile(b"%PDF-1.4 gazette"), save=True)
    GazetteItem.objects.create(issue=issue, record=new_policy, section="市政府文件", order=1)
    GazetteItem.objects.create(issue=issue, record=interp, section="政策解读", order=2)
    draft_issue = GazetteIssue.objects.create(gazette=gazette, year=2025, number=4, issued_on=dt.date(2025, 4, 10),
                                              is_published=False)
    draft_issue.pdf.save("2025-4.pdf", ContentFile(b"%PDF-1.4 unpublished"), save=True)
    return SimpleNamespace(gov=gov, office=office, catalog=catalog, entries=entries, new_policy=new_policy,
                           old_policy=old_policy, repealed=repealed, expired=expired, interp=interp, news=news,
                           annual=annual, attachment=att, gazette=gazette, issue=issue, draft_issue=draft_issue)
