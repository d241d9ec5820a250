"""The endpoints of /api/v1/ (django-ninja). Every record comes through ``Record.objects.public()``
(via the portal's selectors); every other object through its app's public selector."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from gongkai.core.models import Organ
from gongkai.portal import cache as page_cache
from gongkai.portal import selectors
from gongkai.records.models import Attachment, Audience, Genre, Record, Topic

from . import schemas
from .http import api_view, error

API_TITLE = "政务公开数据接口"
API_DESCRIPTION = """只读接口，提供本平台主动公开的政府信息、政策解读、政府公报、年度报告、工作要点进展、
意见征集、公开留言与政策问答、政务公开地图的服务场所。所有数据与门户页面同源，只含已公开的内容。

* 列表使用游标分页：响应中的 `next_cursor` 传给下一次请求的 `cursor` 参数；新发布的信息不会打乱已取得的页。
* 支持 `ETag`/`If-None-Match` 和 `Last-Modified`/`If-Modified-Since`，未变化时返回 304。
* 允许跨域读取（CORS）。匿名客户端每分钟有请求次数限制，申请接口密钥后可放宽，密钥放在 `X-API-Key` 请求头中。
* 出错时返回 JSON：`{"error": "中文说明", "status": 状态码}`。
"""

class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 as it is (readable Chinese), not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(title=API_TITLE, version="1.0.0", description=API_DESCRIPTION, urls_namespace="api_v1",
               docs_url=None, openapi_url="/openapi.json", renderer=ChineseJSONRenderer())

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    fields = sorted({".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors}) or ["?"]
    return error(422, f"参数不正确：{'、'.join(fields)}。", fields=fields)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return error(exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(404, "没有找到，或者尚未公开。")


# --- helpers -------------------------------------------------------------------------


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _ref(request, record: Record | None) -> dict | None:
    if record is None:
        return None
    return {"id": record.pk, "title": record.title, "url": _abs(request, record.get_absolute_url())}


def _audiences(rows: list[Record]) -> None:
    """Set ``audience_names`` on each record with one small query (cheaper than a prefetch to compile)."""
    names: dict[int, list[str]] = {r.pk: [] for r in rows}
    if rows:
        through = Record.audiences.through.objects.filter(record_id__in=list(names))
        for record_id, name in through.order_by("audience__group", "audience__order").values_list(
                "record_id", "audience__name"):
            names[record_id].append(name)
    for r in rows:
        r.audience_names = names[r.pk]


def _item(request, r: Record) -> dict:
    return {
        "id": r.pk, "index_no": r.index_no, "doc_no": r.doc_no, "title": r.title,
        "organ": r.organ.name, "organ_code": r.organ.code, "genre": r.genre.name, "genre_code": r.genre.code,
        "topic": r.topic.name if r.topic_id else None, "written_on": r.written_on, "published_at": r.published_at,
        "validity": r.get_effective_validity_display(),
        "audiences": r.audience_names if hasattr(r, "audience_names") else [a.name for a in r.audiences.all()],
        "url": _abs(request, r.get_absolute_url()),
    }


def encode_cursor(record: Record) -> str:
    raw = f"{record.published_at.isoformat()}|{record.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, pk = raw.split("|")
        moment = dt.datetime.fromisoformat(when)
        if moment.tzinfo is None:
            raise ValueError(when)
        return moment, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise HttpError(400, "游标无效，请使用上一页响应中的 next_cursor。") from exc


def _lookup(qs, field: str, value: str, label: str):
    if not value:
        return None
    obj = qs.filter(**{field: value}).first()
    if obj is None:
        raise HttpError(400, f"没有代码为“{value}”的{label}。")
    return obj


def _list_keys(**kwargs):
    return [page_cache.LISTS]


def _record_keys(record_id: int, **kwargs):
    return [f"record:{record_id}"]


# --- organs --------------------------------------------------------------------------


def _organ(request, o: Organ, children: list) -> dict:
    return {"id": o.pk, "code": o.code, "name": o.name, "short_name": o.short_name, "kind": o.get_kind_display(),
            "parent_id": o.parent_id, "url": _abs(request, reverse("portal:organ", args=[o.code])),
            "children": children}


@api.get("/organs", response=list[schemas.OrganOut], tags=["机关"], summary="机关树",
         description="全部启用的机关，按上下级组成树。")
@decorate_view(api_view(keys=lambda **kw: []))
def organs(request):
    rows = list(selectors.active_organs().order_by("order", "path"))
    ids = {o.pk for o in rows}
    kids: dict[int | None, list[Organ]] = {}
    for o in rows:
        kids.setdefault(o.parent_id if o.parent_id in ids else None, []).append(o)

    def build(o: Organ) -> dict:
        return _organ(request, o, [build(c) for c in kids.get(o.pk, [])])

    return [build(o) for o in kids.get(None, [])]


# --- records -------------------------------------------------------------------------


class RecordFilters(Schema):
    organ: str = ""
    genre: str = ""
    topic: str = ""
    audience: str = ""
    validity: str = ""
    published_year: int | None = None
    written_year: int | None = None
    q: str = ""
    cursor: str = ""
    page: int = 1
    limit: int = PAGE_SIZE


RECORD_FILTER_DOC = """筛选参数（均可选，可组合）：
* `organ` 发布机构代码；`genre` 体裁代码（如 normative 行政规范性文件、interpretation 政策解读）；`topic` 主题分类代码；
* `audience` 适用对象代码（如 micro_enterprise 微型企业、graduates 高校毕业生）；
* `validity`：in_force（现行有效）、valid、revised、repealed、expired；`published_year`、`written_year`；
* `q` 关键词，与门户检索同一语义（空格分隔的每一段都须出现，按相关度排序，用 `page` 翻页）；
* 不带 `q` 时按发布日期从新到旧，用 `cursor` 翻页；`limit` 每页条数（1–100，默认 20）。"""


def _records(request, f: RecordFilters, *, policy_only: bool = False, interpretations_only: bool = False):
    if not 1 <= f.limit <= MAX_PAGE_SIZE:
        raise HttpError(422, f"limit 必须在 1 到 {MAX_PAGE_SIZE} 之间。")
    if f.validity and f.validity not in ("in_force", "valid", "revised", "repealed", "expired"):
        raise HttpError(422, "validity 只能是 in_force、valid、revised、repealed 或 expired。")
    organ = _lookup(Organ.objects.active(), "code", f.organ, "机关")
    genre = _lookup(Genre.objects.all(), "code", f.genre, "体裁")
    topic = _lookup(Topic.objects.all(), "code", f.topic, "主题分类")
    audience = _lookup(Audience.objects.all(), "code", f.audience, "适用对象")
    if f.q.strip():
        return _search(request, f, organ=organ, genre=genre, topic=topic, audience=audience,
                       policy_only=policy_only, interpretations_only=interpretations_only)
    flt = selectors.RecordFilter(organ=organ, genre_code=genre.code if genre else "",
                                 topic_code=topic.code if topic else "", published_year=f.published_year,
                                 written_year=f.written_year, validity=f.validity, policy_only=policy_only)
    # With a cursor, the one door's "published by now" bound becomes "published by the cursor" (never later
    # than now): one upper bound on published_at, so the index bounds the scan and page 5,000 is as fast
    # as page 1 (two bounds on one column: SQLite would use only the first).
    cursor = decode_cursor(f.cursor) if f.cursor else None
    bound = min(cursor[0], timezone.now()) if cursor else None
    qs = flt.apply(Record.objects.public(bound))
    if interpretations_only:
        qs = qs.filter(genre__is_interpretation=True)
    if audience is not None:
        qs = qs.filter(audiences=audience)
    if cursor:
        when, pk = cursor
        qs = qs.filter(Q(published_at__lt=when) | Q(pk__lt=pk))
    qs = selectors.listed(qs).select_related("topic").order_by("-published_at", "-id")
    rows = list(qs[: f.limit + 1])
    more = len(rows) > f.limit
    rows = rows[: f.limit]
    _audiences(rows)
    return {"results": [_item(request, r) for r in rows],
            "next_cursor": encode_cursor(rows[-1]) if more and rows else None}


def _search(request, f: RecordFilters, *, organ, genre, topic, audience, policy_only, interpretations_only):
    from gongkai.search.backends import Filters
    from gongkai.search.query import search

    validity = f.validity if f.validity in ("valid", "revised", "repealed", "expired") else None
    result = search(f.q, filters=Filters(organ_id=organ.pk if organ else None, genre_id=genre.pk if genre else None,
                                         topic_id=topic.pk if topic else None, year=f.published_year,
                                         validity=validity),
                    page=max(f.page, 1), per_page=f.limit, with_facets=False, with_snippets=False)
    ids = [h.record.pk for h in result.hits]
    qs = selectors.public_records().filter(pk__in=ids)  # the one door again, as the page is read
    if policy_only:
        qs = qs.filter(genre__is_policy=True)
    if interpretations_only:
        qs = qs.filter(genre__is_interpretation=True)
    if audience is not None:
        qs = qs.filter(audiences=audience)
    found = {r.pk: r for r in selectors.listed(qs).select_related("topic")}
    _audiences(list(found.values()))
    return {"results": [_item(request, found[i]) for i in ids if i in found], "next_cursor": None,
            "total": result.total, "page": result.page}


@api.get("/records", response=schemas.RecordPage, tags=["政府信息"], summary="政府信息列表",
         description=RECORD_FILTER_DOC)
@decorate_view(api_view(keys=_list_keys))
def records(request, filters: Query[RecordFilters]):
    return _records(request, filters)


@api.get("/policies", response=schemas.RecordPage, tags=["政府信息"], summary="政策文件库",
         description="规章和行政规范性文件。" + RECORD_FILTER_DOC)
@decorate_view(api_view(keys=_list_keys))
def policies(request, filters: Query[RecordFilters]):
    return _records(request, filters, policy_only=True)


@api.get("/interpretations", response=schemas.RecordPage, tags=["政府信息"], summary="政策解读",
         description="政策解读；详情中的 interprets 指向被解读的文件。" + RECORD_FILTER_DOC)
@decorate_view(api_view(keys=_list_keys))
def interpretations(request, filters: Query[RecordFilters]):
    return _records(request, filters, interpretations_only=True)


@api.get("/records/{record_id}", response=schemas.RecordDetail, tags=["政府信息"], summary="政府信息详情",
         description="元数据、正文、公开附件的下载地址、解读、有效性及修订废止关系。")
@decorate_view(api_view(keys=_record_keys))
def record(request, record_id: int):
    r = selectors.record_detail(record_id)
    if r is None:
        raise Http404
    rel = selectors.record_related(r)
    data = _item(request, r)
    data.update({
        "summary": r.summary, "keywords": r.keywords, "issuers": [o.name for o in rel["issuers"]],
        "valid_from": r.valid_from, "valid_until": r.valid_until, "body_html": r.body,
        "body_text": strip_tags(r.body).strip(),
        "attachments": [_attachment(request, a) for a in rel["attachments"]],
        "interprets": _ref(request, rel["interprets"]), "superseded_by": _ref(request, rel["superseded_by"]),
        "interpretations": [_ref(request, i) for i in rel["interpretations"]],
        "supersedes": [_ref(request, i) for i in rel["supersedes"]],
    })
    return data


def _attachment(request, a: Attachment) -> dict:
    return {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type,
            "url": _abs(request, a.get_absolute_url())}


# --- gazette ---------------------------------------------------------------------------


@api.get("/gazette-issues", response=list[schemas.GazetteIssueOut], tags=["政府公报"], summary="政府公报各期",
         description="已发布的各期公报，可按 `organ`（机关代码）和 `year` 筛选；目录只含公开的信息。")
@decorate_view(api_view(keys=_list_keys))
def gazette_issues(request, organ: str = "", year: int | None = None):
    qs = selectors.public_issues().order_by("-issued_on", "-id")
    if organ:
        qs = qs.filter(gazette__organ__code=organ)
    if year:
        qs = qs.filter(year=year)
    out = []
    for issue in qs[:200]:
        out.append({"id": issue.pk, "gazette": issue.gazette.name, "organ": issue.gazette.organ.name,
                    "year": issue.year, "number": issue.number, "total_number": issue.total_number,
                    "issued_on": issue.issued_on, "url": _abs(request, reverse("portal:gazette_issue", args=[issue.pk])),
                    "items": [_ref(request, item.record) for item in selectors.issue_items(issue)]})
    return out


# --- annual reports, work plans ---------------------------------------------------------


@api.get("/annual-reports", response=list[schemas.ReportOut], tags=["年度报告"], summary="已公开的年度报告",
         description="政府信息公开工作年度报告，每个表格单元格一个键（如 t3.r1.total）；可按 `organ`、`year` 筛选。")
@decorate_view(api_view(keys=_list_keys))
def annual_reports(request, organ: str = "", year: int | None = None):
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.selectors import values_from_snapshot

    qs = (AnnualReport.objects.select_related("organ", "record")
          .filter(record__in=selectors.public_records()).order_by("-year", "organ__path"))
    if organ:
        qs = qs.filter(organ__code=organ)
    if year:
        qs = qs.filter(year=year)
    out = []
    for report in qs[:500]:
        cells = {k: (float(v) if not isinstance(v, int) else v) for k, v in values_from_snapshot(report.snapshot).items()}
        out.append({"id": report.pk, "organ": report.organ.name, "organ_code": report.organ.code, "year": report.year,
                    "url": _abs(request, reverse("reports:public", args=[f"{report.organ.code}-{report.year}"])),
                    "cells": cells})
    return out


@api.get("/work-plans", response=list[schemas.PlanOut], tags=["工作要点"], summary="工作要点及进展",
         description="公开的年度政务公开工作要点及其任务完成情况。")
@decorate_view(api_view())
def work_plans(request, year: int | None = None):
    from gongkai.workplans import selectors as plans

    qs = plans.public_plans().order_by("-year", "organ__path")
    if year:
        qs = qs.filter(year=year)
    today = timezone.localdate()
    out = []
    for plan in qs[:200]:
        stats = plans.plan_stats(plan, today)
        out.append({"id": plan.pk, "organ": plan.organ.name, "year": plan.year, "title": plan.title,
                    "status": plan.get_status_display(), "url": _abs(request, reverse("workplans:public_plan", args=[plan.pk])),
                    "tasks": stats["total"], "done": stats["done"], "in_progress": stats["in_progress"],
                    "not_started": stats["not_started"], "overdue": stats["overdue"]})
    return out


# --- participation -------------------------------------------------------------------------


@api.get("/consultations", response=list[schemas.ConsultationOut], tags=["互动参与"], summary="意见征集",
         description="公开征求意见的草案及意见采纳情况反馈。`phase`：open 征集中、closed 已结束、feedback 已反馈。")
@decorate_view(api_view())
def consultations(request, phase: str = "", organ: str = ""):
    from gongkai.participation.selectors import consultations as sel

    if phase and phase not in sel.PHASES:
        raise HttpError(422, "phase 只能是 open、closed 或 feedback。")
    organ_obj = selectors.public_organ(organ) if organ else None
    if organ and organ_obj is None:
        raise HttpError(400, f"没有代码为“{organ}”的机关。")
    out = []
    for c in sel.public_consultations(phase=phase, organ=organ_obj)[:200]:
        fb = sel.public_feedback(c)
        out.append({"id": c.pk, "organ": c.organ.name, "title": c.title, "purpose": c.purpose,
                    "starts_on": c.starts_on, "ends_on": c.ends_on, "phase": str(c.public_phase),
                    "url": _abs(request, reverse("participation:consultation", args=[c.pk])),
                    "feedback": None if fb is None else {
                        "summary": "\n".join(t for t in (fb.main_opinions, fb.changes) if t),
                        "published_at": fb.published_at}})
    return out


@api.get("/messages", response=list[schemas.MessageOut], tags=["互动参与"], summary="公开的留言与答复",
         description="留言人同意公开、已答复并经审核公开的留言（已去除个人信息）。")
@decorate_view(api_view())
def messages(request, organ: str = ""):
    from gongkai.participation.models import Message

    qs = Message.objects.public().select_related("organ").order_by("-published_at", "-id")
    if organ:
        qs = qs.filter(organ__code=organ)
    out = []
    for m in qs[:200]:
        reply = m.public_reply()
        out.append({"id": m.pk, "organ": m.organ.name, "kind": m.get_kind_display(),
                    "subject": m.public_subject, "body": m.public_body,
                    "reply": reply.public_body if reply else None, "published_at": m.published_at,
                    "url": _abs(request, reverse("participation:message_detail", args=[m.pk]))})
    return out


@api.get("/qa", response=list[schemas.AnswerOut], tags=["互动参与"], summary="政策问答",
         description="经审核公开的政策问答（口径库中公开的条目）；`q` 为关键词。")
@decorate_view(api_view())
def qa(request, organ: str = "", q: str = ""):
    from gongkai.participation.selectors.answers import public_answers

    organ_obj = selectors.public_organ(organ) if organ else None
    out = []
    for a in public_answers(organ=organ_obj, q=q)[:500]:
        out.append({"id": a.pk, "organ": a.organ.name, "question": a.question, "answer": a.answer,
                    "topic": a.topic.name if a.topic_id else None, "audience": a.audience,
                    "valid_until": a.valid_until, "url": _abs(request, reverse("participation:qa_detail", args=[a.pk]))})
    return out


# --- open data -----------------------------------------------------------------------------------


@api.get("/open-data", response=list[schemas.OpenDataFile], tags=["开放数据"], summary="开放数据文件",
         description="整体下载的政府信息目录（全部机关及各机关；CSV、JSON Lines、XLSX），每晚更新。")
@decorate_view(api_view())
def open_data_files(request):
    from . import opendata

    return [{"name": f.name, "scope": f.scope, "format": f.format, "size": f.size, "generated_at": f.generated_at,
             "url": _abs(request, reverse("open_data_file", args=[f.name]))} for f in opendata.files()]


# --- places ---------------------------------------------------------------------------------------


@api.get("/places", response=list[schemas.PlaceOut], tags=["政务公开地图"], summary="服务场所",
         description="政务服务中心、政务公开专区、政府信息查阅点等场所；`kind` 类型代码、`organ` 机关代码、`q` 关键词。坐标为 WGS-84。")
@decorate_view(api_view())
def places(request, kind: str = "", organ: str = "", q: str = ""):
    from gongkai.participation.selectors.places import public_places

    out = []
    for p in public_places(q=q, kind=kind, organ_code=organ):
        out.append({"id": p.pk, "name": p.name, "kind": p.get_kind_display(), "kind_code": p.kind,
                    "organ": p.organ.name, "address": p.address,
                    "latitude": float(p.latitude) if p.latitude is not None else None,
                    "longitude": float(p.longitude) if p.longitude is not None else None,
                    "opening_hours": p.opening_hours, "phone": p.phone, "services": p.services,
                    "accessibility": p.accessibility, "url": _abs(request, p.get_absolute_url())})
    return out
