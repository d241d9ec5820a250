"""Chinese word segmentation: rjieba (jieba-rs) in precise mode, HMM off, plus a user dictionary.

rjieba gives exactly jieba's tokens when the HMM is off (tests/search/test_segment.py
checks it on the seed documents) and is about 35 times faster (``gongkai bench
search`` prints both). Segmentation is used at query time only — to find the
words of a piece for the scattered-words tier, for suggestions and for
highlighting; the index is made of character bigrams, so a dictionary change
never needs a reindex.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

# Government terms every installation starts with (an admin adds more: 检索用户词典).
DEFAULT_TERMS = (
    "政务公开", "政府信息公开", "政府信息公开条例", "依申请公开", "主动公开", "不予公开", "政府信息公开专栏",
    "放管服", "六稳六保", "六稳", "六保", "行政规范性文件", "规范性文件", "重大行政决策", "政策解读",
    "政务服务", "一网通办", "跨省通办", "互联网+政务服务", "营商环境", "优化营商环境", "双随机一公开",
    "政府门户网站", "政务新媒体", "政府公报", "十四五", "十四五规划", "预决算", "权责清单", "负面清单",
    "公共企事业单位", "基层政务公开", "标准化规范化", "政策文件库", "公开属性", "保密审查", "政务舆情",
    "依法行政", "法治政府", "服务型政府", "一件事一次办", "最多跑一次", "民生实事", "乡村振兴",
    "疫情防控", "减税降费", "政府开放日", "公众参与", "征求意见", "建议提案", "人大代表建议", "政协委员提案",
    "办理结果", "信息发布", "解读回应", "公开目录", "索引号", "发文字号", "政府工作报告", "工作要点",
)

_lock = threading.Lock()


class Segmenter:
    """One rjieba instance with the user dictionary loaded."""

    def __init__(self, terms: Iterable[tuple[str, int | None]] = ()):
        import rjieba

        self._jieba = rjieba.Jieba()
        for word in DEFAULT_TERMS:
            self._jieba.add_word(word, None, None)
        for word, freq in terms:
            if word:
                self._jieba.add_word(word, freq, None)

    def cut(self, text: str) -> list[str]:
        """Precise mode, HMM off (jieba.lcut(text, HMM=False))."""
        return self._jieba.cut(text, False)

    def cut_for_search(self, text: str) -> list[str]:
        return self._jieba.cut_for_search(text, False)


_cached: tuple[object, float, Segmenter] | None = None
RECHECK_SECONDS = 30.0


def get_segmenter(fingerprint: Callable[[], object] | None = None,
                  terms: Callable[[], Iterable[tuple[str, int | None]]] | None = None) -> Segmenter:
    """The process-wide segmenter, rebuilt when the dictionary's ``fingerprint`` changes (checked every 30 s)."""
    global _cached
    now = time.monotonic()
    with _lock:
        if _cached is not None and (fingerprint is None or now - _cached[1] < RECHECK_SECONDS):
            return _cached[2]
        fp = fingerprint() if fingerprint else None
        if _cached is not None and _cached[0] == fp:
            _cached = (fp, now, _cached[2])
            return _cached[2]
        seg = Segmenter(terms() if terms else ())
        _cached = (fp, now, seg)
        return seg


def reset() -> None:
    global _cached
    with _lock:
        _cached = None
