"""Reference data every installation starts with: 体裁, 主题分类 and the standard catalog.

体裁 and 主题分类 follow the classification used by the State Council's
policy library (国务院政策文件库) and most local 政府信息公开目录; the standard
catalog (标准目录) is the 政府信息公开专栏 layout of 国办公开办 guidance — 指南,
制度, 法定主动公开内容 (条例 Art. 20 items (一)–(十五)), 年度报告 — which
``services.catalog_copy`` gives to each new organ. Codes are stable: code and
other migrations may refer to them; names may be edited in the admin.
"""

from django.db import migrations

GENRES = [
    # code, name, is_policy, is_interpretation
    ("rule", "规章", True, False),
    ("normative", "行政规范性文件", True, False),
    ("policy", "其他政策文件", False, False),
    ("interpretation", "政策解读", False, True),
    ("plan", "规划计划", False, False),
    ("notice", "通知公告", False, False),
    ("news", "工作动态", False, False),
    ("statistics", "统计信息", False, False),
    ("finance", "财政信息", False, False),
    ("personnel", "人事信息", False, False),
    ("annual_report", "年度报告", False, False),
    ("gazette", "政府公报", False, False),
    ("minutes", "会议纪要", False, False),
    ("other", "其他", False, False),
]

TOPICS = [
    ("zonghe", "综合政务"),
    ("jingji", "国民经济管理、国有资产监管"),
    ("caizheng", "财政、金融、审计"),
    ("guotu", "国土资源、能源"),
    ("nongye", "农业、林业、水利"),
    ("gongye", "工业、交通"),
    ("shangmao", "商贸、海关、旅游"),
    ("shichang", "市场监管、安全生产监管"),
    ("chengxiang", "城乡建设、环境保护"),
    ("keji", "科技、教育"),
    ("wenhua", "文化、广电、新闻出版"),
    ("weisheng", "卫生、体育"),
    ("renkou", "人口与计划生育、妇女儿童工作"),
    ("laodong", "劳动、人事、监察"),
    ("gongan", "公安、安全、司法"),
    ("minzheng", "民政、扶贫、救灾"),
    ("minzu", "民族、宗教"),
    ("waishi", "对外事务"),
    ("gangaotai", "港澳台侨工作"),
    ("guofang", "国防"),
    ("qita", "其他"),
]

STANDARD_CATALOG_NAME = "政府信息公开标准目录"

# (code, name, description, children)
CATALOG = [
    ("guide", "政府信息公开指南", "信息分类、编排体系、获取方式，公开工作机构的名称、地址、办公时间、电话、传真和电子邮箱（条例第十二条）", []),
    ("rules", "政府信息公开制度", "本机关政府信息公开保密审查、依申请公开办理、考核评议等制度", []),
    ("statutory", "法定主动公开内容", "条例第十九条至第二十一条规定应当主动公开的政府信息", [
        ("organization", "机构职能", "条例第二十条第二项", [
            ("functions", "机关职能", "", []),
            ("structure", "机构设置", "内设机构、派出机构和直属单位", []),
            ("leaders", "领导信息", "领导姓名、职务和分工", []),
        ]),
        ("policy_documents", "政策文件", "条例第二十条第一项：规章、规范性文件及其他政策文件", [
            ("policy_rules", "规章", "", []),
            ("policy_normative", "行政规范性文件", "注明有效性；已修订、已废止的予以标注", []),
            ("policy_other", "其他文件", "", []),
        ]),
        ("interpretation", "政策解读", "与政策文件同步起草、同步审核、同步发布", []),
        ("planning", "规划信息", "条例第二十条第三项", [
            ("plan_development", "发展规划", "国民经济和社会发展规划", []),
            ("plan_special", "专项规划", "专项规划、区域规划、国土空间规划", []),
            ("plan_annual", "年度计划", "年度工作计划及执行情况", []),
        ]),
        ("statistics", "统计信息", "条例第二十条第四项", []),
        ("licensing", "行政许可", "依据、条件、程序及办理结果（条例第二十条第五项）", []),
        ("penalties", "行政处罚和行政强制", "依据、条件、程序及有一定社会影响的行政处罚决定（条例第二十条第六项）", []),
        ("finance", "财政信息", "条例第二十条第七项", [
            ("budget", "预算", "", []),
            ("final_accounts", "决算", "", []),
            ("three_public", "“三公”经费", "", []),
            ("debt", "政府债务", "", []),
        ]),
        ("fees", "行政事业性收费", "项目、依据、标准（条例第二十条第八项）", []),
        ("procurement", "政府采购", "集中采购项目目录、标准及实施情况（条例第二十条第九项）", []),
        ("major_projects", "重大建设项目", "批准和实施情况（条例第二十条第十项）", []),
        ("livelihood", "民生保障", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及实施情况（条例第二十条第十一项）", [
            ("social_assistance", "社会救助", "", []),
            ("education", "教育", "", []),
            ("health", "医疗卫生", "", []),
            ("employment", "就业和社会保障", "", []),
            ("housing", "住房保障", "", []),
        ]),
        ("emergency", "应急管理", "突发公共事件应急预案、预警信息及应对情况（条例第二十条第十二项）", []),
        ("inspection", "监督检查", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况（条例第二十条第十三项）", []),
        ("personnel", "人事信息", "公务员招考的职位、名额、报考条件和录用结果（条例第二十条第十四项）", []),
        ("proposals", "建议提案办理", "人大代表建议和政协委员提案办理结果", []),
        ("decisions", "重大行政决策", "决策草案、依据、征求意见及采纳情况", []),
        ("meetings", "会议公开", "政府常务会议、部门办公会议讨论决定的非涉密事项", []),
    ]),
    ("annual_reports", "政府信息公开工作年度报告", "每年1月31日前公布上一年度报告（条例第四十九条）", []),
]


def _create_entries(CatalogEntry, catalog, entries, parent):
    for order, (code, name, description, children) in enumerate(entries, start=1):
        entry = CatalogEntry.objects.create(
            catalog=catalog, parent=parent, code=code, name=name, description=description, order=order * 10
        )
        _create_entries(CatalogEntry, catalog, children, entry)


def forwards(apps, schema_editor):
    Genre = apps.get_model("records", "Genre")
    Topic = apps.get_model("records", "Topic")
    Catalog = apps.get_model("records", "Catalog")
    CatalogEntry = apps.get_model("records", "CatalogEntry")

    for order, (code, name, is_policy, is_interpretation) in enumerate(GENRES, start=1):
        genre = Genre.objects.filter(code=code).first() or Genre.objects.filter(name=name).first() or Genre(code=code)
        genre.code, genre.name = code, name
        genre.is_policy, genre.is_interpretation, genre.order = is_policy, is_interpretation, order * 10
        genre.save()

    for order, (code, name) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(code=code, defaults={"name": name, "order": order * 10, "parent": None})

    if not Catalog.objects.filter(is_standard=True, organ__isnull=True, name=STANDARD_CATALOG_NAME).exists():
        catalog = Catalog.objects.create(name=STANDARD_CATALOG_NAME, organ=None, is_standard=True)
        _create_entries(CatalogEntry, catalog, CATALOG, None)


def backwards(apps, schema_editor):
    Genre = apps.get_model("records", "Genre")
    Topic = apps.get_model("records", "Topic")
    Catalog = apps.get_model("records", "Catalog")

    Catalog.objects.filter(is_standard=True, organ__isnull=True, name=STANDARD_CATALOG_NAME).delete()
    Topic.objects.filter(code__in=[code for code, _ in TOPICS], records__isnull=True).delete()
    Genre.objects.filter(code__in=[code for code, *_ in GENRES], records__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
