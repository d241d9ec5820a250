"""Records of government information (政府信息), their review, catalog and gazette."""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organ


class Genre(models.Model):
    """体裁 (规章, 行政规范性文件, 政策解读 …): a table, so an office can add its own."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    is_policy = models.BooleanField("属于政策文件库", default=False, help_text="规章和行政规范性文件进入政策文件库。")
    is_interpretation = models.BooleanField("属于政策解读", default=False)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "体裁"
        verbose_name_plural = "体裁"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """主题分类 (e.g. 综合政务, 城乡建设、环境保护)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey("self", verbose_name="上级分类", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class AudienceGroup(models.TextChoices):
    INDUSTRY = "industry", "企业所属行业"
    SIZE = "size", "企业规模"
    PERSON = "person", "个人情况"


class Audience(models.Model):
    """适用对象: the people a record concerns (an industry, an enterprise size, a person's situation).

    Staff tag records with them; a subscriber who says who they are gets the tagged records that
    concern them (precise push, participation.services.subscriptions)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True, help_text="例如“小微企业”“高校毕业生”。")
    group = models.CharField("类别", max_length=20, choices=AudienceGroup.choices)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "适用对象"
        verbose_name_plural = "适用对象"
        ordering = ["group", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Attribute(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class WithholdingGround(models.TextChoices):
    """条例 Arts. 14–16; the same grounds as the annual report's 不予公开 rows."""

    STATE_SECRET = "state_secret", "属于国家秘密（第十四条）"
    LAW_PROHIBITS = "law_prohibits", "其他法律行政法规禁止公开（第十四条）"
    SECURITY = "security", "危及“三安全一稳定”（第十四条）"
    THIRD_PARTY = "third_party", "保护第三方合法权益（第十五条）"
    INTERNAL = "internal", "属于三类内部事务信息（第十六条第一款）"
    PROCESS = "process", "属于四类过程性信息（第十六条第二款）"
    ENFORCEMENT = "enforcement", "属于行政执法案卷（第十六条第二款）"
    INQUIRY = "inquiry", "属于行政查询事项（第三十六条第七项）"
    OTHER = "other", "其他（须说明理由）"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    REVISED = "revised", "已修订"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已审核待发布"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    FILED = "filed", "已审定（不主动公开）"
    WITHDRAWN = "withdrawn", "已撤回"


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class RecordQuerySet(models.QuerySet):
    @staticmethod
    def public_q(now: dt.datetime | None = None) -> Q:
        """The one condition under which a record may reach the public."""
        return Q(
            status=Status.PUBLISHED,
            attribute=Attribute.PROACTIVE,
            published_at__isnull=False,
            published_at__lte=now or timezone.now(),
            organ__is_active=True,
        )

    def public(self, now: dt.datetime | None = None):
        return self.filter(self.public_q(now))

    def not_public(self, now: dt.datetime | None = None):
        return self.exclude(self.public_q(now))

    @staticmethod
    def in_force_q(today: dt.date | None = None) -> Q:
        """现行有效: marked valid, its 施行日期 reached (尚未施行 before) and its 有效期 not yet passed."""
        today = today or timezone.localdate()
        return (Q(validity=Validity.VALID) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
                & (Q(valid_from__isnull=True) | Q(valid_from__lte=today)))

    def in_force(self, today: dt.date | None = None):
        return self.filter(self.in_force_q(today))

    def for_organs(self, organs):
        return self.filter(organ__in=organs)


class Record(models.Model):
    """A record of government information, as a disclosure catalog entry describes it."""

    organ = models.ForeignKey(Organ, verbose_name="发布机构", on_delete=models.PROTECT, related_name="records",
                              help_text="负责公开这条信息的机关；索引号按它的代码生成。")
    index_no = models.CharField("索引号", max_length=40, unique=True, editable=False)
    doc_no = models.CharField("发文字号", max_length=60, blank=True, db_index=True,
                              help_text="例如“保政办函〔2021〕15号”；方括号、圆括号会自动改为六角括号〔〕。没有文号的留空。")
    title = models.CharField("标题", max_length=300)
    summary = models.TextField("内容概述", blank=True, help_text="一两句话说明这份信息讲什么，进入政府信息公开目录。")
    issuers = models.ManyToManyField(Organ, verbose_name="发文机关", related_name="issued_records", blank=True,
                                     help_text="联合发文时选择多个机关，牵头机关排第一。")
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True, editable=False, db_index=True)
    topic = models.ForeignKey(Topic, verbose_name="主题分类", null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    genre = models.ForeignKey(Genre, verbose_name="体裁", on_delete=models.PROTECT, related_name="records")
    attribute = models.CharField("公开属性", max_length=20, choices=Attribute.choices, default=Attribute.PROACTIVE,
                                 help_text="发文时确定（公开属性源头认定）。依申请公开和不予公开必须写明依据和理由。")
    withholding_ground = models.CharField("不公开依据", max_length=20, choices=WithholdingGround.choices, blank=True)
    attribute_reason = models.TextField("不公开理由", blank=True)
    proposed_attribute = models.CharField("拟调整公开属性", max_length=20, choices=Attribute.choices, blank=True, editable=False)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, default=Validity.VALID)
    valid_from = models.DateField("施行日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="规范性文件的有效期；过期后自动显示为“已失效”。")
    superseded_by = models.ForeignKey("self", verbose_name="被以下文件修订或废止", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="supersedes")
    interprets = models.ForeignKey("self", verbose_name="解读的文件", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="interpretations",
                                   help_text="政策解读选择它所解读的文件。")
    body = models.TextField("正文", blank=True, help_text="可以粘贴网页或Word中的格式；脚本等不安全内容会被自动清除。")
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="用顿号或逗号分隔。")
    catalog_entries = models.ManyToManyField("CatalogEntry", verbose_name="目录栏目", blank=True, related_name="records")
    audiences = models.ManyToManyField(Audience, verbose_name="适用对象", blank=True, related_name="records",
                                       help_text="这份信息涉及哪些企业或群众；订阅了“精准推送”的对应人群会收到它。")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True, editable=False)
    withdrawal_reason = models.CharField("撤回原因", max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", null=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    last_edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, on_delete=models.PROTECT,
                                       related_name="+", editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "attribute", "published_at"], name="record_public_idx"),
            models.Index(fields=["organ", "status"], name="record_organ_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attribute=Attribute.PROACTIVE) | ~Q(attribute_reason=""),
                name="record_nonpublic_needs_reason",
                violation_error_message="依申请公开或不予公开的信息必须写明理由。",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | ~Q(withdrawal_reason=""),
                name="record_withdrawal_needs_reason",
                violation_error_message="撤回必须写明原因。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:record", kwargs={"pk": self.pk})

    @property
    def effective_validity(self) -> str:
        """Validity as the public sees it today: a passed 有效期 means 已失效."""
        if self.validity == Validity.VALID and self.valid_until and self.valid_until < timezone.localdate():
            return Validity.EXPIRED
        return self.validity

    def get_effective_validity_display(self) -> str:
        return Validity(self.effective_validity).label

    @property
    def not_yet_in_force(self) -> bool:
        """尚未施行: valid, but its 施行日期 is still ahead (not counted as 现行有效 until that day)."""
        return bool(self.validity == Validity.VALID and self.valid_from and self.valid_from > timezone.localdate()
                    and self.effective_validity == Validity.VALID)

    @property
    def is_public(self) -> bool:
        return Record.objects.public().filter(pk=self.pk).exists()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def issuer_names(self) -> str:
        return "、".join(o.name for o in self.issuers.all()) or self.organ.name


class IndexSerial(models.Model):
    """Per organ and year, the last serial used in 索引号 (locked row, so no two records share one)."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "索引号流水"
        verbose_name_plural = "索引号流水"
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="index_serial_unique")]

    def __str__(self) -> str:
        return f"{self.organ_id}/{self.year}: {self.last}"


def attachment_path(instance: Attachment, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    record = models.ForeignKey(Record, verbose_name="所属信息", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    name = models.CharField("附件名称", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    withheld = models.BooleanField("不予公开", default=False, help_text="例如含个人信息、部分公开时，本附件不对外提供。")
    withheld_reason = models.CharField("不公开理由", max_length=300, blank=True)
    text = models.TextField("提取的文字", blank=True, editable=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Making a withheld attachment of a record past review public needs a second person:
    # the first reviewer's request waits here until another reviewer confirms it.
    disclosure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请公开人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    disclosure_requested_at = models.DateTimeField("申请公开时间", null=True, blank=True, editable=False)
    disclosure_reason = models.CharField("申请公开理由", max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withheld=False) | ~Q(withheld_reason=""),
                name="attachment_withheld_needs_reason",
                violation_error_message="不予公开的附件必须写明理由。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:attachment", kwargs={"pk": self.pk})


class ValidityChange(models.Model):
    """A requested change of a reviewed record's validity (有效性), waiting for a second person.

    An editor or reviewer asks; a reviewer of the organ other than the requester approves
    or rejects it. Only then does the record's validity change (audited).
    """

    record = models.ForeignKey(Record, verbose_name="信息", on_delete=models.CASCADE, related_name="validity_changes")
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices)
    superseded_by = models.ForeignKey(Record, verbose_name="修订或废止它的文件", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    approved = models.BooleanField("同意", null=True, blank=True)

    class Meta:
        verbose_name = "有效性变更申请"
        verbose_name_plural = "有效性变更申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["record"], condition=Q(decided_at__isnull=True),
                                    name="validity_change_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.record} → {self.get_validity_display()}"

    @property
    def is_pending(self) -> bool:
        return self.decided_at is None


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "同意公开"
    RETURNED = "returned", "退回修改"


class Review(models.Model):
    """保密审查: one review per submission (一事一审), before anything is published."""

    record = models.ForeignKey(Record, verbose_name="信息", on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("审核结论", max_length=20, choices=ReviewDecision.choices)
    confidentiality_opinion = models.TextField("保密审查意见", help_text="例如“经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私”。")
    attribute_confirmed = models.CharField("确认的公开属性", max_length=20, choices=Attribute.choices)
    comment = models.TextField("意见", blank=True)
    reviewed_at = models.DateTimeField("审核时间", default=timezone.now)
    is_automatic = models.BooleanField("导入时自动登记", default=False)

    class Meta:
        verbose_name = "保密审查"
        verbose_name_plural = "保密审查"
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.record} · {self.get_decision_display()}"


class Catalog(models.Model):
    """政府信息公开目录: an organ's catalog, or a standard one (no organ) to copy from."""

    name = models.CharField("目录名称", max_length=100)
    organ = models.OneToOneField(Organ, verbose_name="机关", null=True, blank=True, on_delete=models.CASCADE, related_name="catalog")
    is_standard = models.BooleanField("标准目录", default=False, help_text="标准目录可以复制给新机关使用。")

    class Meta:
        verbose_name = "公开目录"
        verbose_name_plural = "公开目录"

    def __str__(self) -> str:
        return self.name


class CatalogEntry(models.Model):
    catalog = models.ForeignKey(Catalog, verbose_name="目录", on_delete=models.CASCADE, related_name="entries")
    parent = models.ForeignKey("self", verbose_name="上级栏目", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField("栏目名称", max_length=100)
    code = models.SlugField("代码", max_length=60, blank=True)
    description = models.CharField("说明", max_length=300, blank=True)
    order = models.PositiveIntegerField("排序", default=100)
    rule_genres = models.ManyToManyField("Genre", verbose_name="归档规则：体裁", blank=True, related_name="+",
                                         help_text="发布的信息属于这些体裁之一时自动归入本栏目。")
    rule_topics = models.ManyToManyField("Topic", verbose_name="归档规则：主题分类", blank=True, related_name="+",
                                         help_text="发布的信息属于这些主题分类之一时自动归入本栏目。")
    rule_keywords = models.CharField(
        "归档规则：关键词", max_length=300, blank=True,
        help_text="用逗号或空格分隔；标题或关键词中含有其中之一时自动归入本栏目。与体裁、主题分类同时填写时须同时满足。",
    )

    class Meta:
        verbose_name = "目录栏目"
        verbose_name_plural = "目录栏目"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:catalog_entry", kwargs={"pk": self.pk})


class Gazette(models.Model):
    """政府公报 of an organ."""

    organ = models.ForeignKey(Organ, verbose_name="机关", on_delete=models.CASCADE, related_name="gazettes")
    name = models.CharField("公报名称", max_length=100)

    class Meta:
        verbose_name = "政府公报"
        verbose_name_plural = "政府公报"

    def __str__(self) -> str:
        return self.name


class GazetteIssueStatus(models.TextChoices):
    DRAFT = "draft", "编辑中"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"


class GazetteIssue(models.Model):
    gazette = models.ForeignKey(Gazette, verbose_name="公报", on_delete=models.CASCADE, related_name="issues")
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("期号")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    issued_on = models.DateField("出版日期")
    pdf = models.FileField("PDF文件", upload_to="gazette/", blank=True)
    is_published = models.BooleanField("已发布", default=False)
    records = models.ManyToManyField(Record, verbose_name="目录", through="GazetteItem", blank=True)
    status = models.CharField("状态", max_length=20, choices=GazetteIssueStatus.choices,
                              default=GazetteIssueStatus.DRAFT, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = "公报期次"
        verbose_name_plural = "公报期次"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["gazette", "year", "number"], name="gazette_issue_unique")]

    def __str__(self) -> str:
        return f"{self.gazette.name} {self.year}年第{self.number}期"


class GazetteItem(models.Model):
    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE)
    record = models.ForeignKey(Record, on_delete=models.CASCADE)
    section = models.CharField("栏目", max_length=50, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "公报目录条目"
        verbose_name_plural = "公报目录条目"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.issue} · {self.record}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "编辑中"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "历史版本"
    REJECTED = "rejected", "未通过"


class RecordVersion(models.Model):
    """A version of a published record's public text. The record holds the text the public sees;
    a new version is edited and reviewed here and replaces that text only when it is published,
    while the earlier versions stay listed on the record's page (更正、修订)."""

    record = models.ForeignKey(Record, verbose_name="信息", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=300)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    reason = models.CharField("更正或修订原因", max_length=300,
                              help_text="在公开页面的版本列表中显示，例如“更正第三条中的金额”。")
    status = models.CharField("状态", max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT,
                              editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编辑人", null=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "信息版本"
        verbose_name_plural = "信息版本"
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="record_version_unique_number"),
            models.UniqueConstraint(fields=["record"], condition=models.Q(status__in=["draft", "submitted"]),
                                    name="record_version_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.record.title} 第{self.number}版"
