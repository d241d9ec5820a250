"""The public subscription form (who subscribes to what, how often, and who they are)."""

from __future__ import annotations

from django import forms

from gongkai.core.models import Organ
from gongkai.records.models import Audience, Genre, Record, Topic

from ..models import Frequency, SubscriptionKind


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="电子邮箱", max_length=254, help_text="我们会先发一封确认邮件，确认后才开始推送。")
    kind = forms.ChoiceField(label="订阅内容", choices=SubscriptionKind.choices, initial=SubscriptionKind.ORGAN,
                             widget=forms.RadioSelect)
    organ = forms.ModelChoiceField(label="机关", queryset=Organ.objects.none(), required=False)
    include_sub_organs = forms.BooleanField(label="包括下级机关", required=False)
    genre = forms.ModelChoiceField(label="体裁", queryset=Genre.objects.all(), required=False)
    topic = forms.ModelChoiceField(label="主题分类", queryset=Topic.objects.all(), required=False)
    query = forms.CharField(label="关键词", max_length=100, required=False,
                            help_text="与站内检索相同：空格分开的每一段都出现在信息中才推送。")
    record = forms.ModelChoiceField(label="文件", queryset=Record.objects.none(), required=False,
                                    widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label="发送频率", choices=Frequency.choices, initial=Frequency.DAILY,
                                  widget=forms.RadioSelect)
    audiences = forms.ModelMultipleChoiceField(
        label="我是（选填，用于精准推送）", queryset=Audience.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="企业请选所属行业和规模，个人请选符合的情况；标注了适用对象的政策只推送给对应的人。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = Organ.objects.active()
        self.fields["record"].queryset = Record.objects.public()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needs = {SubscriptionKind.ORGAN: ("organ", "请选择机关。"), SubscriptionKind.GENRE: ("genre", "请选择体裁。"),
                 SubscriptionKind.TOPIC: ("topic", "请选择主题分类。"), SubscriptionKind.SEARCH: ("query", "请填写关键词。"),
                 SubscriptionKind.RECORD: ("record", "请从文件页面订阅这份文件。"),
                 SubscriptionKind.AUDIENCE: ("audiences", "精准推送请至少选择一项“我是”。")}
        if kind in needs:
            name, message = needs[kind]
            if not data.get(name):
                self.add_error(name if name != "record" else None, message)
        return data


class ManageForm(forms.Form):
    audiences = forms.ModelMultipleChoiceField(label="我是", queryset=Audience.objects.all(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
