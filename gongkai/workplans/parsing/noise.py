"""Lines of a saved web page that are not the document: navigation, footers, counters."""

from __future__ import annotations

import re

_NOISE = re.compile(
    r"版权所有|copyright|all\s*rights|icp备|公网安备|备案号|网站标识码|网站地图|站点地图|扫一扫|手机打开|"
    r"【\s*字体|字体[:：]?\s*[【\[]?\s*大|浏览量|浏览次数|浏览[:：]|阅读次数|点击[数率量]|我要纠错|打印本页|关闭窗口|"
    r"【打印】|【关闭】|分享到|原文网址|原文链接|当前位置|您的位置|技术支持|主办单位[:：]|承办单位[:：]\S*网|"
    r"联系我们|免责声明|^相关下载$|^相关链接$|^附件下载$|^上一篇|^下一篇|^返回顶部|^首页\s*[>›»]|"
    r"^(?:网站)?(?:联系)?电话[:：]|^传真[:：]|^来源[:：]|^作者[:：]|^发布(?:时间|日期)[:：]?\s*$|^发布(?:时间|日期)[:：]\s*\d{4}|^(?:时间|日期)[:：]\s*\d{4}-|^发布机构[:：]|"
    r"www\.|https?://|\.gov\.cn|\.com\b",
    re.IGNORECASE,
)
_PUNCT_ONLY = re.compile(r"^[\s|｜•·●○◆■□▪\-—_=*#>›»<«]+$")
_BULLET = re.compile(r"^[•·●○◆■□▪]\s*\S{1,12}$")
_DATE_IN = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def is_noise(line: str) -> bool:
    text = line.strip()
    if not text:
        return True
    if _PUNCT_ONLY.match(text) or _BULLET.match(text):
        return True
    if _NOISE.search(text):
        # A sentence of the document that merely mentions a website is not noise.
        return not (len(text) > 40 and "。" in text and not re.search(r"版权所有|icp备|公网安备|copyright", text, re.I))
    return is_nav_row(text)


def is_nav_row(text: str) -> bool:
    """三农项目简介 本网招聘 本网概况 联系我们 …: several short words and no sentence."""
    tokens = [t for t in re.split(r"[\s|｜]+", text) if t]
    if len(tokens) < 3 or re.search(r"[。，,；;：:、]", text):
        return False
    return all(len(t) <= 8 for t in tokens)


def date_in_noise(line: str):
    """The date a page header gives (发布时间:2021-06-30, 时间:2020-07-23), as (y, m, d)."""
    m = _DATE_IN.search(line)
    if not m or not re.search(r"时间|日期|\d{4}-\d", line):
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))
