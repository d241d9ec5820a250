"""Words the generated demo records are made of (pure data, no Django).

Subjects, sentences and phrasing are taken from the five seed documents (the
tasks they assign, and the way they say it), so generated titles and bodies
read like the documents an office actually publishes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    area: str                      # “做好{area}工作”
    topic: str                     # Topic.code
    catalog: str                   # CatalogEntry.code the records are filed under
    rules: tuple[str, ...] = ()    # names of normative documents on it (place name is prefixed)
    years: tuple[int, int] = (2019, 2026)
    regions: frozenset[str] | None = None  # only these regions write about it


def S(area, topic, catalog, *rules, years=(2019, 2026), regions=None):
    return Subject(area, topic, catalog, tuple(rules), years, frozenset(regions) if regions else None)


COMMON = [
    S("政务公开", "zonghe", "rules", "政府信息公开保密审查办法", "政府信息公开申请办理规定", "政务公开工作考核办法"),
    S("重大行政决策预公开", "zonghe", "decisions", "重大行政决策程序规定", "重大行政决策公众参与办法"),
    S("政务新媒体管理", "zonghe", "policy_other", "政务新媒体管理办法"),
    S("政策解读", "zonghe", "interpretation", "政策解读工作规范"),
]

PROFILES: dict[str, list[Subject]] = {
    "gov": [
        S("优化营商环境", "jingji", "policy_other", "优化营商环境若干措施", "营商环境评价实施办法"),
        S("政府网站集约化建设", "zonghe", "policy_other", "政府网站集约化平台管理办法"),
        S("权责清单动态调整", "zonghe", "organization", "权责清单动态调整管理办法"),
        S("行政规范性文件管理", "zonghe", "policy_normative", "行政规范性文件制定和备案管理规定"),
        S("12345政务服务便民热线", "zonghe", "policy_other", "12345政务服务便民热线管理办法"),
        S("公共企事业单位信息公开", "zonghe", "policy_other", "公共企事业单位信息公开监督管理办法"),
        S("新冠肺炎疫情防控", "weisheng", "emergency", years=(2020, 2022)),
        S("防汛抗旱", "nongye", "emergency", "防汛抗旱应急预案"),
        S("安全生产", "shichang", "inspection", "安全生产责任制规定"),
        S("乡村振兴", "nongye", "policy_other"),
        S("京津冀协同发展", "jingji", "plan_special", regions={"bj", "bd"}),
        S("城市副中心建设", "chengxiang", "major_projects", regions={"bj"}),
        S("雄安新区规划建设", "jingji", "major_projects", regions={"bj", "bd"}),
        S("“同城融圈”建设", "jingji", "major_projects", regions={"ga"}),
        S("新旧动能转换", "jingji", "policy_other", regions={"tez"}),
        S("基层政务公开标准化规范化", "zonghe", "rules"),
    ],
    "fgw": [
        S("优化营商环境", "jingji", "policy_other", "优化营商环境若干措施", "营商环境评价实施办法"),
        S("市场准入负面清单", "jingji", "policy_other"),
        S("政府投资项目", "jingji", "major_projects", "政府投资项目管理办法", "政府投资项目后评价管理办法"),
        S("社会信用体系建设", "jingji", "policy_other", "公共信用信息管理办法", "信用修复管理办法"),
        S("价格监测", "jingji", "statistics", "重要商品和服务价格监测办法"),
        S("重点项目建设", "jingji", "major_projects"),
        S("“证照分离”改革", "jingji", "licensing", years=(2019, 2022)),
    ],
    "czj": [
        S("预决算公开", "caizheng", "budget", "预决算公开操作规程"),
        S("预算绩效管理", "caizheng", "finance", "预算绩效管理办法", "项目支出绩效评价管理办法"),
        S("惠民惠农财政补贴资金发放", "caizheng", "livelihood", "惠民惠农财政补贴资金“一卡通”管理办法"),
        S("政府债务管理", "caizheng", "debt", "政府专项债券项目资金管理办法"),
        S("政府采购", "caizheng", "procurement", "政府采购内部控制管理办法", "政府集中采购目录及采购限额标准"),
        S("行政事业单位国有资产管理", "jingji", "finance", "行政事业单位国有资产管理办法"),
        S("减税降费", "caizheng", "policy_other"),
    ],
    "sfj": [
        S("行政执法公示", "gongan", "penalties", "行政执法公示办法", "行政执法全过程记录办法", "重大行政执法决定法制审核办法"),
        S("公共法律服务", "gongan", "livelihood", "公共法律服务体系建设实施办法"),
        S("行政复议", "gongan", "policy_other", "行政复议听证办法"),
        S("现行有效规章集中公开", "gongan", "policy_rules"),
        S("人民调解", "gongan", "livelihood", "人民调解工作规范"),
        S("法治政府建设", "gongan", "policy_other", "法治政府建设考核评价办法"),
    ],
    "spj": [
        S("政务服务“好差评”", "zonghe", "licensing", "政务服务“好差评”实施办法"),
        S("证明事项告知承诺制", "zonghe", "licensing", "证明事项告知承诺制实施办法"),
        S("工程建设项目审批制度改革", "chengxiang", "licensing", "工程建设项目审批管理办法"),
        S("“一窗受理”集成服务", "zonghe", "licensing", "政务服务大厅管理办法"),
        S("企业开办", "shichang", "licensing", "企业开办全程网办实施办法"),
        S("政务公开专区建设", "zonghe", "rules"),
    ],
    "scj": [
        S("“双随机、一公开”监管", "shichang", "inspection", "“双随机、一公开”监管工作细则"),
        S("食品安全监督抽检", "shichang", "inspection", "食品安全监督抽检信息公布办法"),
        S("反不正当竞争执法", "shichang", "penalties"),
        S("企业信用风险分类管理", "shichang", "inspection", "企业信用风险分类管理办法"),
        S("药品安全", "shichang", "inspection"),
        S("特种设备安全", "shichang", "inspection", "特种设备安全监督管理办法"),
    ],
    "swj": [
        S("服务业扩大开放", "shangmao", "policy_other"),
        S("促进消费", "shangmao", "policy_other", "促进消费若干措施"),
        S("外贸稳增长", "shangmao", "policy_other"),
        S("单用途商业预付卡管理", "shangmao", "inspection", "单用途商业预付卡管理办法"),
    ],
    "wjw": [
        S("新冠病毒疫苗接种", "weisheng", "health", years=(2021, 2022)),
        S("医疗卫生机构院务公开", "weisheng", "health", "医疗卫生机构院务公开管理办法"),
        S("爱国卫生运动", "weisheng", "health", "爱国卫生工作管理办法"),
        S("新冠肺炎疫情防控", "weisheng", "emergency", years=(2020, 2022)),
        S("家庭医生签约服务", "weisheng", "health", "家庭医生签约服务管理办法"),
        S("健康中国行动", "weisheng", "health"),
    ],
    "jyj": [
        S("义务教育招生入学", "keji", "education", "义务教育学校招生入学工作实施办法"),
        S("学前教育", "keji", "education", "普惠性民办幼儿园认定管理办法"),
        S("校外培训机构监管", "keji", "education", "校外培训机构监督管理办法"),
        S("学生资助", "keji", "education", "学生资助资金管理办法"),
        S("冰雪运动进校园", "weisheng", "education", years=(2019, 2022), regions={"bj", "bd"}),
    ],
    "cgj": [
        S("生活垃圾分类", "chengxiang", "inspection", "生活垃圾分类管理办法"),
        S("冬季清洁取暖", "chengxiang", "livelihood", "冬季清洁取暖补贴资金管理办法"),
        S("城市道路停车管理", "chengxiang", "policy_other", "城市道路停车管理办法"),
        S("市容环境卫生", "chengxiang", "inspection", "市容环境卫生责任区管理办法"),
    ],
    "sthj": [
        S("大气污染防治", "chengxiang", "inspection", "扬尘污染防治管理办法"),
        S("重污染天气应急", "chengxiang", "emergency", "重污染天气应急预案"),
        S("建设项目环境影响评价", "chengxiang", "licensing", "建设项目环境影响评价文件审批程序规定"),
        S("重点排污单位环境信息公开", "chengxiang", "inspection"),
        S("中央生态环境保护督察整改", "chengxiang", "inspection"),
    ],
    "zjj": [
        S("城镇老旧小区改造", "chengxiang", "housing", "城镇老旧小区改造实施办法"),
        S("保障性住房", "chengxiang", "housing", "公共租赁住房管理办法", "保障性租赁住房管理办法"),
        S("棚户区改造", "chengxiang", "housing"),
        S("农村危房改造", "chengxiang", "housing", "农村危房改造实施办法"),
        S("物业服务", "chengxiang", "policy_other", "物业服务企业信用管理办法"),
        S("建筑市场监管", "chengxiang", "inspection", "建筑市场信用管理办法"),
        S("住房公积金管理", "chengxiang", "housing", "住房公积金缴存管理办法", "住房公积金个人住房贷款管理办法"),
    ],
    "jtj": [
        S("“四好农村路”建设", "gongye", "major_projects", "农村公路养护管理办法"),
        S("城市公共交通", "gongye", "livelihood", "城市公共交通运营服务管理办法"),
        S("道路运输管理", "gongye", "licensing", "道路运输从业人员信用管理办法"),
        S("交通基础设施建设", "gongye", "major_projects"),
    ],
    "mzj": [
        S("城乡最低生活保障", "minzheng", "social_assistance", "城乡最低生活保障实施办法", "最低生活保障家庭经济状况核对办法"),
        S("特困人员救助供养", "minzheng", "social_assistance", "特困人员认定办法"),
        S("临时救助", "minzheng", "social_assistance", "临时救助实施办法"),
        S("养老服务", "minzheng", "livelihood", "养老服务补贴管理办法", "居家养老服务管理办法"),
        S("困难残疾人生活补贴", "minzheng", "social_assistance", "困难残疾人生活补贴和重度残疾人护理补贴实施办法"),
    ],
    "nyj": [
        S("乡村振兴", "nongye", "policy_other"),
        S("高标准农田建设", "nongye", "major_projects", "高标准农田建设项目管理办法"),
        S("农村人居环境整治", "nongye", "livelihood"),
        S("农村集体产权制度改革", "nongye", "policy_other", "农村集体资产管理办法"),
        S("耕地地力保护补贴", "nongye", "livelihood", "耕地地力保护补贴资金管理办法"),
        S("河长制", "nongye", "inspection", "河长制工作考核办法"),
    ],
    "ghzy": [
        S("国土空间规划", "guotu", "plan_special", "控制性详细规划管理办法"),
        S("土地征收", "guotu", "policy_other", "土地征收信息公开办法"),
        S("不动产登记", "guotu", "licensing", "不动产登记资料查询办法"),
        S("建设用地审批", "guotu", "licensing", "建设用地规划许可管理办法"),
        S("耕地保护", "guotu", "inspection", "耕地占补平衡管理办法"),
        S("地质灾害防治", "guotu", "emergency", "地质灾害防治管理办法"),
        S("历史文化名城保护", "wenhua", "plan_special", regions={"bj", "tj"}),
    ],
    "county": [
        S("基层政务公开标准化规范化", "zonghe", "rules"),
        S("城乡最低生活保障", "minzheng", "social_assistance", "城乡最低生活保障实施办法"),
        S("农村人居环境整治", "nongye", "livelihood"),
        S("城镇老旧小区改造", "chengxiang", "housing", "城镇老旧小区改造实施办法"),
        S("义务教育招生入学", "keji", "education", "义务教育学校招生入学工作实施办法"),
        S("优化营商环境", "jingji", "policy_other", "优化营商环境若干措施"),
        S("安全生产", "shichang", "inspection"),
        S("公众参与事项目录", "zonghe", "decisions", regions={"bd"}),
    ],
    "town": [
        S("村（居）务公开", "zonghe", "policy_other"),
        S("城乡最低生活保障", "minzheng", "social_assistance"),
        S("农村人居环境整治", "nongye", "livelihood"),
        S("防汛抗旱", "nongye", "emergency"),
        S("秸秆禁烧", "chengxiang", "inspection", regions={"bd", "tez"}),
        S("便民服务中心建设", "zonghe", "policy_other"),
    ],
    "zone": [
        S("招商引资", "jingji", "policy_other", "招商引资优惠政策兑现办法"),
        S("重点项目建设", "jingji", "major_projects"),
        S("安全生产", "shichang", "inspection"),
        S("优化营商环境", "jingji", "policy_other"),
    ],
    "yjj": [
        S("安全生产", "shichang", "inspection", "安全生产举报奖励办法"),
        S("突发事件应急预案管理", "shichang", "emergency", "突发事件应急预案管理办法"),
        S("防灾减灾", "minzheng", "emergency"),
        S("森林防火", "nongye", "emergency"),
    ],
}
PROFILES["office"] = PROFILES["gov"]

# What each profile reports in 统计信息 (monthly unless marked yearly).
STATISTICS = {
    "gov": [("国民经济和社会发展统计公报", "yearly"), ("主要经济指标", "monthly")],
    "office": [("政务公开工作情况", "quarterly")],
    "county": [("主要经济指标", "monthly"), ("国民经济和社会发展统计公报", "yearly")],
    "fgw": [("重要民生商品价格监测情况", "monthly"), ("固定资产投资情况", "monthly")],
    "czj": [("财政收支情况", "monthly")],
    "zjj": [("住房公积金运行情况", "quarterly")],
    "sthj": [("环境空气质量状况", "monthly")],
    "mzj": [("社会救助资金发放情况", "quarterly")],
    "jyj": [("教育事业发展统计公报", "yearly")],
    "wjw": [("卫生健康事业发展统计公报", "yearly")],
    "spj": [("政务服务事项办件情况", "monthly")],
    "scj": [("食品安全监督抽检情况", "quarterly")],
    "ghzy": [("建设用地供应情况", "quarterly")],
    "nyj": [("农业农村经济运行情况", "quarterly")],
}
DEFAULT_STATISTICS = [("政务服务事项办件情况", "quarterly")]

# Profiles whose organs carry out administrative enforcement (行政执法案卷 exist there).
ENFORCERS = frozenset({"scj", "sthj", "cgj", "zjj", "jtj", "yjj", "ghzy", "sfj", "wjw", "jyj", "nyj", "mzj"})

# Sentences from the seeds, usable in any document.
GENERIC_SENTENCES = [
    "坚持以人民为中心，推动政府决策和管理服务更加透明规范。",
    "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
    "严格执行政府信息公开保密审查制度，坚持“谁公开谁审查、谁审查谁负责”“先审查后公开”“一事一审”的原则。",
    "拟定的文件要以主动公开为主，压缩依申请公开的数量，对拟不公开的，必须符合《政府信息公开条例》中不予公开的有关规定。",
    "坚持政策文件与解读方案、解读材料同起草、同审核、同发布。",
    "及时回应群众关切，接受群众监督，争取理解支持，确保执行环节不遗漏、不走样。",
    "各单位要加强组织领导，明确工作机构，确保政务公开专职工作人员不少于1名。",
    "梳理形成工作台账，及时跟进检查，督促整改，确保落实到位。",
    "通过政府门户网站、政务新媒体、政务服务大厅等渠道及时向社会公开。",
    "对涉及群众切身利益、需要社会广泛知晓的政策措施，要通过座谈会、网上征求意见、问卷调查等方式广泛听取公众意见。",
    "建立健全工作机制，明确职责分工和时间节点，确保各项任务按时按质完成。",
    "要高度重视，加强统筹协调，形成上下衔接、相互呼应、整体推进的工作格局。",
    "工作落实情况纳入政府信息公开工作年度报告向社会公开。",
    "严格落实个人信息保护有关规定，对涉及个人隐私的政府信息，公开时要去标识化处理。",
    "主动公开政策执行情况和工作成效，以公开促落实、促规范、促服务。",
    "让企业和群众对事前准备清晰明了、事中进展实时掌握、事后结果及时获知。",
    "对工作积极主动、完成情况较好的给予通报表扬；对发现的问题该曝光的曝光，该追责的追责。",
    "切实为基层减负，整治工作中的形式主义，避免过度要求下级单位提供自查报告、情况说明等材料。",
    "密切关注舆情动态，针对误读、曲解、不实信息，及时通过主流媒体、政府网站等平台进行回应。",
    "加强业务培训，稳步提升工作人员的政务公开意识和能力。",
    "对依申请公开中公众申请较为集中的政府信息，可以转为主动公开的，应当主动公开。",
    "优化办事流程，完善办事信息主动推送方式，最大限度实现网络化、透明化办事。",
]

# Sentences about a subject ({area}) and a place ({place}).
AREA_SENTENCES = [
    "全面梳理{area}相关政策文件，按照“谁制作、谁公开”的原则及时主动公开。",
    "{area}工作要坚持问题导向，聚焦企业和群众反映强烈的堵点痛点，逐项研究解决措施。",
    "每季度汇总{area}工作进展情况，形成工作报告并向社会公开。",
    "围绕{area}的政策背景、出台目的、重要举措等开展实质性解读，提升解读质量。",
    "建立{area}工作台账，实行清单化管理，明确责任单位和完成时限。",
    "及时公开{area}的实施步骤、具体措施、责任分工、工作进展和工作成效等信息。",
    "加强对{area}工作的监督检查，对检查中发现的问题督促限期整改。",
    "各有关单位要按照职责分工，认真做好{area}各项工作，确保取得实效。",
    "{place}各级各部门要把{area}作为一项重要工作，主要负责同志要亲自过问、定期听取汇报、协调解决问题。",
    "推动{area}信息向基层延伸，通过村（社区）公示栏、便民服务中心等线下渠道同步公开。",
]

SECTION_HEADINGS = {
    "notice": ["总体要求", "主要任务", "工作措施", "保障措施"],
    "plan": ["发展基础", "总体要求", "主要目标", "重点任务", "保障措施"],
    "interpretation": ["起草背景", "主要依据", "主要内容", "适用范围", "施行时间"],
}

CONFIDENTIALITY_OPINIONS = [
    "经审查，该信息不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意主动公开。",
    "经保密审查，内容不涉密，公开后不会危及国家安全、公共安全、经济安全和社会稳定，同意公开。",
    "已按“先审查后公开、一事一审”原则审查，公开属性标注准确，同意公开。",
]
FILED_OPINIONS = {
    "on_request": "经审查，该信息不涉密，但适用范围有限，同意标注为依申请公开。",
    "withheld": "经审查，该信息属于《政府信息公开条例》规定可以不予公开的情形，同意不予公开。",
}

RETURN_COMMENTS = [
    "发文字号与正式印发的文件不一致，请核对后重新提交。",
    "附件中含有个人身份证号码和联系电话，请去标识化处理后重新提交。",
    "公开属性标注为主动公开，但正文涉及内部工作安排，请重新认定公开属性并说明理由。",
    "标题与正式文件不一致，请按正式印发稿修改。",
    "请补充政策解读材料，做到政策文件与解读材料同步起草、同步审核、同步发布。",
    "成文日期填写有误，请按文件落款日期填写。",
]

WITHDRAWAL_REASONS = [
    "文件内容有误，已重新发布更正后的版本。",
    "重复发布，保留较早发布的一条。",
    "附件版本错误，撤回后重新审核发布。",
    "因机构改革职能调整，该信息改由新的主管部门发布。",
    "含有未去标识化的个人信息，撤回处理后重新发布。",
]

ON_REQUEST_CASES = [
    # title template, reason
    ("{organ}关于{area}有关问题的复函",
     "系针对特定单位来函所作的答复，仅对来函单位有效，不具有普遍约束力，不宜主动公开；公民、法人和其他组织可依申请获取。"),
    ("{organ}关于{year}年{area}工作经费安排的通知",
     "经费分配到具体单位，仅对相关单位有效，不宜主动公开；经费总体安排已在财政信息栏目公开，具体分配情况可依申请获取。"),
    ("{organ}关于{year}年{area}工作情况的报告",
     "系向上级机关报送的工作报告，内容已在年度工作总结中公开，原文可依申请获取。"),
]
WITHHELD_CASES = [
    # title template, ground, reason
    ("{organ}关于{area}有关情况的请示", "process",
     "属于行政机关在履行行政管理职能过程中形成的请示报告，属于过程性信息，依据《政府信息公开条例》第十六条第二款不予公开。"),
    ("{organ}{year}年第{n}次办公会议纪要", "process",
     "属于会议讨论记录等过程性信息，会议决定的非涉密事项已另行公开，依据《政府信息公开条例》第十六条第二款不予公开。"),
    ("{organ}关于调整机关内设机构人员分工的通知", "internal",
     "属于机关内部人事管理信息，依据《政府信息公开条例》第十六条第一款不予公开。"),
    ("{organ}关于有关企业{area}情况的函", "third_party",
     "涉及企业商业秘密，经征求第三方意见不同意公开，公开会对第三方合法权益造成损害，依据《政府信息公开条例》第十五条不予公开。"),
    ("{organ}{year}年{area}行政执法案卷（第{n}卷）", "enforcement",
     "属于行政执法案卷信息，依据《政府信息公开条例》第十六条第二款不予公开；行政处罚决定已按规定另行公示。"),
]

NEWS_TEMPLATES = [
    "{short}召开{year}年{area}工作推进会",
    "{short}开展{area}专题培训",
    "{short}深入基层调研{area}工作",
    "{place}{area}工作取得阶段性成效",
    "{short}召开{area}工作调度会",
    "{short}组织开展{area}监督检查",
    "{short}举办{year}年“政务开放日”活动",
]

NOTICE_TEMPLATES = [
    "{organ}关于{year}年{area}有关事项的公告",
    "{organ}关于{year}年{area}典型案例的通报",
    "{organ}关于开展{year}年{area}满意度调查的公告",
]

POLICY_TEMPLATES = [
    "{organ}关于做好{year}年{area}工作的通知",
    "{organ}关于进一步加强{area}工作的通知",
    "{organ}关于印发《{place}{year}年{area}工作要点》的通知",
    "{organ}关于开展{area}专项行动的通知",
    "{organ}关于印发《{place}{area}工作方案》的通知",
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
    "霞", "平", "刚", "桂英", "建华", "文博", "思远", "晓燕", "海涛", "志强", "红梅", "雪梅", "丽华", "建国",
    "玉兰", "国庆", "春燕", "子涵", "宇航", "佳怡", "浩然", "欣怡", "立新", "俊峰", "婷婷", "晓东", "彦军",
]


def person_name(n: int) -> str:
    """A plausible Chinese name for the n-th demo staff member (deterministic)."""
    return SURNAMES[(n * 7) % len(SURNAMES)] + GIVEN_NAMES[(n * 11 + n // len(SURNAMES)) % len(GIVEN_NAMES)]
