"""Demo data of consultations, the 重大行政决策事项目录, open meetings and the concerns ledger.

Written through the participation services (so reviews, audit rows and the feedback record
are real), idempotently: consultations and meetings are matched by (organ, title), catalogs
by (organ, year), concerns by (organ, title). For each seed office:

* three consultations — one open (征集中), one whose period ended with comments answered in
  part (已结束、待反馈), one with its 意见采纳情况反馈 reviewed and published as a record;
  realistic comments, masked when shown, with dispositions and one topic group;
* its government's 重大行政决策事项目录 for the year, linked to the consultations;
* an open day (政务开放日) with applications (one accepted, one waiting), a past
  常务会议 with its decisions, and a 座谈会 on the open consultation waiting for 保密审查;
* two concerns: one answered by a published record, one past its deadline (it shows in the
  compliance monitor).

A consultation that lies in the past is created open, takes its comments, and only then
are its dates moved back and the close job run — the way it would have happened.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.participation.models import (
    CommentModeration,
    Concern,
    Consultation,
    ConsultationStatus,
    DecisionCatalog,
    DecisionItemStatus,
    Disposition,
    Meeting,
    MeetingKind,
    response_genre_q,
)
from gongkai.participation.services import concerns as concern_svc
from gongkai.participation.services import consultations as svc
from gongkai.participation.services import meetings as meeting_svc
from gongkai.records.models import Record

# (organ slug, government slug, city, editor username, reviewer username)
ORGANS = [
    ("bd_office", "bd_gov", "保定市", "bd_editor", "bd_reviewer"),
    ("ga_office", "ga_gov", "广安市", "ga_editor", "ga_reviewer"),
    ("bj_office", "bj_gov", "北京市", "bj_editor", "bj_reviewer"),
    ("tez_office", "tez_gov", "台儿庄区", "tez_editor", "tez_reviewer"),
]
PEOPLE = [("李明", "liming@example.org"), ("王芳", ""), ("张伟", "zhangwei@example.org"), ("刘洋", ""),
          ("陈静", "chenjing@example.org"), ("", "")]


def _drafts(city: str) -> list[dict]:
    return [
        {"state": "open", "kind": "normative",
         "title": f"关于《{city}政务服务“好差评”实施办法（征求意见稿）》公开征求意见的公告",
         "purpose": f"为建立以企业和群众满意度为导向的政务服务评价机制，{city}拟制定本办法，现向社会公开征求意见。",
         "sections": [("第三条", "政务服务机构应当在服务完成后主动邀请办事人评价。"),
                      ("第八条", "对差评应当在5个工作日内回访核实，并在15个工作日内整改。")],
         "comments": [("建议第八条的整改期限缩短为10个工作日，群众等不起。", 1),
                      ("评价渠道应当包括电话和短信，老年人不一定会用手机App。", 0),
                      ("我叫王芳，电话13903120002。希望差评整改结果能够公开。", None)]},
        {"state": "closed", "kind": "regulation",
         "title": f"关于《{city}城市停车设施管理办法（征求意见稿）》公开征求意见的公告",
         "purpose": f"为缓解停车难问题，规范停车设施规划、建设和管理，{city}拟制定本办法。",
         "sections": [("第五条", "新建住宅项目应当按照每户不少于1个车位配建停车设施。"),
                      ("第十二条", "公共停车场应当公示收费标准和投诉电话。")],
         "comments": [("老旧小区没有车位，建议利用周边闲置地块建设临时停车场。", 0),
                      ("第十二条建议增加“收费标准应当在入口处显著位置公示”。", 1),
                      ("建议夜间允许在部分道路临时停车。", 0),
                      ("希望对新能源汽车充电车位作出规定。", None)]},
        {"state": "feedback", "kind": "major_decision",
         "title": f"关于《{city}养老服务体系建设三年行动方案（征求意见稿）》公开征求意见的公告",
         "purpose": f"为积极应对人口老龄化，{city}拟出台养老服务体系建设三年行动方案，属于重大行政决策事项。",
         "sections": [("一、主要目标", "到三年末，每个街道至少建成1个综合养老服务中心。"),
                      ("三、重点任务", "发展社区嵌入式养老服务，推进居家适老化改造。")],
         "comments": [("建议把农村互助幸福院纳入行动方案。", 1),
                      ("适老化改造补贴标准应当公开，并简化申请手续。", None),
                      ("养老护理员工资偏低，建议增加岗位补贴。", 0),
                      ("社区食堂应当向所有老年人开放。", None)]},
    ]


DISPOSITIONS = [
    (Disposition.ADOPTED, "已采纳，在修改稿中作了相应规定。"),
    (Disposition.PARTLY, "部分采纳。该意见涉及的事项已在相关条款中作原则性规定，具体标准由实施细则明确。"),
    (Disposition.NOT_ADOPTED, "不予采纳。该建议与上位法规定不一致。"),
    (Disposition.OUT_OF_SCOPE, "该意见不属于本次征求意见的范围，已转相关部门研究。"),
]


def _comment(c: Consultation, i: int, body: str, section_index: int | None) -> None:
    name, email = PEOPLE[i % len(PEOPLE)]
    section = list(c.sections.all())[section_index] if section_index is not None else None
    svc.comment_submit(consultation=c, body=body, name=name, anonymous=not name, email=email,
                       phone=f"1380312{i:04d}" if name else "", section=section,
                       today=max(c.starts_on, timezone.localdate()))


def _consultation(spec: dict, *, organ: Organ, editor, reviewer, today: dt.date) -> Consultation:
    existing = Consultation.objects.filter(organ=organ, title=spec["title"]).first()
    if existing is not None:
        return existing
    c = svc.consultation_create(actor=editor, organ=organ, data={
        "kind": spec["kind"], "title": spec["title"], "purpose": spec["purpose"],
        "draft_text": "".join(f"<p>{h} {t}</p>" for h, t in spec["sections"]),
        "explanation": "<p>本草案在深入调研、征求有关部门意见的基础上起草，经合法性审查后公开征求意见。</p>",
        "starts_on": today - dt.timedelta(days=5), "ends_on": today + dt.timedelta(days=30),
        "channel_email": "", "channel_post": f"{organ.address or organ.name}（请在信封上注明“意见征集”）",
        "allow_anonymous": True, "show_comments": True,
    }, sections=[{"heading": h, "text": t} for h, t in spec["sections"]])
    svc.consultation_submit(actor=editor, consultation=c)
    svc.consultation_review(actor=reviewer, consultation=c, decision="approved",
                            opinion="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。", publish_now=True)
    for i, (body, section_index) in enumerate(spec["comments"]):
        _comment(c, i, body, section_index)
    for i, comment in enumerate(c.comments.all()):
        svc.comment_moderate(actor=editor, comment=comment,
                             moderation=CommentModeration.NOT_SHOWN if i == 2 else CommentModeration.SHOWN)
    if spec["state"] == "open":
        return c
    # The period lies in the past: move it back, then let the close job end it.
    ended = today - dt.timedelta(days=10 if spec["state"] == "closed" else 60)
    Consultation.objects.filter(pk=c.pk).update(starts_on=ended - dt.timedelta(days=29), ends_on=ended,
                                                published_at=timezone.now() - dt.timedelta(days=(today - ended).days + 30))
    svc.consultation_close_due(today=today)
    c.refresh_from_db()
    comments = list(c.comments.all())
    if spec["state"] == "closed":
        svc.comment_dispose(actor=editor, comment=comments[0], disposition=DISPOSITIONS[0][0], reason=DISPOSITIONS[0][1])
        return c
    svc.comment_group_dispose(actor=editor, consultation=c, title="关于扩大服务覆盖面的意见",
                              comments=[comments[0], comments[3]], disposition=Disposition.ADOPTED,
                              reason="已采纳，行动方案增加了农村互助养老和社区食堂普惠服务的内容。")
    svc.comment_dispose(actor=editor, comment=comments[1], disposition=DISPOSITIONS[1][0], reason=DISPOSITIONS[1][1])
    svc.comment_dispose(actor=editor, comment=comments[2], disposition=DISPOSITIONS[3][0], reason=DISPOSITIONS[3][1])
    svc.feedback_save(actor=editor, consultation=c,
                      main_opinions="公众意见主要集中在扩大养老服务覆盖面、公开适老化改造补贴标准和提高护理员待遇等方面。",
                      changes="增加农村互助养老和社区老年食堂的内容；明确适老化改造补贴标准向社会公布。")
    svc.feedback_submit(actor=editor, consultation=c)
    svc.feedback_review(actor=reviewer, consultation=c, decision="approved",
                        opinion="经审查，不涉及国家秘密和个人隐私，同意公开。")
    return c


REVIEW_OPINION = "经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。"


def _catalog(*, gov: Organ, editor, reviewer, year: int, city: str, consultations: list[Consultation]) -> None:
    if gov is None or DecisionCatalog.objects.filter(organ=gov, year=year).exists():
        return
    try:
        catalog = concern_svc.decision_catalog_create(actor=editor, organ=gov, year=year,
                                                      title=f"{gov.name}{year}年度重大行政决策事项目录")
    except Exception:  # noqa: BLE001 - the editor may hold no role in the government: skip the catalog
        return
    items = [(f"{city}城市停车设施管理办法", DecisionItemStatus.PRE_DISCLOSED, consultations[1]),
             (f"{city}政务服务“好差评”实施办法", DecisionItemStatus.CONSULTING, consultations[0]),
             (f"{city}养老服务体系建设三年行动方案", DecisionItemStatus.PRE_DISCLOSED, consultations[2]),
             (f"{city}城区集中供热价格调整", DecisionItemStatus.PLANNED, None)]
    for order, (title, status, consultation) in enumerate(items, start=1):
        concern_svc.decision_item_save(actor=editor, catalog=catalog, data={
            "order": order, "title": title, "status": status, "consultation": consultation,
            "planned": f"{year}年第{order + 1}季度", "lead_organ": consultation.organ if consultation else gov,
            "basis": "《重大行政决策程序暂行条例》"})
    concern_svc.decision_catalog_submit(actor=editor, catalog=catalog)
    concern_svc.decision_catalog_review(actor=reviewer, catalog=catalog, decision="approved", opinion=REVIEW_OPINION)


def _meetings(*, organ: Organ, editor, reviewer, city: str, now: dt.datetime,
              consultation: Consultation | None = None) -> None:
    open_day = f"{city}2026年政务开放日·走进政务服务中心"
    if not Meeting.objects.filter(organ=organ, title=open_day).exists():
        m = meeting_svc.meeting_create(actor=editor, organ=organ, data={
            "kind": MeetingKind.OPEN_DAY, "title": open_day, "starts_at": now + dt.timedelta(days=14),
            "ends_at": now + dt.timedelta(days=14, hours=3), "place": f"{city}政务服务中心一楼大厅",
            "topics": "参观政务服务大厅\n体验“一网通办”\n座谈交流", "attendance_open": True, "places": 30,
            "how_to_apply": "年满18周岁的市民、企业代表均可报名，名额有限，按报名先后和代表性确定。",
            "stream_url": "https://live.example.org/open-day"})
        meeting_svc.meeting_submit(actor=editor, meeting=m)
        meeting_svc.meeting_review(actor=reviewer, meeting=m, decision="approved", opinion=REVIEW_OPINION)
        first = meeting_svc.registration_submit(meeting=m, name="李明", phone="13803120001", kind="citizen",
                                                reason="想了解企业开办一网通办的流程。")
        meeting_svc.registration_submit(meeting=m, name="陈静", phone="13503120005", kind="enterprise",
                                        affiliation="某科技有限公司")
        meeting_svc.registration_decide(actor=editor, registration=first, accept=True)
    standing = f"{city}人民政府第8次常务会议"
    if not Meeting.objects.filter(organ=organ, title=standing).exists():
        m = meeting_svc.meeting_create(actor=editor, organ=organ, data={
            "kind": MeetingKind.STANDING, "title": standing, "starts_at": now - dt.timedelta(days=20),
            "place": "市政府第一会议室", "topics": "研究养老服务体系建设三年行动方案\n研究城市停车设施管理有关事项",
            "decisions": "会议原则通过养老服务体系建设三年行动方案，要求根据公开征求意见情况修改完善后印发实施。",
            "replay_url": "https://live.example.org/replay/8"})
        meeting_svc.meeting_submit(actor=editor, meeting=m)
        meeting_svc.meeting_review(actor=reviewer, meeting=m, decision="approved", opinion=REVIEW_OPINION)
    forum = f"{city}政务服务“好差评”实施办法座谈会"
    if consultation is not None and not Meeting.objects.filter(organ=organ, title=forum).exists():
        m = meeting_svc.meeting_create(actor=editor, organ=organ, data={
            "kind": MeetingKind.FORUM, "title": forum, "starts_at": now + dt.timedelta(days=7),
            "ends_at": now + dt.timedelta(days=7, hours=2), "place": f"{city}政务服务管理办公室三楼会议室",
            "topics": "听取企业和群众代表对征求意见稿的意见", "attendance_open": True, "places": 12,
            "how_to_apply": "企业代表、经常办事的市民均可报名，按报名先后确定。", "consultation": consultation})
        meeting_svc.meeting_submit(actor=editor, meeting=m)  # waits for the reviewer's 保密审查


def _concerns(*, organ: Organ, editor, today: dt.date) -> None:
    # The response is a record of a response genre (回应关切, 政策解读, 新闻发布会): the demo's 政策解读.
    response = (Record.objects.public().filter(response_genre_q(), organ=organ).order_by("-published_at").first())
    answered = "网传“停车费将大幅上涨”"
    if response is not None and not Concern.objects.filter(organ=organ, title=answered).exists():
        c = concern_svc.concern_create(actor=editor, organ=organ, data={
            "title": answered, "source": "media", "source_ref": "本地论坛、短视频平台",
            "description": "多个平台出现停车收费将上涨的说法，引起市民关注。",
            "received_on": today - dt.timedelta(days=12), "deadline": today - dt.timedelta(days=9)})
        concern_svc.concern_respond(actor=editor, concern=c, record=response,
                                    note="发布情况说明，澄清停车收费标准未作调整。")
    overdue = "市民反映政务服务中心周末无法办理业务"
    if not Concern.objects.filter(organ=organ, title=overdue).exists():
        concern_svc.concern_create(actor=editor, organ=organ, data={
            "title": overdue, "source": "hotline", "source_ref": "12345热线工单",
            "received_on": today - dt.timedelta(days=8), "deadline": today - dt.timedelta(days=2)})


def load(*, organs: dict[str, Organ], users: dict, today: dt.date | None = None) -> str:
    """Load the participation demo; returns one line of counts."""
    today = today or timezone.localdate()
    now = timezone.now()
    before = (Consultation.objects.count(), Meeting.objects.count(), Concern.objects.count())
    for slug, gov_slug, city, editor_name, reviewer_name in ORGANS:
        organ, editor, reviewer = organs.get(slug), users.get(editor_name), users.get(reviewer_name)
        if organ is None or editor is None or reviewer is None:
            continue
        consultations = [_consultation(spec, organ=organ, editor=editor, reviewer=reviewer, today=today)
                         for spec in _drafts(city)]
        _catalog(gov=organs.get(gov_slug), editor=editor, reviewer=reviewer, year=today.year, city=city,
                 consultations=consultations)
        _meetings(organ=organ, editor=editor, reviewer=reviewer, city=city, now=now, consultation=consultations[0])
        _concerns(organ=organ, editor=editor, today=today)
    after = (Consultation.objects.count(), Meeting.objects.count(), Concern.objects.count())
    states = {s: Consultation.objects.filter(status=s).count() for s in (ConsultationStatus.PUBLISHED,
                                                                         ConsultationStatus.CLOSED)}
    return (f"意见征集 {after[0]} 项（新增 {after[0] - before[0]}，征集中 {states['published']}，"
            f"已结束 {states['closed']}），会议活动 {after[1]} 项，回应关切台账 {after[2]} 条")
