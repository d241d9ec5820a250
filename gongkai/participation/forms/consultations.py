"""Forms for consultations: the public comment form, the receipt lookup and the staff forms."""

from __future__ import annotations

from django import forms

from gongkai.core import validators
from gongkai.core.files import check_upload_content
from gongkai.core.forms import GuardedFormMixin, KeptFilesMixin
from gongkai.core.idempotency import OnceFormMixin
from gongkai.core.throttle import Throttle

from ..models import (
    CommentModeration,
    Consultation,
    ConsultationKind,
    Disposition,
    QuestionKind,
    ReviewDecision,
)
from ..services.consultations import ATTACHMENT_MAX_MB, ATTACHMENT_TYPES

COMMENT_THROTTLE = Throttle(name="consultation-comment", limit=10, window=3600, challenge_after=2)
LOOKUP_THROTTLE = Throttle(name="consultation-lookup", limit=30, window=3600, challenge_after=10)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OVERALL = ""


class CommentForm(KeptFilesMixin, GuardedFormMixin, OnceFormMixin, forms.Form):
    """A comment from the public. Validates input only; the service decides whether it may be taken.
    A valid attachment is kept across a form error (:class:`~gongkai.core.forms.KeptFilesMixin`)."""

    throttle = COMMENT_THROTTLE
    kept_field = "attachment"
    kept_dir = "participation/pending/comments/"
    kept_salt = "gongkai.comment.kept-attachment"
    kept_max_files = 1

    section = forms.ChoiceField(label="意见针对", required=False)
    body = forms.CharField(label="意见内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "请填写意见内容。",
                                           "max_length": "意见内容不能超过5000字，较长的意见请作为附件上传。"})
    name = forms.CharField(label="姓名或单位", max_length=100, required=False,
                           help_text="如实填写；公开显示意见时只显示姓氏（如“张某”）。")
    anonymous = forms.BooleanField(label="匿名提交", required=False)
    email = forms.EmailField(label="电子邮箱（选填，不公开）", required=False,
                             help_text="填写后，意见采纳情况公布时会通知您。",
                             error_messages={"invalid": "请填写有效的电子邮箱，例如 name@example.com。"})
    phone = forms.CharField(label="联系电话（选填，不公开）", max_length=30, required=False)
    attachment = forms.FileField(label="附件（选填）", required=False,
                                 help_text="PDF、Word、图片或文本文件，不超过10MB。")
    website = forms.CharField(label="网站（请勿填写）", required=False)  # honeypot
    challenge_answer = forms.CharField(label="验证问题", required=False)
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_phone(self):
        return validators.clean_phone(self.cleaned_data.get("phone"))

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if not f:
            return None
        if not (f.name or "").lower().endswith(ATTACHMENT_TYPES):
            raise forms.ValidationError(f"附件类型不允许上传，允许的类型：{'、'.join(ATTACHMENT_TYPES)}。")
        if f.size > ATTACHMENT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"附件超过{ATTACHMENT_MAX_MB}MB的大小限制。")
        if not f.size:
            raise forms.ValidationError("附件是空文件。")
        check_upload_content(f)
        return f

    def __init__(self, *args, consultation: Consultation, challenge: tuple[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        sections = list(consultation.sections.all())
        if sections:
            self.fields["section"].choices = [(OVERALL, "总体意见")] + [(str(s.pk), s.heading) for s in sections]
        else:
            del self.fields["section"]
        if not consultation.allow_anonymous:
            del self.fields["anonymous"]
        self.questions = list(consultation.questions.all())
        for q in self.questions:
            key = f"q_{q.pk}"
            if q.kind == QuestionKind.SINGLE:
                self.fields[key] = forms.ChoiceField(label=q.text, required=q.required, widget=forms.RadioSelect,
                                                     choices=[(o, o) for o in q.options])
            elif q.kind == QuestionKind.MULTIPLE:
                self.fields[key] = forms.MultipleChoiceField(label=q.text, required=q.required,
                                                             widget=forms.CheckboxSelectMultiple,
                                                             choices=[(o, o) for o in q.options])
            else:
                self.fields[key] = forms.CharField(label=q.text, required=q.required, max_length=1000,
                                                   widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[key].error_messages["required"] = f"请回答问卷问题“{q.text}”。"
        self.set_challenge(challenge)

    def clean(self):
        data = super().clean()
        self.check_challenge(data)
        if not data.get("anonymous") and not (data.get("name") or "").strip():
            hint = "，或选择匿名提交" if "anonymous" in self.fields else ""
            self.add_error("name", f"请填写姓名或单位名称{hint}。")
        return data

    def section_obj(self):
        pk = self.cleaned_data.get("section") or ""
        return self.consultation.sections.filter(pk=pk).first() if pk else None

    def answers(self) -> dict:
        return {str(q.pk): self.cleaned_data.get(f"q_{q.pk}") for q in self.questions}


class LookupForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20, help_text="提交意见后页面上显示的10位查询码。",
                           error_messages={"required": "请输入查询码。"})


# -- staff ----------------------------------------------------------------------------------------


class ConsultationForm(forms.ModelForm):
    draft_upload = forms.FileField(label="草案附件（选填）", required=False,
                                   help_text="PDF、Word或WPS文件，不超过20MB；公众可以在征集页面下载。")
    draft_index_no = forms.CharField(label="草案信息的索引号（选填）", max_length=40, required=False,
                                     help_text="草案已作为政府信息录入工作台的，填写它的索引号。")
    sections_text = forms.CharField(
        label="分条征求意见的条款", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一条：条款名称、一个竖线“|”、条文，例如“第三条|办理时限为十五个工作日。”不分条的留空。")
    questions_text = forms.CharField(
        label="问卷问题（选填）", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一题：题型（单选/多选/填空）、竖线、问题、竖线、选项用顿号分隔，例如“单选|您是否赞成？|赞成、反对”。")

    class Meta:
        model = Consultation
        fields = ["kind", "title", "purpose", "draft_text", "explanation", "starts_on", "ends_on",
                  "short_period_reason", "accepts_online", "channel_email", "channel_post", "channel_other",
                  "allow_anonymous", "show_comments"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "purpose": forms.Textarea(attrs={"rows": 4}),
                   "short_period_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ConsultationKind.choices
        if self.instance.pk and self.instance.draft_record_id:
            self.initial["draft_index_no"] = self.instance.draft_record.index_no
        if self.instance.pk:
            self.initial["sections_text"] = "\n".join(f"{s.heading}|{s.text}" for s in self.instance.sections.all())
            self.initial["questions_text"] = "\n".join(
                f"{QuestionKind(q.kind).label}|{q.text}|{'、'.join(q.options)}" for q in self.instance.questions.all())

    def clean_questions_text(self):
        kinds = {label: value for value, label in QuestionKind.choices}
        out = []
        for n, line in enumerate((self.cleaned_data.get("questions_text") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or parts[0] not in kinds:
                raise forms.ValidationError(f"第{n}行格式不对：应以“单选|”“多选|”或“填空|”开头。")
            options = [o for o in (parts[2] if len(parts) > 2 else "").replace(",", "、").split("、") if o.strip()]
            out.append({"kind": kinds[parts[0]], "text": parts[1], "options": options})
        return out

    def clean_sections_text(self):
        out = []
        for line in (self.cleaned_data.get("sections_text") or "").splitlines():
            if line.strip():
                heading, _, text = line.partition("|")
                out.append({"heading": heading.strip()[:100], "text": text.strip()})
        return out

    def clean_draft_index_no(self):
        from gongkai.records.models import Record

        index_no = (self.cleaned_data.get("draft_index_no") or "").strip()
        if not index_no:
            return None
        record = Record.objects.filter(index_no=index_no).first()
        if record is None:
            raise forms.ValidationError(f"没有找到索引号为“{index_no}”的信息。")
        return record

    def data_for_service(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields} | {
            "draft_record": self.cleaned_data.get("draft_index_no")}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label="保密审查意见", widget=forms.Textarea(attrs={"rows": 3}),
                              initial="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。",
                              help_text="退回修改时写明需要修改的内容。")


class CloseForm(forms.Form):
    reason = forms.CharField(label="提前结束的理由", required=False, max_length=300,
                             help_text="期限届满后结束无需填写；提前结束必须写明理由，理由会公开。")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=300)


class ModerateForm(forms.Form):
    moderation = forms.ChoiceField(label="审核结果", widget=forms.RadioSelect, choices=[
        (CommentModeration.SHOWN, "公开显示（自动去除个人信息）"),
        (CommentModeration.NOT_SHOWN, CommentModeration.NOT_SHOWN.label),
        (CommentModeration.REJECTED, "无效意见（广告、辱骂、与征集无关）"),
    ])
    public_text = forms.CharField(label="公开文本（可编辑，保存时再次去除个人信息）", required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(label="采纳情况", choices=[("", "请选择")] + Disposition.choices,
                                    error_messages={"required": "请选择采纳情况。"})
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请写明理由，理由会向社会公布。"})


class GroupForm(DispositionForm):
    title = forms.CharField(label="意见归类", max_length=200,
                            help_text="概括这一类意见，例如“关于收费标准的意见”；勾选的意见一并答复。")


class FeedbackForm(forms.Form):
    main_opinions = forms.CharField(label="主要意见", widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text="概括公众提出的主要意见。")
    changes = forms.CharField(label="草案修改情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class FinalRecordForm(forms.Form):
    index_no = forms.CharField(label="正式文件的索引号", max_length=40, required=False,
                               help_text="决策后正式印发的文件（须已公开发布）；留空则取消关联。")
