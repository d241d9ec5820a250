"""Build the built-in letter templates (``templates/*.docx``) reproducibly.

Run ``python -m gongkai.applications.letters.build`` after changing the texts
below; the generated files are committed. An organ replaces any of them with
its own (admin: 告知书模板); the variables are listed in docs/applications.md.
Paragraphs starting with ``{%p`` are docxtpl block tags (loops, conditions).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent / "templates"
# GB/T 9704 公文 typography with the font names an office's Word has; the PDF converter maps
# them to installed free fonts drawing Simplified Chinese forms (gongkai.core.pdf.FONT_SUBSTITUTES).
FONT = "仿宋_GB2312"  # body: 三号仿宋 (16 pt)
TITLE_FONT = "方正小标宋简体"  # title: 二号小标宋 (22 pt)
NOTE_FONT = "楷体_GB2312"  # notes: 四号楷体 (14 pt)

HEAD = [
    ("title", "{{ organ_name }}"),
    ("title", "{{ letter_title }}"),
    ("right", "{{ number }}"),
]
#: The signature block: kept on the page of the last paragraph (keep-with-next, see build_one).
SIGNATURE = [
    ("right", "{{ organ_name }}"),
    ("right", "{{ date_cn }}"),
]
TAIL = [
    *SIGNATURE,
    ("small", "（查询码：{{ tracking_code }}；联系电话：{{ organ_phone }}；地址：{{ organ_address }}）"),
]
#: A letter to a third party names no applicant and carries no tracking code.
TAIL_THIRD_PARTY = [
    *SIGNATURE,
    ("small", "（联系电话：{{ organ_phone }}；地址：{{ organ_address }}）"),
]
#: By decision type (docs/applications-remedies.md): 不予公开 must go to reconsideration first
#: (行政复议法 2023 第二十三条第一款第（四）项); so must the withheld part of 部分公开.
REVIEW_FIRST = ("自收到本告知书之日起六十日内向{{ reconsideration_body }}申请行政复议（《中华人民共和国行政复议法》"
                "第二十条、第二十三条第一款第（四）项）；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内"
                "向{{ court }}提起行政诉讼（《中华人民共和国行政诉讼法》第四十五条）")
EITHER = ("自收到本告知书之日起六十日内向{{ reconsideration_body }}申请行政复议（《中华人民共和国行政复议法》第二十条），"
          "或者自收到本告知书之日起六个月内向{{ court }}提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）")
REMEDIES = [
    ("p", "{%p if remedy_kind == 'review_first' %}"),
    ("body", "如对本答复不服，应当先" + REVIEW_FIRST + "。"),
    ("p", "{%p elif remedy_kind == 'partial' %}"),
    ("body", "如对本答复中不予公开的部分不服，应当先" + REVIEW_FIRST + "。如对本答复的其他内容不服，可以" + EITHER + "。"),
    ("p", "{%p else %}"),
    ("body", "如对本答复不服，可以" + EITHER + "。"),
    ("p", "{%p endif %}"),
]
CLOCK = [
    ("body", "收到申请之日：{{ received_cn }}；答复期限：{{ due_cn }}{% if extension_workdays %}（含延期{{ extension_workdays }}个工作日）{% endif %}{% if excluded_workdays %}，征求意见等{{ excluded_workdays }}个工作日依法不计算在内{% endif %}。"),
]

LETTERS: dict[str, list[tuple[str, str]]] = {
    "receipt": [
        *HEAD,
        ("body", "{{ applicant_name }}："),
        ("body", "本机关已收到{{ you }}提交的政府信息公开申请。申请渠道：{{ channel }}；收到申请之日：{{ received_cn }}。"),
        ("body", "所需信息：{{ app_title }}{% if app_doc_no %}（{{ app_doc_no }}）{% endif %}。"),
        ("body", "根据《中华人民共和国政府信息公开条例》第三十三条第二款，本机关将于{{ due_cn }}前答复"
                 "（自收到申请之日起20个工作日；依法补正、征求意见、延期等情形除外）。"),
        ("body", "{{ you }}可以凭查询码 {{ tracking_code }} 和联系电话后四位在 {{ track_url }} 查询办理进度、下载告知书。"),
        ("body", "期限计算说明："),
        ("p", "{%p for line in explanation %}"),
        ("small", "{{ line }}"),
        ("p", "{%p endfor %}"),
        *TAIL,
    ],
    "correction": [
        *HEAD,
        ("body", "{{ applicant_name }}："),
        ("body", "本机关于{{ received_cn }}收到{{ you }}提交的政府信息公开申请（所需信息：{{ app_title }}）。"
                 "经审查，申请内容不够明确，根据《中华人民共和国政府信息公开条例》第三十条，现一次性告知{{ you }}作出补正，"
                 "需要补正的事项如下："),
        ("body", "{{ items }}。"),
        ("body", "请于{{ correction_deadline_cn }}前将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起重新计算。"
                 "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"),
        *TAIL,
    ],
    "consultation": [
        *HEAD,
        ("body", "{{ party_name }}："),
        ("body", "本机关于{{ received_cn }}收到政府信息公开申请，申请公开的信息为“{{ app_title }}”。"
                 "该信息{{ content }}，公开可能损害第三方合法权益。根据《中华人民共和国政府信息公开条例》第三十二条，"
                 "现书面征求您的意见。"),
        ("body", "请自收到本函之日起15个工作日内提出意见。逾期未提出意见的，由本机关依照条例的规定决定是否公开。"
                 "不同意公开且有合理理由的，本机关不予公开；但本机关认为不公开可能对公共利益造成重大影响的，"
                 "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您。"),
        *TAIL_THIRD_PARTY,
    ],
    "fee": [
        *HEAD,
        ("body", "{{ applicant_name }}："),
        ("body", "本机关于{{ received_cn }}收到{{ you }}提交的政府信息公开申请（所需信息：{{ app_title }}）。"
                 "因申请公开政府信息的数量、频次明显超过合理范围，根据《中华人民共和国政府信息公开条例》第四十二条和"
                 "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本机关决定收取信息处理费。"),
        ("body", "收费标准：{{ standard }}。计算明细："),
        ("p", "{%p for line in breakdown %}"),
        ("small", "{{ line }}"),
        ("p", "{%p endfor %}"),
        ("body", "应缴金额：{{ amount }}元（大写：{{ amount_words }}）。"),
        ("body", "缴纳方式：{{ how_to_pay }}{% if payment_details %}；{{ payment_details }}{% endif %}。"
                 "请自收到本通知次日起20个工作日内缴纳（{{ pay_by_cn }}前）。"
                 "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"
                 "{% if fee_pauses %}自本通知发出之日至缴费之日的期间，不计算在答复期限内。{% endif %}"),
        *TAIL,
    ],
    "extension": [
        *HEAD,
        ("body", "{{ applicant_name }}："),
        ("body", "本机关于{{ received_cn }}收到{{ you }}提交的政府信息公开申请（所需信息：{{ app_title }}）。"
                 "因{{ reason }}，不能在原答复期限{{ old_due_cn }}前答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款，"
                 "经本机关政府信息公开工作机构负责人同意，答复期限延长{{ workdays }}个工作日，延长后的答复期限为{{ due_cn }}。"),
        *TAIL,
    ],
    "reply": [
        *HEAD,
        ("body", "{{ applicant_name }}："),
        ("body", "本机关于{{ received_cn }}收到{{ you }}提交的政府信息公开申请，所需信息为“{{ app_title }}”"
                 "{% if app_doc_no %}（{{ app_doc_no }}）{% endif %}。经审查，现答复如下："),
        ("body", "办理结果：{{ outcome_group }}{% if outcome_detail %}（{{ outcome_detail }}）{% endif %}。"),
        ("body", "{{ outcome_text }}"),
        ("p", "{%p if reasons %}"),
        ("body", "理由：{{ reasons }}。"),
        ("p", "{%p endif %}"),
        ("p", "{%p if provided %}"),
        ("body", "提供的信息及获取方式：{{ provided }}"),
        ("p", "{%p endif %}"),
        ("p", "{%p for r in public_records %}"),
        ("small", "已主动公开：{{ r.title }}（索引号 {{ r.index_no }}，{{ r.url }}）"),
        ("p", "{%p endfor %}"),
        ("p", "{%p if transfer_organ_name %}"),
        ("body", "该信息由{{ transfer_organ_name }}负责公开{% if transfer_organ_contact %}，联系方式：{{ transfer_organ_contact }}{% endif %}，请向该机关申请。"),
        ("p", "{%p endif %}"),
        ("body", "法律依据：{{ legal_basis }}。"),
        *CLOCK,
        *REMEDIES,
        *TAIL,
    ],
}

TITLES = {
    "receipt": "政府信息公开申请回执",
    "correction": "政府信息公开申请补正告知书",
    "consultation": "政府信息公开征求第三方意见函",
    "fee": "政府信息公开信息处理费收费通知书",
    "extension": "政府信息公开申请延期答复告知书",
    "reply": "政府信息公开申请答复告知书",
}


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _kept_with_signature(spec: list[tuple[str, str]]) -> set[int]:
    """Indexes of the paragraphs that keep with the next: the last paragraph (or the whole
    trailing ``{%p if %}``/``{%p for %}`` block) before the signature, and the signature itself
    up to the line after it (the footer, when there is one) — so the organ's name, the date and the
    footer never stand alone on a page."""
    first_sig = next(i for i, (style, text) in enumerate(spec) if style == "right" and text == "{{ organ_name }}")
    last = first_sig + len(SIGNATURE) - 1
    keep = set(range(first_sig, last + (1 if last + 1 < len(spec) else 0)))
    depth, found = 0, False
    for i in range(first_sig - 1, -1, -1):
        style, text = spec[i]
        if style == "p":
            if "{%p end" in text:
                depth += 1
            elif text.startswith(("{%p if", "{%p for")):
                depth -= 1
        else:
            keep.add(i)
            found = True
        if found and depth == 0:
            break
    return keep


def build_one(kind: str, path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    core = doc.core_properties
    core.author = "gongkai"
    core.title = TITLES[kind]
    core.comments = "由 gongkai/applications/letters/build.py 生成"
    # Fixed timestamps keep the file reproducible.
    import datetime as dt

    core.created = core.modified = dt.datetime(2025, 1, 1)  # noqa: DTZ001 - document metadata
    core.revision = 1
    spec = LETTERS[kind]
    keep = _kept_with_signature(spec)
    for index, (style, text) in enumerate(spec):
        if style == "p":
            doc.add_paragraph(text)
            continue
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.space_after = Pt(6)
        fmt.keep_together = True
        if index in keep:
            fmt.keep_with_next = True
        if style == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(para.add_run(text), TITLE_FONT, 22)
        elif style == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(para.add_run(text), FONT, 16)
        elif style == "small":
            fmt.first_line_indent = Pt(28)
            _font(para.add_run(text), NOTE_FONT, 14)
        else:
            if not text.endswith("：") or "{{ applicant_name }}" not in text and "{{ party_name }}" not in text:
                fmt.first_line_indent = Pt(32)  # two characters
            _font(para.add_run(text), FONT, 16)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    """The same bytes on every run: fixed entry timestamps and order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def build(target: Path = HERE) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in LETTERS:
        path = target / f"{kind}.docx"
        build_one(kind, path)
        out.append(path)
    return out


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
