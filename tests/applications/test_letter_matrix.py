"""Every letter type and every outcome group, for both kinds of applicant: the signature and date on
the PDF's last page, 您 / 你单位, no 。， and the remedy paragraph that follows the decision type."""

import datetime as dt
import io

import pytest
from docx import Document

from gongkai.applications import services
from gongkai.core.pdf import PdfError
from tests import programs

from .conftest import VALID_USCC, applicant_data

D = dt.date
ORGAN, DATE = "保定市测试局", "2025年9月22日"
#: One outcome of each group of table 三, and the remedy its reply must carry.
OUTCOMES = {"r3_1": "either", "r3_2": "partial", "r3_3_1": "review_first", "r3_4_1": "either",
            "r3_5_1": "either", "r3_6_3": "either"}


def _submit(organ, kind, title):
    if kind == "organisation":
        data = applicant_data(applicant_kind="legal_service", name="某某律师事务所", id_type="credit_code",
                              id_number=VALID_USCC, title=title)
    else:
        data = applicant_data(title=title)
    return services.application_submit(organ=organ, data=data)


def _letters(organ, handler, head, kind):
    """One letter of every type for an applicant of ``kind``, and the replies of every outcome group."""
    app = _submit(organ, kind, "甲")
    out = {"receipt": app.letters.get(kind="receipt")}
    services.application_request_correction(actor=handler, application=app, on=D(2025, 9, 22),
                                            deadline=D(2025, 10, 20), items="请写明文件名称。")
    out["correction"] = app.letters.get(kind="correction")
    other = _submit(organ, kind, "乙")
    services.application_consult(actor=handler, application=other, on=D(2025, 9, 22), party="third_party",
                                 party_name="某某公司", content="涉及贵公司的经营数据。")
    out["consultation"] = other.letters.get(kind="consultation")
    services.application_consultation_answered(actor=handler, application=other, on=D(2025, 9, 22),
                                               ref=other.events.get(kind="consultation_sent").ref, answer="同意。")
    services.application_fee_notice(actor=handler, application=other, on=D(2025, 9, 22), standard="per_page",
                                    pages=250)
    out["fee"] = other.letters.get(kind="fee")
    third = _submit(organ, kind, "丙")
    req = services.application_request_extension(actor=handler, application=third, workdays=10, reason="资料较多。")
    services.application_decide_extension(actor=head, request=req, approve=True)
    out["extension"] = third.letters.get(kind="extension")
    for outcome in OUTCOMES:
        app = _submit(organ, kind, f"答复{outcome}")
        services.application_determine(actor=handler, application=app, on=D(2025, 9, 22), outcome=outcome,
                                       reasons="" if outcome == "r3_1" else "依法作出上述处理。",
                                       provided="电子邮件发送。")
        out[outcome] = app.letters.get(kind="reply")
    return out


def _text(letter) -> str:
    services.letter_ensure_rendered(letter)
    letter.refresh_from_db()
    with letter.docx.open("rb") as fh:
        return "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)


@pytest.mark.parametrize("kind", ["natural", "organisation"])
def test_every_letter_addresses_the_applicant_and_carries_the_right_remedy(organ, handler, head, today, kind):
    for name, letter in _letters(organ, handler, head, kind).items():
        text = _text(letter)
        assert "。，" not in text and "。。" not in text, name
        assert ORGAN in text and DATE in text and letter.number in text, name
        if name != "consultation":
            if kind == "organisation":
                assert "你单位" in text and "您" not in text, name
            else:
                assert "你单位" not in text and "您（单位）" not in text, name
        if name in OUTCOMES:
            remedy = OUTCOMES[name]
            if remedy == "review_first":
                assert "如对本答复不服，应当先" in text and "六个月内" not in text, name
            elif remedy == "partial":
                assert "不予公开的部分不服，应当先" in text and "其他内容不服，可以" in text, name
            else:
                assert "可以自收到本告知书之日起六十日内" in text and "六个月内" in text and "应当先" not in text, name


def test_every_letter_ends_with_the_signature_and_date_on_its_last_pdf_page(organ, handler, head, today):
    from pypdf import PdfReader

    for name, letter in _letters(organ, handler, head, "natural").items():
        services.letter_ensure_rendered(letter)
        letter.refresh_from_db()
        try:
            pdf = services.letter_pdf(letter)
        except PdfError as exc:  # pragma: no cover - LibreOffice missing on this machine
            programs.missing(str(exc))
        pages = PdfReader(io.BytesIO(pdf)).pages
        last = pages[-1].extract_text().replace(" ", "").replace("\n", "")
        assert ORGAN in last and DATE in last, (name, len(pages))
        assert len(pages) <= 2, (name, len(pages))
