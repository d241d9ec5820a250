"""Filter forms of the public lists (GET forms: no cookies, no CSRF, cacheable)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongkai.records.models import Genre, Topic, Validity

SORT_CHOICES = [
    ("-published", "发布日期（新→旧）"),
    ("published", "发布日期（旧→新）"),
    ("-written", "成文日期（新→旧）"),
    ("written", "成文日期（旧→新）"),
]
VALIDITY_CHOICES = [("", "全部"), *((v.value, v.label) for v in Validity)]
POLICY_VALIDITY_CHOICES = [
    ("in_force", "现行有效"),
    (Validity.REVISED.value, "已修订"),
    (Validity.REPEALED.value, "已废止"),
    (Validity.EXPIRED.value, "已失效"),
    ("all", "全部"),
]


def _years():
    this = timezone.localdate().year
    return [("", "全部")] + [(str(y), f"{y}年") for y in range(this, 1999, -1)]


class _Base(forms.Form):
    def __init__(self, *args, organs=(), genres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organ_choices = [("", "全部")] + [(o.code, o.name) for o in organs]


class RecordFilterForm(_Base):
    organ = forms.ChoiceField(label="发布机构", required=False)
    genre = forms.ChoiceField(label="体裁", required=False)
    topic = forms.ChoiceField(label="主题分类", required=False)
    year = forms.TypedChoiceField(label="发布年份", required=False, coerce=int, empty_value=None)
    validity = forms.ChoiceField(label="有效性", required=False, choices=VALIDITY_CHOICES)
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, organs=(), **kwargs):
        super().__init__(*args, organs=organs, **kwargs)
        self.fields["organ"].choices = self.organ_choices
        self.fields["genre"].choices = [("", "全部")] + [(g.code, g.name) for g in Genre.objects.all()]
        self.fields["topic"].choices = [("", "全部")] + [(t.code, t.name) for t in Topic.objects.all()]
        self.fields["year"].choices = _years()


class PolicyFilterForm(_Base):
    validity = forms.ChoiceField(label="有效性", required=False, choices=POLICY_VALIDITY_CHOICES)
    issuer = forms.ChoiceField(label="发文机关", required=False)
    genre = forms.ChoiceField(label="体裁", required=False)
    year = forms.TypedChoiceField(label="成文年份", required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, organs=(), **kwargs):
        super().__init__(*args, organs=organs, **kwargs)
        self.fields["issuer"].choices = self.organ_choices
        self.fields["genre"].choices = [("", "全部")] + [
            (g.code, g.name) for g in Genre.objects.filter(is_policy=True)]
        self.fields["year"].choices = _years()


class GazetteFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
