"""Forms of the 政务公开地图: staff edit a place; citizens filter the map and report a correction."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from gongkai.core import validators
from gongkai.core.forms import GuardedFormMixin
from gongkai.core.idempotency import OnceFormMixin
from gongkai.core.models import Organ
from gongkai.core.throttle import Throttle

from ..geo import gcj02_to_wgs84
from ..models import Place, PlaceKind


class PlaceForm(forms.ModelForm):
    coordinates_are_gcj02 = forms.BooleanField(
        label="坐标取自高德、腾讯等地图（GCJ-02）", required=False,
        help_text="勾选后系统换算为 WGS-84 保存；取自天地图、GPS 的坐标不要勾选。")

    class Meta:
        model = Place
        fields = ["name", "organ", "kind", "address", "latitude", "longitude", "opening_hours", "phone", "services",
                  "accessibility", "photo", "is_published"]
        widgets = {"services": forms.Textarea(attrs={"rows": 4}), "accessibility": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            raise forms.ValidationError("经度和纬度请同时填写，或都不填。")
        if lat is not None and data.get("coordinates_are_gcj02"):
            wlat, wlng = gcj02_to_wgs84(float(lat), float(lng))
            data["latitude"], data["longitude"] = (Decimal(f"{wlat:.6f}"), Decimal(f"{wlng:.6f}"))
        return data


class MapFilterForm(forms.Form):
    q = forms.CharField(label="搜索场所", max_length=50, required=False,
                        help_text="名称、地址或可办理的事项，例如“政务公开专区”“社保”。")
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *PlaceKind.choices])
    organ = forms.ChoiceField(label="机关", required=False)
    near = forms.CharField(required=False, widget=forms.HiddenInput)  # "lat,lng" from the phone's location

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].choices = [("", "全部机关")] + list(
            Organ.objects.active().filter(places__is_published=True).distinct().order_by("path")
            .values_list("code", "name"))

    def near_point(self) -> tuple[float, float] | None:
        raw = (self.cleaned_data.get("near") or "") if self.is_valid() else ""
        try:
            lat, lng = (float(x) for x in raw.split(","))
        except ValueError:
            return None
        return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


#: 纠错 of a map place: five per address an hour, a question after two.
CORRECTION_THROTTLE = Throttle("place-correction", limit=5, window=3600)


class CorrectionForm(GuardedFormMixin, OnceFormMixin, forms.Form):
    """A public form like the others: honeypot, a question after repeated use, a one-time token."""

    throttle = CORRECTION_THROTTLE
    body = forms.CharField(label="哪里有误，正确的是什么", max_length=1000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "请写明哪里有误。"})
    name = forms.CharField(label="姓名（可选，不公开）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话（不公开）", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱（不公开）", required=False, error_messages={"invalid": "电子邮箱格式不正确。"})
    website = forms.CharField(label="网站（请勿填写）", required=False)  # honeypot
    challenge_answer = forms.CharField(label="验证问题", required=False)
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, challenge: tuple[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_challenge(challenge)

    def clean_phone(self):
        return validators.clean_phone(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        self.check_challenge(data)
        if not (data.get("phone") or data.get("email")):
            raise forms.ValidationError("电话和邮箱请至少填写一项，以便查询办理进度。")
        return data
