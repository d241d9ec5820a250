"""The demo applications (依申请公开): applicants, what they ask for, and what happens (pure, no Django).

:func:`plan` returns :class:`AppSpec` rows, deterministic for a seed. Each
says who applies (a 自然人 with a checksummed 身份证号码, or one of the five
kinds of 法人或其他组织 with a checksummed 统一社会信用代码), to which organ,
by which channel and when, and the steps that follow, each dated in working
days after the date of receipt; :mod:`.apps_loader` walks the steps
through the applications services.

Closed cases are spread over 2025 and 2026 and between them cover every row of
block 三 of table 三; open cases are recent (just received, awaiting correction,
consultation or payment, extended, overdue) so the handler's queue and the
extension approvals have something in them today.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from gongkai.applications.identity import credit_code_check_char, resident_id_check_char

from .organs import _org_check
from .vocabulary import GIVEN_NAMES, SURNAMES

DEFAULT_APPLICATIONS = 80

#: Organs that receive applications, with their weight (the 市政府办公室 gets most).
ORGANS = (("bd_office", 40), ("bd_gov", 15), ("bd_zjj", 10), ("bd_sthj", 8), ("bd_scj", 7))

# Where applicants live: 行政区划代码 (for 身份证号码) and the address prefix.
_PLACES = [
    ("130602", "河北省保定市竞秀区", ["朝阳北大街", "东风西路", "七一西路", "复兴中路"]),
    ("130606", "河北省保定市莲池区", ["裕华东路", "五四中路", "天威中路", "东关大街"]),
    ("130608", "河北省保定市清苑区", ["清苑镇府前街", "冉庄镇冉庄村"]),
    ("130681", "河北省涿州市", ["范阳东路", "冠云东路"]),
    ("130624", "河北省阜平县", ["阜平镇大道南街", "龙泉关镇骆驼湾村"]),
    ("110105", "北京市朝阳区", ["朝阳门外大街", "望京西路"]),
    ("120101", "天津市和平区", ["南京路", "西康路"]),
]
_COMMUNITIES = ["惠友花园", "锦绣家园", "阳光小区", "世纪佳园", "铁路宿舍", "电力小区", "建华里", "东湖家园"]
_PHONE_PREFIXES = ("130", "133", "135", "138", "139", "150", "151", "155", "158", "180", "183", "186", "188", "199")

#: (kind, 统一社会信用代码 登记管理部门+类别, names) — GB 32100: 9 工商 1 企业; 1 机构编制 2 事业单位;
#: 5 民政 1 社会团体 / 2 民办非企业单位; 3 司法行政 1 律师执业机构; N 农业 2 农村集体经济组织.
_ORGANISATIONS = {
    "business": ("91", ["保定市恒信商贸有限公司", "河北长城建筑工程有限公司", "保定市瑞丰房地产开发有限公司",
                        "保定京华物流有限公司", "涿州市兴达食品有限公司", "保定市绿源再生资源回收有限公司"]),
    "research": ("12", ["保定市农业科学研究院", "河北省环境科学研究院保定分院", "保定市城乡规划设计研究院"]),
    "public_interest": ("52", ["保定市绿色家园环保志愿服务中心", "保定市阳光助残公益服务中心", "保定市消费者协会"]),
    "legal_service": ("31", ["河北冀华律师事务所", "北京盈科（保定）律师事务所", "河北保衡律师事务所"]),
    "other": ("N2", ["清苑区冉庄村股份经济合作社", "竞秀区惠友花园业主委员会", "莲池区东关街道建华里社区居民委员会"]),
}

# What applicants ask for, by organ: (所需信息名称, 内容描述, 文号 or "").
_REQUESTS = {
    "bd_office": [
        ("保定市人民政府2024年第12次常务会议纪要", "请提供市政府2024年第12次常务会议纪要中关于老旧小区改造议题的部分。", ""),
        ("保定市城市更新行动实施方案", "市政府办公室印发的城市更新行动实施方案全文及附件。", ""),
        ("关于七一西路道路拓宽工程征收补偿方案的批复", "请提供该项目房屋征收补偿方案的批复文件。", ""),
        ("保定市2025年为民办实事项目清单", "2025年市政府确定的为民办实事项目清单及责任单位。", ""),
        ("市政府办公室2024年度部门决算", "市政府办公室2024年度部门决算及三公经费支出情况。", ""),
        ("关于竞秀区某地块土地征收的请示及批复", "请提供竞秀区韩村北路东侧地块土地征收的请示和市政府批复。", ""),
        ("保定市政务服务事项清单（2025年版）", "市级政务服务事项清单，含办理时限和收费标准。", ""),
        ("关于印发保定市重污染天气应急预案的通知", "重污染天气应急预案（修订版）全文。", "保政办函〔2024〕31号"),
        ("保定市2025年重大行政决策事项目录", "市政府2025年度重大行政决策事项目录及承办单位。", ""),
        ("关于东湖片区控制性详细规划调整的会议记录", "市政府专题会议讨论东湖片区控规调整的会议记录及领导批示。", ""),
        ("保定市人民政府关于市区供暖价格调整的批复", "2025年市区居民供暖价格调整的批复文件。", ""),
        ("市长热线2025年第一季度办理情况统计", "12345市长热线一季度受理和办结数据。", ""),
    ],
    "bd_gov": [
        ("保定市国土空间总体规划（2021—2035年）批复文件", "省政府对保定市国土空间总体规划的批复及市政府公布文件。", ""),
        ("关于建立保定市城乡居民医疗保险市级统筹制度的通知", "通知全文及实施细则。", ""),
        ("保定市人民政府2025年度政府信息公开工作年度报告数据来源", "年度报告中依申请公开数据的统计口径说明。", ""),
        ("保定市2025年国有建设用地供应计划", "年度供地计划及各县（市、区）分解指标。", ""),
        ("关于清苑区某村集体土地征收的公告", "清苑区冉庄镇集体土地征收公告及安置补偿标准。", ""),
        ("保定市人民政府行政复议决定书（2024年第36号）", "本人作为申请人的行政复议决定书副本。", ""),
    ],
    "bd_zjj": [
        ("惠友花园二期商品房预售许可证及附件", "预售许可证、预售方案及监管账户信息。", ""),
        ("锦绣家园老旧小区改造项目资金使用明细", "2025年改造项目中央和省级补助资金使用明细。", ""),
        ("保定市2025年保障性租赁住房筹集计划", "年度筹集计划及项目清单。", ""),
        ("世纪佳园项目竣工验收备案材料", "竣工验收备案表及消防验收意见。", ""),
        ("对某建筑企业的行政处罚决定书", "对河北某建筑公司违规施工的行政处罚决定书。", ""),
    ],
    "bd_sthj": [
        ("保定市某热电厂环境影响评价报告书及批复", "热电厂扩建项目环评报告书全本及审批意见。", ""),
        ("2025年保定市区空气质量自动监测小时数据", "市区各国控站点2025年1至6月小时数据。", ""),
        ("某化工企业排污许可证及执行报告", "排污许可证副本及2024年度执行报告。", ""),
        ("府河水质断面监测数据", "府河焦庄断面2024年以来月度监测数据。", ""),
        ("关于某企业夜间施工噪声投诉的处理情况", "本人投诉的夜间施工噪声问题处理结果。", ""),
    ],
    "bd_scj": [
        ("对某食品企业的行政处罚决定书", "2025年对某食品企业生产不合格食品的行政处罚决定书。", ""),
        ("保定市2025年食品安全监督抽检计划", "年度抽检计划及抽检结果公示。", ""),
        ("某公司企业登记档案", "保定市某公司设立登记时提交的股东会决议和章程。", ""),
        ("电梯安全监督检查情况通报", "2025年市区住宅电梯专项检查情况通报。", ""),
    ],
}

# Outcome row → (reply type or "", reasons, provided).
_DETERMINATIONS = {
    "r3_1": ("", "", "已通过电子邮件以外的方式向您提供所申请政府信息的复制件，共计6页。"),
    "r3_1_public": ("already_public", "", "该信息已在保定市人民政府门户网站“政府信息公开”专栏主动公开，可登录查阅。"),
    "r3_2": ("", "所申请信息中涉及第三方自然人姓名、身份证号码等个人信息，公开后会对其合法权益造成损害，已作区分处理。",
             "提供删除个人信息后的文件复制件。"),
    "r3_3_1": ("", "经保密审查，所申请信息已依法确定为国家秘密。", ""),
    "r3_3_2": ("", "所申请信息属于《中华人民共和国统计法》规定不得对外提供的统计调查对象的原始资料。", ""),
    "r3_3_3": ("", "所申请信息公开后可能危及公共安全和社会稳定。", ""),
    "r3_3_4": ("", "所申请信息涉及第三方商业秘密，经征求意见第三方不同意公开，不公开不会对公共利益造成重大影响。", ""),
    "r3_3_5": ("", "所申请信息属于人事管理、后勤管理、内部工作流程等内部事务信息。", ""),
    "r3_3_6": ("", "所申请信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、请示报告等过程性信息。", ""),
    "r3_3_7": ("", "所申请信息属于行政执法案卷信息。", ""),
    "r3_3_8": ("", "所申请信息属于企业登记档案，应当依照《市场主体登记管理条例》规定的程序办理查询。", ""),
    "r3_4_1": ("", "经检索，本机关未制作或获取该政府信息。", ""),
    "r3_4_1_transfer": ("not_ours", "", ""),
    "r3_4_2": ("", "所申请信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。", ""),
    "r3_4_3": ("", "经补正，所申请信息的内容描述仍不明确，本机关无法确定所需信息。", ""),
    "r3_5_1": ("", "您的申请实为投诉举报，已告知您通过12345政务服务便民热线或信访渠道反映。", ""),
    "r3_5_2": ("", "您已就相同政府信息向本机关提出申请，本机关已作出答复，您重复申请的，本机关不予重复处理。", ""),
    "r3_5_3": ("", "您要求提供的是公开出版物，可通过公开发行渠道获取。", ""),
    "r3_5_4": ("", "您一年内提出大量内容相同或相近的申请，且未说明理由，理由不合理。", ""),
    "r3_5_5": ("", "您要求本机关确认或重新出具您已获取的信息，不属于政府信息公开申请。", ""),
    "r3_6_3": ("", "您已于答复前书面撤回申请。", ""),
}
TRANSFER = {"bd_office": ("保定市住房和城乡建设局", "0312-5023456"), "bd_gov": ("保定市自然资源和规划局", "0312-5087123"),
            "bd_zjj": ("保定市自然资源和规划局", "0312-5087123"), "bd_sthj": ("保定市城市管理综合行政执法局", "0312-3086123"),
            "bd_scj": ("保定市卫生健康委员会", "0312-5089100")}

# Every determinable row at least once, then the common ones again.
_CLOSED_ROWS = [
    "r3_1", "r3_1_public", "r3_2", "r3_3_1", "r3_3_2", "r3_3_3", "r3_3_5", "r3_3_6", "r3_3_7", "r3_3_8",
    "r3_4_1", "r3_4_1_transfer", "r3_4_2", "r3_5_1", "r3_5_2", "r3_5_3", "r3_5_4", "r3_5_5", "r3_6_3",
]
_COMMON_ROWS = ["r3_1", "r3_1", "r3_1_public", "r3_1", "r3_2", "r3_4_1", "r3_1_public", "r3_4_1_transfer", "r3_3_6",
                "r3_1", "r3_5_1", "r3_2"]

CHANNELS = ("online", "post_signed", "post_ordinary", "in_person", "fax")


@dataclass(frozen=True)
class Applicant:
    kind: str                # ApplicantKind value
    name: str
    id_type: str             # resident_id / credit_code
    id_number: str
    phone: str
    address: str
    postcode: str
    contact_person: str = ""
    legal_representative: str = ""


@dataclass(frozen=True)
class Step:
    """One action, ``at`` working days after the date of receipt (``None``: today)."""

    action: str
    at: int | None
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AppSpec:
    organ: str
    applicant: Applicant
    channel: str
    title: str
    description: str
    doc_no: str
    delivery: str
    receive_via: str
    steps: tuple[Step, ...]
    arrived_on: dt.date | None = None   # closed cases: a fixed date
    ago: int | None = None              # open cases: received this many working days before today
    scenario: str = ""


def resident_id(rng: random.Random, division: str) -> str:
    born = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(0, 45 * 365))
    first17 = f"{division}{born:%Y%m%d}{rng.randrange(10, 999):03d}"
    return first17 + resident_id_check_char(first17)


def credit_code(rng: random.Random, prefix: str, division: str) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    first17 = f"{prefix}{division}{body}{_org_check(body)}"
    return first17 + credit_code_check_char(first17)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES[:60]) + rng.choice(GIVEN_NAMES)


def applicant(rng: random.Random, kind: str) -> Applicant:
    phone = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"
    if kind == "natural_person":
        division, place, streets = rng.choice(_PLACES)
        postcode = {"110105": "100020", "120101": "300041"}.get(division, "071051")
        address = (f"{place}{rng.choice(streets)}{rng.choice(_COMMUNITIES)}{rng.randrange(1, 30)}号楼"
                   f"{rng.randrange(1, 6)}单元{rng.randrange(101, 1802)}室")
        return Applicant(kind, _person(rng), "resident_id", resident_id(rng, division), phone, address, postcode)
    prefix, names = _ORGANISATIONS[kind]
    name = rng.choice(names)
    # The same organisation always has the same code and address (a generator of its own).
    own = random.Random(name)  # noqa: S311 - demo data, not secrets
    division, place, streets = own.choice(_PLACES[:5])
    code = credit_code(own, prefix, division)
    address = f"{place}{own.choice(streets)}{own.randrange(1, 999)}号"
    landline = f"0312-{own.randrange(2000000, 9999999)}"
    return Applicant(kind, name, "credit_code", code, landline, address, "071051",
                     contact_person=_person(rng), legal_representative=_person(own))


def _kind(rng: random.Random, n: int) -> str:
    # The first six cover every column of table 三; then mostly 自然人, as in practice.
    order = ["natural_person", "business", "research", "public_interest", "legal_service", "other"]
    if n < len(order):
        return order[n]
    return rng.choices(order, weights=(62, 16, 4, 5, 9, 4))[0]


def _organ(rng: random.Random) -> str:
    return rng.choices([o for o, _ in ORGANS], weights=[w for _, w in ORGANS])[0]


def _delivery(rng: random.Random, channel: str) -> tuple[str, str]:
    if channel == "online":
        return rng.choice([("online", "online"), ("paper", "post"), ("email", "email")])
    return rng.choice([("paper", "post"), ("paper", "pickup"), ("electronic_copy", "pickup")])


def _determine(row: str, organ: str, at: int) -> Step:
    reply_type, reasons, provided = _DETERMINATIONS[row]
    outcome = row.removesuffix("_public").removesuffix("_transfer")
    if reply_type == "not_ours":
        name, contact = TRANSFER[organ]
        return Step("transfer", at, {"organ_name": name, "contact": contact})
    return Step("determine", at, {"outcome": outcome, "reply_type": reply_type, "reasons": reasons, "provided": provided})


def _closed_steps(rng: random.Random, row: str, organ: str, n: int) -> tuple[tuple[Step, ...], str]:
    """The history of a case that ends in ``row`` (n varies the route to it)."""
    det_at = rng.randrange(6, 19)
    if row == "r3_4_3":
        return (Step("correction", 3, {"items": "请明确所需信息的具体名称、文号或形成时间。"}),
                Step("corrected", 8, {"text": "补正：所需信息为近年来关于本小区周边道路规划的文件。"}),
                _determine(row, organ, 8 + det_at)), "补正后仍不明确"
    if row == "r3_3_4" or (row == "r3_2" and n % 2):
        return (Step("consult", 4, {"party": "third_party", "party_name": "保定市瑞丰房地产开发有限公司",
                                    "content": "所申请信息涉及贵公司的经营信息，请于十五个工作日内书面答复是否同意公开。"}),
                Step("consulted", 12, {"answer": "不同意公开：涉及本公司商业秘密。" if row == "r3_3_4" else "同意公开除个人信息外的部分。"}),
                _determine(row, organ, 12 + rng.randrange(2, 8))), "征求第三方意见"
    if row == "r3_1" and n % 3 == 0:
        return (Step("fee", 5, {"standard": "per_page", "pages": rng.randrange(40, 160)}),
                Step("fee_paid", 9, {}),
                _determine(row, organ, 9 + rng.randrange(2, 8))), "收取信息处理费"
    if row == "r3_1" and n % 3 == 1:
        return (Step("correction", 2, {"items": "请补充所需信息的文号或形成时间。"}),
                Step("corrected", 6, {"text": "补正：所需信息为2024年印发的文件，文号不详。"}),
                _determine(row, organ, 6 + det_at)), "补正后答复"
    return (_determine(row, organ, det_at),), "答复"


def plan(count: int = DEFAULT_APPLICATIONS, *, seed: int, today: dt.date) -> list[AppSpec]:
    """``count`` applications (each (organ, applicant, title) once), the same for the same seed and day."""
    rng = random.Random(seed * 7 + 3)  # noqa: S311 - demo data, not secrets
    specs: list[AppSpec] = []
    titles_used: dict[str, int] = {}
    seen: set[tuple[str, str, str]] = set()
    start = dt.date(2025, 1, 6)
    last_closed = today - dt.timedelta(days=80)  # the longest history (about 50 working days) ends before today

    def request(organ: str) -> tuple[str, str, str]:
        options = _REQUESTS[organ]
        i = titles_used.get(organ, 0)
        titles_used[organ] = i + 1
        return options[i % len(options)] if i < len(options) else rng.choice(options)

    def add(*, steps, scenario, arrived_on=None, ago=None, organ=None, channel=None, kind=None) -> AppSpec:
        n = len(specs)
        organ = organ or (_organ(rng) if n >= 3 else "bd_office")
        channel = channel or CHANNELS[n % len(CHANNELS)]
        who = applicant(rng, kind or _kind(rng, n))
        title, description, doc_no = request(organ)
        while (organ, who.id_number, title) in seen:
            title, description, doc_no = rng.choice(_REQUESTS[organ])
            who = applicant(rng, who.kind) if (organ, who.id_number, title) in seen else who
        seen.add((organ, who.id_number, title))
        delivery, via = _delivery(rng, channel)
        if callable(steps):
            steps, scenario = steps(organ)
        if any(st.action == "fee" for st in steps):
            delivery, via = "paper", "post"  # 按量计收 is for paper copies
        spec = AppSpec(organ=organ, applicant=who, channel=channel, title=title, description=description,
                       doc_no=doc_no, delivery=delivery, receive_via=via, steps=tuple(steps),
                       arrived_on=arrived_on, ago=ago, scenario=scenario)
        specs.append(spec)
        return spec

    # The closed cases, spread over 2025-01 … 45 days ago; rows cycle so every row appears early.
    rows = _CLOSED_ROWS + ["r3_4_3", "r3_3_4", "r3_6_1", "r3_6_2"] + _COMMON_ROWS * 8
    n_closed = max(1, round(count * 0.72))
    span = (last_closed - start).days
    # Interleave the open cases so a small count still has some of each.
    open_cases = _open_cases()
    open_every = max(2, round(count / max(1, count - n_closed)))
    closed_i = open_i = 0
    while len(specs) < count:
        if (len(specs) + 1) % open_every == 0 and open_i < len(open_cases):
            steps, scenario, ago, channel = open_cases[open_i]
            open_i += 1
            add(steps=steps, scenario=scenario, ago=ago, channel=channel)
            continue
        row = rows[closed_i % len(rows)]
        closed_i += 1
        arrived = start + dt.timedelta(days=(closed_i * 7919) % span)
        if row == "r3_6_1":
            add(steps=(Step("correction", 3, {"items": "请提供申请人身份证明，并明确所需信息的名称。"}),
                       Step("correction_expired", 22, {})), scenario="逾期不补正", arrived_on=arrived)
        elif row == "r3_6_2":
            add(steps=(Step("fee", 5, {"standard": "per_page", "pages": 260}),
                       Step("fee_expired", 27, {})), scenario="逾期不缴费", arrived_on=arrived)
        else:
            add(steps=lambda organ, row=row, n=closed_i: _closed_steps(rng, row, organ, n), scenario="",
                arrived_on=arrived)
    _add_appeals(specs)
    _add_carry_over(specs, rng)
    return specs


def _open_cases() -> list[tuple[tuple[Step, ...], str, int, str | None]]:
    """(steps, scenario, working days ago, channel) of the cases still being handled today."""
    return [
        ((), "今日网上申请", 0, "online"),
        ((Step("request_extension", None, {"workdays": 15, "reason": "所申请信息涉及多个部门，需会同相关单位逐件核实。"}),
          Step("approve_extension", None, {})), "延期已批准", 17, None),
        ((), "已逾期", 26, "post_signed"),
        ((Step("correction", 2, {"items": "请明确所需信息的形成时间和具体名称。"}),), "待补正", 4, None),
        ((), "刚收到", 1, "in_person"),
        ((Step("consult", 3, {"party": "third_party", "party_name": "保定京华物流有限公司",
                              "content": "所申请信息涉及贵公司的经营数据，请于十五个工作日内书面答复是否同意公开。"}),),
         "征求意见中", 6, None),
        ((Step("request_extension", None, {"workdays": 10, "reason": "所申请信息数量较大，需调取档案逐件审查。"}),),
         "延期待审批", 18, None),
        ((Step("fee", 4, {"standard": "per_page", "pages": 320}),), "待缴费", 8, None),
        ((), "办理中", 9, "fax"),
        ((), "已逾期", 31, "post_ordinary"),
        ((), "今日网上申请", 0, "online"),
        ((Step("correction", 3, {"items": "请补充所需信息的文号。"}), Step("corrected", 6, {"text": "补正：文号为保政办函〔2024〕31号。"})),
         "已补正", 12, None),
        ((), "办理中", 5, "post_signed"),
        ((), "刚收到", 2, "fax"),
        ((), "办理中", 11, "in_person"),
        ((), "已逾期", 24, "online"),
        ((), "办理中", 7, "post_signed"),
        ((), "刚收到", 1, "online"),
        ((), "办理中", 13, "in_person"),
        ((), "办理中", 3, "online"),
        ((), "办理中", 10, "post_ordinary"),
        ((), "办理中", 14, "online"),
    ]


def _add_appeals(specs: list[AppSpec]) -> None:
    """A few refused cases go to 行政复议 or 行政诉讼 (table 四)."""
    plans = [
        ("reconsideration", {"result": "upheld"}),
        ("litigation", {"after_reconsideration": False, "result": "pending"}),
        ("reconsideration", {"result": "pending"}),
        ("reconsideration_then_litigation", {"result": "corrected"}),
    ]
    refused = [i for i, s in enumerate(specs) if s.arrived_on and any(
        st.action in ("determine", "transfer") and st.args.get("outcome", "r3_4_1") not in ("r3_1",) for st in s.steps)]
    for (kind, args), i in zip(plans, refused[1::3], strict=False):
        s = specs[i]
        specs[i] = AppSpec(**{**s.__dict__, "steps": (*s.steps, Step(kind, s.steps[-1].at + 25, args)),
                              "scenario": (s.scenario + "；" if s.scenario else "") + "行政复议或诉讼"})


def _add_carry_over(specs: list[AppSpec], rng: random.Random) -> None:
    """One case received in late December 2025 and answered in January 2026 (结转下年度)."""
    for i, s in enumerate(specs):
        if s.arrived_on and s.steps and s.steps[-1].action == "determine" and s.steps[-1].args["outcome"] == "r3_1" \
                and len(s.steps) == 1:
            specs[i] = AppSpec(**{**s.__dict__, "arrived_on": dt.date(2025, 12, 24),
                                  "steps": (Step("determine", 12, s.steps[-1].args),), "scenario": "跨年办理"})
            return
