"""Forms validate input only; the services decide."""

from __future__ import annotations

from django import forms

from gongkai.core.models import Organ
from gongkai.records.models import Record

from .models import TaskStatus, UnitRole


class ImportForm(forms.Form):
    organ = forms.ModelChoiceField(Organ.objects.none(), label="负责机关",
                                   help_text="由哪个机关的公开办管理；单位名称在它所属政府的机关中匹配。")
    file = forms.FileField(label="工作要点文件", required=False,
                           help_text="Word（.docx）、Excel（.xlsx）、网页（.html）或文本（.txt），不超过20MB。")
    text = forms.CharField(label="或粘贴正文", required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="可以直接粘贴网页或Word中的全文，包括任务分解表。")
    allow_duplicate = forms.BooleanField(label="仍然导入", required=False,
                                         help_text="平台发现这份工作要点可能已经导入过时，确需再次导入请勾选。")

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if not upload and not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传文件或粘贴工作要点的正文。")
        if upload and upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("文件超过20MB，请拆分后上传。")
        return data


class PlanForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    default_due = forms.DateField(label="默认完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text="没有写明时限的任务按这一天判断是否逾期。")
    summary = forms.CharField(label="执行情况总结", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="年度报告“年度工作”一节可以引用这段总结。")


class ProgressForm(forms.Form):
    organ = forms.ModelChoiceField(Organ.objects.none(), label="报送单位")
    reported_on = forms.DateField(label="进展日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    records = forms.ModelMultipleChoiceField(Record.objects.none(), label="佐证信息（已公开）", required=False,
                                             help_text="按住Ctrl可多选本平台已公开的相关信息。")
    link = forms.URLField(label="佐证链接", required=False, assume_scheme="https")
    files = forms.FileField(label="佐证附件", required=False)
    propose_public = forms.BooleanField(label="申请在门户公开这条进展", required=False,
                                        help_text="经公开办审核（保密审查）后显示在工作要点的公开页面。")
    done = forms.BooleanField(label="任务已完成", required=False)

    def __init__(self, *args, organs, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs
        self.fields["records"].queryset = records


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=TaskStatus.choices)


class AssignForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=UnitRole.choices)
    organs = forms.ModelMultipleChoiceField(Organ.objects.none(), label="单位")

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organs"].queryset = organs
