"""The shapes of the API's answers (the OpenAPI file is generated from these)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class ErrorOut(Schema):
    error: str = Field(description="中文错误说明")
    status: int = Field(description="HTTP 状态码")


class OrganOut(Schema):
    id: int
    code: str = Field(description="机关代码（统一社会信用代码等）")
    name: str = Field(description="机关名称")
    short_name: str = Field(description="简称")
    kind: str = Field(description="机关类型")
    parent_id: int | None = Field(None, description="上级机关 id")
    url: str = Field(description="门户页面地址")
    children: list[OrganOut] = Field(default_factory=list, description="下级机关")


class Ref(Schema):
    id: int
    title: str
    url: str


class RecordItem(Schema):
    id: int
    index_no: str = Field(description="索引号")
    doc_no: str = Field(description="发文字号")
    title: str = Field(description="标题")
    organ: str = Field(description="发布机构")
    organ_code: str
    genre: str = Field(description="体裁")
    genre_code: str
    topic: str | None = Field(None, description="主题分类")
    written_on: dt.date | None = Field(None, description="成文日期")
    published_at: dt.datetime = Field(description="发布日期")
    validity: str = Field(description="有效性（有效、已修订、已废止、已失效）")
    audiences: list[str] = Field(default_factory=list, description="适用对象")
    url: str = Field(description="门户页面地址")


class RecordPage(Schema):
    results: list[RecordItem]
    next_cursor: str | None = Field(None, description="下一页的游标；为空表示没有下一页")
    total: int | None = Field(None, description="检索时的结果总数（按关键词检索时给出）")
    page: int | None = Field(None, description="检索时的页码")


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class RecordDetail(RecordItem):
    summary: str = Field(description="内容概述")
    keywords: str = Field(description="关键词")
    issuers: list[str] = Field(description="发文机关")
    valid_from: dt.date | None = Field(None, description="施行日期")
    valid_until: dt.date | None = Field(None, description="有效期至")
    body_html: str = Field(description="正文（HTML，已清除不安全内容）")
    body_text: str = Field(description="正文纯文本")
    attachments: list[AttachmentOut] = Field(description="公开的附件")
    interprets: Ref | None = Field(None, description="本解读所解读的文件")
    interpretations: list[Ref] = Field(description="本文件的解读")
    superseded_by: Ref | None = Field(None, description="修订或废止本文件的文件")
    supersedes: list[Ref] = Field(description="本文件修订或废止的文件")


class GazetteIssueOut(Schema):
    id: int
    gazette: str = Field(description="公报名称")
    organ: str
    year: int
    number: int = Field(description="期号")
    total_number: int | None = Field(None, description="总期号")
    issued_on: dt.date = Field(description="出版日期")
    url: str
    items: list[Ref] = Field(default_factory=list, description="目录（只含公开的信息）")


class ReportOut(Schema):
    id: int
    organ: str
    organ_code: str
    year: int = Field(description="报告年度")
    url: str = Field(description="报告全文页面")
    cells: dict[str, str | int | float | None] = Field(description="报告表格的每个单元格（键为表号与行列）")


class PlanOut(Schema):
    id: int
    organ: str
    year: int
    title: str
    status: str
    url: str
    tasks: int = Field(description="跟踪的任务数")
    done: int = Field(description="已完成")
    in_progress: int = Field(description="推进中")
    not_started: int = Field(description="未开始")
    overdue: int = Field(description="逾期")


class FeedbackOut(Schema):
    summary: str = Field(description="意见采纳情况说明")
    published_at: dt.datetime | None = None


class ConsultationOut(Schema):
    id: int
    organ: str
    title: str
    purpose: str = Field(description="征求意见事项及理由")
    starts_on: dt.date
    ends_on: dt.date
    phase: str = Field(description="征集中、已结束、已反馈")
    url: str
    feedback: FeedbackOut | None = Field(None, description="意见采纳情况反馈")


class MessageOut(Schema):
    id: int
    organ: str
    kind: str = Field(description="留言类型")
    subject: str
    body: str = Field(description="留言内容（已去除个人信息）")
    reply: str | None = Field(None, description="答复")
    published_at: dt.datetime | None = None
    url: str


class AnswerOut(Schema):
    id: int
    organ: str
    question: str
    answer: str
    topic: str | None = None
    audience: str = Field(description="涉及人群")
    valid_until: dt.date | None = None
    url: str


class PlaceOut(Schema):
    id: int
    name: str
    kind: str = Field(description="场所类型")
    kind_code: str
    organ: str
    address: str
    latitude: float | None = Field(None, description="纬度（WGS-84）")
    longitude: float | None = Field(None, description="经度（WGS-84）")
    opening_hours: str
    phone: str
    services: str = Field(description="可办理的事项")
    accessibility: str = Field(description="无障碍设施")
    url: str


class OpenDataFile(Schema):
    name: str
    scope: str = Field(description="全部，或机关代码")
    format: str = Field(description="csv、jsonl 或 xlsx")
    size: int = Field(description="字节数")
    generated_at: dt.datetime
    url: str
