"""Forms for meetings, registrations, concerns and the decision catalog."""

from __future__ import annotations

from django import forms

from gongkai.core import validators
from gongkai.core.forms import GuardedFormMixin
from gongkai.core.idempotency import OnceFormMixin
from gongkai.core.throttle import Throttle

from ..models import AttendeeKind, Concern, DecisionItem, Meeting

REGISTRATION_THROTTLE = Throttle(name="meeting-registration", limit=10, window=3600, challenge_after=2)
LOOKUP_THROTTLE = Throttle(name="meeting-lookup", limit=30, window=3600, challenge_after=30)
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(GuardedFormMixin, OnceFormMixin, forms.Form):
    throttle = REGISTRATION_THROTTLE
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    kind = forms.ChoiceField(label="身份", choices=AttendeeKind.choices)
    affiliation = forms.CharField(label="工作单位（选填）", max_length=100, required=False)
    phone = forms.CharField(label="联系电话（不公开）", max_length=30, error_messages={"required": "请填写联系电话。"})
    email = forms.EmailField(label="电子邮箱（选填，不公开）", required=False, help_text="填写后，报名结果会发邮件通知您。",
                             error_messages={"invalid": "请填写有效的电子邮箱，例如 name@example.com。"})
    reason = forms.CharField(label="报名理由或关注的议题（选填）", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.CharField(label="网站（请勿填写）", required=False)  # honeypot
    challenge_answer = forms.CharField(label="验证问题", required=False)
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, challenge: tuple[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_challenge(challenge)

    def clean_phone(self):
        return validators.clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        self.check_challenge(data)
        return data


class RegistrationLookupForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20, error_messages={"required": "请输入查询码。"})
    phone_tail = forms.CharField(label="报名电话的后四位", min_length=4, max_length=4,
                                 error_messages={"required": "请输入报名电话的后四位。",
                                                 "min_length": "请输入报名电话的后四位。"})


class MeetingForm(forms.ModelForm):
    consultation_id = forms.IntegerField(label="相关意见征集编号（选填）", required=False,
                                         help_text="为意见征集召开的座谈会、听证会填写征集的编号（工作台地址中的数字）。")
    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "place", "topics", "attendance_open", "how_to_apply",
                  "places", "registration_deadline", "stream_url", "replay_url", "decisions"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "registration_deadline": DATETIME,
                   "topics": forms.Textarea(attrs={"rows": 3}), "how_to_apply": forms.Textarea(attrs={"rows": 2}),
                   "decisions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk and self.instance.consultation_id:
            self.initial["consultation_id"] = self.instance.consultation_id


class DecideForm(forms.Form):
    accept = forms.ChoiceField(label="处理", choices=[("1", "同意"), ("0", "不同意")], widget=forms.RadioSelect)
    note = forms.CharField(label="说明", required=False, max_length=300)


class ConcernForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["title", "description", "source", "source_ref", "received_on", "deadline"]
        widgets = {"received_on": DATE, "deadline": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class ConcernRespondForm(forms.Form):
    index_no = forms.CharField(label="回应信息的索引号", max_length=40, required=False,
                               help_text="已发布的回应关切、政策解读或新闻发布会信息。")
    note = forms.CharField(label="回应情况", widget=forms.Textarea(attrs={"rows": 3}))
    no_response = forms.BooleanField(label="经研判无需公开回应（写明理由）", required=False)


class DecisionItemForm(forms.ModelForm):
    consultation_id = forms.IntegerField(label="意见征集编号（选填）", required=False)
    record_index_no = forms.CharField(label="决策文件索引号（选填）", max_length=40, required=False)

    class Meta:
        model = DecisionItem
        fields = ["order", "title", "basis", "planned", "status"]


class ReviewForm(forms.Form):
    """保密审查 of a meeting or a decision catalog (approval publishes it)."""

    decision = forms.ChoiceField(label="审核结论", choices=[("approved", "同意公开"), ("returned", "退回修改")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择审核结论。"})
    opinion = forms.CharField(label="保密审查意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                              initial="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。",
                              help_text="退回修改时写明需要修改的内容。",
                              error_messages={"required": "请填写保密审查意见。"})
