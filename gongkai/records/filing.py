"""Filing rules of the catalog (法定主动公开内容): which entries a record belongs in. Pure Python.

An entry states genres, topics and keywords; a record matches when it satisfies every kind of
condition the entry states (a genre among the genres, a topic among the topics, a keyword in its
title or keywords). An entry that states nothing is filed by hand only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPLIT = re.compile(r"[\s,，、;；]+")


def split_keywords(text: str) -> tuple[str, ...]:
    return tuple(k for k in _SPLIT.split(text or "") if k)


@dataclass(frozen=True)
class Rule:
    entry_id: int
    genres: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.genres or self.topics or self.keywords)

    def matches(self, *, genre: str, topic: str, title: str, keywords: str = "") -> bool:
        if self.is_empty:
            return False
        if self.genres and genre not in self.genres:
            return False
        if self.topics and topic not in self.topics:
            return False
        if self.keywords:
            text = f"{title} {keywords}"
            if not any(k in text for k in self.keywords):
                return False
        return True


def matching_entries(rules: Iterable[Rule], *, genre: str, topic: str, title: str, keywords: str = "") -> list[int]:
    """Ids of the entries whose rule the record satisfies, in the rules' order."""
    return [r.entry_id for r in rules if r.matches(genre=genre, topic=topic, title=title, keywords=keywords)]
