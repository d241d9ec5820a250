"""口径库 Excel import and export: an unreadable file gets a Chinese error and imports nothing; an exported
workbook loads again as drafts with its bases."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from gongkai.core.models import Role
from gongkai.participation.models import Answer, AnswerStatus
from gongkai.participation.services import answers as answer_svc
from gongkai.participation.services.answers_excel import (
    AnswerImportError,
    answers_export_xlsx,
    answers_import_xlsx,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafter(organ):
    return factories.member(organ, Role.OFFICE, "xl_office")


@pytest.mark.parametrize(("content", "expected"), [
    (b"this is not a workbook at all", "文件无法读取，请上传Excel（.xlsx）文件"),
    ("问题,答复口径\n问一,答一\n".encode("gbk"), "文件无法读取"),
])
def test_an_unreadable_file_gets_a_chinese_error_and_imports_nothing(client, organ, drafter, content, expected):
    client.force_login(drafter)
    response = client.post(reverse("participation_staff:answer_import"),
                           {"organ": organ.pk, "file": SimpleUploadedFile("口径.xlsx", content)})
    assert response.status_code == 400 and expected in response.content.decode()
    assert "导入未完成，没有导入任何条目" in response.content.decode() and not Answer.objects.exists()


def test_wrong_headers_and_an_empty_sheet_are_refused(organ, drafter):
    for rows, expected in (([["标题", "内容"], ["问一", "答一"]], "第1行缺少列“问题”“答复口径”"),
                           ([["问题", "答复口径"]], "表格中没有可导入的行")):
        wb = Workbook()
        for r in rows:
            wb.active.append(r)
        out = io.BytesIO()
        wb.save(out)
        with pytest.raises(AnswerImportError, match=expected):
            answers_import_xlsx(actor=drafter, organ=organ, data=out.getvalue())
    assert not Answer.objects.exists()


def test_export_then_import_round_trip(organ, other_organ, drafter):
    record = factories.RecordFactory(organ=organ, published=True, doc_no="保政办规〔2025〕3号")
    entry = answer_svc.answer_create(actor=drafter, organ=organ, bases=[(record, "第三条")], data={
        "question": "灵活就业人员可以缴存公积金吗？", "phrasings": "自由职业缴公积金\n个体户公积金",
        "answer": "可以，按月自愿缴存。", "audience": "灵活就业人员", "is_public": False})
    data = answers_export_xlsx([entry])
    other_office = factories.member(other_organ, Role.OFFICE, "xl_other")
    [copy] = answers_import_xlsx(actor=other_office, organ=other_organ, data=data)
    assert copy.organ == other_organ and copy.status == AnswerStatus.DRAFT
    assert (copy.question, copy.phrasing_list(), copy.answer, copy.audience, copy.is_public) == (
        entry.question, ["自由职业缴公积金", "个体户公积金"], entry.answer, "灵活就业人员", False)
    assert [(b.record, b.article) for b in copy.bases.all()] == [(record, "第三条")]
