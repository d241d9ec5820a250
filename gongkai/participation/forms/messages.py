"""Forms of the message box. Forms validate input only; the services decide."""

from __future__ import annotations

import os

from django import forms
from django.conf import settings

from gongkai.core import validators
from gongkai.core.files import check_upload_content
from gongkai.core.forms import GuardedFormMixin, KeptFilesMixin, organ_tree_field_setup
from gongkai.core.idempotency import OnceFormMixin
from gongkai.core.models import Organ
from gongkai.core.throttle import Throttle

from ..models import MessageKind, Rating
from ..models.messages import BODY_MAX, SUBJECT_MAX
from ..services.messages import ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_BYTES

# Per address and hour (GONGKAI_MESSAGE_RATE_LIMIT and _CHALLENGE_AFTER: 10 and 2 unless set).
MESSAGE_THROTTLE = Throttle(name="message-submit", limit=int(getattr(settings, "GONGKAI_MESSAGE_RATE_LIMIT", 10)),
                            window=3600, challenge_after=int(getattr(settings, "GONGKAI_MESSAGE_CHALLENGE_AFTER", 2)))
TRACK_THROTTLE = Throttle(name="message-track", limit=20, window=3600, challenge_after=5)


class MessageForm(KeptFilesMixin, GuardedFormMixin, OnceFormMixin, forms.Form):
    """A message from the public; a valid attachment is kept across a form error (core KeptFilesMixin)."""

    throttle = MESSAGE_THROTTLE
    kept_field = "attachment"
    kept_dir = "messages/kept/"
    kept_salt = "gongkai.message.kept-attachment"
    kept_max_files = 1
    organ = forms.TypedChoiceField(label="留言对象（机关）", coerce=int, help_text="可在上方输入机关名称筛选。",
                                   error_messages={"required": "请选择留言的机关。",
                                                   "invalid_choice": "所选机关不存在或已停用，请重新选择。"})
    kind = forms.ChoiceField(label="留言类型", choices=MessageKind.choices, widget=forms.RadioSelect,
                             initial=MessageKind.CONSULT, error_messages={"required": "请选择留言类型。"})
    subject = forms.CharField(label="标题", max_length=SUBJECT_MAX,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "data-suggest": "1"}),
                              help_text="输入标题时，页面会列出可能已经回答过您问题的政策问答和留言答复。",
                              error_messages={"required": "请填写留言标题。",
                                              "max_length": f"标题不能超过{SUBJECT_MAX}字。"})
    body = forms.CharField(label="留言内容", max_length=BODY_MAX,
                           widget=forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX}),
                           help_text=f"不超过{BODY_MAX}字。请不要在内容中填写身份证号、电话等个人信息。",
                           error_messages={"required": "请填写留言内容。",
                                           "max_length": f"留言内容不能超过{BODY_MAX}字。"})
    attachment = forms.FileField(label="附件（可选）", required=False,
                                 help_text=f"一个文件，不超过10MB；可上传：{'、'.join(ATTACHMENT_EXTENSIONS)}。")
    name = forms.CharField(label="姓名（可选，不公开）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话（不公开）", max_length=30, required=False,
                            help_text="查询办理进度时需要填写后四位；电话和邮箱至少填一项。")
    email = forms.EmailField(label="电子邮箱（不公开）", required=False, help_text="填写后，答复时会通过邮件通知您。",
                             error_messages={"invalid": "电子邮箱格式不正确。"})
    may_publish = forms.BooleanField(label="同意在答复后公开本留言（会隐去姓名、电话、证件号码等个人信息）",
                                     required=False, initial=True)
    record = forms.IntegerField(required=False, widget=forms.HiddenInput)
    page_url = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    website = forms.CharField(label="网址（请留空）", required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "class": "hp"}))
    challenge_answer = forms.CharField(label="验证问题", required=False)
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organ: Organ | None = None, challenge: tuple[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_organ = organ
        organ_tree_field_setup(self.fields["organ"], Organ.objects.active().order_by("path").only("pk", "name", "path"),
                               empty_label="请选择机关")
        if organ is not None and not self.is_bound:
            self.initial["organ"] = organ.pk
        self.set_challenge(challenge)

    def clean_phone(self):
        return validators.clean_phone(self.cleaned_data.get("phone"))

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if not f:
            return None
        ext = os.path.splitext(f.name)[1].lower().lstrip(".")
        if ext not in ATTACHMENT_EXTENSIONS:
            raise forms.ValidationError(f"附件“{f.name}”的格式不支持，可上传：{'、'.join(ATTACHMENT_EXTENSIONS)}。")
        if f.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(f"附件“{f.name}”超过10MB。")
        if not f.size:
            raise forms.ValidationError(f"附件“{f.name}”是空文件。")
        check_upload_content(f, ext)
        return f

    def clean(self):
        data = super().clean()
        self.check_challenge(data)
        if not (data.get("phone") or "").strip() and not (data.get("email") or "").strip() \
                and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", "请至少填写联系电话或电子邮箱中的一项，便于查询和答复。")
        return data

    def attachment_file(self):
        """The new upload, or the one kept from an earlier attempt (as a named File), or None."""
        return self.cleaned_data.get("attachment") or None

    def target_organ(self) -> Organ | None:
        return Organ.objects.active().filter(pk=self.cleaned_data.get("organ")).first()


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20, help_text="留言后页面和邮件中给出的查询码，以 LY 开头。",
                           error_messages={"required": "请填写查询码。"})
    check = forms.CharField(label="联系电话后四位或电子邮箱", max_length=100,
                            error_messages={"required": "请填写联系电话后四位或留言时填写的电子邮箱。"})

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace("-", "").replace(" ", "")


class RateForm(forms.Form):
    rating = forms.ChoiceField(label="您对答复的评价", choices=Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": "请选择评价。"})
    reason = forms.CharField(label="理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="选择“不满意”时必填，我们会重新办理。")

    def clean(self):
        data = super().clean()
        if data.get("rating") == Rating.DISSATISFIED and not (data.get("reason") or "").strip():
            self.add_error("reason", "选择“不满意”时请写明理由，我们会重新办理。")
        return data
