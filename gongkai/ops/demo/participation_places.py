"""Demo 政务公开地图 and precise push: service places of 保定 and 广安 (illustrative addresses and WGS-84
coordinates near the city centres, not surveyed), and 适用对象 tags on a few seed policies."""

from __future__ import annotations

from gongkai.core.models import Organ
from gongkai.participation.models import Place, PlaceKind
from gongkai.records.models import Audience, Record

WEEKDAYS = "周一至周五 9:00—12:00，14:00—17:30（法定节假日除外）"

# (organ slug, name, kind, address, lat, lng, hours, phone, services, accessibility)
PLACES = [
    ("bd_spj", "保定市政务服务中心", PlaceKind.SERVICE_CENTER, "保定市莲池区东风中路（示例地址）", 38.8671, 115.4845,
     "周一至周日 9:00—17:00", "0312-0000001", "企业开办\n工程建设项目审批\n社保医保业务\n政府信息公开申请",
     "无障碍坡道、无障碍卫生间、爱心座椅、轮椅、老花镜"),
    ("bd_spj", "保定市政务服务中心政务公开专区", PlaceKind.DISCLOSURE_ZONE, "保定市政务服务中心一楼大厅（示例地址）",
     38.8673, 115.4849, WEEKDAYS, "0312-0000002", "政府信息查阅\n政府公报免费取阅\n政府信息公开申请受理\n政策咨询",
     "无障碍坡道、盲文版办事指南"),
    ("bd_office", "保定市档案馆政府信息查阅点", PlaceKind.ARCHIVE, "保定市竞秀区（示例地址）", 38.8740, 115.4640,
     WEEKDAYS, "0312-0000003", "现行文件查阅\n政府公报查阅", "无障碍坡道"),
    ("bd_office", "保定市图书馆政府信息查阅点", PlaceKind.LIBRARY, "保定市莲池区（示例地址）", 38.8590, 115.4930,
     "周二至周日 9:00—20:00", "0312-0000004", "政府信息查阅\n政府公报取阅", "无障碍电梯、读屏电脑"),
    ("bd_sfj", "保定市公共法律服务中心", PlaceKind.LEGAL_AID, "保定市竞秀区（示例地址）", 38.8800, 115.4500,
     WEEKDAYS, "0312-12348", "法律援助申请\n法律咨询\n人民调解", "无障碍坡道、手语视频服务"),
    ("bd_wjw", "保定市老年人健康服务站（示例）", PlaceKind.ELDERLY_CARE, "保定市莲池区（示例地址）", 38.8550, 115.4700,
     "周一至周日 8:00—18:00", "0312-0000006", "老年人健康咨询\n家庭医生签约", "无障碍坡道、爱心座椅"),
    ("ga_office", "广安市政务服务中心", PlaceKind.SERVICE_CENTER, "广安市广安区（示例地址）", 30.4560, 106.6330,
     WEEKDAYS, "0826-0000001", "企业开办\n不动产登记\n政府信息公开申请", "无障碍坡道、无障碍卫生间"),
    ("ga_office", "广安市政务服务中心政务公开专区", PlaceKind.DISCLOSURE_ZONE, "广安市政务服务中心二楼（示例地址）",
     30.4562, 106.6334, WEEKDAYS, "0826-0000002", "政府信息查阅\n政策咨询\n意见建议征集", "爱心座椅、老花镜"),
    ("ga_office", "广安区便民服务中心", PlaceKind.CONVENIENCE, "广安市广安区（示例地址）", 30.4700, 106.6400,
     WEEKDAYS, "0826-0000003", "社保卡办理\n居住证办理\n民政救助申请", "无障碍坡道"),
]

# seed policy title fragment → 适用对象 codes (precise push in the demo)
TAGS = [
    ("营商环境", ["small_enterprise", "micro_enterprise", "self_employed"]),
    ("中小企业", ["small_enterprise", "medium_enterprise", "micro_enterprise"]),
    ("就业", ["graduates", "flexible_workers"]),
    ("养老", ["elderly"]),
    ("残疾", ["disabled"]),
]


def load(*, organs: dict[str, Organ]) -> str:
    created = 0
    for slug, name, kind, address, lat, lng, hours, phone, services, access in PLACES:
        organ = organs.get(slug)
        if organ is None:
            continue
        _, new = Place.objects.get_or_create(name=name, defaults={
            "organ": organ, "kind": kind, "address": address, "latitude": lat, "longitude": lng,
            "opening_hours": hours, "phone": phone, "services": services, "accessibility": access})
        created += new
    audiences = {a.code: a for a in Audience.objects.all()}
    tagged = 0
    demo = Record.objects.public().filter(organ__in=organs.values(), genre__is_policy=True)
    for fragment, codes in TAGS:
        for record in demo.filter(title__contains=fragment)[:5]:
            record.audiences.add(*(audiences[c] for c in codes if c in audiences))
            tagged += 1
    return f"{created} 处服务场所，{tagged} 份政策标注了适用对象"
