"""Organs, genres and topics named in a metadata file, matched by code or name."""

from __future__ import annotations

from gongkai.core.models import Organ

from ..models import Genre, Topic
from .columns import ISSUER_SEPARATORS, split_list


class Lookup:
    """Organs, genres and topics loaded once, matched by code or name."""

    def __init__(self) -> None:
        self.organs = list(Organ.objects.all())
        self.genres = list(Genre.objects.all())
        self.topics = list(Topic.objects.all())

    def organ(self, value: str) -> Organ:
        word = value.strip()
        for test in (
            lambda o: o.code == word.upper(),
            lambda o: o.name == word,
            lambda o: o.short_name == word,
            lambda o: word in (o.aliases or []),
        ):
            found = [o for o in self.organs if test(o)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                names = "、".join(o.name for o in found)
                raise ValueError(f"“{word}”对应多个机关（{names}），请填写全称或机关代码。")
        raise ValueError(f"找不到机关“{word}”，请填写平台上已有机关的代码、全称或简称。")

    def issuers(self, value: str) -> list[Organ]:
        try:
            return [self.organ(value)]  # a name that itself contains 、
        except ValueError:
            pass
        found: list[Organ] = []
        errors = []
        for part in split_list(value, ISSUER_SEPARATORS):
            try:
                organ = self.organ(part)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            if organ not in found:
                found.append(organ)
        if errors:
            raise ValueError("".join(errors))
        return found

    def genre(self, value: str) -> Genre:
        word = value.strip()
        for g in self.genres:
            if word in (g.code, g.name):
                return g
        names = "、".join(g.name for g in self.genres) or "（平台上还没有体裁，请先在管理后台添加）"
        raise ValueError(f"没有名为“{word}”的体裁，可用的体裁：{names}。")

    def topic(self, value: str) -> Topic:
        word = value.strip()
        by_code = [t for t in self.topics if t.code == word]
        if by_code:
            return by_code[0]
        by_name = [t for t in self.topics if t.name == word]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            codes = "、".join(t.code for t in by_name)
            raise ValueError(f"有多个名为“{word}”的主题分类，请填写代码（{codes}）。")
        raise ValueError(f"没有名为“{word}”的主题分类，请填写主题分类的名称或代码。")
