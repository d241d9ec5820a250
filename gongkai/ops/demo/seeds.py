"""The five seed documents: metadata parsed out of their text (pure, no Django).

The files in ``seeds/`` are the pages as they were captured, navigation and
footers included, with full-width punctuation folded to ASCII (，→, （→( …).
:func:`parse_seed` finds the title, 发文字号, 成文日期 (the date under the
signature), 发布日期 (the page's date), the issuer and the body; :data:`SEEDS`
holds what the text does not say (which organ publishes it, genre, topic) and
the few facts a page lacks (the Guang'an page has no title line and no date).

======================  =========================================================
file                    document
======================  =========================================================
000_8b58756f196d09e0    保定市人民政府办公室 保政办函〔2021〕15号, 2021年政务公开工作要点
001_68a338e92b117a7c    广安市人民政府办公室 深化政务公开提升基层政府治理能力工作方案 (2022)
002_f1cc5748cebae610    北京市人民政府办公厅 北京市2019年政务公开工作要点 (page of 北京市农业农村局)
003_c99f5385b830f41c    台儿庄区人民政府办公室 台政办发〔2018〕26号
004_1aa75585993243fb    天津市规划资源局 津规资办发〔2020〕253号, 2020年政务公开工作要点
======================  =========================================================
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent / "seeds"

_DOC_NO_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号$")
_CN_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TITLE_LINE = re.compile(r"^[^,，:：。|]{8,80}(的通知|工作要点|工作方案|实施意见)$")
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff]{4,30}(人民政府|办公室|办公厅|局|委员会|管委会)$")
_TRANSMITTED = re.compile(r"现将《(?P<name>[^》]+)》印发给你们")
_JUNK = ("|", "浏览", "字体", "全部", "•", "来源:", "作者:", "中国产业竞争情报网")
FOOTER_MARKERS = ("相关下载", "扫一扫", "原文网址", "版权所有", "Copyright", "网站标识码", "主办单位:", "ICP备")

# Half-width punctuation back to the full-width forms the documents were written in.
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})
# Damage found in the captured pages, repaired with the words the documents use elsewhere.
_REPAIRS = [
    ("龙8电子游戏平台站集约化平台", "政府网站集约化平台"),  # injected spam in the Guang'an page (001)
    ("(市,区)", "(市、区)"),                                # 001 lost its 顿号 in this fixed phrase
]
_ENUM_HEADING = re.compile(r"^([一二三四五六七八九十]+),")  # 001: “一,总体要求” was “一、总体要求”


@dataclass(frozen=True)
class ParsedSeed:
    title: str
    doc_no: str
    written_on: dt.date | None
    published_on: dt.date | None
    issuer: str
    paragraphs: list[str]


def _clean(line: str) -> str:
    line = line.strip()
    for old, new in _REPAIRS:
        line = line.replace(old, new)
    line = _ENUM_HEADING.sub(r"\1、", line)
    return line.translate(_FULL_WIDTH)


def parse_seed(text: str) -> ParsedSeed:
    """Title, 发文字号, dates, issuer and body paragraphs of a captured document page."""
    lines = [line.strip() for line in text.splitlines()]
    end = next((i for i, line in enumerate(lines) if line.startswith(FOOTER_MARKERS)), len(lines))
    lines = lines[:end]

    title = doc_no = ""
    published_on = written_on = None
    header_end = -1
    # The header: everything before the first line of the body (addressees or first paragraph).
    for i, line in enumerate(lines):
        if not line:
            continue
        if _DOC_NO_LINE.match(line) and not doc_no:
            doc_no, header_end = line, i
        elif _TITLE_LINE.match(line) and not title and not _CN_DATE_LINE.match(line):
            title, header_end = line, i
        elif (m := _ISO_DATE.search(line)) and published_on is None and len(line) < 60:
            published_on, header_end = dt.date(*map(int, m.groups())), i
        elif line.startswith(_JUNK) or line in {"发布时间:", "发布时间："}:
            header_end = i
        else:
            break
    body = [line for line in lines[header_end + 1:] if line]

    issuer = ""
    for i, line in enumerate(body):
        if m := _CN_DATE_LINE.match(line):
            written_on = dt.date(*map(int, m.groups()))
            if i and _ISSUER_LINE.match(body[i - 1]):
                issuer = body[i - 1]
            break
    if not issuer and "关于" in title:
        issuer = title.split("关于", 1)[0]
    if not title and issuer and (m := _TRANSMITTED.search(text)):
        title = f"{issuer}关于印发{m.group('name')}的通知"

    paragraphs = [_clean(line) for line in body if not line.startswith(_JUNK)]
    return ParsedSeed(title=title, doc_no=doc_no, written_on=written_on, published_on=published_on,
                      issuer=issuer, paragraphs=paragraphs)


@dataclass(frozen=True)
class SeedFacts:
    file: str
    organ: str                       # slug of the publishing organ (organs.ORGANS)
    genre: str = "policy"
    topic: str = "zonghe"
    catalog: tuple[str, ...] = ("policy_other", "rules")
    keywords: str = "政务公开、工作要点"
    # Only where the page does not say it:
    published_on: dt.date | None = None


SEEDS = [
    SeedFacts("000_8b58756f196d09e0.txt", "bd_office", keywords="政务公开、工作要点、十四五"),
    # The page has no date of its own; the document's date is the best we know.
    SeedFacts("001_68a338e92b117a7c.txt", "ga_office", keywords="政务公开、基层治理、标准化规范化",
              published_on=dt.date(2022, 7, 21)),
    # Published on the page of 北京市农业农村局 (nyncj.beijing.gov.cn); issued by 市政府办公厅.
    SeedFacts("002_f1cc5748cebae610.txt", "bj_nyncj", keywords="政务公开、工作要点、放管服"),
    SeedFacts("003_c99f5385b830f41c.txt", "tez_office", keywords="政务公开、新旧动能转换、乡村振兴"),
    SeedFacts("004_1aa75585993243fb.txt", "tj", keywords="政务公开、工作要点、规划资源"),
]


def load_seed(facts: SeedFacts) -> ParsedSeed:
    return parse_seed((SEED_DIR / facts.file).read_text(encoding="utf-8"))


def summary_of(paragraphs: list[str], limit: int = 120) -> str:
    """内容概述: the first paragraph of the body that is not the list of addressees, cut at a sentence."""
    for para in paragraphs:
        if (para.endswith("：") and not para.endswith("如下：")) or len(para) < 20:
            continue
        if len(para) <= limit:
            return para
        cut = para.rfind("。", 0, limit)
        if cut > 40:
            return para[: cut + 1]
        cut = para.rfind("，", 0, limit)
        return para[:cut] + "……" if cut > 0 else para[:limit] + "……"
    return ""
