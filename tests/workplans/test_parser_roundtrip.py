"""Property tests: generated plans with random nesting and unit lists parse back to the same tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gongkai.workplans.parsing import parse_text
from gongkai.workplans.parsing.numbering import cn_to_int, int_to_cn, match_marker

from .textcheck import dropped

ALPHABET = "政务公开信息平台建设推进深化加强规范管理服务数据标准目录专栏网站政策解读回应关切基层办事流程"
UNITS = ["市财政局", "市发展改革委", "区住建局", "人事处", "办公室", "市政府各部门", "各县（市、区）政府",
         "局属各单位", "机关各处室", "开发区管委会", "各镇（街）", "市司法局", "区政管办", "市政务服务局"]
STYLES = ["cn", "cn_paren", "arabic", "arabic_paren"]


def marker(style: str, n: int) -> tuple[str, str]:
    """(as written, label)."""
    if style == "cn":
        return f"{int_to_cn(n)}、", int_to_cn(n)
    if style == "cn_paren":
        return f"（{int_to_cn(n)}）", f"({int_to_cn(n)})"
    if style == "arabic":
        return f"{n}.", str(n)
    return f"（{n}）", f"({n})"


@dataclass
class Node:
    title: str
    body: str
    lead: list[str]
    responsible: list[str]
    form: str
    children: list[Node] = field(default_factory=list)


words = st.text(alphabet=ALPHABET, min_size=2, max_size=14)
unit_lists = st.lists(st.sampled_from(UNITS), min_size=0, max_size=3, unique=True)


@st.composite
def nodes(draw, depth: int = 0):
    lead = draw(unit_lists)
    responsible = [u for u in draw(unit_lists) if u not in lead]
    form = draw(st.sampled_from(["labelled", "verbs", "bare"]))
    if form == "bare":
        lead = []
    children = draw(st.lists(nodes(depth + 1), max_size=3)) if depth < 3 else []
    return Node(draw(words), draw(st.one_of(st.just(""), words)), lead, responsible, form, children)


def clause(node: Node) -> str:
    if not node.lead and not node.responsible:
        return ""
    if node.form == "labelled":
        parts = []
        if node.lead:
            parts.append("牵头单位：" + "、".join(node.lead))
        if node.responsible:
            parts.append("责任单位：" + "、".join(node.responsible))
        return "〔" + "，".join(parts) + "〕"
    if node.form == "verbs":
        parts = []
        if node.lead:
            parts.append("、".join(node.lead) + "牵头")
        if node.responsible:
            parts.append("、".join(node.responsible) + "负责落实")
        return "（" + "，".join(parts) + "）"
    return "（" + "、".join(node.responsible) + "）"


def render(tree: list[Node], *, share_line: bool, running: bool) -> str:
    lines: list[str] = ["某市2024年政务公开工作要点", "为做好全年工作，制定本要点。"]
    counters: dict[int, int] = {}

    def emit(items: list[Node], depth: int) -> None:
        if not running or depth != 1:
            counters[depth] = 0
        for node in items:
            counters[depth] = counters.get(depth, 0) + 1
            written, _ = marker(STYLES[depth], counters[depth])
            text = f"{written}{node.title}。{node.body + '。' if node.body else ''}{clause(node)}"
            if share_line and depth == 0 and node.children and not node.body and not clause(node):
                lines.append(f"{written}{node.title}。")
            else:
                lines.append(text)
            emit(node.children, depth + 1)

    emit(tree, 0)
    if share_line:
        # Join each section heading with the line of its first item.
        joined: list[str] = []
        for line in lines:
            if joined and joined[-1].endswith("。") and match_marker(joined[-1]) and match_marker(joined[-1]).style == "cn" \
                    and match_marker(line) and match_marker(line).style == "cn_paren" and joined[-1].count("。") == 1:
                joined[-1] += line
            else:
                joined.append(line)
        lines = joined
    return "\n".join(lines)


def expected(tree: list[Node], running: bool) -> list[tuple]:
    out: list[tuple] = []
    counters: dict[int, int] = {}

    def walk(items: list[Node], depth: int) -> None:
        if not running or depth != 1:
            counters[depth] = 0
        for node in items:
            counters[depth] = counters.get(depth, 0) + 1
            out.append((depth, marker(STYLES[depth], counters[depth])[1], node.title, tuple(node.lead), tuple(node.responsible)))
            walk(node.children, depth + 1)

    walk(tree, 0)
    return out


def actual(plan) -> list[tuple]:
    out: list[tuple] = []

    def walk(items, depth):
        for item in items:
            out.append((depth, item.number, item.title, tuple(item.units.lead), tuple(item.units.responsible)))
            walk(item.children, depth + 1)

    walk(plan.items, 0)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=st.lists(nodes(), min_size=1, max_size=4), share_line=st.booleans(), running=st.booleans())
def test_generated_plans_parse_back(tree, share_line, running):
    text = render(tree, share_line=share_line, running=running)
    plan = parse_text(text)
    assert actual(plan) == expected(tree, running)
    assert not dropped(text, plan)


@given(st.integers(min_value=1, max_value=999))
def test_chinese_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


@given(st.sampled_from(STYLES), st.integers(min_value=1, max_value=60), words)
def test_markers_round_trip(style, n, title):
    written, label = marker(style, n)
    found = match_marker(written + title)
    assert found is not None and found.style == style and found.value == n and found.label == label


LINE = st.one_of(
    st.text(alphabet=ALPHABET + "。，、：；（）()〔〕【】一二三1234567890年月日底前按季度各局处牵头负责落实\t ", max_size=60),
    st.builds(lambda m, w: m + w, st.sampled_from(["一、", "（一）", "1.", "(2)", "①", "第一部分"]), words),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=25))
def test_any_text_parses_without_losing_anything(lines):
    text = "\n".join(lines)
    assume(text.strip())
    plan = parse_text(text)
    assert not dropped(text, plan)
