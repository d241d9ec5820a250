"""Filter forms of the public lists (GET forms: no cookies, no CSRF, cacheable); the site settings form."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from gongkai.records.gazette import SECTIONS
from gongkai.records.models import Gazette, Genre, Record, Topic, Validity

from .models import HOME_BLOCKS, NAV_COLUMNS

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
    q = forms.CharField(label="关键词或发文字号", required=False, max_length=100)
    validity = forms.ChoiceField(label="有效性", required=False, choices=POLICY_VALIDITY_CHOICES)
    issuer = forms.ChoiceField(label="发文机关", required=False)
    genre = forms.ChoiceField(label="体裁", required=False)
    topic = forms.ChoiceField(label="主题分类", required=False)
    year = forms.TypedChoiceField(label="成文年份", required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def __init__(self, *args, organs=(), **kwargs):
        super().__init__(*args, organs=organs, **kwargs)
        self.fields["issuer"].choices = self.organ_choices
        self.fields["genre"].choices = [("", "全部")] + [
            (g.code, g.name) for g in Genre.objects.filter(is_policy=True)]
        self.fields["topic"].choices = [("", "全部")] + [(t.code, t.name) for t in Topic.objects.all()]
        self.fields["year"].choices = _years()

    def with_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """Show how many documents each value has (with the other filters applied), and drop the
        values that have none (a year without documents is not offered); a chosen value stays."""
        for name, by_value in counts.items():
            chosen = str(self.data.get(name, "")) if self.is_bound else ""
            choices = []
            for value, label in self.fields[name].choices:
                if value == "":
                    choices.append((value, label))
                elif str(value) in by_value or str(value) == chosen:
                    choices.append((value, f"{label}（{by_value.get(str(value), 0)}）"))
            self.fields[name].choices = choices


class GazetteFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        # only the years that have published issues (all years when not given)
        self.fields["year"].choices = _years() if years is None else [("", "全部")] + [
            (str(y), f"{y}年") for y in sorted(set(years), reverse=True)]


# --- the site settings (workspace) -----------------------------------------------------


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on ``#rrggbb``."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


class SiteSettingsForm(forms.Form):
    """The identity and frame of a site. Navigation and home blocks: a number shows the item in
    that order, an empty box hides it."""

    site_name = forms.CharField(label="网站名称", max_length=100, required=False,
                                help_text="留空时用机关名称（平台为“政府信息公开平台”）。")
    emblem = forms.ImageField(label="标志图片", required=False, help_text="PNG或JPEG，不超过 1 MB。")
    clear_emblem = forms.BooleanField(label="删除现有标志图片", required=False)
    accent = forms.CharField(label="主题色", max_length=7, required=False,
                             help_text="例如 #a4161a；白色文字在其上需清晰可读（对比度不低于4.5:1）。")
    host = forms.CharField(label="独立域名", max_length=253, required=False,
                           help_text="例如 gaj.example.gov.cn；保存后即生效，还需将域名解析到本平台。")
    sponsor = forms.CharField(label="主办单位", max_length=100, required=False)
    organizer = forms.CharField(label="承办单位", max_length=100, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=50, required=False)
    contact_email = forms.EmailField(label="联系邮箱", required=False)
    site_code = forms.RegexField(label="网站标识码", regex=r"^[0-9A-Za-z]{10}$", required=False,
                                 error_messages={"invalid": "网站标识码应为10位数字或字母。"})
    icp = forms.CharField(label="ICP备案号", max_length=50, required=False)
    police_record = forms.CharField(label="公安机关备案号", max_length=50, required=False)
    conac_url = forms.URLField(label="党政机关网站标识链接", required=False, assume_scheme="https")
    a11y_contact = forms.CharField(label="无障碍服务联系方式", max_length=100, required=False)

    def __init__(self, *args, platform: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if platform:
            del self.fields["host"]
        for key, label in NAV_COLUMNS.items():
            self.fields[f"nav_{key}"] = forms.IntegerField(label=label, required=False, min_value=1, max_value=99)
        for key, label in HOME_BLOCKS.items():
            self.fields[f"block_{key}"] = forms.IntegerField(label=label, required=False, min_value=1, max_value=99)

    @staticmethod
    def initial_for(row) -> dict:
        if row is None:
            return {}
        initial = {name: getattr(row, name) or "" for name in
                   ["site_name", "accent", "host", "sponsor", "organizer", "contact_phone", "contact_email",
                    "site_code", "icp", "police_record", "conac_url", "a11y_contact"]}
        initial.update({f"nav_{k}": i for i, k in enumerate(row.nav, 1)})
        initial.update({f"block_{k}": i for i, k in enumerate(row.home_blocks, 1)})
        return initial

    def nav_fields(self):
        return [self[f"nav_{k}"] for k in NAV_COLUMNS]

    def block_fields(self):
        return [self[f"block_{k}"] for k in HOME_BLOCKS]

    def clean_accent(self) -> str:
        value = self.cleaned_data["accent"].strip()
        if not value:
            return ""
        if len(value) != 7 or value[0] != "#" or any(ch not in "0123456789abcdefABCDEF" for ch in value[1:]):
            raise forms.ValidationError("颜色应写成“#”加六位十六进制数，例如 #a4161a。")
        if contrast_with_white(value) < 4.5:
            raise forms.ValidationError("该颜色太浅，白色文字在其上看不清（对比度低于4.5:1），请选深一些的颜色。")
        return value.lower()

    def clean_emblem(self):
        emblem = self.cleaned_data.get("emblem")
        if emblem:
            if emblem.size > 1024 * 1024:
                raise forms.ValidationError("标志图片不能超过 1 MB。")
            if getattr(emblem, "image", None) is not None and emblem.image.format not in ("PNG", "JPEG"):
                raise forms.ValidationError("标志图片只能是PNG或JPEG格式。")
        return emblem

    def _ordered(self, prefix: str, keys) -> list[str]:
        chosen = [(self.cleaned_data.get(f"{prefix}_{k}"), i, k) for i, k in enumerate(keys)]
        return [k for order, _, k in sorted(c for c in chosen if c[0] is not None)]

    def settings_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("emblem", "clear_emblem") and not k.startswith(("nav_", "block_"))}
        data["nav"] = self._ordered("nav", NAV_COLUMNS)
        data["home_blocks"] = self._ordered("block", HOME_BLOCKS)
        return data


# --- 政府公报 (workspace) -------------------------------------------------------------------


class GazetteIssueForm(forms.Form):
    gazette = forms.ModelChoiceField(label="公报", queryset=Gazette.objects.none(), empty_label=None)
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="期号", min_value=1, max_value=999)
    total_number = forms.IntegerField(label="总期号", min_value=1, required=False)
    issued_on = forms.DateField(label="出版日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, gazettes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gazette"].queryset = Gazette.objects.filter(pk__in=[g.pk for g in gazettes])
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.update({"year": today.year, "issued_on": today})


class GazetteItemForm(forms.Form):
    record = forms.CharField(label="文件", max_length=200,
                             help_text="输入已公开文件的发文字号、索引号、完整标题或标题中的几个字。")
    section = forms.ChoiceField(label="栏目", choices=[(s, s) for s in SECTIONS])

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.candidates: list[Record] = []

    def clean_record(self):
        from gongkai.records import docno

        text = self.cleaned_data["record"].strip()
        try:
            number = docno.normalize(text)
        except docno.DocNoError:
            number = text
        public = Record.objects.public().filter(organ__path__startswith=self.issue.gazette.organ.path)
        found = list(public.filter(Q(doc_no=number) | Q(index_no=text) | Q(title=text))[:2])
        if not found and len(text) >= 2:  # a few characters of the title: the matches to choose from
            words = text.split()
            query = public
            for word in words:
                query = query.filter(title__icontains=word)
            found = list(query.order_by("-published_at", "-pk")[:11])
        if not found:
            raise forms.ValidationError(f"没有找到已公开的文件“{text}”。")
        if len(found) > 1:
            self.candidates = found[:10]
            raise forms.ValidationError(f"“{text}”对应多份文件，请从下面的结果中选择，或改用发文字号、索引号。")
        return found[0]


class VersionForm(forms.Form):
    """The text of a new version of a published record."""

    title = forms.CharField(label="标题", max_length=300)
    summary = forms.CharField(label="内容概述", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"title": instance.title, "summary": instance.summary, "body": instance.body})
        super().__init__(*args, **kwargs)


# --- the catalog: filing rules of an entry, and the entries a record is filed under -------------


def entry_labels(entries) -> dict[int, str]:
    """Each entry labelled with its place in the tree (上级 › 栏目), in the tree's order (each level by
    its 排序, parents before their children), from one list of the catalog's entries."""
    entries = list(entries)
    by_id = {e.pk: e for e in entries}
    children: dict[int | None, list] = {}
    for e in sorted(entries, key=lambda e: (e.order, e.pk)):
        children.setdefault(e.parent_id if e.parent_id in by_id else None, []).append(e)
    labels: dict[int, str] = {}

    def walk(parent_id, prefix: str) -> None:
        for e in children.get(parent_id, []):
            if e.pk not in labels:
                labels[e.pk] = f"{prefix} › {e.name}" if prefix else e.name
                walk(e.pk, labels[e.pk])

    walk(None, "")
    return labels


class CatalogRulesForm(forms.Form):
    genres = forms.ModelMultipleChoiceField(label="体裁", queryset=Genre.objects.order_by("order", "id"), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text="发布的信息属于所选体裁之一时归入本栏目。")
    topics = forms.ModelMultipleChoiceField(label="主题分类", queryset=Topic.objects.order_by("order", "id"),
                                            required=False, widget=forms.CheckboxSelectMultiple,
                                            help_text="发布的信息属于所选主题分类之一时归入本栏目。")
    keywords = forms.CharField(label="关键词", required=False, max_length=300,
                               help_text="用逗号或空格分隔；标题或关键词中含有其中之一时归入本栏目。"
                                         "与体裁、主题分类同时填写时须同时满足。")


class RecordCatalogForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(label="归档栏目", queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, record, **kwargs):
        from gongkai.records.models import CatalogEntry

        super().__init__(*args, **kwargs)
        entries = list(CatalogEntry.objects.filter(catalog__organ=record.organ).order_by("order", "id"))
        labels = entry_labels(entries)
        field = self.fields["entries"]
        field.queryset = CatalogEntry.objects.filter(pk__in=list(labels))
        field.choices = list(labels.items())
        self.has_catalog = bool(entries)
