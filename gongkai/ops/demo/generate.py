"""Plan the generated demo records (pure: a seeded ``random.Random``, no Django, no I/O).

:func:`plan` returns :class:`Item` descriptions — what to create, in which
state, with which dates and links — that the loader turns into records through
the record services. The plan is deterministic for a seed and a date, and
*prefix-stable*: the plan for 50 records is the start of the plan for 400, so
loading a bigger demo over a smaller one adds the difference and duplicates
nothing (the loader skips an item whose organ already has a record of that
title).

Every state appears within the first few dozen items, so even a small demo
(tests use ``--records 40``) has drafts, returned drafts, records under review,
approved and scheduled ones, published ones, 依申请公开 and 不予公开 ones and
withdrawn ones; interpretations, revisions and a partly withheld record come early too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from . import vocabulary as v
from .organs import BY_SLUG, ORGANS, REGIONS, OrganSpec

TZ = ZoneInfo("Asia/Shanghai")
BY_AREA = {s.area: s for subjects in (*v.PROFILES.values(), v.COMMON) for s in subjects}
DEFAULT_SEED = 20210625  # the date of the Baoding seed
FIRST_YEAR = 2019

DRAFT, SUBMITTED, RETURNED, APPROVED, SCHEDULED = "draft", "submitted", "returned", "approved", "scheduled"
PUBLISHED, ON_REQUEST, WITHHELD, WITHDRAWN = "published", "on_request", "withheld", "withdrawn"
STATES = (DRAFT, SUBMITTED, RETURNED, APPROVED, SCHEDULED, PUBLISHED, ON_REQUEST, WITHHELD, WITHDRAWN)
# The states of single records, in turn: every state within 16 singles, half of them published.
STATE_CYCLE = (
    PUBLISHED, DRAFT, PUBLISHED, SUBMITTED, PUBLISHED, ON_REQUEST, PUBLISHED, RETURNED,
    PUBLISHED, WITHHELD, PUBLISHED, APPROVED, PUBLISHED, SCHEDULED, PUBLISHED, WITHDRAWN,
)

RESERVED_DOC_NOS = {"保政办函〔2021〕15号", "台政办发〔2018〕26号", "津规资办发〔2020〕253号"}  # the seeds'


@dataclass
class Attach:
    name: str
    text: str
    withheld_reason: str = ""


@dataclass
class Item:
    organ: str                      # OrganSpec.slug
    genre: str                      # Genre.code
    topic: str                      # Topic.code
    title: str
    state: str
    written_on: dt.date
    body: str                       # plain text, one paragraph per line
    summary: str = ""
    doc_no: str = ""
    keywords: str = ""
    issuers: tuple[str, ...] = ()   # slugs; empty means the organ itself
    catalog: tuple[str, ...] = ()   # CatalogEntry codes
    attribute: str = "proactive"
    withholding_ground: str = ""
    attribute_reason: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    published_at: dt.datetime | None = None   # when it went (or goes) public
    withdrawn_at: dt.datetime | None = None
    withdrawal_reason: str = ""
    review_comment: str = ""                  # returned: what to fix
    opinion: str = ""                         # the reviewer's confidentiality opinion
    interprets: tuple[str, str] | None = None                 # key of the document it interprets
    superseded: tuple[str, tuple[str, str], str] | None = None  # (validity, key of the new document, note)
    expire_note: str = ""                     # marked 已失效 explicitly
    attachments: list[Attach] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.organ, self.title)


# --- small helpers -------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (up to 99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def place_of(spec: OrganSpec) -> str:
    """How a title names the organ's place: 保定市, 清苑区, 阜平镇, 台儿庄区."""
    if spec.kind == "government":
        return spec.short_name.removesuffix("政府")
    if spec.kind == "town":
        return spec.short_name
    return REGIONS[spec.region].place


def short_of(spec: OrganSpec) -> str:
    """How news names the organ: 保定市, 市财政局, 阜平镇."""
    return place_of(spec) if spec.kind == "government" else spec.short_name


def our_of(spec: OrganSpec) -> str:
    """我市 / 我区 / 我县 / 我镇 / 我局."""
    if spec.profile in ("ghzy",) and spec.region == "tj":
        return "我局"
    place = place_of(spec)
    return "我" + ({"街道": "街道"}.get(place[-2:]) or place[-1])


def addressees_of(spec: OrganSpec) -> str:
    region = REGIONS[spec.region]
    if spec.region == "tj":
        return region.addressees
    if spec.kind == "town":
        return "各村（居）民委员会，镇属各单位：" if spec.short_name.endswith("镇") else "各社区居民委员会，街道各科室："
    if spec.parent is None or spec.profile == "office":
        return region.addressees
    if spec.kind == "government":
        return "各乡镇人民政府、街道办事处，" + place_of(spec) + "政府各部门，有关单位："
    return "各有关单位："


# --- the planner ---------------------------------------------------------------------


class Planner:
    def __init__(self, seed: int, now: dt.datetime):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.now = now.astimezone(TZ)
        self.today = self.now.date()
        self.items: list[Item] = []
        self.keys: set[tuple[str, str]] = set()
        self.counters: dict[tuple[str, int], int] = {}
        self.meeting_counters: dict[tuple[str, int], int] = {}
        self.writers = [s for s in ORGANS if s.weight > 0]
        self.interp_units = 0
        self.revision_units = 0

    # choices
    def organ(self, *, where=None) -> OrganSpec:
        pool = [s for s in self.writers if where is None or where(s)]
        return self.rng.choices(pool, weights=[s.weight for s in pool])[0]

    def subject(self, spec: OrganSpec, *, with_rules=False, year: int | None = None) -> v.Subject:
        """A subject of the organ's own field; the government-wide ones mostly from governments."""
        def fits(s: v.Subject) -> bool:
            return ((s.regions is None or spec.region in s.regions) and (not with_rules or bool(s.rules))
                    and (year is None or s.years[0] <= year <= s.years[1]))

        own = [s for s in v.PROFILES.get(spec.profile, []) if fits(s)]
        common = [s for s in v.COMMON if fits(s)]
        general = spec.profile in ("gov", "office", "county")
        # A department's normative documents are about its own field only.
        if own and (not common or (not general and (with_rules or self.rng.random() >= 0.12))):
            return self.rng.choice(own)
        return self.rng.choice(own + common)

    def year(self, subject: v.Subject | None = None, *, last: int | None = None) -> int:
        lo, hi = (subject.years if subject else (FIRST_YEAR, self.today.year))
        hi = min(hi, last if last is not None else self.today.year)
        lo = max(lo, FIRST_YEAR)
        return self.rng.randint(lo, max(lo, hi))

    def past_date(self, year: int) -> dt.date:
        start = dt.date(year, 1, 4)
        end = min(dt.date(year, 12, 28), self.today - dt.timedelta(days=5))
        if end <= start:
            return end
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def recent_date(self) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(2, 45))

    def at(self, day: dt.date, *, after: dt.datetime | None = None) -> dt.datetime:
        """A working-hours time on ``day`` (not in the future, not before ``after``)."""
        moment = dt.datetime.combine(day, dt.time(self.rng.randint(9, 16), self.rng.choice((0, 10, 15, 30, 40, 45))), TZ)
        if after is not None and moment <= after:
            moment = after + dt.timedelta(minutes=self.rng.randint(20, 180))
        return min(moment, self.now - dt.timedelta(hours=1))

    def publish_time(self, written: dt.date, *, after: dt.datetime | None = None) -> dt.datetime:
        return self.at(written + dt.timedelta(days=self.rng.randint(1, 10)), after=after)

    def doc_no(self, spec: OrganSpec, series: str, year: int) -> str:
        prefix = spec.docno + series
        key = (prefix, year)
        while True:
            self.counters[key] = self.counters.get(key, self.rng.randint(0, 2)) + self.rng.randint(1, 4)
            number = f"{prefix}〔{year}〕{self.counters[key]}号"
            if number not in RESERVED_DOC_NOS:
                return number

    def meeting_no(self, spec: OrganSpec, year: int) -> int:
        key = (spec.slug, year)
        self.meeting_counters[key] = self.meeting_counters.get(key, self.rng.randint(0, 3)) + self.rng.randint(1, 3)
        return self.meeting_counters[key]

    def add(self, item: Item) -> Item | None:
        if item.key in self.keys:
            return None
        self.keys.add(item.key)
        self.items.append(item)
        return item

    # text
    def sentences(self, subject: v.Subject, spec: OrganSpec, k: int) -> list[str]:
        area_part = [s.format(area=subject.area, place=place_of(spec)) for s in self.rng.sample(v.AREA_SENTENCES, 1)]
        return area_part + self.rng.sample(v.GENERIC_SENTENCES, k - 1)

    def sections(self, subject: v.Subject, spec: OrganSpec, headings: list[str]) -> list[str]:
        """Numbered sections, each an area sentence and one or two general ones, none repeated."""
        area = [s.format(area=subject.area, place=place_of(spec)) for s in self.rng.sample(v.AREA_SENTENCES, len(headings))]
        general = self.rng.sample(v.GENERIC_SENTENCES, 2 * len(headings))
        lines = []
        for n, heading in enumerate(headings, start=1):
            lines.append(f"{cn_number(n)}、{heading}")
            lines.append(area.pop() + "".join(general.pop() for _ in range(self.rng.randint(1, 2))))
        return lines

    def notice_body(self, spec: OrganSpec, subject: v.Subject, written: dt.date, *, intro: str = "") -> str:
        intro = intro or (
            f"为深入贯彻落实上级关于{subject.area}的决策部署，"
            f"进一步做好{subject.area}工作，结合{our_of(spec)}实际，现就有关事项通知如下："
        )
        lines = [addressees_of(spec), intro, *self.sections(subject, spec, v.SECTION_HEADINGS["notice"]),
                 spec.name, cn_date(written)]
        return "\n".join(lines)

    def rule_body(self, spec: OrganSpec, subject: v.Subject, rule_title: str, written: dt.date,
                  valid_from: dt.date, valid_until: dt.date | None, *, cover: bool = True) -> str:
        kind = "本" + rule_title[-2:]
        lines = []
        if cover:
            lines += [addressees_of(spec), f"现将《{rule_title}》印发给你们，请认真贯彻执行。", spec.name, cn_date(written)]
        lines.append(rule_title)
        articles = [
            f"为了规范{subject.area}工作，保障公民、法人和其他组织的合法权益，根据有关法律、法规和上级有关规定，结合{our_of(spec)}实际，制定{kind}。",
            f"{kind}适用于{place_of(spec)}行政区域内的{subject.area}工作。",
            f"{subject.area}工作坚持依法依规、公开透明、便民高效的原则。",
            f"{spec.name}负责统筹协调{subject.area}工作；各有关单位按照职责分工做好相关工作。",
            *self.sentences(subject, spec, self.rng.randint(3, 5)),
        ]
        if valid_until:
            articles.append(f"{kind}自{cn_date(valid_from)}起施行，有效期至{cn_date(valid_until)}。")
        else:
            articles.append(f"{kind}自{cn_date(valid_from)}起施行。")
        lines += [f"第{cn_number(n)}条　{text}" for n, text in enumerate(articles, start=1)]
        return "\n".join(lines)

    # --- records of each genre ---------------------------------------------------

    def policy(self, spec: OrganSpec, state: str, *, year=None, written=None, joint=None) -> Item:
        subject = self.subject(spec, year=year)
        year = year or self.year(subject)
        written = written or self.past_date(year)
        issuer = spec.name if joint is None else f"{spec.name} {joint.name}"
        title = self.rng.choice(v.POLICY_TEMPLATES).format(organ=issuer, area=subject.area, year=year, place=place_of(spec))
        series = ("发" if self.rng.random() < 0.7 else "函") if spec.kind == "government" or spec.profile == "office" else (
            "发" if spec.kind == "town" else self.rng.choice(("", "", "发")))
        return Item(
            organ=spec.slug, genre="policy", topic=subject.topic, title=title, state=state, written_on=written,
            body=self.notice_body(spec, subject, written), doc_no=self.doc_no(spec, series, written.year),
            summary=f"部署{subject.area}工作，明确主要任务、责任分工和完成时限。",
            keywords=f"{subject.area}、{place_of(spec)}", catalog=(subject.catalog, "policy_other") if subject.catalog != "policy_other" else ("policy_other",),
            issuers=(spec.slug, joint.slug) if joint else (),
        )

    def normative(self, spec: OrganSpec, state: str, *, year=None, written=None, rule=None, subject=None,
                  validity_years=None, title=None) -> Item:
        subject = subject or self.subject(spec, with_rules=True, year=year)
        year = year or self.year(subject)
        written = written or self.past_date(year)
        rule_title = f"{place_of(spec)}{rule or self.rng.choice(subject.rules)}"
        valid_from = written + dt.timedelta(days=self.rng.randint(10, 31))
        years = validity_years if validity_years is not None else self.rng.choice((5, 5, 5, 3, 2, 0))
        valid_until = valid_from.replace(year=valid_from.year + years) - dt.timedelta(days=1) if years else None
        if years == 2 and "暂行" not in rule_title:
            rule_title = rule_title.replace("办法", "暂行办法", 1) if rule_title.endswith("办法") else rule_title
        suffix = "发" if spec.region == "bj" and (spec.kind == "government" or spec.profile == "office") else "规"
        return Item(
            organ=spec.slug, genre="normative", topic=subject.topic,
            title=title or f"{spec.name}关于印发《{rule_title}》的通知", state=state, written_on=written,
            body=self.rule_body(spec, subject, rule_title, written, valid_from, valid_until),
            doc_no=self.doc_no(spec, suffix, written.year),
            summary=f"印发《{rule_title}》，明确{subject.area}的适用范围、职责分工、工作程序和监督保障。",
            keywords=f"{subject.area}、行政规范性文件", catalog=("policy_normative", subject.catalog),
            valid_from=valid_from, valid_until=valid_until,
        )

    def rule(self, spec: OrganSpec, state: str) -> Item:
        subject = self.subject(spec, with_rules=True)
        year = self.year(subject)
        written = self.past_date(year)
        name = f"{place_of(spec)}{self.rng.choice(subject.rules)}"
        order_no = 280 + (year - FIRST_YEAR) * 6 + self.rng.randint(1, 5)
        valid_from = written + dt.timedelta(days=self.rng.choice((30, 45, 60)))
        return Item(
            organ=spec.slug, genre="rule", topic=subject.topic, title=name, state=state, written_on=written,
            body="\n".join([
                f"{place_of(spec)}人民政府令",
                f"第{order_no}号",
                f"《{name}》已经{cn_date(written)}{place_of(spec)}人民政府第{self.meeting_no(spec, year)}次常务会议通过，"
                f"现予公布，自{cn_date(valid_from)}起施行。",
                self.rule_body(spec, subject, name, written, valid_from, None, cover=False),
            ]),
            summary=f"{place_of(spec)}人民政府令第{order_no}号公布，自{cn_date(valid_from)}起施行。",
            keywords=f"{subject.area}、规章", catalog=("policy_rules", subject.catalog), valid_from=valid_from,
        )

    def news(self, spec: OrganSpec, state: str, *, year=None, written=None) -> Item:
        subject = self.subject(spec, year=year)
        year = year or self.year(subject)
        written = written or self.past_date(year)
        title = self.rng.choice(v.NEWS_TEMPLATES).format(short=short_of(spec), area=subject.area, year=year, place=place_of(spec))
        first = f"{written.month}月{written.day}日，{title}。"
        who = "会议" if "会" in title else "活动"
        body = "\n".join([
            first,
            f"{who}指出，" + "".join(self.sentences(subject, spec, 2)),
            f"{who}要求，" + "".join(self.rng.sample(v.GENERIC_SENTENCES, 2)),
            f"{spec.name}有关负责同志，各有关单位分管负责同志和业务骨干参加。",
        ])
        return Item(organ=spec.slug, genre="news", topic=subject.topic, title=title, state=state, written_on=written,
                    body=body, summary=first, keywords=subject.area)

    def notice(self, spec: OrganSpec, state: str, *, year=None, written=None) -> Item:
        subject = self.subject(spec, year=year)
        year = year or self.year(subject)
        written = written or self.past_date(year)
        title = self.rng.choice(v.NOTICE_TEMPLATES).format(organ=spec.name, area=subject.area, year=year)
        points = [f"{cn_number(n)}、{s}" for n, s in enumerate(self.sentences(subject, spec, 3), start=1)]
        body = "\n".join([f"根据有关规定，现将{year}年{subject.area}有关事项公告如下：", *points,
                          f"联系电话：{spec.phone}" if spec.phone else "", "特此公告。", spec.name, cn_date(written)])
        return Item(organ=spec.slug, genre="notice", topic=subject.topic, title=title, state=state, written_on=written,
                    body=body, summary=f"{year}年{subject.area}有关事项。", keywords=subject.area,
                    catalog=(subject.catalog,))

    def plan_doc(self, spec: OrganSpec, state: str, *, year=None, written=None) -> Item:
        subject = self.subject(spec, year=year)
        year = year or self.year(subject)
        written = written or self.past_date(year)
        place = place_of(spec)
        if self.rng.random() < 0.5:
            name, entry = f"{place}{subject.area}三年行动计划（{year}—{year + 2}年）", "plan_special"
        else:
            name, entry = f"{place}{year}年{subject.area}工作计划", "plan_annual"
        if spec.kind == "government" and year == 2021 and self.rng.random() < 0.5:
            name, entry = f"{place}国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "plan_development"
        lines = [addressees_of(spec), f"现将《{name}》印发给你们，请结合实际认真组织实施。", spec.name, cn_date(written), name,
                 *self.sections(subject, spec, v.SECTION_HEADINGS["plan"])]
        return Item(
            organ=spec.slug, genre="plan", topic=subject.topic, title=f"{spec.name}关于印发{name}的通知", state=state,
            written_on=written, body="\n".join(lines), summary=f"印发《{name}》。",
            doc_no=self.doc_no(spec, "发", written.year), keywords=f"{subject.area}、规划", catalog=("planning", entry),
        )

    def statistics(self, spec: OrganSpec, state: str, *, year=None, written=None) -> Item:
        stat, period = self.rng.choice(v.STATISTICS.get(spec.profile, v.DEFAULT_STATISTICS))
        year = year or self.year(last=self.today.year - (1 if period == "yearly" else 0))
        place = place_of(spec)
        last_month = (self.today.replace(day=1) - dt.timedelta(days=1))  # the last month that has ended
        if period != "yearly" and year == self.today.year and (last_month.year < year or last_month.month < 3):
            year -= 1
        months = 12 if year < self.today.year else last_month.month
        if period == "yearly":
            title, label = f"{place}{year}年{stat}", f"{year}年"
            written = written or dt.date(year + 1, self.rng.randint(2, 4), self.rng.randint(1, 28))
        elif period == "quarterly":
            q = self.rng.randint(1, max(1, months // 3))
            label = f"{year}年第{cn_number(q)}季度"
            title = f"{label}{place}{stat}"
            written = written or dt.date(year, q * 3, 28) + dt.timedelta(days=self.rng.randint(10, 25))
        else:
            m = self.rng.randint(1, months)
            label = f"{year}年{m}月份"
            title = f"{label}{place}{stat}"
            written = written or dt.date(year, m, 28) + dt.timedelta(days=self.rng.randint(8, 20))
        written = min(written, self.today - dt.timedelta(days=3))
        r = self.rng
        body = "\n".join([
            "一、总体情况",
            f"{label}，{place}{stat.removesuffix('情况').removesuffix('状况')}总体平稳，主要指标保持在合理区间。",
            "二、主要指标",
            f"1.指标一：{r.randint(120, 9800) / 10:.1f}亿元，同比增长{r.randint(-30, 95) / 10:.1f}%。",
            f"2.指标二：{r.randint(1000, 99000)}件（项），按时办结率{r.randint(960, 1000) / 10:.1f}%。",
            f"3.指标三：{r.randint(300, 999) / 10:.1f}%，比上年同期提高{r.randint(1, 40) / 10:.1f}个百分点。",
            "三、说明",
            "本数据为初步统计数，最终以年度统计公报为准。",
        ])
        return Item(organ=spec.slug, genre="statistics", topic="jingji" if spec.profile in ("gov", "county", "fgw") else "zonghe",
                    title=title, state=state, written_on=written, body=body, summary=f"{label}{place}{stat}。",
                    keywords=f"统计信息、{stat}", catalog=("statistics",))

    def finance(self, spec: OrganSpec, state: str, *, year=None, written=None) -> Item:
        year = year or self.year(last=self.today.year - 1)
        r = self.rng
        kind = r.choice(("budget", "budget", "final_accounts", "three_public") + (("debt",) if spec.kind == "government" else ()))
        if kind == "budget":
            title, entry = f"{spec.name}{year}年部门预算", "budget"
            written = written or dt.date(year, r.randint(1, 2), r.randint(5, 25))
        elif kind == "final_accounts":
            title, entry = f"{spec.name}{year}年部门决算", "final_accounts"
            written = written or dt.date(year + 1, r.randint(7, 8), r.randint(1, 25))
        elif kind == "three_public":
            title, entry = f"{spec.name}{year}年“三公”经费预算情况说明", "three_public"
            written = written or dt.date(year, r.randint(1, 2), r.randint(5, 25))
        else:
            title, entry = f"{place_of(spec)}{year}年政府债务限额及余额情况", "debt"
            written = written or dt.date(year + 1, r.randint(3, 6), r.randint(1, 25))
        written = min(written, self.today - dt.timedelta(days=3))
        income = r.randint(800, 98000)
        body = "\n".join([
            "一、部门（单位）基本情况",
            f"{spec.name}主要职责和机构设置情况详见机构职能栏目。",
            "二、收支总体情况",
            f"{year}年收入总计{income}万元，支出总计{income}万元，收支平衡。其中一般公共预算拨款{income * r.randint(80, 98) // 100}万元。",
            "三、“三公”经费情况",
            f"因公出国（境）费0万元；公务用车购置及运行费{r.randint(5, 90) / 10:.1f}万元；公务接待费{r.randint(1, 40) / 10:.1f}万元，"
            "比上年减少，主要是严格落实过紧日子要求，压减一般性支出。",
            "四、其他重要事项的情况说明",
            "机关运行经费、政府采购、国有资产占有使用及预算绩效管理等情况详见附表。",
            "五、名词解释",
            "“三公”经费：指用一般公共预算拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
        ])
        return Item(organ=spec.slug, genre="finance", topic="caizheng", title=title, state=state, written_on=written,
                    body=body, summary=f"公开{title}。", keywords="财政信息、预决算公开", catalog=("finance", entry))

    def personnel(self, spec: OrganSpec, state: str, *, year=None, written=None) -> Item:
        year = year or self.year()
        written = written or self.past_date(year)
        title = self.rng.choice((
            f"{spec.name}{year}年公开招聘事业单位工作人员公告",
            f"{spec.name}{year}年度考试录用公务员拟录用人员名单公示",
            f"{spec.name}关于{year}年公开遴选公务员的公告",
        ))
        body = "\n".join([
            "根据《中华人民共和国公务员法》《事业单位人事管理条例》等有关规定，按照公开、平等、竞争、择优的原则，现将有关事项公告如下：",
            f"一、招录（聘）岗位及人数：{self.rng.randint(2, 12)}名，具体岗位条件详见附件。",
            f"二、报名时间：{written.year}年{written.month}月{written.day}日起7个工作日内。",
            "三、对公示内容如有异议，请在公示期内以书面形式实名反映。",
            f"咨询电话：{spec.phone}",
            spec.name,
            cn_date(written),
        ])
        return Item(organ=spec.slug, genre="personnel", topic="laodong", title=title, state=state, written_on=written,
                    body=body, summary=title + "。", keywords="人事信息、招录", catalog=("personnel",))

    def minutes(self, spec: OrganSpec, state: str, *, year=None, written=None) -> Item:
        year = year or self.year()
        written = written or self.past_date(year)
        subject = self.subject(spec, year=year)
        n = self.meeting_no(spec, year)
        head = {"市": "市长", "区": "区长", "县": "县长", "镇": "镇长"}.get(place_of(spec)[-1], "主要负责同志")
        title = f"{place_of(spec)}人民政府第{n}次常务会议"
        body = "\n".join([
            f"{cn_date(written)}，{head}主持召开{place_of(spec)}人民政府第{n}次常务会议，研究{subject.area}等工作。",
            "会议强调，" + "".join(self.sentences(subject, spec, 2)),
            "会议还研究了其他事项。",
        ])
        return Item(organ=spec.slug, genre="minutes", topic="zonghe", title=title, state=state, written_on=written,
                    body=body, summary=f"研究{subject.area}等工作。", keywords=f"常务会议、{subject.area}", catalog=("meetings",))

    def gazette(self, spec: OrganSpec, state: str) -> Item:
        year = self.year(last=self.today.year)
        n = self.rng.randint(1, 12)
        written = min(dt.date(year, n, 5), self.today - dt.timedelta(days=3))
        contents = [f"{spec.name}关于{self.subject(spec).area}工作的通知" for _ in range(3)]
        return Item(organ=spec.slug, genre="gazette", topic="zonghe", title=f"{place_of(spec)}人民政府公报{year}年第{n}期",
                    state=state, written_on=written, body="\n".join(["本期要目", *contents]),
                    summary=f"{year}年第{n}期。", keywords="政府公报", catalog=("policy_other",))

    GENERATORS = {
        "policy": policy, "normative": normative, "news": news, "notice": notice, "plan": plan_doc,
        "statistics": statistics, "finance": finance, "personnel": personnel,
    }

    # --- units -------------------------------------------------------------------

    def finish(self, item: Item, *, publish_after: dt.datetime | None = None) -> Item:
        """Fill in the dates and review details of ``item``'s state."""
        r = self.rng
        item.opinion = r.choice(v.CONFIDENTIALITY_OPINIONS)
        if item.state in (PUBLISHED, WITHDRAWN):
            item.published_at = self.publish_time(item.written_on, after=publish_after)
        if item.state == WITHDRAWN:
            item.withdrawn_at = min(item.published_at + dt.timedelta(days=r.randint(1, 40), hours=r.randint(0, 6)),
                                    self.now - dt.timedelta(minutes=30))
            item.withdrawal_reason = r.choice(v.WITHDRAWAL_REASONS)
        if item.state == RETURNED:
            item.review_comment = r.choice(v.RETURN_COMMENTS)
        if item.state == SCHEDULED:
            day = self.today + dt.timedelta(days=r.randint(2, 14))
            item.published_at = dt.datetime.combine(day, dt.time(9, 0), TZ)
        return item

    def single(self, state: str) -> None:
        r = self.rng
        if state in (ON_REQUEST, WITHHELD):
            self.filed(state)
            return
        if state == PUBLISHED:
            genre = r.choices(
                ["policy", "normative", "news", "notice", "plan", "statistics", "finance", "personnel", "minutes", "rule", "gazette"],
                weights=[14, 8, 16, 9, 4, 8, 7, 4, 2, 2, 1],
            )[0]
        elif state == WITHDRAWN:
            genre = r.choice(["news", "notice", "policy", "personnel"])
        else:  # still in the workflow: written in the last weeks
            genre = r.choices(["policy", "normative", "news", "notice", "plan"], weights=[4, 3, 4, 3, 1])[0]
        if genre in ("rule", "gazette"):
            spec = self.organ(where=lambda s: s.kind == "government" and s.parent is None and s.region in ("bd", "ga", "bj"))
        elif genre == "minutes":
            spec = self.organ(where=lambda s: s.kind == "government")
        else:
            spec = self.organ()
        recent = state not in (PUBLISHED, WITHDRAWN)
        kwargs = {"year": self.today.year, "written": self.recent_date()} if recent else {}
        for _attempt in range(8):
            if genre == "rule":
                item = self.rule(spec, state)
            elif genre == "gazette":
                item = self.gazette(spec, state)
            elif genre == "minutes":
                item = self.minutes(spec, state)
            elif genre == "policy" and (partners := self.partners(spec)) and r.random() < 0.12:
                item = self.policy(spec, state, joint=r.choice(partners), **kwargs)
            else:
                item = self.GENERATORS[genre](self, spec, state, **kwargs)
            if item.key not in self.keys:
                break
        else:
            return
        if genre == "normative" and state == PUBLISHED and item.valid_until and item.valid_until < self.today and r.random() < 0.4:
            item.expire_note = "有效期届满，经评估不再延续执行。"
        if genre in ("policy", "normative") and (state == DRAFT or r.random() < 0.15):
            item.attachments.append(self.task_table(spec, item))
        self.add(self.finish(item))

    def partners(self, spec: OrganSpec) -> list[OrganSpec]:
        """Departments that may issue a joint document with ``spec``."""
        if spec.kind != "department" or spec.profile == "office":
            return []
        return [s for s in self.writers if s.region == spec.region and s.kind == "department"
                and s.profile not in ("office", spec.profile)]

    def task_table(self, spec: OrganSpec, item: Item) -> Attach:
        rows = ["序号\t工作任务\t牵头单位\t完成时限"]
        for n in range(1, 4):
            task = self.rng.choice(v.GENERIC_SENTENCES).rstrip("。")
            rows.append(f"{n}\t{task}\t{spec.short_name}\t{item.written_on.year}年{self.rng.randint(6, 12)}月底前")
        return Attach("附件：重点工作任务分工表.txt", "\n".join(rows) + "\n")

    def filed(self, state: str) -> None:
        r = self.rng
        spec = self.organ()
        if state == ON_REQUEST:
            template, reason = r.choice(v.ON_REQUEST_CASES)
            ground = ""
            genre = "policy" if "通知" in template or "复函" in template else "other"
        else:
            cases = [c for c in v.WITHHELD_CASES if c[1] != "enforcement" or spec.profile in v.ENFORCERS]
            template, ground, reason = r.choice(cases)
            genre = "minutes" if "纪要" in template else ("policy" if ground == "third_party" else "other")
        subject = self.subject(spec) if ground != "enforcement" else r.choice(v.PROFILES[spec.profile])
        year = self.year(subject)
        written = self.past_date(year)
        title = template.format(organ=spec.name, area=subject.area, year=year, n=self.meeting_no(spec, year))
        upward = "请示" in template or "报告" in template
        superior = BY_SLUG[spec.parent].name if spec.parent else "上级主管部门"
        lines = [
            f"{superior}：" if upward else addressees_of(spec),
            f"关于{subject.area}有关事项，现将有关情况{'报告' if upward else '说明'}如下：",
            *self.sections(subject, spec, ["基本情况", "存在的问题", "下一步工作"]),
        ]
        if "请示" in template:
            lines.append("妥否，请批示。")
        lines += [spec.name, cn_date(written)]
        item = Item(
            organ=spec.slug, genre=genre, topic=subject.topic, title=title, state=state, written_on=written,
            body="\n".join(lines), summary=f"{subject.area}有关事项。", keywords=subject.area,
            doc_no=self.doc_no(spec, "函" if "函" in template else "发", written.year) if "函" in template or "通知" in template else "",
            attribute=state, withholding_ground=ground, attribute_reason=reason,
        )
        item.opinion = v.FILED_OPINIONS[state]
        self.add(item)

    def interpreted(self) -> None:
        """A policy document and its interpretation (政策解读), published together."""
        self.interp_units += 1
        spec = self.organ(where=lambda s: s.kind in ("government", "department"))
        maker = self.normative if self.rng.random() < 0.6 else self.policy
        doc = maker(spec, PUBLISHED)
        if doc.key in self.keys:
            return
        self.add(self.finish(doc))
        inner = doc.title[doc.title.find("《") + 1: doc.title.rfind("》")] if "《" in doc.title else doc.title
        title = self.rng.choice((f"《{inner}》政策解读", f"一图读懂《{inner}》", f"关于《{inner}》的解读"))
        state = SUBMITTED if self.interp_units % 4 == 0 else PUBLISHED
        area = doc.keywords.split("、")[0]
        articles = doc.body.count("条　")
        content = {
            "起草背景": f"为进一步做好{area}工作，{spec.name}在深入调研、广泛征求意见的基础上，起草了《{inner}》。"
                        + self.rng.choice(v.GENERIC_SENTENCES),
            "主要依据": "《中华人民共和国政府信息公开条例》以及国家和省、市有关规定。",
            "主要内容": (f"文件共{cn_number(articles)}条，" if articles else "文件") + "主要明确了以下内容："
                        + "".join(self.sentences(BY_AREA.get(area) or self.subject(spec), spec, 2)),
            "适用范围": f"适用于{place_of(spec)}行政区域内的{area}工作。",
            "施行时间": (f"自{cn_date(doc.valid_from)}起施行" + (f"，有效期至{cn_date(doc.valid_until)}。" if doc.valid_until else "。"))
                        if doc.valid_from else "自印发之日起施行。",
        }
        lines = []
        for n, heading in enumerate(v.SECTION_HEADINGS["interpretation"], start=1):
            lines += [f"{cn_number(n)}、{heading}", content[heading]]
        interp = Item(
            organ=spec.slug, genre="interpretation", topic=doc.topic, title=title, state=state,
            written_on=doc.written_on, body="\n".join(lines), keywords=doc.keywords,
            summary=f"从起草背景、主要依据、主要内容等方面解读《{inner}》。", catalog=("interpretation",),
            interprets=doc.key,
        )
        self.add(self.finish(interp, publish_after=doc.published_at))

    def revision(self) -> None:
        """An old normative document and the one that revised or repealed it."""
        self.revision_units += 1
        spec = self.organ(where=lambda s: s.kind in ("government", "department"))
        subject = self.subject(spec, with_rules=True)
        rule = self.rng.choice(subject.rules)
        old_year = self.year(last=self.today.year - 3)
        old = self.normative(spec, PUBLISHED, year=old_year, rule=rule, subject=subject, validity_years=5)
        if old.key in self.keys:
            return
        new_year = min(old_year + self.rng.randint(2, 3), self.today.year)
        new_written = self.past_date(new_year)
        rule_title = f"{place_of(spec)}{rule}"
        if self.revision_units % 2:
            validity, note = "revised", "已被修订后的文件替代。"
            new = self.normative(spec, PUBLISHED, year=new_year, written=new_written, rule=rule, subject=subject,
                                 validity_years=5, title=f"{spec.name}关于印发修订后的《{rule_title}》的通知")
            new.summary = f"修订《{rule_title}》，原文件同时废止。"
        else:
            validity, note = "repealed", "已由废止决定宣布废止。"
            new = self.normative(spec, PUBLISHED, year=new_year, written=new_written, rule=rule, subject=subject,
                                 validity_years=0, title=f"{spec.name}关于废止《{rule_title}》的决定")
            new.summary = f"决定废止《{rule_title}》（{old.doc_no}）。"
            new.body = "\n".join([
                addressees_of(spec),
                f"经清理，{spec.name}决定废止《{rule_title}》（{old.doc_no}），自本决定印发之日起不再执行。",
                "各有关单位要做好政策衔接，确保工作平稳有序。",
                spec.name, cn_date(new_written),
            ])
        if new.key in self.keys:
            return
        old.superseded = (validity, new.key, note)
        self.add(self.finish(old))
        self.add(self.finish(new, publish_after=old.published_at))

    def annual_report(self) -> None:
        spec = self.organ(where=lambda s: s.weight >= 2)
        year = self.year(last=self.today.year - 1)
        title = f"{spec.name}{year}年政府信息公开工作年度报告"
        if (spec.slug, title) in self.keys:
            return
        written = dt.date(year + 1, 1, self.rng.randint(8, 20))
        headings = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                    "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
        lines = [f"本报告依据《中华人民共和国政府信息公开条例》第五十条编制，所列数据统计期限为{year}年1月1日至12月31日。"]
        for n, heading in enumerate(headings, start=1):
            lines.append(f"{cn_number(n)}、{heading}")
            lines.append("".join(self.rng.sample(v.GENERIC_SENTENCES, 2)))
        item = Item(organ=spec.slug, genre="annual_report", topic="zonghe", title=title, state=PUBLISHED,
                    written_on=written, body="\n".join(lines), keywords="政府信息公开、年度报告",
                    summary=f"报告{year}年主动公开、依申请公开、行政复议和行政诉讼等情况。", catalog=("annual_reports",))
        self.finish(item)
        item.published_at = self.at(dt.date(year + 1, 1, self.rng.randint(max(21, written.day + 1), 31)))
        self.add(item)

    def partial_disclosure(self) -> None:
        """A public notice whose second attachment (with personal data) is withheld (部分公开)."""
        spec = self.organ(where=lambda s: s.profile in ("mzj", "town"))
        year = self.year(last=self.today.year)
        written = self.past_date(year)
        title = f"{spec.name}关于{year}年城乡最低生活保障对象的公示"
        body = "\n".join([
            f"根据《社会救助暂行办法》和城乡最低生活保障有关规定，经入户调查、民主评议和审核审批，现将{year}年新增城乡最低生活保障对象予以公示。",
            "公示期为7天。对公示对象有异议的，可在公示期内向本机关实名反映。",
            f"监督电话：{spec.phone}",
            spec.name, cn_date(written),
        ])
        item = Item(organ=spec.slug, genre="notice", topic="minzheng", title=title, state=PUBLISHED, written_on=written,
                    body=body, summary=f"公示{year}年新增城乡最低生活保障对象。", keywords="城乡最低生活保障、公示",
                    catalog=("social_assistance",))
        names = [f"{v.SURNAMES[i * 5 % len(v.SURNAMES)]}某某" for i in range(1, 6)]
        item.attachments = [
            Attach("附件1：城乡最低生活保障对象公示名单.txt",
                   "序号\t户主姓名\t保障人数\t村（社区）\n" + "".join(f"{i}\t{n}\t{1 + i % 3}\t第{i}村\n" for i, n in enumerate(names, 1))),
            Attach("附件2：城乡最低生活保障对象花名册（含身份证号码）.txt",
                   "序号\t户主姓名\t身份证号码\t家庭住址\t联系电话\n" + "".join(f"{i}\t{n}\t（略）\t（略）\t（略）\n" for i, n in enumerate(names, 1)),
                   withheld_reason="含身份证号码、家庭住址、联系电话等个人信息，公开会损害第三方合法权益，依据《政府信息公开条例》第十五条不予公开。"),
        ]
        self.add(self.finish(item))


def plan(records: int, *, seed: int = DEFAULT_SEED, now: dt.datetime) -> list[Item]:
    """About ``records`` items (a pair may take it one over), deterministic for ``seed`` and ``now``'s date."""
    planner = Planner(seed, now)
    unit = singles = 0
    while len(planner.items) < records:
        if unit == 2:
            planner.partial_disclosure()
        elif unit % 6 == 1:
            planner.interpreted()
        elif unit % 9 == 4:
            planner.revision()
        elif unit % 13 == 7:
            planner.annual_report()
        else:
            planner.single(STATE_CYCLE[singles % len(STATE_CYCLE)])
            singles += 1
        unit += 1
    return planner.items
