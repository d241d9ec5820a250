"""尚未施行: a document whose 施行日期 is ahead is shown so and not counted 现行有效; the successor picker."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.records.models import Genre, Record, Status
from gongkai.search.index import in_force
from gongkai.workspace.forms import ValidityForm

from ..factories import RecordFactory
from .world import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def future(site):
    starts = timezone.localdate() + dt.timedelta(days=30)
    return published(organ=site.gov, genre=Genre.objects.get(code="normative"), title="关于明年施行的办法",
                     valid_from=starts, doc_no="保政规〔2025〕9号")


def test_a_future_start_is_not_yet_in_force(client, site, future):
    today = timezone.localdate()
    assert future.not_yet_in_force
    assert not Record.objects.in_force().filter(pk=future.pk).exists()
    assert Record.objects.in_force(today + dt.timedelta(days=30)).filter(pk=future.pk).exists()  # from that day
    assert not in_force(future, today) and in_force(future, today + dt.timedelta(days=30))
    body = client.get(future.get_absolute_url()).content.decode()
    assert "尚未施行" in body and f'datetime="{future.valid_from:%Y-%m-%d}"' in body
    policies = client.get("/policies/").content.decode()  # 现行有效 by default
    assert future.title not in policies
    assert future.title in client.get("/policies/?validity=all").content.decode()
    assert "尚未施行" in client.get("/policies/?validity=all").content.decode()


def test_a_started_document_is_in_force(site):
    started = published(organ=site.gov, genre=Genre.objects.get(code="normative"),
                        valid_from=timezone.localdate() - dt.timedelta(days=1))
    assert not started.not_yet_in_force and Record.objects.in_force().filter(pk=started.pk).exists()


def test_successor_picker_offers_only_public_documents_of_the_organ(site, future):
    draft = RecordFactory(organ=site.gov, genre=future.genre, title="尚未公开的新办法", doc_no="保政规〔2025〕10号",
                          status=Status.DRAFT)
    elsewhere = published(organ=site.office, genre=future.genre, title="别的机关的办法", doc_no="保政办规〔2025〕1号")
    form = ValidityForm(record=site.old_policy)
    html = str(form["superseded_by"])
    assert "<datalist" in html and future.title in html
    assert draft.title not in html and elsewhere.title not in html and site.old_policy.title not in html.split("<datalist")[1]
    ok = ValidityForm({"validity": "revised", "superseded_by": "保政规〔2025〕9号"}, record=site.old_policy)
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["superseded_by"] == future
    for value in (draft.doc_no, elsewhere.doc_no, "不存在的文件"):
        refused = ValidityForm({"validity": "revised", "superseded_by": value}, record=site.old_policy)
        assert not refused.is_valid()
        assert "没有找到本机关已公开的文件" in refused.errors["superseded_by"][0]
