"""The organs of the five seed documents, as a tree (pure data, no Django).

Names are the ones the seeds use; where a seed uses an abbreviation
(“市发改委”, “区住建局”), it is the short name, and other spellings found in the
seeds are aliases, so the work-plan parser can match 牵头单位 to organs. The
Taierzhuang seed (2018) predates the 2019 institutional reform: its old
department names (区卫计局, 区安监局 …) are aliases of today's departments.

Codes are 18-character unified social credit codes of the form a 机关 has
(GB 32100-2015): ``11`` (机构编制部门登记的机关) + the 6-digit 行政区划代码 + a
9-character organisation code (GB 11714, with its check digit) + the check
character. They are made up, deterministic and pass both checksums; they are
not the real codes of these offices.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

# --- unified social credit codes -----------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def _org_check(body: str) -> str:
    """GB 11714 check digit of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check(first17: str) -> str:
    """GB 32100 check character of the first 17 characters of a unified social credit code."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in _USCC_ALPHABET for c in code)
        and _org_check(code[8:16]) == code[16]
        and uscc_check(code[:17]) == code[17]
    )


def make_uscc(division: str, name: str) -> str:
    """A plausible, checksummed 机关 code for ``name`` in 行政区划 ``division`` (deterministic)."""
    body = f"0{zlib.crc32(name.encode()) % 10_000_000:07d}"
    first17 = f"11{division}{body}{_org_check(body)}"
    return first17 + uscc_check(first17)


# --- the tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    key: str
    place: str         # how titles name the place: 保定市, 台儿庄区
    province: str
    area_code: str
    postcode: str
    office_hours: str
    addressees: str    # 主送机关 of a government's notice


REGIONS = {
    "bd": Region("bd", "保定市", "河北省", "0312", "071051", "周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）",
                 "各县（市、区）人民政府、开发区管委会，市政府各部门，有关单位："),
    "ga": Region("ga", "广安市", "四川省", "0826", "638000", "周一至周五 上午9:00—12:00，下午14:00—17:30（法定节假日除外）",
                 "各县（市、区）人民政府，广安经开区管委会，市政府各部门，各直属事业单位，有关单位："),
    "bj": Region("bj", "北京市", "", "010", "101160", "周一至周五 上午9:00—12:00，下午13:30—17:00（法定节假日除外）",
                 "各区人民政府，市政府各委、办、局，各市属机构："),
    "tj": Region("tj", "天津市", "", "022", "300042", "周一至周五 上午8:30—12:00，下午13:30—17:00（法定节假日除外）",
                 "局属各单位、机关各处室："),
    "tez": Region("tez", "台儿庄区", "山东省", "0632", "277400", "周一至周五 上午8:30—12:00，下午14:00—18:00（法定节假日除外）",
                  "各镇人民政府，运河街道办事处，经济开发区管委会，区政府各有关部门（单位）："),
}


@dataclass(frozen=True)
class OrganSpec:
    slug: str                 # stable key; also the prefix of the organ's demo accounts
    name: str
    short_name: str
    kind: str                 # gongkai.core.models.OrganKind value
    parent: str | None        # slug of the parent organ
    region: str
    division: str             # 6-digit 行政区划代码 used in the code
    profile: str              # which subjects it writes about (see vocabulary.PROFILES)
    docno: str = ""           # 发文机关代字, e.g. 保政办
    street: str = ""
    phone: str = ""
    aliases: tuple[str, ...] = ()
    weight: int = 2           # share of the generated records
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def code(self) -> str:
        return make_uscc(self.division, self.name)

    @property
    def address(self) -> str:
        return f"{REGIONS[self.region].province}{self.street}" if self.street else ""


G, D, T, U, OT = "government", "department", "town", "unit", "other"

ORGANS: list[OrganSpec] = [
    # 保定 (seed 000: 保定市人民政府办公室, 保政办函〔2021〕15号)
    OrganSpec("bd_gov", "保定市人民政府", "保定市政府", G, None, "bd", "130600", "gov", "保政",
              "保定市竞秀区东风中路1号", "0312-12345", ("市政府", "市人民政府"), weight=3),
    OrganSpec("bd_office", "保定市人民政府办公室", "市政府办公室", D, "bd_gov", "bd", "130600", "office", "保政办",
              "保定市竞秀区东风中路1号", "0312-5909178", ("市政府办", "市人民政府办", "保定市政府办公室"), weight=4),
    OrganSpec("bd_fgw", "保定市发展和改革委员会", "市发改委", D, "bd_gov", "bd", "130600", "fgw", "保发改",
              "保定市竞秀区东风中路1号", "0312-5909335", ("市发展改革委", "保定市发改委")),
    OrganSpec("bd_czj", "保定市财政局", "市财政局", D, "bd_gov", "bd", "130600", "czj", "保财",
              "保定市竞秀区七一中路1128号", "0312-3086012"),
    OrganSpec("bd_sfj", "保定市司法局", "市司法局", D, "bd_gov", "bd", "130600", "sfj", "保司",
              "保定市莲池区裕华东路598号", "0312-3023156"),
    OrganSpec("bd_spj", "保定市行政审批局", "市行政审批局", D, "bd_gov", "bd", "130600", "spj", "保审批",
              "保定市竞秀区朝阳北大街916号", "0312-3150860", ("市政务服务中心",)),
    OrganSpec("bd_scj", "保定市市场监督管理局", "市市场监管局", D, "bd_gov", "bd", "130600", "scj", "保市监",
              "保定市竞秀区复兴中路3108号", "0312-3191315"),
    OrganSpec("bd_swj", "保定市商务局", "市商务局", D, "bd_gov", "bd", "130600", "swj", "保商",
              "保定市竞秀区东风中路1号", "0312-5909406"),
    OrganSpec("bd_wjw", "保定市卫生健康委员会", "市卫生健康委员会", D, "bd_gov", "bd", "130600", "wjw", "保卫健",
              "保定市莲池区五四中路285号", "0312-5076513", ("市卫生健康委", "市卫健委")),
    OrganSpec("bd_jyj", "保定市教育局", "市教育局", D, "bd_gov", "bd", "130600", "jyj", "保教",
              "保定市竞秀区东风中路2455号", "0312-3338007"),
    OrganSpec("bd_cgj", "保定市城市管理综合行政执法局", "市城市管理综合行政执法局", D, "bd_gov", "bd", "130600", "cgj", "保城管",
              "保定市莲池区东风东路509号", "0312-3130012", ("市城管执法局",)),
    OrganSpec("bd_sthj", "保定市生态环境局", "市生态环境局", D, "bd_gov", "bd", "130600", "sthj", "保环",
              "保定市竞秀区东风中路1号", "0312-5909550"),
    OrganSpec("bd_zjj", "保定市住房和城乡建设局", "市住建局", D, "bd_gov", "bd", "130600", "zjj", "保住建",
              "保定市竞秀区东风中路1号", "0312-5909601", ("市住房城乡建设局",)),
    OrganSpec("bd_jtj", "保定市交通运输局", "市交通局", D, "bd_gov", "bd", "130600", "jtj", "保交",
              "保定市竞秀区三丰中路1699号", "0312-3026110", ("市交通运输局",)),
    OrganSpec("bd_jingxiu", "保定市竞秀区人民政府", "竞秀区政府", G, "bd_gov", "bd", "130602", "county", "竞政",
              "保定市竞秀区东风中路2399号", "0312-3188001", ("竞秀区人民政府",)),
    OrganSpec("bd_qingyuan", "保定市清苑区人民政府", "清苑区政府", G, "bd_gov", "bd", "130608", "county", "清政",
              "保定市清苑区清苑镇向阳大街1号", "0312-8012345", ("清苑区人民政府",)),
    OrganSpec("bd_zhuozhou", "涿州市人民政府", "涿州市政府", G, "bd_gov", "bd", "130681", "county", "涿政",
              "保定市涿州市范阳中路55号", "0312-3652001"),
    OrganSpec("bd_fuping", "阜平县人民政府", "阜平县政府", G, "bd_gov", "bd", "130624", "county", "阜政",
              "保定市阜平县阜平镇府前街1号", "0312-7221230", ("阜平县政府",)),
    OrganSpec("bd_fuping_fp", "阜平县阜平镇人民政府", "阜平镇", T, "bd_fuping", "bd", "130624", "town", "阜镇政",
              "保定市阜平县阜平镇城南大街6号", "0312-7223501", weight=1),
    OrganSpec("bd_fuping_lqg", "阜平县龙泉关镇人民政府", "龙泉关镇", T, "bd_fuping", "bd", "130624", "town", "龙政",
              "保定市阜平县龙泉关镇龙泉关村", "0312-7380001", weight=1),
    # 广安 (seed 001: 广安市人民政府办公室, 2022年7月21日)
    OrganSpec("ga_gov", "广安市人民政府", "广安市政府", G, None, "ga", "511600", "gov", "广安府",
              "广安市广安区金安大道三段1号", "0826-12345", ("市政府",), weight=3),
    OrganSpec("ga_office", "广安市人民政府办公室", "市政府办公室", D, "ga_gov", "ga", "511600", "office", "广安府办",
              "广安市广安区金安大道三段1号", "0826-2343100", ("市政府办",), weight=4),
    OrganSpec("ga_fgw", "广安市发展和改革委员会", "市发展改革委", D, "ga_gov", "ga", "511600", "fgw", "广安发改",
              "广安市广安区金安大道三段1号", "0826-2343256", ("市发改委",)),
    OrganSpec("ga_czj", "广安市财政局", "市财政局", D, "ga_gov", "ga", "511600", "czj", "广安财",
              "广安市广安区金安大道三段1号", "0826-2343512"),
    OrganSpec("ga_sfj", "广安市司法局", "市司法局", D, "ga_gov", "ga", "511600", "sfj", "广安司",
              "广安市广安区滨河路88号", "0826-2380148"),
    OrganSpec("ga_mzj", "广安市民政局", "市民政局", D, "ga_gov", "ga", "511600", "mzj", "广安民",
              "广安市广安区滨河路96号", "0826-2380261"),
    OrganSpec("ga_jyj", "广安市教育局", "市教育局", D, "ga_gov", "ga", "511600", "jyj", "广安教",
              "广安市广安区建设路36号", "0826-2222315"),
    OrganSpec("ga_jkq", "广安经济技术开发区管理委员会", "广安经开区", OT, "ga_gov", "ga", "511600", "zone", "广安经开",
              "广安市广安区新桥工业园区", "0826-2777001", ("广安经开区管委会",), weight=1),
    OrganSpec("ga_guangan", "广安市广安区人民政府", "广安区政府", G, "ga_gov", "ga", "511602", "county", "广区府",
              "广安市广安区中山路1号", "0826-2322001", ("广安区人民政府",)),
    OrganSpec("ga_qianfeng", "广安市前锋区人民政府", "前锋区政府", G, "ga_gov", "ga", "511603", "county", "前锋府",
              "广安市前锋区奎阁街道前锋大道1号", "0826-2766001", ("前锋区人民政府",)),
    OrganSpec("ga_huaying", "华蓥市人民政府", "华蓥市政府", G, "ga_gov", "ga", "511681", "county", "华蓥府",
              "广安市华蓥市双河街道红岩路1号", "0826-4831001"),
    OrganSpec("ga_yuechi", "岳池县人民政府", "岳池县政府", G, "ga_gov", "ga", "511621", "county", "岳府",
              "广安市岳池县九龙街道银泰路1号", "0826-5522001"),
    # 北京 (seed 002: 北京市人民政府办公厅, 2019年7月8日; page of 北京市农业农村局)
    OrganSpec("bj_gov", "北京市人民政府", "北京市政府", G, None, "bj", "110000", "gov", "京政",
              "北京市通州区运河东大街57号", "010-12345", ("市政府",), weight=3),
    OrganSpec("bj_office", "北京市人民政府办公厅", "市政府办公厅", D, "bj_gov", "bj", "110000", "office", "京政办",
              "北京市通州区运河东大街57号", "010-55568000", ("市政府办",), weight=4),
    OrganSpec("bj_fgw", "北京市发展和改革委员会", "市发展改革委", D, "bj_gov", "bj", "110000", "fgw", "京发改",
              "北京市通州区运河东大街57号", "010-55590088", ("市发改委",)),
    OrganSpec("bj_ghzrzyw", "北京市规划和自然资源委员会", "市规划自然资源委", D, "bj_gov", "bj", "110000", "ghzy", "京规自",
              "北京市通州区承安路1号", "010-55595000", ("市规划和自然资源委",)),
    OrganSpec("bj_zjw", "北京市住房和城乡建设委员会", "市住房城乡建设委", D, "bj_gov", "bj", "110000", "zjj", "京建",
              "北京市通州区达济街9号", "010-55597000", ("市住建委",)),
    OrganSpec("bj_zwfwj", "北京市政务服务管理局", "市政务服务局", D, "bj_gov", "bj", "110000", "spj", "京政服",
              "北京市丰台区西三环南路1号", "010-89150000", ("市政务服务管理局",)),
    OrganSpec("bj_czj", "北京市财政局", "市财政局", D, "bj_gov", "bj", "110000", "czj", "京财",
              "北京市通州区承安路3号", "010-55592000"),
    OrganSpec("bj_jw", "北京市教育委员会", "市教委", D, "bj_gov", "bj", "110000", "jyj", "京教",
              "北京市通州区承安路5号", "010-51992000"),
    OrganSpec("bj_wjw", "北京市卫生健康委员会", "市卫生健康委", D, "bj_gov", "bj", "110000", "wjw", "京卫",
              "北京市通州区紫运南里1号院", "010-83970000", ("市卫健委",)),
    OrganSpec("bj_sthjj", "北京市生态环境局", "市生态环境局", D, "bj_gov", "bj", "110000", "sthj", "京环",
              "北京市通州区承安路3号", "010-68413817"),
    OrganSpec("bj_scjgj", "北京市市场监督管理局", "市市场监管局", D, "bj_gov", "bj", "110000", "scj", "京市监",
              "北京市通州区留庄路6号", "010-12315"),
    OrganSpec("bj_nyncj", "北京市农业农村局", "市农业农村局", D, "bj_gov", "bj", "110000", "nyj", "京农",
              "北京市通州区运河东大街57号", "010-55595500"),
    OrganSpec("bj_jtw", "北京市交通委员会", "市交通委", D, "bj_gov", "bj", "110000", "jtj", "京交",
              "北京市通州区运河东大街57号", "010-55578000"),
    OrganSpec("bj_dongcheng", "北京市东城区人民政府", "东城区政府", G, "bj_gov", "bj", "110101", "county", "东政",
              "北京市东城区钱粮胡同3号", "010-64028000", ("东城区人民政府", "东城")),
    OrganSpec("bj_xicheng", "北京市西城区人民政府", "西城区政府", G, "bj_gov", "bj", "110102", "county", "西政",
              "北京市西城区二龙路27号", "010-66038000", ("西城区人民政府", "西城")),
    OrganSpec("bj_chaoyang", "北京市朝阳区人民政府", "朝阳区政府", G, "bj_gov", "bj", "110105", "county", "朝政",
              "北京市朝阳区日坛北路33号", "010-65094000", ("朝阳区人民政府", "朝阳")),
    OrganSpec("bj_haidian", "北京市海淀区人民政府", "海淀区政府", G, "bj_gov", "bj", "110108", "county", "海政",
              "北京市海淀区长春桥路17号", "010-88487000", ("海淀区人民政府", "海淀")),
    OrganSpec("bj_changping", "北京市昌平区人民政府", "昌平区政府", G, "bj_gov", "bj", "110114", "county", "昌政",
              "北京市昌平区政府街19号", "010-69746000", ("昌平区人民政府", "昌平")),
    # 天津 (seed 004: 天津市规划资源局, 津规资办发〔2020〕253号) and the 处室 the seed assigns tasks to
    OrganSpec("tj", "天津市规划和自然资源局", "市规划资源局", D, None, "tj", "120000", "ghzy", "津规资",
              "天津市河西区友谊路61号", "022-58336000", ("天津市规划资源局", "市规划和自然资源局", "我局"), weight=5),
    OrganSpec("tj_bgs", "天津市规划和自然资源局办公室", "办公室", U, "tj", "tj", "120000", "unit",
              aliases=("局办公室", "公开办"), weight=0),
    OrganSpec("tj_rsc", "天津市规划和自然资源局人事处", "人事处", U, "tj", "tj", "120000", "unit", weight=0),
    OrganSpec("tj_zgc", "天津市规划和自然资源局组织干部处", "组干处", U, "tj", "tj", "120000", "unit", weight=0),
    OrganSpec("tj_fgc", "天津市规划和自然资源局法规处", "法规处", U, "tj", "tj", "120000", "unit", weight=0),
    OrganSpec("tj_xjc", "天津市规划和自然资源局宣传教育处", "宣教处", U, "tj", "tj", "120000", "unit", weight=0),
    OrganSpec("tj_wxb", "天津市规划和自然资源局网络安全和信息化办公室", "网信办", U, "tj", "tj", "120000", "unit", weight=0),
    OrganSpec("tj_binhai", "天津市规划和自然资源局滨海新区分局", "滨海新区分局", OT, "tj", "tj", "120116", "ghzy", "津规资滨",
              "天津市滨海新区大港街道世纪大道88号", "022-25209000", ("区分局",), weight=1),
    OrganSpec("tj_heping", "天津市规划和自然资源局和平分局", "和平分局", OT, "tj", "tj", "120101", "ghzy", "津规资和",
              "天津市和平区南京路180号", "022-23305000", ("区分局",), weight=1),
    # 台儿庄 (seed 003: 台儿庄区人民政府办公室, 台政办发〔2018〕26号)
    OrganSpec("tez_gov", "台儿庄区人民政府", "台儿庄区政府", G, None, "tez", "370405", "gov", "台政",
              "枣庄市台儿庄区文化路1号", "0632-12345", ("区政府", "枣庄市台儿庄区人民政府"), weight=3),
    OrganSpec("tez_office", "台儿庄区人民政府办公室", "区政府办公室", D, "tez_gov", "tez", "370405", "office", "台政办",
              "枣庄市台儿庄区文化路1号", "0632-6611234", ("区政府办", "区人民政府办"), weight=4),
    OrganSpec("tez_fgj", "台儿庄区发展和改革局", "区发改局", D, "tez_gov", "tez", "370405", "fgw", "台发改",
              "枣庄市台儿庄区文化路1号", "0632-6611307"),
    OrganSpec("tez_czj", "台儿庄区财政局", "区财政局", D, "tez_gov", "tez", "370405", "czj", "台财",
              "枣庄市台儿庄区金光路68号", "0632-6611402", ("区国资局",)),
    OrganSpec("tez_mzj", "台儿庄区民政局", "区民政局", D, "tez_gov", "tez", "370405", "mzj", "台民",
              "枣庄市台儿庄区兴中路22号", "0632-6611519", ("区扶贫办",)),
    OrganSpec("tez_jyj", "台儿庄区教育和体育局", "区教体局", D, "tez_gov", "tez", "370405", "jyj", "台教体",
              "枣庄市台儿庄区文化路36号", "0632-6611622", ("区教育局",)),
    OrganSpec("tez_zjj", "台儿庄区住房和城乡建设局", "区住建局", D, "tez_gov", "tez", "370405", "zjj", "台住建",
              "枣庄市台儿庄区华兴路16号", "0632-6611705", ("区住房公积金管理中心",)),
    OrganSpec("tez_scj", "台儿庄区市场监督管理局", "区市场监管局", D, "tez_gov", "tez", "370405", "scj", "台市监",
              "枣庄市台儿庄区金光路52号", "0632-6611815", ("区食药监局",)),
    OrganSpec("tez_nyj", "台儿庄区农业农村局", "区农业农村局", D, "tez_gov", "tez", "370405", "nyj", "台农",
              "枣庄市台儿庄区兴中路30号", "0632-6611903", ("区农业局", "区林业局", "区水务局")),
    OrganSpec("tez_wjj", "台儿庄区卫生健康局", "区卫健局", D, "tez_gov", "tez", "370405", "wjw", "台卫健",
              "枣庄市台儿庄区华兴路28号", "0632-6612006", ("区卫计局",)),
    OrganSpec("tez_yjj", "台儿庄区应急管理局", "区应急局", D, "tez_gov", "tez", "370405", "yjj", "台应急",
              "枣庄市台儿庄区金光路70号", "0632-6612108", ("区安监局",)),
    OrganSpec("tez_spj", "台儿庄区行政审批服务局", "区行政审批服务局", D, "tez_gov", "tez", "370405", "spj", "台审批",
              "枣庄市台儿庄区金光路88号", "0632-6612201", ("区政管办",)),
    OrganSpec("tez_kfq", "台儿庄经济开发区管理委员会", "经济开发区管委会", OT, "tez_gov", "tez", "370405", "zone", "台开",
              "枣庄市台儿庄区经济开发区台北路1号", "0632-6617001", ("经济开发区",), weight=1),
    OrganSpec("tez_yunhe", "台儿庄区运河街道办事处", "运河街道", T, "tez_gov", "tez", "370405", "town", "运办",
              "枣庄市台儿庄区运河街道箭道街8号", "0632-6612501", ("运河街道办事处",), weight=1),
    OrganSpec("tez_nigou", "台儿庄区泥沟镇人民政府", "泥沟镇", T, "tez_gov", "tez", "370405", "town", "泥政",
              "枣庄市台儿庄区泥沟镇府前路1号", "0632-6621001", weight=1),
    OrganSpec("tez_jiantouji", "台儿庄区涧头集镇人民政府", "涧头集镇", T, "tez_gov", "tez", "370405", "town", "涧政",
              "枣庄市台儿庄区涧头集镇政府路1号", "0632-6651001", weight=1),
    OrganSpec("tez_malantun", "台儿庄区马兰屯镇人民政府", "马兰屯镇", T, "tez_gov", "tez", "370405", "town", "马政",
              "枣庄市台儿庄区马兰屯镇政府街1号", "0632-6641001", weight=1),
    OrganSpec("tez_zhangshanzi", "台儿庄区张山子镇人民政府", "张山子镇", T, "tez_gov", "tez", "370405", "town", "张政",
              "枣庄市台儿庄区张山子镇政府路1号", "0632-6631001", weight=1),
    OrganSpec("tez_pizhuang", "台儿庄区邳庄镇人民政府", "邳庄镇", T, "tez_gov", "tez", "370405", "town", "邳政",
              "枣庄市台儿庄区邳庄镇政府路1号", "0632-6661001", weight=1),
]

BY_SLUG = {spec.slug: spec for spec in ORGANS}
