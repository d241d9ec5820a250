"""Unit clauses: who leads and who is responsible for an item.

Recognised forms (brackets 〔〕 【】 [] () （） 〈〉 in any mix):

* labelled — 〔牵头单位：市政府办公室，责任单位：市政府各部门，各县（市、区）政府〕,
  or a paragraph of its own: 责任单位：市财政局、市发改委;
* with verbs — (市发展改革委负责落实), (X、Y牵头，Z负责落实),
  (区环保局、区林业局分别牵头落实，各镇〈街〉按职责落实), (X牵头负责落实，Y配合);
* a bare list closing a sentence — (人事处、机关各处室、局属各单位).

Lists split on 、，,；; (never inside brackets, so 各县（市、区）政府 stays whole)
and on 及 before a collective (…等部门及各镇〈街〉). Trailing 等/等有关部门 is dropped
from the name; the clause itself is always kept verbatim in ``Units.raw``.
"""

from __future__ import annotations

import re

from .model import Units

OPEN = "(（〈〔【[<《“"
CLOSE = ")）〉〕】]>》”"
PAIRS = {"(": ")）", "（": ")）", "〈": "〉", "〔": "〕", "【": "】", "[": "]", "<": ">", "《": "》", "“": "”"}
UNIT_BRACKETS = "(（〔【[〈"

LABELS = {
    "lead": ("牵头单位", "牵头部门", "牵头处室", "牵头科室", "主责单位", "主办单位", "牵头"),
    "responsible": ("责任单位", "责任部门", "责任处室", "责任科室", "责任主体", "落实单位", "承办单位", "实施单位"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "协助单位", "参与单位", "配合处室"),
}
_LABEL_RE = re.compile(
    "(" + "|".join(sorted((lbl for lbls in LABELS.values() for lbl in lbls if lbl != "牵头"), key=len, reverse=True))
    + r")\s*[:：]"
)
LABELLED_PARAGRAPH = re.compile(r"^[\s\u3000]*(?:" + _LABEL_RE.pattern + ")")

_VERB = (
    r"(?P<verb>(?:按照?(?:各自)?职责(?:分工)?|按职能|具体|共同|分别|各自)*"
    r"(?:牵头(?:负责)?(?:落实|实施|推进)?|负责(?:落实|实施|推进)?|(?:具体)?配合(?:落实)?|落实|组织实施|实施))"
)
_VERB_PART = re.compile(r"(?P<units>.+?)" + _VERB + r"\s*(?:[，,、；;]|$)")
_VERB_END = re.compile(_VERB + r"\s*$")

UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|厅|处|室|科|所|院|站|队|组|中心|政府|部门|单位|街道|街|镇|乡|分局|管委会|委员会|办公室|公司|"
    r"园区|景区|新区|开发区|机构|部|会|行|社|馆|台|署|司|团|庭|检察院|法院|村|社区|[市县区])$"
)
_TRAILING_OTHERS = re.compile(r"(?:等(?:有关|相关|其他)?(?:部门|单位|处室|机构)?(?:单位)?|等)$")
_SPLIT_CHARS = "、，,；;"


def find_groups(text: str) -> list[tuple[int, int]]:
    """Top-level bracket groups of ``text`` as (start, end) with end exclusive, balanced across bracket kinds."""
    groups: list[tuple[int, int]] = []
    stack: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in PAIRS and ch in UNIT_BRACKETS + "〈<《“":
            if not stack:
                start = i
            stack.append(ch)
        elif stack and ch in PAIRS[stack[-1]]:
            stack.pop()
            if not stack:
                if text[start] in UNIT_BRACKETS:
                    groups.append((start, i + 1))
        elif stack and ch in CLOSE:
            # A mismatched closer: treat it as closing the innermost group.
            stack.pop()
            if not stack and text[start] in UNIT_BRACKETS:
                groups.append((start, i + 1))
    return groups


def canonical_name(name: str) -> str:
    """Unify brackets to （）, commas inside brackets to 、, drop spaces and quotes' width."""
    name = name.strip(" \u3000\t:：。.")
    out: list[str] = []
    depth = 0
    for ch in name:
        if ch in "(（〈<":
            depth += 1
            out.append("（")
        elif ch in ")）〉>":
            depth = max(0, depth - 1)
            out.append("）")
        elif ch in ",，" and depth:
            out.append("、")
        elif ch in " \u3000\t":
            continue
        else:
            out.append(ch)
    return "".join(out)


def split_names(text: str) -> tuple[list[str], bool]:
    """Split a list of unit names; returns (names, had_others) where had_others marks a trailing 等."""
    parts: list[str] = []
    buf: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "(（〈<“《":
            depth += 1
        elif ch in ")）〉>”》":
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SPLIT_CHARS:
            parts.append("".join(buf))
            buf = []
        elif depth == 0 and ch == "及" and i + 1 < len(text) and text[i + 1] in "各有相所":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    names: list[str] = []
    others = False
    for part in parts:
        name = canonical_name(part)
        stripped = _TRAILING_OTHERS.sub("", name)
        if stripped != name:
            others = True
            name = stripped.strip()
        if name and name not in names:
            names.append(name)
    return names, others


def looks_like_unit(name: str) -> bool:
    core = re.sub(r"（[^）]*）$", "", name).strip("“”\"")
    core = core.replace("“", "").replace("”", "")
    if not core or len(core) > 30:
        return False
    if re.search(r"[。！？0-9０-９]|年|月|日", core):
        return False
    return bool(UNIT_SUFFIX.search(core)) or core.startswith(("各", "有关", "相关"))


def _strip_brackets(clause: str) -> str:
    inner = clause.strip()
    if inner and inner[0] in UNIT_BRACKETS:
        inner = inner[1:]
        if inner and inner[-1] in CLOSE:
            inner = inner[:-1]
    return inner.strip()


def _role_of_verb(verb: str) -> str:
    if "牵头" in verb:
        return "lead"
    if "配合" in verb:
        return "cooperating"
    return "responsible"


def parse_labelled(inner: str) -> Units | None:
    matches = list(_LABEL_RE.finditer(inner))
    if not matches or inner[: matches[0].start()].strip(" \u3000，,；;"):
        return None
    units = Units()
    for idx, m in enumerate(matches):
        end = matches[idx + 1].start() if idx + 1 < len(matches) else len(inner)
        body = inner[m.end(): end].strip(" \u3000，,；;。")
        role = next(r for r, labels in LABELS.items() if m.group(1) in labels)
        names, _ = split_names(body)
        if "分别" in body:
            units.separately = True
        target = getattr(units, role)
        for name in names:
            name = re.sub(r"^分别|分别$", "", name)
            if name and name not in target:
                target.append(name)
    return units if units else None


def parse_verbs(inner: str) -> Units | None:
    if not _VERB_END.search(inner):
        return None
    units = Units()
    pos = 0
    for m in _VERB_PART.finditer(inner):
        if m.start() != pos:
            return None
        pos = m.end()
        names, _ = split_names(m.group("units"))
        names = [n for n in names if n]
        if not names or not all(looks_like_unit(n) for n in names):
            return None
        verb = m.group("verb")
        if "分别" in verb:
            units.separately = True
        target = getattr(units, _role_of_verb(verb))
        for name in names:
            if name not in target:
                target.append(name)
    if pos != len(inner) or not units:
        return None
    return units


def parse_bare(inner: str) -> Units | None:
    names, _ = split_names(inner)
    if not names or not all(looks_like_unit(n) for n in names):
        return None
    return Units(responsible=names)


def parse_clause(clause: str, *, allow_bare: bool) -> Units | None:
    """Units of a clause (with or without its brackets), or None if it is not a unit clause."""
    inner = _strip_brackets(clause)
    if not inner:
        return None
    units = parse_labelled(inner) or parse_verbs(inner) or (parse_bare(inner) if allow_bare else None)
    if units is not None:
        units.raw = [clause.strip()]
    return units


def find_clauses(text: str) -> list[tuple[int, int, Units]]:
    """Unit clauses in a paragraph: (start, end, units), in order.

    A bracket group counts when it is labelled or ends in a role verb; a bare
    list counts only when it closes a sentence (after 。；or at the start) and
    ends the paragraph or is followed by a new sentence. An unbracketed
    labelled tail (…。责任单位：市财政局) counts too.
    """
    found: list[tuple[int, int, Units]] = []
    for start, end in find_groups(text):
        before = text[:start].rstrip(" \u3000")
        after = text[end:].lstrip(" \u3000")
        sentence_start = not before or before[-1] in "。；;！？!?：:"
        units = parse_clause(text[start:end], allow_bare=sentence_start and (not after or after[0] not in "，,、的"))
        if units is None:
            continue
        found.append((start, end, units))
    # An unbracketed labelled tail.
    taken_until = found[-1][1] if found else 0
    m = re.search(r"(?:^|(?<=[。；;！？]))[\s\u3000]*(?=" + _LABEL_RE.pattern + ")", text[taken_until:])
    if m:
        start = taken_until + m.end()
        units = parse_clause(text[start:].rstrip(), allow_bare=False)
        if units is not None:
            found.append((start, len(text.rstrip()), units))
    return found

