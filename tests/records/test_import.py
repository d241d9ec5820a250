"""`gongkai import DIR` (management command ``import_records``): all or nothing, every problem named."""

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.records import importer, services
from gongkai.records.models import (
    Attachment,
    Attribute,
    IndexSerial,
    Record,
    Review,
    Status,
    WithholdingGround,
)

from .. import factories

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "文件,标题,发布机构,发文字号,成文日期,体裁,公开属性,不公开理由\n"


# --- building sample folders ---------------------------------------------------


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("关于测试事项工作经费的请示", level=1)
    document.add_paragraph("市财政局：")
    document.add_paragraph("为保障测试事项顺利开展，特申请工作经费。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "项目"
    table.rows[0].cells[1].text = "金额"
    document.save(str(path))


def make_pdf(path: Path, text: str | None = "Notice No. 1 of 2021 of the test bureau") -> None:
    """A one-page PDF written by hand (no PDF library needed); ``text=None`` gives a page without text."""
    content = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode() if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 144] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The users made by the fixtures need no real password hashing (0.25 s each).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample(tmp_path) -> Path:
    """The committed sample folder plus a generated .docx and .pdf."""
    folder = tmp_path / "sample"
    shutil.copytree(FIXTURES / "import_sample", folder)
    make_docx(folder / "请示.docx")
    make_pdf(folder / "公告.pdf")
    return folder


@pytest.fixture
def reference(organ, other_organ, genre, interpretation_genre):
    """Organs and the genres the samples name (其他, 综合政务 … come with the reference-data migration)."""


def run(folder, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", str(folder), *args, stdout=out, stderr=err, **options)
    return out.getvalue()


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def state(settings):
    return (Record.objects.count(), AuditEvent.objects.count(), IndexSerial.objects.count(),
            Attachment.objects.count(), Review.objects.count(), len(media_files(settings)))


def fail(folder, *args, **options) -> str:
    with pytest.raises(CommandError) as info:
        run(folder, *args, **options)
    return str(info.value)


# --- importing ------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_with_chinese_headers_imports_drafts(sample, reference, editor, organ, settings):
    out = run(sample, user="editor")
    assert "新建4条" in out
    records = {r.title: r for r in Record.objects.all()}
    assert len(records) == 4
    assert all(r.status == Status.DRAFT and r.created_by == editor for r in records.values())

    notice = records["关于印发保定市测试事项管理办法的通知"]
    assert notice.doc_no == "保测函〔2021〕15号"
    assert notice.written_on == dt.date(2021, 3, 1)
    assert notice.valid_until == dt.date(2026, 2, 28)
    assert notice.index_no == f"{organ.code}/2021-00001"
    assert notice.topic.name == "综合政务"
    assert "<p>现将《保定市测试事项管理办法》印发给你们，请认真贯彻执行。</p>" in notice.body
    assert list(notice.issuers.all()) == [organ]
    attachment = notice.attachments.get()
    assert attachment.name == "附件1.txt"
    assert Path(attachment.file.path).read_text(encoding="utf-8").startswith("保定市测试事项管理办法")
    assert "第一条" in attachment.text

    interpretation = records["《保定市测试事项管理办法》政策解读"]
    assert interpretation.interprets == notice
    assert "<h2>一、制定背景</h2>" in interpretation.body
    assert "onclick" not in interpretation.body and "不安全" not in interpretation.body
    assert "网页标题" not in interpretation.body and "color" not in interpretation.body
    assert "<td>施行日期</td>" in interpretation.body

    request = records["关于测试事项工作经费的请示"]
    assert request.attribute == Attribute.WITHHELD  # 免予公开 → 不予公开
    assert request.withholding_ground == WithholdingGround.PROCESS
    assert request.doc_no == "保测〔2021〕3号"
    assert "<h2>关于测试事项工作经费的请示</h2>" in request.body
    assert "<p>为保障测试事项顺利开展，特申请工作经费。</p>" in request.body
    assert "<td>项目</td><td>金额</td>" in request.body

    bulletin = records["保定市测试局2021年第1号公告"]
    assert bulletin.genre.code == "other"
    assert "Notice No. 1 of 2021" in bulletin.body

    for record in records.values():
        kinds = set(AuditEvent.objects.for_object(record).values_list("event_type", flat=True))
        assert {AuditEventType.RECORD_CREATED, AuditEventType.RECORD_IMPORTED} <= kinds
    assert not Record.objects.public().exists()


@pytest.mark.django_db
def test_json_metadata_with_english_keys(tmp_path, reference, organ, other_organ, editor):
    folder = tmp_path / "json"
    shutil.copytree(FIXTURES / "import_json", folder)
    run(folder, user="editor")
    notice = Record.objects.get(title="关于开展测试工作的通知")
    assert notice.doc_no == "保测发〔2021〕7号"
    assert [o.pk for o in notice.issuers.order_by("pk")] == sorted([organ.pk, other_organ.pk])
    assert notice.attachments.get().name == "annex.txt"
    reply = Record.objects.get(title="关于测试工作有关问题的答复")
    assert reply.attribute == Attribute.ON_REQUEST
    assert reply.written_on == dt.date(2021, 6, 8)
    assert "关于测试工作的答复" in reply.body  # GB18030 text file


@pytest.mark.django_db
def test_gb18030_csv_as_excel_saves_it(tmp_path, reference, editor, organ):
    folder = tmp_path / "excel"
    folder.mkdir()
    (folder / "a.txt").write_text("正文第一段。", encoding="utf-8")
    csv_text = HEADER + f"a.txt,关于测试的通知,{organ.code.lower()},保测函〔2022〕1号,2022年1月5日,行政规范性文件,主动公开,\n"
    (folder / "metadata.csv").write_bytes(csv_text.encode("gb18030"))
    run(folder, user="editor")
    record = Record.objects.get()
    assert record.title == "关于测试的通知" and record.written_on == dt.date(2022, 1, 5)
    assert record.organ == organ  # found by its code


@pytest.mark.django_db
def test_utf8_bom_csv(tmp_path, reference, editor):
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "a.txt").write_text("正文。", encoding="utf-8")
    (folder / "metadata.csv").write_text(HEADER + "a.txt,带BOM的表,保定市测试局,,2022-01-05,其他,,\n",
                                         encoding="utf-8-sig")
    run(folder, user="editor")
    assert Record.objects.get().title == "带BOM的表"


@pytest.mark.django_db
def test_dry_run_writes_nothing(sample, reference, editor, settings):
    before = state(settings)
    out = run(sample, user="editor", dry_run=True, publish=True)
    assert state(settings) == before == (0, 0, 0, 0, 0, 0)
    assert "试运行" in out
    assert "metadata.csv 第2行 新建并发布：关于印发保定市测试事项管理办法的通知" in out
    assert "第4行 新建并审定（不主动公开）" in out
    assert "新建4条" in out


# --- all or nothing -------------------------------------------------------------


@pytest.mark.django_db
def test_bad_row_among_good_ones_writes_nothing(sample, reference, editor, settings):
    with (sample / "metadata.csv").open("a", encoding="utf-8") as fh:
        fh.write("5,解读.html,另一份通知,保定市测试局,,保测函〔2021〕16号,2021-13-01,,行政规范性文件,,,,,,,,,,\n")
        fh.write("6,通知.txt,重复的通知,保定市测试局,,保测函〔2021〕17号,2021-03-01,,行政规范性文件,,,,,,,,,,\n")
    message = fail(sample, user="editor", publish=True)
    assert "metadata.csv 第6行 “成文日期”：“2021-13-01”不是有效日期" in message
    assert "metadata.csv 第7行 “文件”：与第2行是同一个文件" in message
    assert "没有写入任何内容" in message
    assert state(settings) == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_every_problem_is_reported_with_row_and_field(tmp_path, reference, editor, settings):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "ok.txt").write_text("正文。", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"this is not a zip file")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    rows = [
        "ok.txt,好的一行,保定市测试局,保测函〔2021〕1号,2021-01-01,其他,主动公开,",
        "missing.txt,缺文件,保定市测试局,,2021-01-01,其他,主动公开,",
        "ok.txt,未知机关,不存在的局,,2021-01-01,其他,主动公开,",
        "broken.docx,坏的Word,保定市测试局,,2021-01-01,其他,主动公开,",
        "old.doc,旧Word,保定市测试局,,2021-01-01,其他,主动公开,",
        "ok.txt,错文号,保定市测试局,保测函,2021-01-01,不存在的体裁,依申请公开,",
        "ok.txt,好的一行,保定市测试局,保测函[2021]1号,2021-01-01,其他,秘密,",
        "../ok.txt,越界,保定市测试局,,2021-01-01,其他,不予公开,有理由",
    ]
    (folder / "metadata.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    message = fail(folder, user="editor")
    expected = [
        "metadata.csv 第3行 “文件”：文件“missing.txt”不存在",
        "metadata.csv 第4行 “发布机构”：找不到机关“不存在的局”",
        "metadata.csv 第5行 “文件”：无法读取Word文件“broken.docx”",
        "metadata.csv 第6行 “文件”：不支持“.doc”格式的正文",
        "metadata.csv 第7行 “发文字号”：“保测函”不是有效的发文字号",
        "metadata.csv 第7行 “体裁”：没有名为“不存在的体裁”的体裁",
        "metadata.csv 第7行 “不公开理由”：公开属性为“依申请公开”时必须写明不公开理由",
        "metadata.csv 第8行 “公开属性”：“秘密”不是公开属性",
        "metadata.csv 第9行 “文件”：“../ok.txt”不在导入文件夹内",
        "metadata.csv 第9行 “不公开依据”：不予公开必须填写依据",
    ]
    for line in expected:
        assert line in message, line
    assert state(settings) == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_duplicate_rows_inside_the_file(tmp_path, reference, editor):
    folder = tmp_path / "dup"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text("正文。", encoding="utf-8")
    rows = [
        "a.txt,通知甲,保定市测试局,保测函〔2021〕1号,2021-01-01,其他,,",
        "b.txt,通知乙,保定市测试局,保测函（2021）1号,2021-01-02,其他,,",
        "c.txt,通知甲,保定市测试局,,2021/1/1,其他,,",
    ]
    (folder / "metadata.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    message = fail(folder, user="editor")
    assert "第3行 “发文字号”：与第2行的发布机构和发文字号相同" in message
    assert "第4行 “标题”：与第2行的发布机构、标题和成文日期相同" in message


@pytest.mark.django_db
def test_late_failure_rolls_back_and_removes_stored_files(sample, reference, editor, settings, monkeypatch):
    real_create = services.record_create
    calls = []

    def flaky_create(**kwargs):
        calls.append(kwargs["data"]["title"])
        if len(calls) == 3:
            raise services.RecordActionError("数据库忙，请稍后再试。")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "record_create", flaky_create)
    message = fail(sample, user="editor")
    assert "数据库忙" in message and "metadata.csv 第" in message
    assert len(calls) == 3  # the first row, with its attachment, was already stored
    assert state(settings) == (0, 0, 0, 0, 0, 0)


# --- publishing -----------------------------------------------------------------


@pytest.mark.django_db
def test_publish_registers_automatic_review(sample, reference, editor, organ):
    out = run(sample, user="editor", publish=True)
    assert "新建4条" in out
    public = Record.objects.public()
    assert public.count() == 3
    notice = public.get(title="关于印发保定市测试事项管理办法的通知")
    assert timezone.localtime(notice.published_at) == timezone.make_aware(dt.datetime(2021, 3, 2))
    interpretation = public.get(interprets=notice)
    assert timezone.localtime(interpretation.published_at).hour == 10
    withheld = Record.objects.get(title="关于测试事项工作经费的请示")
    assert withheld.status == Status.FILED and not withheld.is_public
    for record in Record.objects.all():
        review = record.reviews.get()
        assert review.is_automatic and review.reviewer == editor
        assert review.confidentiality_opinion == "导入时自动登记：已于原系统完成保密审查"
        event = AuditEvent.objects.for_object(record).get(event_type=AuditEventType.RECORD_IMPORTED)
        assert event.actor == editor
        assert event.changes["status"][0] == Status.DRAFT
        assert event.changes["status"][1] in (Status.PUBLISHED, Status.FILED)


@pytest.mark.django_db
def test_publish_without_date_uses_now_and_future_date_schedules(tmp_path, reference, editor):
    folder = tmp_path / "dates"
    folder.mkdir()
    (folder / "a.txt").write_text("正文。", encoding="utf-8")
    (folder / "b.txt").write_text("正文。", encoding="utf-8")
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    (folder / "metadata.csv").write_text(
        "文件,标题,发布机构,体裁,发布日期\n"
        "a.txt,今天发布,保定市测试局,其他,\n"
        f"b.txt,将来发布,保定市测试局,其他,{future}\n", encoding="utf-8")
    out = run(folder, user="editor", publish=True, dry_run=True)
    assert "新建并定时发布：将来发布" in out
    run(folder, user="editor", publish=True)
    assert Record.objects.public().get().title == "今天发布"
    assert Record.objects.get(title="将来发布").status == Status.SCHEDULED


@pytest.mark.django_db
def test_publish_refuses_interpretation_published_before_its_document(sample, reference, editor, settings):
    csv_path = sample / "metadata.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("2021-03-02,行政规范性文件", "2021-03-04,行政规范性文件"),
                        encoding="utf-8")
    message = fail(sample, user="editor", publish=True)
    assert "第3行 “解读的文件”：它解读的文件在本条的发布日期尚未公开" in message
    assert state(settings) == (0, 0, 0, 0, 0, 0)


# --- who may import -------------------------------------------------------------


@pytest.mark.django_db
def test_user_must_be_editor_of_the_organ(sample, reference, other_editor, reviewer, settings):
    message = fail(sample, user="other_editor")
    assert "metadata.csv 第2行 “发布机构”：用户“other_editor”不是“保定市测试局”的信息员/编辑" in message
    assert "用户“reviewer”不是“保定市测试局”的信息员/编辑" in fail(sample, user="reviewer", publish=True)
    assert "不存在" in fail(sample, user="nobody")
    assert "--user" in fail(sample)
    assert state(settings)[0] == 0


@pytest.mark.django_db
def test_superuser_may_import_into_any_organ(sample, reference):
    factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    run(sample, user="admin")
    assert Record.objects.count() == 4


@pytest.mark.django_db
def test_inactive_user_is_refused(sample, reference, editor):
    editor.is_active = False
    editor.save()
    assert "已停用" in fail(sample, user="editor")


# --- importing again ------------------------------------------------------------


@pytest.mark.django_db
def test_reimport_updates_drafts_and_skips_the_rest(sample, reference, editor, reviewer, settings):
    run(sample, user="editor")
    assert "跳过4条" in run(sample, user="editor")
    assert Record.objects.count() == 4 and IndexSerial.objects.get(year=2021).last == 4

    csv_path = sample / "metadata.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("测试事项管理办法的通知", "测试事项管理办法（修订）的通知"),
                        encoding="utf-8")
    out = run(sample, user="editor", dry_run=True)
    assert "第2行 更新：关于印发保定市测试事项管理办法（修订）的通知" in out and "变更：标题" in out
    run(sample, user="editor")
    assert Record.objects.count() == 4
    notice = Record.objects.get(doc_no="保测函〔2021〕15号")
    assert notice.title == "关于印发保定市测试事项管理办法（修订）的通知"
    assert notice.attachments.count() == 1

    out = run(sample, user="editor", publish=True, dry_run=True)
    assert "第2行 发布：" in out  # an unchanged draft is published as it is

    services.record_submit(actor=editor, record=notice)
    out = run(sample, user="editor", dry_run=True)
    assert f"第2行 跳过（已有信息{notice.index_no}处于“待审核”状态）" in out
    assert "第3行 跳过（与已有信息" in out
    # 解读 cannot be published while the document it interprets is still in review
    assert "第3行 “解读的文件”：它解读的文件在本条的发布日期尚未公开" in fail(sample, user="editor", publish=True)


# --- small pieces ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["2021-03-01", "2021/3/1", "2021年3月1日", "2021.3.1", "20210301", "２０２１年３月１日", "2021/3/1 0:00"])
def test_parse_date_accepts_what_offices_write(text):
    assert importer.parse_date(text) == dt.date(2021, 3, 1)


@pytest.mark.parametrize("text", ["2021-13-01", "2021-02-30", "3/1/2021", "去年", "", "2021/3/1 9:00"])
def test_parse_date_refuses_nonsense(text):
    with pytest.raises(ValueError, match="不是有效日期"):
        importer.parse_date(text)


@pytest.mark.django_db
def test_pdf_without_text_keeps_the_original_as_attachment(tmp_path, reference, editor):
    folder = tmp_path / "scan"
    folder.mkdir()
    make_pdf(folder / "scan.pdf", text=None)
    (folder / "metadata.json").write_text(json.dumps([
        {"文件": "scan.pdf", "标题": "扫描件", "发布机构": "保定市测试局", "体裁": "其他"}
    ], ensure_ascii=False), encoding="utf-8")
    out = run(folder, user="editor")
    assert "没有可提取的文字" in out
    record = Record.objects.get()
    assert record.body == ""
    assert record.attachments.get().name == "scan.pdf"


@pytest.mark.django_db
def test_unreadable_pdf_is_a_problem(tmp_path, reference, editor):
    folder = tmp_path / "badpdf"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(b"%PDF-1.4 garbage")
    (folder / "metadata.json").write_text(json.dumps([
        {"file": "x.pdf", "title": "坏PDF", "organ": "保定市测试局", "genre": "other"}
    ]), encoding="utf-8")
    assert "metadata.json 第1条 “文件”：无法读取PDF文件“x.pdf”" in fail(folder, user="editor")


@pytest.mark.django_db
def test_unknown_column_and_missing_metadata(tmp_path, reference, editor):
    folder = tmp_path / "cols"
    folder.mkdir()
    assert "没有元数据文件" in fail(folder, user="editor")
    (folder / "a.txt").write_text("正文。", encoding="utf-8")
    (folder / "metadata.csv").write_text("文件,标题,发布机构,体裁,成文日起\na.txt,通知,保定市测试局,其他,2021-01-01\n",
                                         encoding="utf-8")
    assert "metadata.csv：不认识的列：成文日起" in fail(folder, user="editor")


@pytest.mark.django_db
def test_default_organ_option(tmp_path, reference, editor, organ):
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "a.txt").write_text("正文。", encoding="utf-8")
    (folder / "metadata.csv").write_text("文件,标题,体裁\na.txt,通知,其他\n", encoding="utf-8")
    assert "--organ" in fail(folder, user="editor")
    run(folder, user="editor", organ=organ.code)
    assert Record.objects.get().organ == organ


def test_command_is_reachable_as_gongkai_import():
    from gongkai.cli import ALIASES

    assert ALIASES["import"] == "import_records"


@pytest.mark.django_db
def test_interpretation_cycle_is_a_problem(tmp_path, reference, editor):
    folder = tmp_path / "cycle"
    folder.mkdir()
    (folder / "a.txt").write_text("正文。", encoding="utf-8")
    (folder / "b.txt").write_text("正文。", encoding="utf-8")
    (folder / "metadata.csv").write_text(
        "文件,标题,发布机构,体裁,解读的文件\n"
        "a.txt,甲,保定市测试局,政策解读,乙\n"
        "b.txt,乙,保定市测试局,政策解读,甲\n", encoding="utf-8")
    message = fail(folder, user="editor")
    assert "第2行 “解读的文件”：解读关系形成了循环" in message
    assert "第3行 “解读的文件”：解读关系形成了循环" in message
