"""Forms validate input only; the services decide. Error messages are full Chinese sentences."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from gongkai.core import forms as core_forms
from gongkai.core import validators
from gongkai.core.files import check_upload_content
from gongkai.core.forms import GuardedFormMixin, organ_tree_field_setup
from gongkai.core.idempotency import OnceFormMixin
from gongkai.core.models import Organ
from gongkai.core.throttle import Throttle

from . import identity
from .clock import Channel, ConsultedParty
from .fees import FeeStandard
from .models import (
    EVENT_ONLY_OUTCOMES,
    AppealResult,
    ApplicantKind,
    Application,
    IdType,
    Outcome,
    ReplyType,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ORG_KINDS = [(k.value, k.label) for k in ApplicantKind.organisations()]
MAX_FILES = 5
DESCRIPTION_MAX = 2000  # characters; the form shows a counter (apply.js)
MAX_FILE_BYTES = 20 * 1024 * 1024
FILE_EXTENSIONS = ("pdf", "doc", "docx", "wps", "ofd", "jpg", "jpeg", "png", "txt", "xls", "xlsx", "zip")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"附件最多 {MAX_FILES} 个。")
        out = []
        for f in files:
            f = super().clean(f, initial)
            ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
            if ext not in FILE_EXTENSIONS:
                raise forms.ValidationError(f"附件“{f.name}”的格式不支持，可上传：{'、'.join(FILE_EXTENSIONS)}。")
            if f.size > MAX_FILE_BYTES:
                raise forms.ValidationError(f"附件“{f.name}”超过 20MB。")
            check_upload_content(f, ext)
            out.append(f)
        return out


#: Uploads kept across a form error: pending files, referenced for KEPT_SECONDS by a signed hidden field;
#: ``core.forms.purge_kept_files()`` (in the daily job) deletes older ones.
KEPT_DIR = "applications/pending/"
KEPT_SALT = "gongkai.apply.kept-files"
KEPT_SECONDS = 6 * 3600


class KeptFilesMixin(core_forms.KeptFilesMixin):
    """The core mixin with the apply form's pending directory and limits."""

    kept_field = "attachments"
    kept_dir = KEPT_DIR
    kept_salt = KEPT_SALT
    kept_max_age = KEPT_SECONDS
    kept_max_files = MAX_FILES


class ApplicantForm(KeptFilesMixin, forms.ModelForm):
    """The applicant's part (Art. 29), shared by the public form and staff registration."""

    person_kind = forms.ChoiceField(label="申请人类型", choices=[("natural", "自然人"), ("organisation", "法人或其他组织")],
                                    widget=forms.RadioSelect, initial="natural")
    org_kind = forms.ChoiceField(label="法人或其他组织类型", required=False, choices=[("", "请选择")] + ORG_KINDS)
    attachments = MultipleFileField(label="附件（可选）", required=False,
                                    help_text="身份证明或其他材料，最多5个，每个不超过20MB。")

    class Meta:
        model = Application
        fields = ["name", "id_type", "id_number", "legal_representative", "contact_person", "phone", "email",
                  "address", "postcode", "title", "doc_no", "description", "delivery", "receive_via",
                  "fee_waiver_requested"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"id_number": "自然人填写证件号码；法人或其他组织填写统一社会信用代码。",
                      "phone": "用于联系您，查询办理进度时需要填写后四位。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "姓名或名称"
        self.fields["email"].help_text = "填写后，每份告知书都会通过电子邮件通知您。"
        desc = self.fields["description"]
        desc.max_length = DESCRIPTION_MAX
        desc.validators.append(MaxLengthValidator(DESCRIPTION_MAX, f"内容描述不能超过 {DESCRIPTION_MAX} 字。"))
        desc.widget.attrs["maxlength"] = DESCRIPTION_MAX

    def clean(self):
        data = super().clean()
        person = data.get("person_kind")
        if person == "organisation":
            if not data.get("org_kind"):
                self.add_error("org_kind", "请选择法人或其他组织的类型。")
            data["applicant_kind"] = data.get("org_kind") or ""
            if data.get("id_type") not in (IdType.CREDIT_CODE, IdType.OTHER):
                self.add_error("id_type", "法人或其他组织请选择“统一社会信用代码”。")
        else:
            data["applicant_kind"] = ApplicantKind.NATURAL_PERSON
            if data.get("id_type") == IdType.CREDIT_CODE:
                self.add_error("id_type", "自然人请选择身份证件类型。")
        number = data.get("id_number") or ""
        try:
            if data.get("id_type") == IdType.RESIDENT_ID:
                data["id_number"] = identity.check_resident_id(number)
            elif data.get("id_type") == IdType.CREDIT_CODE:
                data["id_number"] = identity.check_credit_code(number)
        except identity.IdentityError as exc:
            self.add_error("id_number", str(exc))
        if data.get("receive_via") == "email" and not data.get("email"):
            self.add_error("email", "选择通过电子邮件获取的，请填写电子邮箱。")
        if data.get("receive_via") == "post" and not data.get("address"):
            self.add_error("address", "选择邮寄的，请填写通信地址。")
        return data

    def clean_phone(self):
        return validators.clean_phone(self.cleaned_data.get("phone"))

    def clean_postcode(self):
        return validators.clean_postcode(self.cleaned_data.get("postcode"))

    def application_data(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in self.Meta.fields if k in self.fields}
        data["applicant_kind"] = self.cleaned_data["applicant_kind"]
        return data


#: The apply form's challenge (its own salt; the limits come from the submission log, services/submissions.py).
APPLY_CHALLENGE = Throttle(name="apply")


class PublicApplyForm(GuardedFormMixin, OnceFormMixin, ApplicantForm):
    """The public form: an organ (platform-wide form only, a searchable tree), a honeypot and,
    after N submissions, a question (core.forms.GuardedFormMixin)."""

    throttle = APPLY_CHALLENGE
    organ = forms.ModelChoiceField(label="受理机关", queryset=Organ.objects.none(),
                                   help_text="向制作或保存该信息的机关申请：例如规划许可向规划部门，财政预算向财政部门。"
                                             "可在上方输入机关名称查找。",
                                   error_messages={"required": "请选择受理机关。",
                                                   "invalid_choice": "所选机关不存在或已停用，请重新选择。"})
    website = forms.CharField(label="网站（请勿填写）", required=False)  # honeypot
    challenge_answer = forms.CharField(label="验证问题", required=False)
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)
    agree = forms.BooleanField(label="本人承诺所填信息真实有效", error_messages={"required": "请确认所填信息真实有效。"})

    field_order = ["organ", "person_kind", "org_kind"]

    def __init__(self, *args, organ: Organ | None = None, challenge: tuple[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_organ = organ
        self.fields["id_type"].initial = IdType.RESIDENT_ID  # most applicants are natural persons
        if not getattr(settings, "GONGKAI_FEE_WAIVER_ON_FORM", False):
            # The national tariff (国办函〔2020〕109号) has no waiver category (REFERENCE §3.3).
            del self.fields["fee_waiver_requested"]
        else:
            self.fields["fee_waiver_requested"].help_text = (
                "全国《政府信息公开信息处理费管理办法》未规定减免情形；本机关另有规定的，可在此申请，并在内容描述中说明理由。")
        if organ is not None:
            del self.fields["organ"]
        else:
            field = self.fields["organ"]
            field.queryset = Organ.objects.active().order_by("path").only("pk", "name", "path")
            organ_tree_field_setup(field, field.queryset, empty_label="请选择受理机关")
        if challenge is not None and self.is_bound:
            # The question checked is the one the person saw (its token came back with the form).
            challenge = self.throttle.challenge_for(self.data.get("challenge_token", ""))
        self.set_challenge(challenge)

    def clean(self):
        data = super().clean()
        self.check_challenge(data)
        return data

    @property
    def target_organ(self) -> Organ:
        return self.fixed_organ or self.cleaned_data["organ"]


def make_challenge(seed: int) -> tuple[str, str]:
    """A new question for the apply form (``seed`` from the submission gate; the numbers are random)."""
    return APPLY_CHALLENGE.make_challenge()


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20, help_text="申请回执上的查询码，以 GK 开头。")
    check = forms.CharField(label="联系电话或证件号码后四位", min_length=4, max_length=4)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace("-", "").replace(" ", "")


# -- staff ------------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


class RegisterForm(ApplicantForm):
    organ = forms.ModelChoiceField(label="受理机关", queryset=Organ.objects.none())
    channel = forms.ChoiceField(label="申请渠道", choices=[(c.value, c.label) for c in Channel])
    arrived_on = forms.DateField(label="到达日期", widget=DATE, help_text="当面提交之日、签收之日或到达之日。")
    confirmed_on = forms.DateField(label="确认日期", widget=DATE, required=False,
                                   help_text="平信、传真：与申请人确认之日（第三十一条）；其他渠道不填。")
    field_order = ["organ", "channel", "arrived_on", "confirmed_on", "person_kind", "org_kind"]

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs
        if organs.count() == 1:
            self.initial.setdefault("organ", organs.first())

    def clean(self):
        data = super().clean()
        arrived = data.get("arrived_on")
        if arrived and arrived > _today():
            self.add_error("arrived_on", "到达日期不能晚于今天。")
        confirmed = data.get("confirmed_on")
        if confirmed and arrived and confirmed < arrived:
            self.add_error("confirmed_on", "确认日期不能早于到达日期。")
        channel = data.get("channel")
        if confirmed and channel and not Channel(channel).needs_confirmation:
            self.add_error("confirmed_on", f"{Channel(channel).label}的申请无需确认：{Channel(channel).receipt_rule}。")
        return data


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[
        ("", "办理中"), ("overdue", "已逾期"), ("soon", "即将到期"), ("paused", "暂停计时"),
        ("waiting_correction", "待补正"), ("closed", "已办结"), ("all", "全部")])
    handler = forms.ChoiceField(label="经办人", required=False)
    organ = forms.ModelChoiceField(label="机关", required=False, queryset=Organ.objects.none(), empty_label="全部")
    q = forms.CharField(label="查询码或信息名称", required=False)

    def __init__(self, *args, organs, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs
        self.fields["handler"].choices = [("", "全部"), ("me", "我经办的"), ("none", "未分配")] + [
            (str(u.pk), u.get_full_name() or u.username) for u in handlers]


class ActionForm(forms.Form):
    """The form of one action on an application (the ``act`` view): it validates the input and
    hands the service its keyword arguments (besides ``actor`` and ``application``)."""

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class DatedForm(ActionForm):
    on = forms.DateField(label="日期", widget=DATE, initial=_today)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > _today():
            raise forms.ValidationError("日期不能晚于今天。")
        return on


class AssignForm(ActionForm):
    handler = forms.ChoiceField(label="经办人", required=False,
                                error_messages={"invalid_choice": "请从列表中选择该机关的经办人。"})

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.handlers = {str(u.pk): u for u in handlers}
        self.fields["handler"].choices = [("", "（不分配）")] + [(pk, u.get_full_name() or u.username)
                                                              for pk, u in self.handlers.items()]

    def clean_handler(self):
        """The user chosen, or None (not assigned)."""
        return self.handlers.get(self.cleaned_data["handler"])


class CorrectionForm(DatedForm):
    deadline = forms.DateField(label="补正期限", widget=DATE, help_text="由本机关确定的合理期限。")
    items = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="一次性写明全部需要补正的内容（第三十条）。")

    def clean(self):
        data = super().clean()
        if data.get("deadline") and data.get("on") and data["deadline"] <= data["on"]:
            self.add_error("deadline", "补正期限应晚于告知日期。")
        return data


class CorrectedForm(DatedForm):
    text = forms.CharField(label="补正后的申请内容", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请录入补正后的申请内容。"})


class CorrectionExpiredForm(DatedForm):
    """补正期限届满未补正: the day it is recorded (视为放弃申请)."""


class FeePaidForm(DatedForm):
    """缴费: the day the payment was received."""


class FeeExpiredForm(DatedForm):
    """缴费期限届满未缴费: the day it is recorded (视为放弃申请)."""


class ConsultForm(DatedForm):
    party = forms.ChoiceField(label="征求对象", choices=[(p.value, p.label) for p in ConsultedParty])
    party_name = forms.CharField(label="对象名称", max_length=100)
    content = forms.CharField(label="涉及内容", max_length=300, help_text="例如“涉及贵公司的商业秘密”。")
    delivered = forms.DateField(label="送达日期", widget=DATE, required=False)


class ConsultAnswerForm(DatedForm):
    ref = forms.ChoiceField(label="征求意见函")
    outcome = forms.ChoiceField(label="情况", choices=[("answered", "收到答复"), ("expired", "期限届满未答复")])
    answer = forms.CharField(label="答复意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, letters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref"].choices = [(e.ref, f"{e.ref} {e.details.get('party_name', '')}（{e.date}）") for e in letters]
        self.fields["ref"].error_messages["invalid_choice"] = "请选择一份尚未记录结果的征求意见函。"

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "ref": d["ref"], "answer": d.get("answer", ""), "expired": d["outcome"] == "expired"}


class FeeForm(DatedForm):
    standard = forms.ChoiceField(label="收费标准", choices=[(s.value, s.label) for s in FeeStandard],
                                 help_text="只能选择一种标准（《信息处理费管理办法》第三条）。")
    pages = forms.IntegerField(label="页数", min_value=0, required=False, help_text="按量计收时填写。")
    units = forms.IntegerField(label="本申请计件数", min_value=1, initial=1,
                               help_text="按“一事一申请”拆分后的件数，通常为1。")

    def clean(self):
        data = super().clean()
        if data.get("standard") == FeeStandard.PER_PAGE and data.get("pages") is None:
            self.add_error("pages", "按量计收须填写页数。")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "standard": d["standard"], "pages": d.get("pages"), "units": d.get("units") or 1}


class ExtensionForm(ActionForm):
    workdays = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20, initial=20,
                                  error_messages={"max_value": "延长的期限最长不超过20个工作日（第三十三条第二款）。",
                                                  "min_value": "延长的工作日数至少为1。"})
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批意见", choices=[("approve", "同意延期"), ("refuse", "不同意")],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label="说明", required=False, max_length=300)


def outcome_choices():
    groups: dict[str, list] = {}
    for o in Outcome:
        if o in EVENT_ONLY_OUTCOMES:
            continue
        groups.setdefault(o.group, []).append((o.value, o.label))
    return [(g, items) for g, items in groups.items()]


class DetermineForm(KeptFilesMixin, DatedForm):
    kept_field = "files"

    outcome = forms.ChoiceField(label="办理结果", choices=[("", "请选择")] + outcome_choices(),
                                help_text="按年度报告表三的分类选择，每件申请只计一种情形。")
    already_public = forms.BooleanField(label="该信息已主动公开（第三十六条第一项）", required=False)
    reasons = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provided = forms.CharField(label="提供的信息及获取方式", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    public_records = forms.CharField(label="已主动公开的信息（索引号）", required=False,
                                     help_text="每行一个索引号，答复书中列出这些信息的链接。")
    legal_basis = forms.CharField(label="法律依据", required=False, max_length=300,
                                  help_text="不填则按办理结果自动引用条例条款。")
    general_interest = forms.BooleanField(label="具有普遍性，建议转为主动公开", required=False)
    files = MultipleFileField(label="提供的信息文件", required=False)

    def clean_public_records(self):
        from gongkai.records.models import Record

        numbers = [n.strip() for n in (self.cleaned_data.get("public_records") or "").splitlines() if n.strip()]
        found = list(Record.objects.public().filter(index_no__in=numbers))
        missing = sorted(set(numbers) - {r.index_no for r in found})
        if missing:
            raise forms.ValidationError(f"以下索引号不是已主动公开的信息：{'、'.join(missing)}。")
        return found

    def reply_type(self) -> str | None:
        if self.cleaned_data.get("already_public") and self.cleaned_data.get("outcome") == Outcome.DISCLOSED:
            return ReplyType.ALREADY_PUBLIC
        return None

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "outcome": d["outcome"], "reply_type": self.reply_type(),
                "legal_basis": d.get("legal_basis", ""), "reasons": d.get("reasons", ""),
                "provided": d.get("provided", ""), "public_records": d.get("public_records") or [],
                "general_interest": d.get("general_interest", False), "files": d.get("files") or []}


class TransferForm(DatedForm):
    organ_name = forms.CharField(label="负责公开的机关", max_length=100)
    contact = forms.CharField(label="该机关联系方式", max_length=200, required=False)
    reasons = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "organ_name": d["organ_name"], "contact": d.get("contact", ""),
                "reasons": d.get("reasons", "")}


class ReconsiderationForm(ActionForm):
    filed_on = forms.DateField(label="申请复议日期", widget=DATE)
    body = forms.CharField(label="复议机关", max_length=100, help_text="已按规则预填，可修改（docs/applications-remedies.md）。")
    case_no = forms.CharField(label="案号", required=False, max_length=60)
    note = forms.CharField(label="说明", required=False, max_length=300)


class LitigationForm(ActionForm):
    filed_on = forms.DateField(label="起诉日期", widget=DATE)
    court = forms.CharField(label="受理法院", max_length=100)
    case_no = forms.CharField(label="案号", required=False, max_length=60)
    after_reconsideration = forms.BooleanField(label="复议后起诉", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)


class AppealResultForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=AppealResult.choices)
    decision_no = forms.CharField(label="决定书（判决书）文号", required=False, max_length=60)
    decided_on = forms.DateField(label="决定（判决）日期", widget=DATE, required=False)


class AppealReopenForm(forms.Form):
    """A 纠正 result reopens the application: when the decision arrived, and the period it sets."""

    on = forms.DateField(label="收到决定书（判决书）日期", widget=DATE)
    deadline = forms.DateField(label="责令重新答复的期限（日期）", widget=DATE, required=False,
                               help_text="决定书（判决书）写明期限的填写；未写明的留空，按第三十三条自次日起二十个工作日。")
    workdays = forms.IntegerField(label="或：期限（工作日数）", min_value=1, max_value=200, required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def clean(self):
        d = super().clean()
        if d.get("deadline") and d.get("workdays"):
            raise forms.ValidationError("期限请只填日期或工作日数中的一项。")
        return d



# -- the applicant's side of the tracking page ----------------------------------------------------


class ThreadForm(forms.Form):
    """A message, an online 补正 or a payment proof (text and one file)."""

    body = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000}))
    file = forms.FileField(label="附件（可选）", required=False,
                           help_text=f"一个文件，不超过 20MB；格式：{'、'.join(FILE_EXTENSIONS)}。")

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f:
            ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
            if ext not in FILE_EXTENSIONS:
                raise forms.ValidationError(f"附件“{f.name}”的格式不支持，可上传：{'、'.join(FILE_EXTENSIONS)}。")
            if f.size > MAX_FILE_BYTES:
                raise forms.ValidationError(f"附件“{f.name}”超过 20MB。")
            check_upload_content(f, ext)
        return f


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="撤回后本申请终止办理，不能恢复；如仍需要该信息，可以重新申请。")
    confirm = forms.BooleanField(label="我确认撤回本申请")
