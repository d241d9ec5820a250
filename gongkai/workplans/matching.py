"""Matching unit names from a plan to organs (pure: works on plain values, no Django).

Within the *scope* (the government, or top organ, the plan belongs to) a name
is matched, in order, by: an alias the 公开办 saved for this scope; the
organ's full name, short name or aliases; the name with the place prefixed
(市财政局 → 保定市财政局); and the collective phrases (市政府各部门,
各县（市、区）政府, 各镇（街）, 机关各处室, 局属各单位 …) expanding to the organs of
the kind they denote. What matches nothing, or more than one organ where one
was meant, is left for a person to resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OrganInfo:
    id: int
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class Match:
    name: str
    organ_ids: tuple[int, ...]
    how: str          # alias, name, short_name, organ_alias, place, collective, ambiguous, none

    @property
    def resolved(self) -> bool:
        return bool(self.organ_ids) and self.how != "ambiguous"

    @property
    def how_label(self) -> str:
        return {
            "alias": "已保存的对照", "name": "全称", "short_name": "简称", "organ_alias": "别名",
            "place": "补全地名", "collective": "统称", "ambiguous": "有多个同名单位", "none": "未匹配",
        }[self.how]


# (pattern, organ kinds, direct children of the scope only?)
COLLECTIVES: list[tuple[re.Pattern[str], frozenset[str], bool]] = [
    (re.compile(r"^(?:[市区县]政府|[市区县]人民政府|[市区县]直)?(?:各|各有关|各相关|有关|相关)?(?:部门|委、办、局|委办局)(?:（单位）)?$"),
     frozenset({"department"}), True),
    (re.compile(r"^[市区县]政府各(?:有关|相关)?部门(?:及)?单位$|^[市区县]政府(?:有关|相关)部门单位$"),
     frozenset({"department", "other"}), True),
    (re.compile(r"^各(?:县（市、区）|县（市、区、开发区）|县（区）|县（市）|县市区|区县|区|县|市、县|县、区)(?:人民)?政府$"),
     frozenset({"government"}), True),
    (re.compile(r"^各(?:镇|乡|乡镇|街道|镇（街）|镇（街道）|乡（镇）|乡镇（街道）|镇街)(?:人民政府|办事处|政府)?$"),
     frozenset({"town"}), False),
    (re.compile(r"^(?:机关)?各(?:处室|处、室|科室)$|^(?:有关|相关)(?:处室|科室)$|^机关各处室$"), frozenset({"unit"}), False),
    (re.compile(r"^(?:局属|委属|厅属)?各(?:“窗口”)?(?:单位|分局|直属单位)$|^(?:各)?直属(?:事业)?单位$|^各区分局$"),
     frozenset({"other"}), True),
]


def place_of(scope_name: str) -> str:
    """保定市人民政府 → 保定市; 台儿庄区人民政府 → 台儿庄区; 天津市规划和自然资源局 → 天津市."""
    m = re.match(r"^(.+?[省市区县旗])", scope_name)
    return m.group(1) if m else ""


def _variants(name: str, place: str) -> list[str]:
    out = [name]
    plain = name.replace("人民政府", "政府")
    if plain != name:
        out.append(plain)
    if place and name[:1] in "市区县" and not name.startswith(place):
        out.append(place + name[1:])
        out.append(place[:-1] + name)  # 区政府办公室 → 台儿庄区政府办公室
    if name.startswith(("局", "我局")) and place:
        out.append(name.removeprefix("我局").removeprefix("局"))
    return out


def match_name(
    name: str,
    organs: Iterable[OrganInfo],
    *,
    scope: OrganInfo,
    saved: dict[str, tuple[int, ...]] | None = None,
) -> Match:
    organs = list(organs)
    if saved and name in saved:
        return Match(name, tuple(saved[name]), "alias")
    place = place_of(scope.name)
    for how, key in (("name", lambda o: (o.name,)), ("short_name", lambda o: (o.short_name,)),
                     ("organ_alias", lambda o: o.aliases)):
        for variant in _variants(name, place):
            hits = tuple(o.id for o in organs if variant in key(o) and variant)
            if hits:
                if how == "name" and variant != name:
                    how = "place"
                return Match(name, hits, "ambiguous" if len(hits) > 1 else how)
    for pattern, kinds, direct in COLLECTIVES:
        if pattern.match(name):
            hits = tuple(o.id for o in organs if o.kind in kinds and o.id != scope.id
                         and (not direct or o.parent_id == scope.id))
            if hits:
                return Match(name, hits, "collective")
    return Match(name, (), "none")
