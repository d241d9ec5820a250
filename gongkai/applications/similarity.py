"""Similar application texts (pure Python): repeated applications and clusters.

Texts are compared by the Jaccard index of their character bigrams after
removing punctuation, spaces and the stock phrases every application uses
("申请公开", "关于", …). Chinese needs no segmentation for this: two requests
for the same document share most bigrams whatever their wording around it.

* :func:`similarity` — 0..1 for two texts;
* :func:`clusters` — groups of items whose texts are pairwise linked at or
  above a threshold (single linkage, union-find), largest first.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

__all__ = ["SIMILAR", "bigrams", "clusters", "similarity"]

#: Threshold above which two application texts are taken to ask for the same information.
SIMILAR = 0.5

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_STOCK = ("申请公开", "请求公开", "依申请", "政府信息", "相关信息", "有关信息", "申请人", "请公开", "关于", "的")


def bigrams(text: str) -> frozenset[str]:
    t = _NOISE.sub("", text or "")
    for phrase in _STOCK:
        t = t.replace(phrase, "")
    if len(t) < 2:
        return frozenset({t}) if t else frozenset()
    return frozenset(t[i : i + 2] for i in range(len(t) - 1))


def similarity(a: str | frozenset[str], b: str | frozenset[str]) -> float:
    ga = a if isinstance(a, frozenset) else bigrams(a)
    gb = b if isinstance(b, frozenset) else bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


def clusters(
    items: Sequence[tuple[Hashable, str]], threshold: float = SIMILAR
) -> list[list[Hashable]]:
    """Groups (≥ 2 items) of ``(key, text)`` linked by similarity ≥ ``threshold``."""
    grams = [bigrams(text) for _, text in items]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if find(i) != find(j) and similarity(grams[i], grams[j]) >= threshold:
                parent[find(j)] = find(i)
    groups: dict[int, list[Hashable]] = {}
    for i, (key, _) in enumerate(items):
        groups.setdefault(find(i), []).append(key)
    return sorted((g for g in groups.values() if len(g) > 1), key=len, reverse=True)
