"""Letters an office can print, seal and post: addressee, punctuation, remedies, numbers, dates, signature."""

import datetime as dt
import io
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from gongkai.applications import services
from gongkai.applications.models import OrganLetterSettings
from gongkai.core.pdf import PdfError
from tests import factories, programs

from .conftest import VALID_USCC, applicant_data

D = dt.date


def text_of(letter) -> str:
    services.letter_ensure_rendered(letter)  # the public receipt renders after the commit
    with letter.docx.open("rb") as fh:
        return "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)


def reply(app, handler, outcome, reasons="涉及第三方商业秘密。"):
    services.application_determine(actor=handler, application=app, on=D(2025, 9, 22), outcome=outcome,
                                   reasons=reasons, provided="电子邮件发送。")
    return app.letters.get(kind="reply")


def org_app(organ):
    return services.application_submit(organ=organ, data=applicant_data(
        applicant_kind="legal_service", name="某某律师事务所", id_type="credit_code", id_number=VALID_USCC))


def test_addressee_by_applicant_kind_and_no_doubled_punctuation(organ, handler, application, today):
    receipt = text_of(application.letters.get(kind="receipt"))
    assert "已收到您提交" in receipt and "您（单位）" not in receipt
    company = org_app(organ)
    assert "已收到你单位提交" in text_of(company.letters.get(kind="receipt"))
    letter = reply(application, handler, "r3_3_4", reasons="涉及第三方商业秘密。")
    text = text_of(letter)
    assert "。，" not in text and "。。" not in text and "理由：涉及第三方商业秘密。" in text
    assert "\n\n" not in text.strip()  # no stray blank paragraph


def test_remedy_paragraph_follows_the_decision_type(organ, handler, today):
    withheld = reply(services.application_submit(organ=organ, data=applicant_data(title="甲")), handler, "r3_3_4")
    text = text_of(withheld)
    assert "应当先自收到本告知书之日起六十日内向保定市人民政府申请行政复议" in text
    assert "六个月内" not in text and "第二十三条第一款第（四）项" in text
    partial = text_of(reply(services.application_submit(organ=organ, data=applicant_data(title="乙")), handler, "r3_2"))
    assert "不予公开的部分不服，应当先" in partial
    assert "其他内容不服，可以" in partial and "六个月内" in partial
    disclosed = text_of(reply(services.application_submit(organ=organ, data=applicant_data(title="丙")), handler,
                              "r3_1", reasons=""))
    assert "可以自收到本告知书之日起六十日内" in disclosed and "六个月内" in disclosed and "应当先" not in disclosed


def test_reconsideration_organ_is_configurable_per_organ(organ, handler, application, today):
    OrganLetterSettings.objects.create(organ=organ, reconsideration_body="国家税务总局保定市税务局")
    assert "向国家税务总局保定市税务局申请行政复议" in text_of(reply(application, handler, "r3_3_4"))


def test_numbers_per_organ_and_year_in_the_configured_format(organ, handler, today):
    a = services.application_submit(organ=organ, data=applicant_data(title="甲"))
    b = services.application_submit(organ=organ, data=applicant_data(title="乙"))
    assert a.letters.get().number == "测试局依申〔2025〕第1号"
    assert b.letters.get().number == "测试局依申〔2025〕第2号"
    other = factories.OrganFactory(name="保定市另一局", short_name="另一局", code="11130600MA9999992X")
    OrganLetterSettings.objects.create(organ=other, number_format="另依申告〔{year}〕{n}号")
    c = services.application_submit(organ=other, data=applicant_data(title="丙"))
    assert c.letters.get().number == "另依申告〔2025〕1号"


def test_third_party_letter_names_no_applicant(handler, application, today):
    services.application_consult(actor=handler, application=application, on=D(2025, 9, 22), party="third_party",
                                 party_name="某某公司", content="涉及贵公司的经营数据。")
    text = text_of(application.letters.get(kind="consultation"))
    assert application.tracking_code not in text and "张三" not in text and "。，" not in text
    assert "某某公司：" in text


def test_fee_notice_states_the_amount_once_with_payment_details(client, organ, handler, today):
    OrganLetterSettings.objects.create(organ=organ, nontax_channel="河北省非税收入统一缴款平台", nontax_code="130600123")
    apps = [services.application_submit(organ=organ, data=applicant_data(title=f"信息{i}", description=f"第{i}项内容{i}"))
            for i in range(11)]
    app = apps[-1]
    services.application_fee_notice(actor=handler, application=app, on=D(2025, 9, 22), standard="per_application")
    text = text_of(app.letters.get(kind="fee"))
    assert text.count("应缴金额") == 1 and "河北省非税收入统一缴款平台" in text and "130600123" in text
    # The applicant's page shows the same.
    client.post(reverse("applications:track"), {"code": app.tracking_code, "check": "5678"})
    page = client.get(reverse("applications:track_detail", args=[app.tracking_code])).content.decode()
    assert "信息处理费" in page and "100.00 元" in page and "130600123" in page


def test_a_late_record_is_dated_on_its_event_and_warns_of_a_passed_deadline(handler, application, today):
    today.set(D(2025, 12, 4))
    services.application_request_correction(actor=handler, application=application, on=D(2025, 9, 24),
                                            deadline=D(2025, 10, 20), items="请写明文件名称")
    letter = application.letters.get(kind="correction")
    text = text_of(letter)
    assert "2025年9月24日" in text and "2025年12月4日" not in text
    assert "补正期限2025年10月20日已过" in letter.context["warning"]


def test_the_workspace_never_nests_the_outcome(client, handler, application, today):
    services.application_determine(actor=handler, application=application, on=D(2025, 9, 22), outcome="r3_2",
                                   reasons="部分涉及个人隐私。")
    client.force_login(handler)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "部分公开（第三十七条）" in page and "部分公开（部分公开" not in page


@pytest.mark.parametrize("outcome", ["r3_2", "r3_3_4"])
def test_pdf_last_page_holds_the_signature_and_date(handler, application, today, outcome):
    from pypdf import PdfReader

    letter = reply(application, handler, outcome, reasons="理由" * 300)  # a long reply, two pages
    try:
        pdf = services.letter_pdf(letter)
    except PdfError as exc:  # pragma: no cover - LibreOffice missing on this machine
        programs.missing(str(exc))
    pages = PdfReader(io.BytesIO(pdf)).pages
    last = pages[-1].extract_text().replace(" ", "").replace("\n", "")
    assert len(pages) >= 2
    assert "保定市测试局" in last and "2025年9月22日" in last
    assert "行政复议" in last  # the remedy paragraph travels with the signature


def _embedded_outlines(pdf: bytes, tmp_path) -> list:
    """The outlines of every glyph of every Type 1 font program embedded in the PDF."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.t1Lib import T1Font
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None or "/FontFile" not in descriptor.get_object():
                continue
            path = tmp_path / f"font{len(out)}.pfa"
            path.write_bytes(descriptor.get_object()["/FontFile"].get_object().get_data())
            t1 = T1Font(str(path))
            t1.parse()
            glyphs = t1.getGlyphSet()
            for name in glyphs.keys():
                pen = RecordingPen()
                glyphs[name].draw(pen)
                out.append(pen.value)
    return out


def test_letters_draw_simplified_chinese_glyph_forms(handler, application, today, tmp_path):
    """The .docx names the office's fonts (仿宋_GB2312, 方正小标宋简体); the PDF draws them with the SC
    forms. Checked on the glyph itself: 直 differs between the SC and JP faces of Noto CJK."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTCollection

    from gongkai.core.pdf import FONT_SUBSTITUTES

    letter = application.letters.get(kind="receipt")
    text = text_of(letter)
    with letter.docx.open("rb") as fh:
        fonts = {r.font.name for p in Document(io.BytesIO(fh.read())).paragraphs for r in p.runs}
    assert {"仿宋_GB2312", "方正小标宋简体"} <= fonts and text
    services.application_determine(actor=handler, application=application, on=today.day, outcome="r3_1",
                                   provided="直接送达。")
    try:
        pdf = services.letter_pdf(application.letters.get(kind="reply"))
    except PdfError as exc:  # pragma: no cover - LibreOffice missing on this machine
        programs.missing(str(exc))
    embedded = _embedded_outlines(pdf, tmp_path)
    found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Serif CJK SC"],  # noqa: S607 - fontconfig's tool
                           capture_output=True, text=True, check=False)
    serif = found.stdout.strip()
    if not serif.endswith(".ttc"):  # pragma: no cover - fonts-noto-cjk missing
        programs.missing("未安装 Noto Serif CJK（fonts-noto-cjk）")
    faces = {f["name"].getDebugName(1): f for f in TTCollection(serif).fonts}
    assert FONT_SUBSTITUTES["仿宋_GB2312"] in faces

    def outline(face):
        glyphs = face.getGlyphSet()
        pen = RecordingPen()
        glyphs[face.getBestCmap()[ord("直")]].draw(pen)
        return pen.value

    sc, jp = outline(faces["Noto Serif CJK SC"]), outline(faces["Noto Serif CJK JP"])
    assert sc != jp
    assert sc in embedded and jp not in embedded


def test_fee_amounts_carry_a_thousands_separator(client, organ, handler, application, today):
    services.application_fee_notice(actor=handler, application=application, on=D(2025, 9, 22), standard="per_page",
                                    pages=250)
    text = text_of(application.letters.get(kind="fee"))
    assert "应缴金额：4,700.00元" in text and "4700" not in text
    client.post(reverse("applications:track"), {"code": application.tracking_code, "check": "5678"})
    page = client.get(reverse("applications:track_detail", args=[application.tracking_code])).content.decode()
    assert "4,700.00 元" in page and "4700" not in page
