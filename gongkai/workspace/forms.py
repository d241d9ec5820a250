from __future__ import annotations

import datetime as dt

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from gongkai.core.models import Organ
from gongkai.records import docno
from gongkai.records.models import (
    Attribute,
    CatalogEntry,
    Genre,
    Record,
    ReviewDecision,
    Status,
    Topic,
    Validity,
)

PUBLISH_CHOICES = [("now", "立即发布"), ("schedule", "定时发布"), ("later", "暂不发布（稍后发布）")]



class DatalistInput(forms.TextInput):
    """A text box with the browser's suggestion list (``<datalist>``): searchable, no script needed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = ()

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        options = "".join(
            format_html('<option value="{}">{}</option>', r.doc_no or r.index_no, r.title) for r in self.options
        )
        return html + format_html('<datalist id="{}">{}</datalist>', self.attrs.get("list", ""), mark_safe(options))  # noqa: S308 - built by format_html


class PublicDocumentField(forms.CharField):
    """A document picked by its 发文字号, 索引号 or exact title among the public documents of the
    organ(s) (a record that is not public is never offered: it would link the public page to a 404).
    The browser's list (``<datalist>``) suggests the organ's latest public policy documents as one types."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", DatalistInput)
        kwargs.setdefault("help_text", "输入发文字号、索引号或标题，从本机关已公开的文件中选择。")
        super().__init__(*args, **kwargs)
        self.queryset = Record.objects.none()
        self.list_id = ""

    def configure(self, *, queryset, list_id: str) -> None:
        self.queryset = queryset
        self.list_id = list_id
        self.widget.attrs.update({"list": list_id, "autocomplete": "off"})
        self.widget.options = self.suggestions()

    def suggestions(self):
        return self.queryset.filter(genre__is_policy=True).order_by("-published_at")[:200]

    def prepare_value(self, value):
        if isinstance(value, Record):
            return value.doc_no or value.index_no
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found = self.queryset.filter(pk=int(value)).first()
            return (found.doc_no or found.index_no) if found else ""
        return value

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            normalized = docno.normalize(text)
        except docno.DocNoError:
            normalized = text
        matches = list(self.queryset.filter(
            models.Q(doc_no=normalized) | models.Q(index_no=text) | models.Q(title=text))[:2])
        if not matches:
            raise forms.ValidationError(f"没有找到本机关已公开的文件“{text}”。请输入已公开文件的发文字号、索引号或完整标题。")
        if len(matches) > 1:
            raise forms.ValidationError(f"“{text}”对应多份已公开文件，请改用索引号。")
        return matches[0]


class RecordForm(forms.ModelForm):
    organ = forms.ModelChoiceField(label="发布机构", queryset=Organ.objects.none())
    issuers = forms.ModelMultipleChoiceField(label="发文机关", queryset=Organ.objects.none(), required=False,
                                             help_text="联合发文时选择多个；不选则为发布机构。")
    catalog_entries = forms.ModelMultipleChoiceField(
        label="目录栏目", queryset=CatalogEntry.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"data-filter-options": "筛选目录栏目", "size": 10}))
    interprets = forms.ModelChoiceField(label="解读的文件", queryset=Record.objects.none(), required=False,
                                        help_text="政策解读须选择它所解读的文件。")
    superseded_by = PublicDocumentField(label="被以下文件修订或废止")

    class Meta:
        model = Record
        fields = [
            "organ", "title", "doc_no", "summary", "issuers", "written_on", "genre", "topic", "attribute",
            "withholding_ground", "attribute_reason", "validity", "valid_from", "valid_until", "superseded_by",
            "interprets", "catalog_entries", "keywords", "body",
        ]
        widgets = {
            "written_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "attribute_reason": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs
        self.fields["issuers"].queryset = Organ.objects.active()
        self.fields["genre"].queryset = Genre.objects.all()
        self.fields["topic"].queryset = Topic.objects.all()
        # The picker shows the chosen organ's catalog only (an existing record's organ; for a new one,
        # the organs the editor drafts for), each entry labelled with its place in the tree.
        entry_organs = [self.instance.organ] if self.instance.pk else organs
        entries = (CatalogEntry.objects.filter(catalog__organ__in=entry_organs)
                   .select_related("catalog__organ", "parent").order_by("catalog__organ__path", "order", "id"))
        self.fields["catalog_entries"].queryset = entries
        several = not self.instance.pk and len({e.catalog.organ_id for e in entries}) > 1
        self.fields["catalog_entries"].label_from_instance = lambda e: (
            (f"{e.catalog.organ.name}：" if several else "") + (f"{e.parent.name} › " if e.parent_id else "") + e.name
        )
        self.fields["catalog_entries"].help_text = (
            "不选时，发布后按目录的归档规则自动归入相应栏目（体裁、主题分类或关键词相符的栏目）。"
        )
        linkable = Record.objects.filter(organ__in=organs).exclude(status=Status.WITHDRAWN) | Record.objects.public()
        if self.instance.pk:
            linkable = linkable.exclude(pk=self.instance.pk)
        self.fields["interprets"].queryset = linkable.distinct()
        successors = Record.objects.public().filter(organ__in=organs)
        if self.instance.pk:
            successors = successors.filter(organ=self.instance.organ).exclude(pk=self.instance.pk)
        self.fields["superseded_by"].configure(queryset=successors, list_id="successor-list")
        if self.instance.pk:
            self.fields["organ"].disabled = True

    def clean_doc_no(self):
        value = self.cleaned_data.get("doc_no", "")
        try:
            return docno.normalize(value)
        except docno.DocNoError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        attribute = data.get("attribute")
        if attribute and attribute != Attribute.PROACTIVE:
            if not (data.get("attribute_reason") or "").strip():
                self.add_error("attribute_reason", "依申请公开或不予公开的信息必须写明理由。")
            if attribute == Attribute.WITHHELD and not data.get("withholding_ground"):
                self.add_error("withholding_ground", "不予公开的信息必须选择依据（条例第十四至十六条）。")
        genre = data.get("genre")
        if genre and genre.is_interpretation and not data.get("interprets"):
            self.add_error("interprets", "政策解读须选择它所解读的文件。")
        return data

    def record_data(self) -> dict:
        skip = {"organ", "issuers", "catalog_entries"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件文件")
    name = forms.CharField(label="附件名称", required=False, max_length=200, help_text="不填则使用文件名。")
    withheld = forms.BooleanField(label="本附件不予公开", required=False)
    withheld_reason = forms.CharField(label="不公开理由", required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("withheld") and not (data.get("withheld_reason") or "").strip():
            self.add_error("withheld_reason", "不予公开的附件必须写明理由。")
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    confidentiality_opinion = forms.CharField(
        label="保密审查意见", widget=forms.Textarea(attrs={"rows": 3}),
        initial="经审查，该信息不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意按确认的公开属性处理。",
    )
    attribute_confirmed = forms.ChoiceField(label="确认的公开属性", choices=Attribute.choices)
    comment = forms.CharField(label="修改意见", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="退回修改时必填。")
    publish = forms.ChoiceField(label="发布方式", choices=PUBLISH_CHOICES, initial="now",
                                help_text="仅对确认为主动公开的信息有效。")
    publish_at = forms.DateTimeField(label="定时发布时间", required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewDecision.RETURNED and not (data.get("comment") or "").strip():
            self.add_error("comment", "退回修改时请写明需要修改的内容。")
        if data.get("decision") == ReviewDecision.APPROVED and data.get("publish") == "schedule":
            at = data.get("publish_at")
            if not at:
                self.add_error("publish_at", "请填写定时发布的时间。")
            elif at <= timezone.now():
                self.add_error("publish_at", "定时发布的时间必须晚于现在。")
        return data


class PublishForm(forms.Form):
    publish = forms.ChoiceField(label="发布方式", choices=PUBLISH_CHOICES[:2], initial="now")
    publish_at = forms.DateTimeField(label="定时发布时间", required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean(self):
        data = super().clean()
        if data.get("publish") == "schedule":
            at = data.get("publish_at")
            if not at:
                self.add_error("publish_at", "请填写定时发布的时间。")
            elif at <= timezone.now():
                self.add_error("publish_at", "定时发布的时间必须晚于现在。")
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=300, help_text="原因会在公开页面上显示。")


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    superseded_by = PublicDocumentField(label="被以下文件修订或废止")
    valid_until = forms.DateField(label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, record: Record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superseded_by"].configure(
            queryset=Record.objects.public().filter(organ=record.organ).exclude(pk=record.pk),
            list_id="successor-list-validity",
        )


class RedeterminationForm(forms.Form):
    records = forms.ModelMultipleChoiceField(label="信息", queryset=Record.objects.none(), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="重新审定理由", max_length=300, initial="经重新审定，不公开的情形已消失，拟转为主动公开。")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = candidates


class RecordFilterForm(forms.Form):
    q = forms.CharField(label="标题或文号", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + Status.choices)
    attribute = forms.ChoiceField(label="公开属性", required=False, choices=[("", "全部")] + Attribute.choices)
    organ = forms.ModelChoiceField(label="机关", required=False, queryset=Organ.objects.none(), empty_label="全部")
    genre = forms.ModelChoiceField(label="体裁", required=False, queryset=Genre.objects.all(), empty_label="全部")
    sort = forms.ChoiceField(label="排序", required=False, choices=[
        ("-updated_at", "最近修改"), ("-published_at", "发布日期（新→旧）"), ("published_at", "发布日期（旧→新）"),
        ("-written_on", "成文日期（新→旧）"), ("title", "标题"),
    ])

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs


def local_date(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
