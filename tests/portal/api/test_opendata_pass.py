"""Open data, the fast nightly job: rows built once from plain values (the same rows as the model
path), unchanged scopes kept by fingerprint, and the one door still shut on what left the public."""

import datetime as dt
import json

import pytest
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import strip_tags

from gongkai.core.models import Organ
from gongkai.ops.bench import BENCHMARKS
from gongkai.portal.api import opendata
from gongkai.records.models import Attribute, Audience, Record, Status, Validity
from tests.factories import OrganFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.GONGKAI_OPEN_DATA_DIR = str(tmp_path / "open-data")
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    settings.GONGKAI_API_RATE = 0


def _publish(organ, genre, **fields):
    fields.setdefault("published_at", timezone.now() - dt.timedelta(hours=1))
    return RecordFactory(organ=organ, genre=genre, status=Status.PUBLISHED, **fields)


def _model_rows(organ=None):
    """The rows as the job built them before, one model instance a record with prefetched names."""
    qs = Record.objects.public()
    if organ is not None:
        qs = qs.filter(organ=organ)
    qs = (qs.select_related("organ", "genre", "topic")
          .prefetch_related(Prefetch("issuers", Organ.objects.only("name")),
                            Prefetch("audiences", Audience.objects.only("name")))
          .order_by("-published_at", "-id"))
    site = opendata._site()
    return [{
        "id": str(r.pk), "index_no": r.index_no, "doc_no": r.doc_no, "title": r.title,
        "organ": r.organ.name, "organ_code": r.organ.code,
        "issuers": "、".join(o.name for o in r.issuers.all()), "genre": r.genre.name,
        "topic": r.topic.name if r.topic_id else "",
        "written_on": r.written_on.isoformat() if r.written_on else "",
        "published_at": timezone.localtime(r.published_at).strftime("%Y-%m-%d %H:%M"),
        "validity": r.get_effective_validity_display(),
        "valid_until": r.valid_until.isoformat() if r.valid_until else "",
        "audiences": "、".join(a.name for a in r.audiences.all()),
        "summary": strip_tags(r.summary), "url": site + r.get_absolute_url(),
    } for r in qs]


def _stamp(folder):
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir() if p.name.startswith("catalog-")}


def _lines(name) -> list[dict]:
    return [json.loads(line) for line in (opendata.data_dir() / name).read_text(encoding="utf-8").splitlines()]


def test_one_pass_gives_the_same_rows_as_the_model_path(organ, other_organ, genre):
    # the lead organ last by pk but first by tree path: the issuers keep the tree's order
    parent = OrganFactory(name="测试市人民政府", code="11130600MA9999990X")
    Organ.objects.filter(pk=parent.pk).update(path="/0/")
    a = Audience.objects.create(code="t-small", name="测试小微企业", group="size", order=2)
    b = Audience.objects.create(code="t-grad", name="测试高校毕业生", group="person", order=1)
    now = timezone.now()
    joint = _publish(organ, genre, doc_no="测政发〔2025〕1号", summary="<p>关于<b>测试</b>的概述。</p>",
                     valid_until=dt.date(2099, 1, 1), published_at=now - dt.timedelta(days=3, minutes=7))
    joint.issuers.set([organ, parent, other_organ])
    joint.audiences.set([a, b])
    expired = _publish(other_organ, genre, validity=Validity.VALID, valid_until=dt.date(2020, 1, 1),
                       published_at=now - dt.timedelta(days=2))
    expired.audiences.set([b])
    _publish(organ, genre, topic=None, written_on=None, validity=Validity.REPEALED,
             published_at=now - dt.timedelta(days=1))
    _publish(organ, genre, published_at=now - dt.timedelta(days=1))  # same time: newest id first
    RecordFactory(organ=organ, genre=genre, title="草稿")
    _publish(organ, genre, title="依申请公开", attribute=Attribute.ON_REQUEST, attribute_reason="涉及第三方")
    _publish(organ, genre, title="尚未到发布时间", published_at=now + dt.timedelta(days=1))
    hidden = OrganFactory(is_active=False)
    _publish(hidden, genre, title="停用机关的信息")

    expected = _model_rows()
    assert len(expected) == 4
    assert list(opendata.rows()) == expected
    assert list(opendata.rows(organ)) == _model_rows(organ)
    by_id = {r["id"]: r for r in expected}
    assert by_id[str(joint.pk)]["issuers"] == f"{parent.name}、{organ.name}、{other_organ.name}"
    assert by_id[str(joint.pk)]["audiences"] == "测试高校毕业生、测试小微企业"
    assert by_id[str(expired.pk)]["validity"] == "已失效"
    opendata.generate_all()
    assert _lines("catalog-all.jsonl") == expected
    assert _lines(f"catalog-{organ.code}.jsonl") == _model_rows(organ)


def test_an_unchanged_scope_is_not_rewritten(organ, other_organ, genre):
    mine = _publish(organ, genre, title="会被修改的信息")
    _publish(other_organ, genre, title="不变的信息")
    opendata.generate_all()
    folder = opendata.data_dir()
    first = _stamp(folder)
    before = {f.name: f for f in opendata.files()}

    assert "（其中 9 个内容未变，未重写）" in opendata.open_data_nightly()
    assert _stamp(folder) == first  # nothing changed: no file written
    kept = {f.name: f for f in opendata.files()}
    assert all(kept[n].generated_at > before[n].generated_at for n in before)  # checked now, as a rewrite would be
    assert all(kept[n].digest == before[n].digest and kept[n].rows == before[n].rows for n in before)

    Record.objects.filter(pk=mine.pk).update(title="修改后的标题", updated_at=timezone.now())
    summary = opendata.open_data_nightly()
    assert "（其中 3 个内容未变，未重写）" in summary
    after = _stamp(folder)
    for fmt in opendata.FORMATS:
        theirs = f"catalog-{other_organ.code}.{fmt}"
        assert after[theirs] == first[theirs]
        for changed in (f"catalog-{organ.code}.{fmt}", f"catalog-all.{fmt}"):
            assert after[changed] != first[changed]
    assert [r["title"] for r in _lines(f"catalog-{organ.code}.jsonl")] == ["修改后的标题"]
    assert "修改后的标题" in (folder / "catalog-all.csv").read_text(encoding="utf-8-sig")


def test_changes_that_leave_updated_at_alone_are_still_written(organ, genre):
    """A fingerprint of the rows themselves: time passing (a 有效期 ends, a timed record goes public)
    or a renamed organ changes the files though no record's updated_at moved."""
    policy = _publish(organ, genre, title="有效期内的文件", valid_until=timezone.localdate() + dt.timedelta(days=3))
    timed = _publish(organ, genre, title="定时发布的信息", published_at=timezone.now() + dt.timedelta(days=1))
    opendata.generate_all()
    assert [r["validity"] for r in _lines("catalog-all.jsonl")] == ["有效"]

    Record.objects.filter(pk=policy.pk).update(valid_until=dt.date(2020, 1, 1))
    Record.objects.filter(pk=timed.pk).update(published_at=timezone.now() - dt.timedelta(minutes=1))
    Organ.objects.filter(pk=organ.pk).update(name="改名后的测试局")
    assert "未重写" not in opendata.open_data_nightly()
    rows = _lines("catalog-all.jsonl")
    assert [r["title"] for r in rows] == ["定时发布的信息", "有效期内的文件"]
    assert rows[1]["validity"] == "已失效" and {r["organ"] for r in rows} == {"改名后的测试局"}


def test_a_withdrawn_record_never_reaches_a_served_file(client, organ, other_organ, genre):
    kept = _publish(organ, genre, title="保留的信息")
    gone = _publish(organ, genre, title="当天撤回的信息")
    _publish(other_organ, genre, title="别的机关的信息")
    opendata.generate_all()
    opendata.generate_all()  # every scope kept: the staleness check still sees the withdrawal
    Record.objects.filter(pk=gone.pk).update(status=Status.WITHDRAWN, withdrawal_reason="错误",
                                             updated_at=timezone.now() + dt.timedelta(seconds=1))
    assert opendata.is_stale(opendata.find("catalog-all.jsonl"))
    assert not opendata.is_stale(opendata.find(f"catalog-{other_organ.code}.jsonl"))

    served = b"".join(client.get("/open-data/catalog-all.jsonl").streaming_content).decode()
    assert "当天撤回的信息" not in served and kept.title in served
    # the rewritten file's fingerprint is new; the other formats of the scope still differ from it,
    # so the night rewrites them rather than keeping them
    served_digest = opendata.find("catalog-all.jsonl").digest
    assert served_digest != opendata.find("catalog-all.csv").digest
    opendata.generate_all()
    for scope in (opendata.ALL, organ.code):
        assert len({opendata.find(opendata.file_name(scope, fmt)).digest for fmt in opendata.FORMATS}) == 1
    assert opendata.find("catalog-all.csv").digest == served_digest
    text = (opendata.data_dir() / f"catalog-{organ.code}.csv").read_text(encoding="utf-8-sig")
    assert "当天撤回的信息" not in text and "保留的信息" in text
    for name in ("catalog-all.jsonl", f"catalog-{organ.code}.csv", "catalog-all.xlsx"):
        body = b"".join(client.get(f"/open-data/{name}").streaming_content)
        assert "当天撤回的信息".encode() not in body, name


def test_a_missing_file_or_a_new_layout_is_written_again(organ, genre, monkeypatch):
    _publish(organ, genre)
    opendata.generate_all()
    folder = opendata.data_dir()
    (folder / f"catalog-{organ.code}.xlsx").unlink()
    opendata.generate_all()
    assert (folder / f"catalog-{organ.code}.xlsx").exists()
    assert "已生成 6 个开放数据文件，全部目录 1 条（其中 6 个内容未变，未重写）" == opendata.open_data_nightly()
    monkeypatch.setattr(opendata, "LAYOUT", opendata.LAYOUT + "-next")
    assert "未重写" not in opendata.open_data_nightly()


def test_organs_fanned_out_a_few_at_a_time(organ, other_organ, genre, monkeypatch):
    monkeypatch.setattr(opendata, "OPEN_AT_ONCE", 1)
    third = OrganFactory()
    ids = {o.code: [_publish(o, genre).pk for _ in range(2)] for o in (organ, other_organ, third)}
    files = opendata.generate_all()
    assert len(files) == 12 and not list(opendata.data_dir().glob(".*"))  # no temporary file left
    assert len(_lines("catalog-all.jsonl")) == 6
    for code, pks in ids.items():
        assert sorted(int(r["id"]) for r in _lines(f"catalog-{code}.jsonl")) == pks
        assert {f.rows for f in files if f.scope == code} == {2}


def test_the_benchmark_times_a_full_and_an_unchanged_run(settings, tmp_path):
    from gongkai.ops.bench.opendata import measure_here

    settings.GONGKAI_OPEN_DATA_DIR = str(tmp_path / "bench-open-data")
    result = measure_here(60, say=lambda message: None)
    assert "opendata" in BENCHMARKS
    assert result["rows_match_public"] is True and result["rows_all"] == result["public"] > 0
    organs = Record.objects.public().values("organ").distinct().count()
    assert result["files"] == result["files_again"] == 3 * (1 + organs)
    assert {"full_wall_s", "full_cpu_s", "unchanged_wall_s", "unchanged_cpu_s", "one_changed_cpu_s"} <= set(result)
    assert settings.GONGKAI_OPEN_DATA_DIR == str(tmp_path / "bench-open-data")  # put back


def test_the_streamed_workbook_reads_back_cell_for_cell(organ, genre):
    from openpyxl import load_workbook

    _publish(organ, genre, title="=SUM(A1)<b>&\x0b标题", doc_no="", summary="  前后有空格  ")
    opendata.generate_all()
    wb = load_workbook(opendata.data_dir() / f"catalog-{organ.code}.xlsx")
    assert wb.sheetnames == ["政府信息目录", "数据字典"]
    header, row = wb["政府信息目录"].iter_rows(values_only=True)
    assert header == tuple(zh for _, zh, _ in opendata.FIELDS)
    (expected,) = _model_rows(organ)
    cells = dict(zip([key for key, _, _ in opendata.FIELDS], row, strict=True))
    assert cells["title"] == "'=SUM(A1)<b>&标题"  # a formula kept as text; a control character XML cannot hold dropped
    assert cells["doc_no"] is None and cells["summary"] == "  前后有空格  "
    assert all(cells[k] == (v or None) for k, v in expected.items() if k != "title")
    assert [list(r) for r in wb["数据字典"].iter_rows(values_only=True)] == [
        ["字段", "中文名称", "说明"], *[list(entry) for entry in opendata.FIELDS]]
