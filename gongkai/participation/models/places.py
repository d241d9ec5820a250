"""政务公开地图: service places (政务服务中心, 政务公开专区, 查阅点 …) that staff maintain."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.core.models import Organ


class PlaceKind(models.TextChoices):
    SERVICE_CENTER = "service_center", "政务服务中心"
    CONVENIENCE = "convenience", "便民服务中心（站）"
    DISCLOSURE_ZONE = "disclosure_zone", "政务公开专区"
    READING_POINT = "reading_point", "政府信息查阅点"
    ARCHIVE = "archive", "档案馆查阅点"
    LIBRARY = "library", "图书馆查阅点"
    MEDICAL = "medical", "医疗机构"
    EDUCATION = "education", "教育机构"
    ELDERLY_CARE = "elderly_care", "养老服务机构"
    MEDIATION = "mediation", "人民调解组织"
    LEGAL_AID = "legal_aid", "法律援助机构"
    NOTARY = "notary", "公证机构"
    OTHER = "other", "其他"


class PlaceQuerySet(models.QuerySet):
    @staticmethod
    def public_q() -> Q:
        return Q(is_published=True, organ__is_active=True)

    def public(self):
        return self.filter(self.public_q())


class Place(models.Model):
    name = models.CharField("名称", max_length=100, help_text="例如“莲池区政务服务中心政务公开专区”。")
    organ = models.ForeignKey(Organ, verbose_name="主管机关", on_delete=models.PROTECT, related_name="places")
    kind = models.CharField("类型", max_length=30, choices=PlaceKind.choices)
    address = models.CharField("地址", max_length=200)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True,
                                   help_text="WGS-84 坐标（GPS、天地图使用）；从高德、腾讯地图取得的 GCJ-02 坐标请勾选下方选项，系统会换算。")
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField("开放时间", max_length=200, blank=True, help_text="例如“周一至周五 9:00—17:00（法定节假日除外）”。")
    phone = models.CharField("电话", max_length=50, blank=True)
    services = models.TextField("可办理的事项", blank=True, help_text="每行一项，例如“政府信息公开申请”“社保卡补办”。")
    accessibility = models.TextField("无障碍设施", blank=True, help_text="例如“无障碍坡道、爱心座椅、老花镜、手语服务”。")
    photo = models.ImageField("照片", upload_to="places/", blank=True, max_length=200)
    is_published = models.BooleanField("在地图上公开", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "服务场所"
        verbose_name_plural = "服务场所"
        ordering = ["organ__path", "kind", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True, longitude__isnull=True)
                           | Q(latitude__isnull=False, longitude__isnull=False, latitude__gte=-90, latitude__lte=90,
                               longitude__gte=-180, longitude__lte=180)),
                name="place_coordinates_valid",
                violation_error_message="经纬度须同时填写，纬度在 -90 到 90 之间，经度在 -180 到 180 之间。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("participation:place", kwargs={"pk": self.pk})

    def service_lines(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]
