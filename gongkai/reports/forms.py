"""Forms validate input only; the services check the figures and refuse with a Chinese reason."""

from __future__ import annotations

from django import forms

from . import tables

OVERRIDE_ROWS = 3
OVERRIDABLE = [k for k in tables.ALL_KEYS if k not in tables.T2_ENTERED_KEYS]


def field_name(key: str) -> str:
    return "e_" + key.replace(".", "_")


def source_name(key: str) -> str:
    return "s_" + key.replace(".", "_")


def zero_name(key: str) -> str:
    return "z_" + key.replace(".", "_")


#: The source written for an entered-only cell confirmed as 0 without one.
ZERO_SOURCE = "经本机关核实，本年为0"


class ReportForm(forms.Form):
    """Prose, the figures the platform cannot know, and corrections of computed figures."""

    include_subordinates = forms.BooleanField(
        label="汇总下属机关数据", required=False,
        help_text="政府的年度报告汇总各部门、乡镇（街道）的数据时勾选。")
    overview = forms.CharField(label="一、总体情况", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                               help_text="每段一行。写明主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况。")
    problems = forms.CharField(label="五、存在的主要问题及改进情况", required=False,
                               widget=forms.Textarea(attrs={"rows": 6}))
    other_matters = forms.CharField(
        label="六、其他需要报告的事项", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="信息处理费收取情况；人大代表建议和政协提案办理结果公开情况；年度政务公开工作要点落实情况等。")

    def __init__(self, *args, entries: dict[str, str] | None = None, sources: dict[str, str] | None = None, **kw):
        super().__init__(*args, **kw)
        entries, sources = entries or {}, sources or {}
        self.t2_keys = tables.t2_keys()
        for key in self.t2_keys:
            entered_only = key in tables.T2_ENTERED_KEYS
            self.fields[field_name(key)] = forms.CharField(
                label=tables.cell_label(key), required=False, initial=entries.get(key, ""), max_length=20,
                help_text="请填报。" if entered_only else "留空则采用平台统计数；填写则以填报数为准并提示差异。")
            self.fields[source_name(key)] = forms.CharField(
                label="数据来源", required=False, initial=sources.get(key, ""), max_length=200)
            if entered_only:
                self.fields[zero_name(key)] = forms.BooleanField(
                    label="本年确无，确认为0", required=False, initial=str(entries.get(key, "")).strip() == "0")
        extra = [(k, v) for k, v in entries.items() if not k.startswith("t2.")]
        choices = [("", "（选择表三或表四的单元格）")] + [(k, tables.cell_label(k)) for k in OVERRIDABLE if not k.startswith("t2.")]
        self.override_rows = max(OVERRIDE_ROWS, len(extra) + 1)
        for i in range(self.override_rows):
            key, value = extra[i] if i < len(extra) else ("", "")
            self.fields[f"o{i}_key"] = forms.ChoiceField(label="单元格", choices=choices, required=False, initial=key)
            self.fields[f"o{i}_value"] = forms.CharField(label="填报数", required=False, initial=value, max_length=20)
            self.fields[f"o{i}_source"] = forms.CharField(label="数据来源及差异原因", required=False,
                                                         initial=sources.get(key, ""), max_length=200)

    def t2_rows(self, computed: dict) -> list[tuple]:
        """(figure, source, what the platform counts or "平台无法统计", confirm-zero box or None) per table-二 cell."""
        return [(self[field_name(k)], self[source_name(k)],
                 "平台无法统计" if k in tables.T2_ENTERED_KEYS else f"平台统计 {tables.fmt(computed[k])}",
                 self[zero_name(k)] if k in tables.T2_ENTERED_KEYS else None)
                for k in self.t2_keys]

    def override_triples(self):
        return [(self[f"o{i}_key"], self[f"o{i}_value"], self[f"o{i}_source"]) for i in range(self.override_rows)]

    def clean(self):
        data = super().clean()
        seen = set()
        for i in range(self.override_rows):
            key = data.get(f"o{i}_key")
            if key and key in seen:
                self.add_error(f"o{i}_key", "同一单元格只能填报一次。")
            if key:
                seen.add(key)
            if data.get(f"o{i}_value") and not key:
                self.add_error(f"o{i}_key", "请选择要填报的单元格。")
        for key in tables.T2_ENTERED_KEYS:
            value = (data.get(field_name(key)) or "").strip()
            if data.get(zero_name(key)) and value and value.replace(".", "").strip("0") != "":
                self.add_error(field_name(key), f"已勾选“确认为0”，但填报数为 {value}，请只选其一。")
        return data

    def entries(self) -> tuple[dict[str, str], dict[str, str]]:
        data = self.cleaned_data
        entries, sources = {}, {}
        for key in self.t2_keys:
            entries[key] = data.get(field_name(key), "")
            sources[key] = data.get(source_name(key), "")
            if data.get(zero_name(key)) and not (entries[key] or "").strip():
                entries[key] = "0"
                sources[key] = (sources[key] or "").strip() or ZERO_SOURCE
        for i in range(self.override_rows):
            key = data.get(f"o{i}_key")
            if key:
                entries[key] = data.get(f"o{i}_value", "")
                sources[key] = data.get(f"o{i}_source", "")
        return entries, sources


class YearForm(forms.Form):
    year = forms.IntegerField(label="报告年度", min_value=2019, max_value=2100)


class EarlySubmissionForm(forms.Form):
    reason = forms.CharField(label="允许提前提交的理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请写明允许在年度结束前提交的理由。"})
