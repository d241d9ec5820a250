"""依申请公开: applications, their event log, determinations, letters, fees, appeals.

The clock is derived from :class:`ApplicationEvent` rows, which map one to one
onto :class:`gongkai.applications.clock.ClockEvent`. ``Application.due_date``
and ``Application.clock_state`` are a cache of that pure function, kept only so
the handler queue can be sorted in the database; every page that shows a date
computes it afresh, and ``gongkai applications recompute`` rebuilds the cache
(nightly, and whenever the working-day calendar changes).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.core.calendar import get_work_calendar
from gongkai.core.files import stored_file_name
from gongkai.core.models import Organ
from gongkai.workdays import CalendarError, WorkCalendar

from . import identity
from .clock import Channel as ClockChannel
from .clock import ClockEvent, ClockState, ConsultedParty, EventKind
from .fees import Delivery, FeeStandard, format_yuan


def _choices(enum) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum]


class ApplicantKind(models.TextChoices):
    """The columns of table 三 of the annual report (REFERENCE.md §2.3)."""

    NATURAL_PERSON = "natural_person", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"

    @classmethod
    def organisations(cls) -> list[ApplicantKind]:
        return [k for k in cls if k is not cls.NATURAL_PERSON]


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他证件"


class ReceiveVia(models.TextChoices):
    """How the applicant wants to get the answer and the information."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上获取（本平台）"
    FAX = "fax", "传真"


class Outcome(models.TextChoices):
    """办理结果: exactly the rows of block 三 of table 三 (REFERENCE.md §2.3); value = row key."""

    DISCLOSED = "r3_1", "予以公开"
    PARTIAL = "r3_2", "部分公开"
    WITHHELD_STATE_SECRET = "r3_3_1", "不予公开：属于国家秘密"
    WITHHELD_LAW = "r3_3_2", "不予公开：其他法律行政法规禁止公开"
    WITHHELD_SECURITY = "r3_3_3", "不予公开：危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY = "r3_3_4", "不予公开：保护第三方合法权益"
    WITHHELD_INTERNAL = "r3_3_5", "不予公开：属于三类内部事务信息"
    WITHHELD_PROCESS = "r3_3_6", "不予公开：属于四类过程性信息"
    WITHHELD_ENFORCEMENT = "r3_3_7", "不予公开：属于行政执法案卷"
    WITHHELD_QUERY = "r3_3_8", "不予公开：属于行政查询事项"
    UNABLE_NOT_HELD = "r3_4_1", "无法提供：本机关不掌握相关政府信息"
    UNABLE_NEEDS_CREATION = "r3_4_2", "无法提供：没有现成信息需要另行制作"
    UNABLE_UNCLEAR = "r3_4_3", "无法提供：补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "r3_5_1", "不予处理：信访举报投诉类申请"
    NOT_PROCESSED_REPEAT = "r3_5_2", "不予处理：重复申请"
    NOT_PROCESSED_PUBLICATION = "r3_5_3", "不予处理：要求提供公开出版物"
    NOT_PROCESSED_MASS = "r3_5_4", "不予处理：无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRM = "r3_5_5", "不予处理：要求行政机关确认或重新出具已获取信息"
    OTHER_NO_CORRECTION = "r3_6_1", "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    OTHER_NO_FEE = "r3_6_2", "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    OTHER = "r3_6_3", "其他处理：其他"

    @property
    def group(self) -> str:
        """予以公开 / 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他处理."""
        return self.label.split("：")[0]

    @property
    def row_label(self) -> str:
        """The label as printed in its row of table 三 (e.g. "1.属于国家秘密")."""
        if "：" not in self.label:
            return self.label
        n = self.value.rsplit("_", 1)[1]
        return f"{n}.{self.label.split('：', 1)[1]}"


class ReplyType(models.TextChoices):
    """答复情形 (REFERENCE.md §1.4), with the article; each lands in one Outcome row."""

    ALREADY_PUBLIC = "already_public", "已主动公开（第三十六条第一项）"
    DISCLOSE = "disclose", "予以公开（第三十六条第二项）"
    PARTIAL = "partial", "部分公开（第三十七条）"
    REFUSE = "refuse", "不予公开（第三十六条第三项）"
    NOT_EXIST = "not_exist", "信息不存在（第三十六条第四项）"
    NOT_OURS = "not_ours", "不属于本机关公开职责（第三十六条第五项）"
    REPEAT = "repeat", "重复申请（第三十六条第六项）"
    SPECIAL_REGISTER = "special_register", "有专门查询程序（第三十六条第七项）"
    NEEDS_CREATION = "needs_creation", "需另行制作（第三十八条）"
    STILL_UNCLEAR = "still_unclear", "补正后仍不明确（第三十条）"
    PETITION = "petition", "信访举报投诉（第三十九条第一款）"
    PUBLICATION = "publication", "公开出版物（第三十九条第二款）"
    MASS_UNREASONABLE = "mass_unreasonable", "无正当理由大量反复申请（第三十五条）"
    CONFIRM_REISSUE = "confirm_reissue", "要求确认或重新出具已获取信息"
    ABANDONED_CORRECTION = "abandoned_correction", "逾期不补正（第三十条）"
    ABANDONED_FEE = "abandoned_fee", "逾期不缴费"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    OTHER = "other", "其他"


#: Outcome → the reply types that may produce it (the first is the default).
OUTCOME_REPLY_TYPES: dict[str, tuple[str, ...]] = {
    Outcome.DISCLOSED: (ReplyType.DISCLOSE, ReplyType.ALREADY_PUBLIC),
    Outcome.PARTIAL: (ReplyType.PARTIAL,),
    **{o: (ReplyType.REFUSE,) for o in (
        Outcome.WITHHELD_STATE_SECRET, Outcome.WITHHELD_LAW, Outcome.WITHHELD_SECURITY,
        Outcome.WITHHELD_THIRD_PARTY, Outcome.WITHHELD_INTERNAL, Outcome.WITHHELD_PROCESS,
        Outcome.WITHHELD_ENFORCEMENT)},
    Outcome.WITHHELD_QUERY: (ReplyType.SPECIAL_REGISTER,),
    Outcome.UNABLE_NOT_HELD: (ReplyType.NOT_EXIST, ReplyType.NOT_OURS),
    Outcome.UNABLE_NEEDS_CREATION: (ReplyType.NEEDS_CREATION,),
    Outcome.UNABLE_UNCLEAR: (ReplyType.STILL_UNCLEAR,),
    Outcome.NOT_PROCESSED_PETITION: (ReplyType.PETITION,),
    Outcome.NOT_PROCESSED_REPEAT: (ReplyType.REPEAT,),
    Outcome.NOT_PROCESSED_PUBLICATION: (ReplyType.PUBLICATION,),
    Outcome.NOT_PROCESSED_MASS: (ReplyType.MASS_UNREASONABLE,),
    Outcome.NOT_PROCESSED_CONFIRM: (ReplyType.CONFIRM_REISSUE,),
    Outcome.OTHER_NO_CORRECTION: (ReplyType.ABANDONED_CORRECTION,),
    Outcome.OTHER_NO_FEE: (ReplyType.ABANDONED_FEE,),
    Outcome.OTHER: (ReplyType.OTHER, ReplyType.WITHDRAWN),
}

#: The outcome a withdrawal is counted under: table 三 (六) 3 其他 (docs/applications.md).
WITHDRAWN_OUTCOME = Outcome.OTHER

#: The legal basis printed by default for each outcome row.
OUTCOME_BASIS: dict[str, str] = {
    Outcome.DISCLOSED: "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    Outcome.PARTIAL: "《中华人民共和国政府信息公开条例》第三十七条",
    Outcome.WITHHELD_STATE_SECRET: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_LAW: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_SECURITY: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_THIRD_PARTY: "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
    Outcome.WITHHELD_INTERNAL: "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    Outcome.WITHHELD_PROCESS: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHELD_ENFORCEMENT: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHELD_QUERY: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    Outcome.UNABLE_NOT_HELD: "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    Outcome.UNABLE_NEEDS_CREATION: "《中华人民共和国政府信息公开条例》第三十八条",
    Outcome.UNABLE_UNCLEAR: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.NOT_PROCESSED_PETITION: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    Outcome.NOT_PROCESSED_REPEAT: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    Outcome.NOT_PROCESSED_PUBLICATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Outcome.NOT_PROCESSED_MASS: "《中华人民共和国政府信息公开条例》第三十五条",
    Outcome.NOT_PROCESSED_CONFIRM: "《中华人民共和国政府信息公开条例》",
    Outcome.OTHER_NO_CORRECTION: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.OTHER_NO_FEE: "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    Outcome.OTHER: "《中华人民共和国政府信息公开条例》",
}
BASIS_OVERRIDES: dict[str, str] = {
    ReplyType.ALREADY_PUBLIC: "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
    ReplyType.NOT_OURS: "《中华人民共和国政府信息公开条例》第三十六条第（五）项",
}

#: Outcomes that only events produce (abandoned), not the determination form.
EVENT_ONLY_OUTCOMES = (Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_NO_FEE)


def due_soon_workdays() -> int:
    """How many working days ahead "due soon" looks (``GONGKAI_APPLICATION_DUE_SOON_WORKDAYS``)."""
    return int(getattr(settings, "GONGKAI_APPLICATION_DUE_SOON_WORKDAYS", 5))


def due_soon_until(today: dt.date, *, workdays: int | None = None, calendar: WorkCalendar | None = None) -> dt.date:
    """The last due date that counts as "due soon" on ``today``: ``workdays`` working days ahead.

    Beyond the calendar's years (no published schedule loaded) it falls back to the same
    span in calendar days (5 working days → 7 days) rather than failing the page.
    """
    n = due_soon_workdays() if workdays is None else workdays
    try:
        return (calendar or get_work_calendar()).add_workdays(today, n)
    except CalendarError:
        return today + dt.timedelta(days=math.ceil(n * 7 / 5))


class ApplicationQuerySet(models.QuerySet):
    """The one definition of "overdue" and "due soon": the queue, the compliance monitor and
    the reminders all use these (and :meth:`Application.deadline_flag` for one row)."""

    def open(self):
        return self.filter(closed_on__isnull=True)

    def for_organs(self, organs):
        return self.filter(organ__in=organs)

    def running(self):
        """Open, with the clock running (not paused, not waiting for correction) and a due date."""
        return self.filter(closed_on__isnull=True, clock_state=ClockState.RUNNING, due_date__isnull=False)

    def overdue(self, *, today: dt.date):
        """Running past the due date: the last day to answer was before ``today``."""
        return self.running().filter(due_date__lt=today)

    def due_soon(self, *, today: dt.date, workdays: int | None = None, calendar: WorkCalendar | None = None):
        """Running, due from ``today`` to :func:`due_soon_until` (not yet overdue)."""
        return self.running().filter(
            due_date__gte=today, due_date__lte=due_soon_until(today, workdays=workdays, calendar=calendar))

    def overdue_or_due_soon(self, *, today: dt.date, workdays: int | None = None,
                            calendar: WorkCalendar | None = None):
        """:meth:`overdue` and :meth:`due_soon` together (what a reminder lists)."""
        return self.running().filter(due_date__lte=due_soon_until(today, workdays=workdays, calendar=calendar))


class Application(models.Model):
    """A disclosure application (依申请公开申请), with the applicant's data (Art. 29)."""

    organ = models.ForeignKey(Organ, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications")
    tracking_code = models.CharField("查询码", max_length=20, unique=True, editable=False)
    serial = models.CharField("申请编号", max_length=40, blank=True, editable=False,
                              help_text="机关内编号，如 2025-00015，用于告知书文号。")
    # Applicant (Art. 29 ¶2 (1)).
    applicant_kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    name = models.CharField("申请人姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=40)
    contact_person = models.CharField("联系人", max_length=50, blank=True, help_text="法人或其他组织填写。")
    legal_representative = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    # The information sought (Art. 29 ¶2 (2)) and the form (3).
    title = models.CharField("所需信息名称", max_length=200, help_text="所需政府信息的名称。")
    doc_no = models.CharField("文号", max_length=100, blank=True)
    description = models.TextField("所需信息的内容描述", help_text="文件名称、文号或者便于查询的其他特征性描述。")
    delivery = models.CharField("信息提供形式", max_length=20, choices=_choices(Delivery), default=Delivery.PAPER.value)
    receive_via = models.CharField("获取信息方式", max_length=20, choices=ReceiveVia.choices, default=ReceiveVia.POST)
    fee_waiver_requested = models.BooleanField("申请减免费用", default=False)
    # Receipt (Art. 31).
    channel = models.CharField("申请渠道", max_length=20, choices=_choices(ClockChannel), editable=False)
    arrived_on = models.DateField("到达日期", editable=False)
    confirmed_on = models.DateField("确认日期", null=True, blank=True, editable=False)
    submitted_ip = models.GenericIPAddressField("提交IP", null=True, blank=True, editable=False)
    # Handling.
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="handled_applications")
    repeat_of = models.ForeignKey("self", verbose_name="疑似重复申请", null=True, blank=True, editable=False,
                                  on_delete=models.SET_NULL, related_name="repeats",
                                  help_text="同一申请人此前已答复过的相同申请。")
    # Clock cache (never the source of truth: see the module docstring).
    clock_state = models.CharField("计时状态", max_length=30, choices=_choices(ClockState), editable=False,
                                   default=ClockState.RUNNING.value, db_index=True)
    due_date = models.DateField("答复期限", null=True, blank=True, editable=False,
                                help_text="由事件记录计算；暂停或待补正时为“如今日恢复”的期限。")
    clock_computed_on = models.DateField("期限计算日", null=True, blank=True, editable=False)
    closed_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    erased_at = models.DateTimeField("个人信息删除时间", null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "依申请公开申请"
        verbose_name_plural = "依申请公开申请"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organ", "closed_on", "due_date"], name="app_queue_idx"),
            # The queue of a 公开办 overseeing many organs walks open applications in due-date order.
            models.Index(fields=["closed_on", "due_date", "id"], name="app_open_due_idx"),
            models.Index(fields=["id_number"], name="app_applicant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | Q(confirmed_on__gte=models.F("arrived_on")),
                name="application_confirmed_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", kwargs={"pk": self.pk})

    @property
    def is_organisation(self) -> bool:
        return self.applicant_kind != ApplicantKind.NATURAL_PERSON

    @property
    def receipt_date(self):
        return self.confirmed_on or self.arrived_on

    @property
    def masked_name(self) -> str:
        return identity.mask_name(self.name)

    @property
    def masked_id(self) -> str:
        return identity.mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return identity.mask_phone(self.phone)

    def clock_events(self) -> list[ClockEvent]:
        return [e.to_clock_event() for e in self.events.all()]

    def deadline_flag(self, *, today: dt.date, soon: dt.date) -> str:
        """``"overdue"``, ``"soon"`` or ``""`` for this row: the same rules as
        :meth:`ApplicationQuerySet.overdue` and :meth:`~ApplicationQuerySet.due_soon`
        (``soon`` from :func:`due_soon_until`), for a page that already holds the rows."""
        if self.closed_on is not None or self.clock_state != ClockState.RUNNING or self.due_date is None:
            return ""
        if self.due_date < today:
            return "overdue"
        return "soon" if self.due_date <= soon else ""


class ApplicationEvent(models.Model):
    """One entry of the event log; one to one with :class:`ClockEvent` (same fields)."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField("序号", editable=False)
    kind = models.CharField("事件", max_length=30, choices=_choices(EventKind))
    date = models.DateField("日期")
    channel = models.CharField("渠道", max_length=20, choices=_choices(ClockChannel), blank=True)
    confirmed = models.DateField("确认日期", null=True, blank=True)
    workdays = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    delivered = models.DateField("送达日期", null=True, blank=True)
    deadline = models.DateField("期限", null=True, blank=True)
    party = models.CharField("征求对象", max_length=20, choices=_choices(ConsultedParty), blank=True)
    ref = models.CharField("编号", max_length=50, blank=True)
    note = models.TextField("说明", blank=True)
    details = models.JSONField("详情", default=dict, blank=True,
                               help_text="补正后的申请内容、征求意见对象名称、答复意见等，不参与计时。")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "办理事件"
        verbose_name_plural = "办理事件"
        ordering = ["application", "seq"]
        constraints = [
            # One answer at a time: the Determination is one to one; a 复议 or court that corrects it
            # reopens the application (a ``reopened`` event), and the new answer is a second ``determined``.
            models.UniqueConstraint(fields=["application", "seq"], name="application_event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application.tracking_code} #{self.seq} {self.get_kind_display()} {self.date}"

    @property
    def detail_texts(self) -> list[str]:
        """The values of ``details`` (texts the handler recorded), for display."""
        return [str(v) for v in (self.details or {}).values() if v]

    def to_clock_event(self) -> ClockEvent:
        return ClockEvent(
            kind=EventKind(self.kind),
            date=self.date,
            channel=ClockChannel(self.channel) if self.channel else None,
            confirmed=self.confirmed,
            workdays=self.workdays,
            delivered=self.delivered,
            deadline=self.deadline,
            party=ConsultedParty(self.party) if self.party else None,
            ref=self.ref or None,
            note=self.note,
        )


def upload_path(instance, filename: str) -> str:
    return f"applications/{instance.application_id}/{stored_file_name(filename)}"


class ApplicationFile(models.Model):
    """An attachment of the application (from the applicant) or information provided (by the office)."""

    class Source(models.TextChoices):
        APPLICANT = "applicant", "申请人提交"
        PROVIDED = "provided", "提供的政府信息"

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE, related_name="files")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    file = models.FileField("文件", upload_to=upload_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请文件"
        verbose_name_plural = "申请文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ThreadKind(models.TextChoices):
    MESSAGE = "message", "留言"
    CORRECTION = "correction", "网上补正"
    FEE_PROOF = "fee_proof", "缴费凭证"


class ThreadStatus(models.TextChoices):
    OPEN = "open", "待处理"
    ACCEPTED = "accepted", "已采纳"
    DONE = "done", "已处理"


class ApplicationMessage(models.Model):
    """The two-way thread of an application: messages both ways, an online 补正, a fee payment proof.

    A 补正 or a payment proof from the applicant waits (``OPEN``) until staff accept it, which records
    the ``corrected`` / ``fee_paid`` event (services/applicant.py). Kept with the application's record.
    """

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="thread")
    kind = models.CharField("类型", max_length=20, choices=ThreadKind.choices, default=ThreadKind.MESSAGE)
    from_applicant = models.BooleanField("申请人发出", default=True)
    body = models.TextField("内容", max_length=5000)
    file = models.FileField("附件", upload_to=upload_path, blank=True)
    file_name = models.CharField("附件名", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=ThreadStatus.choices, default=ThreadStatus.OPEN,
                              editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="工作人员", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    received_on = models.DateField("收到日期", help_text="补正或缴费凭证被确认时，按这一天记录。")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请往来记录"
        verbose_name_plural = "申请往来记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application.tracking_code} {self.get_kind_display()}"


class Determination(models.Model):
    """答复: the outcome (one row of table 三), its basis and what was provided. One per application."""

    application = models.OneToOneField(Application, verbose_name="申请", on_delete=models.CASCADE,
                                       related_name="determination")
    outcome = models.CharField("办理结果", max_length=10, choices=Outcome.choices)
    reply_type = models.CharField("答复情形", max_length=30, choices=ReplyType.choices)
    decided_on = models.DateField("答复日期")
    legal_basis = models.CharField("法律依据", max_length=300)
    reasons = models.TextField("理由", blank=True, help_text="不予公开、部分公开、无法提供等情形须写明理由。")
    provided = models.TextField("提供的信息及获取方式", blank=True)
    public_records = models.ManyToManyField("records.Record", verbose_name="已主动公开的信息", blank=True,
                                            related_name="+")
    transfer_organ_name = models.CharField("负责公开的机关", max_length=100, blank=True,
                                           help_text="不属于本机关公开职责时，写明负责公开的机关名称。")
    transfer_organ_contact = models.CharField("该机关联系方式", max_length=200, blank=True)
    general_interest = models.BooleanField("具有普遍性（建议转为主动公开）", default=False)
    converted_record = models.ForeignKey("records.Record", verbose_name="转主动公开的信息", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+", editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"

    def __str__(self) -> str:
        return f"{self.application.tracking_code} {self.get_outcome_display()}"

    @property
    def label(self) -> str:
        """``部分公开（第三十七条）`` — the outcome with its reply type, never nested twice."""
        outcome, reply = self.get_outcome_display(), self.get_reply_type_display()
        return reply if reply.startswith(outcome) else f"{outcome}（{reply}）"


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", "申请回执"
    CORRECTION = "correction", "补正告知书"
    CONSULTATION = "consultation", "征求意见函"
    FEE = "fee", "收费通知书"
    EXTENSION = "extension", "延期答复告知书"
    REPLY = "reply", "政府信息公开申请答复告知书"


#: Letters that go to the applicant (the consultation letter goes to a third party).
APPLICANT_LETTERS = (LetterKind.RECEIPT, LetterKind.CORRECTION, LetterKind.FEE, LetterKind.EXTENSION,
                     LetterKind.REPLY)


def letter_path(instance, filename: str) -> str:
    return f"applications/{instance.application_id}/letters/{filename}"


class Letter(models.Model):
    """A letter generated from a Word template (docxtpl); its PDF is rendered on first download."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField("文书", max_length=20, choices=LetterKind.choices)
    number = models.CharField("文号", max_length=100)
    event = models.ForeignKey(ApplicationEvent, verbose_name="事件", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="letters")
    docx = models.FileField("Word 文件", upload_to=letter_path)
    pdf = models.FileField("PDF 文件", upload_to=letter_path, blank=True)
    context = models.JSONField("内容", default=dict, blank=True)
    to_applicant = models.BooleanField("送达申请人", default=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "告知书"
        verbose_name_plural = "告知书"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def template_path(instance, filename: str) -> str:
    return f"letter-templates/{instance.organ_id}/{instance.kind}.docx"


class LetterTemplate(models.Model):
    """An organ's own Word template for one kind of letter (replaces the built-in one)."""

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField("文书", max_length=20, choices=LetterKind.choices)
    file = models.FileField("Word 模板（.docx）", upload_to=template_path,
                            help_text="docxtpl 模板，变量见 docs/applications.md。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "告知书模板"
        verbose_name_plural = "告知书模板"
        constraints = [models.UniqueConstraint(fields=["organ", "kind"], name="letter_template_unique")]

    def __str__(self) -> str:
        return f"{self.organ} · {self.get_kind_display()}"


DEFAULT_NUMBER_FORMAT = "{organ}依申〔{year}〕第{n}号"


class OrganLetterSettings(models.Model):
    """What an organ's letters say beyond the template: number format, reconsideration organ, payment."""

    organ = models.OneToOneField(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="letter_settings")
    number_format = models.CharField(
        "文号格式", max_length=60, default=DEFAULT_NUMBER_FORMAT,
        help_text="可用 {organ}（机关简称）、{year}（年份）、{n}（本机关本年度序号），例如“{organ}依申〔{year}〕第{n}号”。")
    reconsideration_body = models.CharField(
        "行政复议机关", max_length=100, blank=True,
        help_text="留空按规则确定：县级以上地方人民政府工作部门为本级人民政府，人民政府为上一级人民政府；"
                  "垂直管理等另有规定的部门请在此填写（docs/applications-remedies.md）。")
    payee_name = models.CharField("收款单位", max_length=100, blank=True)
    payee_bank = models.CharField("开户银行", max_length=100, blank=True)
    payee_account = models.CharField("账号", max_length=40, blank=True)
    nontax_channel = models.CharField("非税收入缴款渠道", max_length=200, blank=True,
                                      help_text="例如“河北省非税收入统一缴款平台或银行柜台”。")
    nontax_code = models.CharField("执收单位编码", max_length=40, blank=True)

    class Meta:
        verbose_name = "告知书设置"
        verbose_name_plural = "告知书设置"

    def __str__(self) -> str:
        return f"{self.organ} 告知书设置"

    @property
    def payment_details(self) -> str:
        """收款单位、账号 or the non-tax channel and code, as one sentence ("" when nothing is set)."""
        parts = []
        if self.nontax_channel:
            parts.append(f"通过{self.nontax_channel}缴纳" + (f"（执收单位编码：{self.nontax_code}）" if self.nontax_code else ""))
        elif self.nontax_code:
            parts.append(f"执收单位编码：{self.nontax_code}")
        if self.payee_name or self.payee_account:
            bank = f"，开户银行：{self.payee_bank}" if self.payee_bank else ""
            parts.append(f"收款单位：{self.payee_name or self.organ.name}{bank}，账号：{self.payee_account or '—'}")
        return "；".join(parts)


class LetterSequence(models.Model):
    """The last letter number an organ gave in a year (numbers per organ and year, no gaps by race)."""

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年份")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "告知书序号"
        verbose_name_plural = "告知书序号"
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="letter_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.organ} {self.year}：{self.last}"


class FeeNotice(models.Model):
    """收费通知 (信息处理费): one standard chosen, the exact amount and its breakdown."""

    application = models.OneToOneField(Application, verbose_name="申请", on_delete=models.CASCADE,
                                       related_name="fee_notice")
    standard = models.CharField("收费标准", max_length=20, choices=_choices(FeeStandard))
    prior_in_month = models.PositiveIntegerField("本月此前申请件数", default=0)
    units = models.PositiveIntegerField("本申请计件数", default=1)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    breakdown = models.JSONField("计算明细", default=list)
    issued_on = models.DateField("发出日期")
    pay_by = models.DateField("缴费期限", null=True, blank=True)
    paid_on = models.DateField("缴费日期", null=True, blank=True)

    class Meta:
        verbose_name = "收费通知"
        verbose_name_plural = "收费通知"

    def __str__(self) -> str:
        return f"{self.application.tracking_code} {self.amount_text} 元"

    @property
    def amount_text(self) -> str:
        """``4,140.00`` (with a thousands separator, as letters print it)."""
        return format_yuan(self.amount)


class ExtensionRequest(models.Model):
    """延期: requested by the handler, approved by the head of the 公开办 (Art. 33 ¶2)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="extension_requests")
    workdays = models.PositiveSmallIntegerField("延长工作日数")
    reason = models.TextField("延期理由")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    comment = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "延期审批"
        verbose_name_plural = "延期审批"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(status="pending"),
                                    name="extension_one_pending"),
            models.CheckConstraint(condition=Q(workdays__gte=1) & Q(workdays__lte=20),
                                   name="extension_workdays_1_20"),
        ]

    def __str__(self) -> str:
        return f"{self.application.tracking_code} 延期 {self.workdays} 个工作日（{self.get_status_display()}）"


class AppealResult(models.TextChoices):
    """The columns of table 四 (REFERENCE.md §2.4)."""

    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class Reconsideration(models.Model):
    """行政复议 arising from an application."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="reconsiderations")
    filed_on = models.DateField("申请复议日期")
    body = models.CharField("复议机关", max_length=100)
    case_no = models.CharField("案号", max_length=60, blank=True)
    decision_no = models.CharField("复议决定书文号", max_length=60, blank=True)
    result = models.CharField("结果", max_length=20, choices=AppealResult.choices, default=AppealResult.PENDING)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "行政复议"
        verbose_name_plural = "行政复议"
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(result="pending") | Q(decided_on__isnull=False),
                                   name="reconsideration_decided_has_date"),
        ]

    def __str__(self) -> str:
        return f"行政复议（{self.body}，{self.get_result_display()}）"


class Litigation(models.Model):
    """行政诉讼: directly (未经复议直接起诉) or after reconsideration (复议后起诉)."""

    application = models.ForeignKey(Application, verbose_name="申请", on_delete=models.CASCADE,
                                    related_name="litigations")
    after_reconsideration = models.BooleanField("复议后起诉", default=False)
    filed_on = models.DateField("起诉日期")
    court = models.CharField("受理法院", max_length=100)
    case_no = models.CharField("案号", max_length=60, blank=True)
    decision_no = models.CharField("判决书（裁定书）文号", max_length=60, blank=True)
    result = models.CharField("结果", max_length=20, choices=AppealResult.choices, default=AppealResult.PENDING)
    decided_on = models.DateField("判决（裁定）日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "行政诉讼"
        verbose_name_plural = "行政诉讼"
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(result="pending") | Q(decided_on__isnull=False),
                                   name="litigation_decided_has_date"),
        ]

    def __str__(self) -> str:
        how = "复议后起诉" if self.after_reconsideration else "未经复议直接起诉"
        return f"行政诉讼（{how}，{self.court}，{self.get_result_display()}）"


class SubmissionLog(models.Model):
    """One public form submission per row (IP and time): the rate limit counts these."""

    ip = models.GenericIPAddressField("IP")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "网上申请提交记录"
        verbose_name_plural = "网上申请提交记录"
        indexes = [models.Index(fields=["ip", "created_at"], name="submission_ip_idx")]

    def __str__(self) -> str:
        return f"{self.ip} {self.created_at}"
