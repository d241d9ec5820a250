"""Open data: the catalog as CSV (BOM), JSON Lines and XLSX, per organ and for everything; the page,
the data dictionary, the nightly job, and the one door between nights."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.portal.api import opendata
from gongkai.records.models import Record, Status
from tests.factories import RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.GONGKAI_OPEN_DATA_DIR = str(tmp_path / "open-data")
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    settings.GONGKAI_API_RATE = 0


def _publish(organ, genre, **fields):
    return RecordFactory(organ=organ, genre=genre, status=Status.PUBLISHED,
                         published_at=timezone.now() - dt.timedelta(hours=1), **fields)


def _download(client, name) -> bytes:
    response = client.get(f"/open-data/{name}")
    assert response.status_code == 200, name
    return b"".join(response.streaming_content)


def test_files_for_everything_and_per_organ_in_three_formats(client, organ, other_organ, genre):
    mine = _publish(organ, genre, title="=危险公式的标题")
    theirs = _publish(other_organ, genre, title="别的机关的信息")
    RecordFactory(organ=organ, genre=genre, title="草稿不应出现")
    summary = opendata.open_data_nightly()
    assert "9 个" in summary  # all + two organs, three formats each
    raw = _download(client, "catalog-all.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS open UTF-8
    text = raw.decode("utf-8-sig")
    assert "标题（title）" in text.splitlines()[0]
    assert "'=危险公式的标题" in text and "别的机关的信息" in text and "草稿不应出现" not in text
    lines = _download(client, f"catalog-{organ.code}.jsonl").decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(mine.pk)]
    wb = load_workbook(io.BytesIO(_download(client, "catalog-all.xlsx")))
    sheet = wb["政府信息目录"]
    assert sheet.max_row == 3 and sheet.cell(1, 4).value == "标题"
    assert {sheet.cell(r, 1).value for r in (2, 3)} == {str(mine.pk), str(theirs.pk)}
    assert "数据字典" in wb.sheetnames


def test_page_lists_files_with_sizes_and_the_dictionary(client, organ, genre):
    _publish(organ, genre)
    assert "尚未生成" in client.get("/open-data/").content.decode()
    opendata.generate_all()
    body = client.get("/open-data/").content.decode()
    assert "catalog-all.csv" in body and organ.name in body and "数据字典" in body and "index_no" in body
    assert "字段（英文）" in _download_plain(client, "/open-data/dictionary.csv")
    listed = client.get("/api/v1/open-data").json()
    assert {f["name"] for f in listed} >= {"catalog-all.csv", "catalog-all.jsonl", "catalog-all.xlsx"}


def _download_plain(client, url) -> str:
    return client.get(url).content.decode("utf-8-sig")


def test_a_record_withdrawn_after_the_night_is_not_served(client, organ, genre):
    kept = _publish(organ, genre, title="保留")
    gone = _publish(organ, genre, title="当天撤回")
    opendata.generate_all()
    assert "当天撤回" in _download(client, "catalog-all.jsonl").decode()
    Record.objects.filter(pk=gone.pk).update(status=Status.WITHDRAWN, withdrawal_reason="错误",
                                             updated_at=timezone.now() + dt.timedelta(seconds=1))
    for name in ("catalog-all.jsonl", f"catalog-{organ.code}.csv", "catalog-all.xlsx"):
        body = _download(client, name)
        assert "当天撤回".encode() not in body, name
    assert kept.title in _download(client, "catalog-all.jsonl").decode()


def test_a_disabled_organs_files_go(client, organ, other_organ, genre):
    _publish(organ, genre, title="停用机关的信息")
    _publish(other_organ, genre)
    opendata.generate_all()
    type(organ).objects.filter(pk=organ.pk).update(is_active=False)
    assert client.get(f"/open-data/catalog-{organ.code}.csv").status_code == 404
    assert "停用机关的信息" not in _download(client, "catalog-all.csv").decode("utf-8-sig")


def test_unknown_file_names_are_404(client):
    for name in ["../settings.py", "manifest.json", "catalog-nope.csv", ".catalog-all.csv.tmp"]:
        assert client.get(f"/open-data/{name}").status_code == 404
