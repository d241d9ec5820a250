"""Texts of an organ's 政府信息公开专栏 that are not records: its guide, its rules, how to apply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.deconstruct import deconstructible

from gongkai.core.models import Organ


class ColumnKind(models.TextChoices):
    GUIDE = "guide", "政府信息公开指南"
    RULES = "rules", "政府信息公开制度"
    APPLY = "apply", "依申请公开说明"


class ColumnPage(models.Model):
    """One sub-column text of an organ's 专栏 (条例第十二条: the guide must be kept current)."""

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="column_pages")
    kind = models.CharField("栏目", max_length=20, choices=ColumnKind.choices)
    body = models.TextField(
        "正文",
        help_text="可以粘贴网页或Word中的格式；脚本等不安全内容会被自动清除。留空时门户按机关信息自动生成标准文本。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专栏页面"
        verbose_name_plural = "专栏页面"
        constraints = [models.UniqueConstraint(fields=["organ", "kind"], name="portal_column_page_unique")]

    def __str__(self) -> str:
        return f"{self.organ.name} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        name = {ColumnKind.GUIDE: "portal:organ_guide", ColumnKind.RULES: "portal:organ_rules"}.get(
            self.kind, "portal:organ_apply"
        )
        return reverse(name, kwargs={"code": self.organ.code})


# --- The site: identity of a subsite and the compliance frame (政府网站发展指引) -----------------

# Columns a site's navigation may show, in the platform's default order.
NAV_COLUMNS: dict[str, str] = {
    "home": "首页",
    "column": "政府信息公开专栏",
    "policies": "政策文件库",
    "interpretations": "政策解读",
    "gazette": "政府公报",
    "plans": "工作要点",
    "consultations": "意见征集",
    "messages": "留言咨询",
    "qa": "政策问答",
    "map": "政务公开地图",
    "apply": "依申请公开",
    "records": "全部公开信息",
}
DEFAULT_NAV = ["home", "column", "policies", "interpretations", "gazette", "consultations", "messages", "qa",
               "records"]

# Blocks a subsite's home page may show, in the default order.
HOME_BLOCKS: dict[str, str] = {
    "latest": "最新公开",
    "policies": "政策文件",
    "interpretations": "政策解读",
    "notices": "通知公告",
    "consultations": "意见征集",
}
DEFAULT_BLOCKS = ["latest", "policies", "interpretations"]

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "颜色应写成“#”加六位十六进制数，例如 #b31b1b。")
host_validator = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
    "域名只能包含小写字母、数字、连字符和点，例如 gaj.example.gov.cn。",
)


@deconstructible
class KeysValidator:
    """A JSON list of distinct keys of one of the tables above (navigation columns, home blocks)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, value) -> None:
        allowed, label = (NAV_COLUMNS, "导航栏目") if self.kind == "nav" else (HOME_BLOCKS, "首页板块")
        if not isinstance(value, list) or any(k not in allowed for k in value) or len(set(value)) != len(value):
            raise ValidationError(f"{label}只能从以下各项中选择且不重复：{'、'.join(allowed.values())}。")

    def __eq__(self, other) -> bool:
        return isinstance(other, KeysValidator) and other.kind == self.kind


class SiteSettings(models.Model):
    """The identity of a site and its 政府网站 frame. The row without an organ is the platform's;
    an organ's row overrides the fields it fills (an empty field falls back to the parent organ's,
    then the platform's)."""

    organ = models.OneToOneField(
        Organ, verbose_name="机关", null=True, blank=True, on_delete=models.CASCADE, related_name="site_settings",
        help_text="留空表示平台（城市集约化平台首页）的设置。",
    )
    site_name = models.CharField("网站名称", max_length=100, blank=True,
                                 help_text="页头显示的名称，例如“广安市公安局政府信息公开”。留空时用机关名称。")
    emblem = models.ImageField("标志图片", upload_to="site/", blank=True,
                               help_text="页头左侧的徽标或标志，PNG或JPEG，宽高不超过 400 像素为宜。")
    accent = models.CharField("主题色", max_length=7, blank=True, validators=[colour_validator],
                              help_text="页头和导航的颜色，例如 #b31b1b。留空时用平台颜色。")
    host = models.CharField("独立域名", max_length=253, blank=True, null=True, unique=True,
                            validators=[host_validator],
                            help_text="访问该域名即打开本机关子站，例如 gaj.example.gov.cn（保存后即生效，还需将域名解析到本平台）。")
    nav = models.JSONField("导航栏目", default=list, blank=True,
                           validators=[KeysValidator("nav")],
                           help_text="按顺序列出要显示的栏目；留空时用平台默认导航。")
    home_blocks = models.JSONField("首页板块", default=list, blank=True,
                                   validators=[KeysValidator("blocks")],
                                   help_text="子站首页按顺序显示的板块；留空时显示最新公开、政策文件、政策解读。")
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    organizer = models.CharField("承办单位", max_length=100, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    site_code = models.CharField("网站标识码", max_length=20, blank=True,
                                 help_text="全国政府网站信息报送系统分配的10位标识码，例如 1306000001。")
    icp = models.CharField("ICP备案号", max_length=50, blank=True, help_text="例如“冀ICP备05005123号”。")
    police_record = models.CharField("公安机关备案号", max_length=50, blank=True,
                                     help_text="例如“冀公网安备 13060202000123号”（数字部分用于备案查询链接）。")
    conac_url = models.URLField("党政机关网站标识链接", blank=True,
                                help_text="中央编办“党政机关”网站标识的核验链接；填写后页脚显示“党政机关”标识。")
    a11y_contact = models.CharField("无障碍服务联系方式", max_length=100, blank=True,
                                    help_text="无障碍声明中的联系电话或邮箱，留空时用联系电话。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "网站设置"
        verbose_name_plural = "网站设置"

    def __str__(self) -> str:
        return f"{self.organ.name if self.organ_id else '平台'} · 网站设置"
