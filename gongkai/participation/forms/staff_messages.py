"""Staff forms of the message box and the 口径库. Forms validate input only; the services decide."""

from __future__ import annotations

from django import forms

from gongkai.core.models import Organ
from gongkai.records.models import Record, Topic

from ..models import AnswerStatus, MessageKind, MessageStatus
from ..selectors.messages import INBOX_FLAGS


class InboxFilterForm(forms.Form):
    organ = forms.ModelChoiceField(label="机关", queryset=Organ.objects.none(), required=False, empty_label="全部机关")
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), ("open", "未办结")] + list(MessageStatus.choices))
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型")] + list(MessageKind.choices))
    flag = forms.ChoiceField(label="标记", required=False, choices=[("", "不限")] + list(INBOX_FLAGS.items()))
    q = forms.CharField(label="查询码或关键词", required=False, max_length=100)

    def __init__(self, *args, organs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs if organs is not None else Organ.objects.none()


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label="经办人", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [("", "不分配")] + [(u.pk, u.get_full_name() or u.username) for u in handlers]


class TransferForm(forms.Form):
    to_organ = forms.ModelChoiceField(label="转至机关", queryset=Organ.objects.active().order_by("path"),
                                      error_messages={"required": "请选择接办的机关。"})
    reason = forms.CharField(label="转办理由（会告知留言人）", max_length=300,
                             error_messages={"required": "转办必须写明理由，理由会告知留言人。"})


class ReplyForm(forms.Form):
    body = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 10}), max_length=5000,
                           error_messages={"required": "答复内容不能为空。"})
    answers = forms.CharField(required=False, widget=forms.HiddenInput)

    def answer_ids(self) -> list[int]:
        raw = (self.cleaned_data.get("answers") if hasattr(self, "cleaned_data") else self.data.get("answers")) or ""
        return sorted({int(p) for p in str(raw).split(",") if p.strip().isdigit()})


class ReplyReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核意见", choices=[("approve", "同意答复"), ("return", "退回修改")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择审核意见。"})
    publish = forms.BooleanField(label="在留言选登中公开（须留言人同意，已自动隐去个人信息）", required=False, initial=True)
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="退回修改时必填。")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300, error_messages={"required": "请写明理由。"})


class AnswerForm(forms.Form):
    question = forms.CharField(label="问题", max_length=300, error_messages={"required": "问题不能为空。"})
    phrasings = forms.CharField(label="其他问法（每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label="答复口径", widget=forms.Textarea(attrs={"rows": 8}),
                             error_messages={"required": "答复口径不能为空。"})
    topic = forms.ModelChoiceField(label="主题分类", queryset=Topic.objects.all(), required=False, empty_label="不选")
    audience = forms.CharField(label="涉及人群", max_length=200, required=False)
    bases = forms.CharField(label="政策依据", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="每行一个已公开文件的索引号或发文字号，可在后面用括号注明条款，例如“保政办函〔2021〕15号（第三条）”。")
    valid_from = forms.DateField(label="有效期自", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "请输入有效日期。"})
    valid_until = forms.DateField(label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": "请输入有效日期。"})
    is_public = forms.BooleanField(label="在政策问答中公开", required=False, initial=True)

    def __init__(self, *args, organs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organs is not None:
            self.fields["organ"] = forms.ModelChoiceField(label="机关", queryset=organs,
                                                          error_messages={"required": "请选择机关。"})
            self.order_fields(["organ"])

    def clean_bases(self):
        from ..services.answers_excel import _BASIS_RE

        out, missing = [], []
        for line in (self.cleaned_data.get("bases") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            m = _BASIS_RE.match(line)
            ref, article = (m.group("ref").strip(), (m.group("article") or "").strip()) if m else (line, "")
            qs = Record.objects.public()
            record = qs.filter(index_no=ref).first() or qs.filter(doc_no=ref).first()
            if record is None:
                missing.append(ref)
            else:
                out.append((record, article[:100]))
        if missing:
            raise forms.ValidationError(f"没有找到已公开的文件：{'、'.join(missing)}（请填写索引号或发文字号）。")
        return out

    def data_for_service(self) -> dict:
        keys = ["question", "phrasings", "answer", "topic", "audience", "valid_from", "valid_until", "is_public"]
        return {k: self.cleaned_data.get(k) for k in keys}


class AnswerFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(AnswerStatus.choices))


class AnswerReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核意见", choices=[("approve", "审核通过"), ("return", "退回修改")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择审核意见。"})
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    organ = forms.ModelChoiceField(label="导入到机关", queryset=Organ.objects.none(),
                                   error_messages={"required": "请选择机关。"})
    file = forms.FileField(label="Excel文件（.xlsx）", error_messages={"required": "请选择要导入的文件。"})

    def __init__(self, *args, organs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs if organs is not None else Organ.objects.none()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传Excel（.xlsx）文件。")
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError("文件超过10MB。")
        return f
