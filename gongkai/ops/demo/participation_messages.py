"""Demo data of the message box and the 口径库, written through the participation services, idempotently.

* 口径库: for each seed organ, questions people ask about its published policies (when a
  policy takes effect, what it covers, who it concerns, where to read it, whom to ask),
  each resting on the policy record, reviewed by the organ's reviewer — a few dozen in all.
  One entry rests on a repealed policy: it is flagged for review, as the platform does.
* Messages: for each seed organ, one message in every state (待办理, 办理中, 答复待审核,
  已答复并公开 and rated, 已答复不公开, 不满意重新办理, 不予受理, 转办, 已逾期), about the
  organ's seed policies, with made-up senders. Matched by (organ, subject) on a second run.
"""

from __future__ import annotations

import datetime as dt
import random

from gongkai.core.models import Membership, Organ, Role
from gongkai.participation.models import Answer, Message, MessageKind
from gongkai.participation.services import answers as answer_svc
from gongkai.participation.services import messages as message_svc
from gongkai.records.models import Record, Validity

from .generate import DEFAULT_SEED

# (organ slug, editor username, reviewer username)
ORGANS = [
    ("bd_office", "bd_editor", "bd_reviewer"),
    ("ga_office", "ga_editor", "ga_reviewer"),
    ("bj_office", "bj_editor", "bj_reviewer"),
    ("tez_office", "tez_editor", "tez_reviewer"),
    ("tj", "tj_editor", "tj_reviewer"),
]
SENDERS = ["李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "孙丽", "周强"]
_PHONE_PREFIXES = ("130", "133", "135", "138", "139", "150", "158", "180", "186", "188", "199")


def sender_phone(organ: Organ, n: int) -> str:
    """A random-looking mobile number, the same on every run (the tracking check asks for its last four
    digits, so the demo's numbers must not be guessable like 0001, 0002, ...)."""
    rng = random.Random(f"{DEFAULT_SEED}-message-{organ.code}-{n}")  # noqa: S311 - demo data, not secrets
    return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _policies(organ: Organ) -> list[Record]:
    qs = Record.objects.public().filter(organ=organ).in_force().order_by("-published_at", "pk")
    policy = list(qs.filter(genre__is_policy=True)[:4])
    return policy or list(qs[:4])


def _questions(record: Record, organ: Organ) -> list[tuple[str, str, str]]:
    """(question, other phrasings, answer) about one policy record."""
    t = record.title
    when = record.valid_from or (record.published_at.date() if record.published_at else None)
    summary = (record.summary or "").strip() or "具体内容请以文件正文为准。"
    contact = f"可拨打{organ.phone}咨询" if organ.phone else f"可通过本平台向{organ.name}留言咨询"
    return [
        (f"《{t}》从什么时候开始施行？", f"{t}什么时候生效\n{t}施行日期",
         f"《{t}》自{when:%Y年%-m月%-d日}起施行。" if when else f"《{t}》的施行日期请见文件正文的附则。"),
        (f"《{t}》主要规定了什么？", f"{t}讲的是什么\n{t}的主要内容",
         f"{summary}全文可在{organ.name}政府信息公开专栏查阅（索引号{record.index_no}）。"),
        (f"对《{t}》有疑问可以向谁咨询？", f"{t}咨询电话",
         f"《{t}》由{organ.name}负责解释，{contact}。"),
    ]


def load_answers(*, organs: dict[str, Organ], users: dict) -> tuple[int, int]:
    """(entries created, entries flagged). Existing entries (same organ and question) are kept."""
    created = 0
    for slug, editor_name, reviewer_name in ORGANS:
        organ, editor, reviewer = organs.get(slug), users.get(editor_name), users.get(reviewer_name)
        if organ is None or editor is None or reviewer is None:
            continue
        existing = set(Answer.objects.filter(organ=organ).values_list("question", flat=True))
        for record in _policies(organ):
            for question, phrasings, text in _questions(record, organ):
                if question in existing:
                    continue
                entry = answer_svc.answer_create(
                    actor=editor, organ=organ, bases=[(record, "")],
                    data={"question": question[:300], "phrasings": phrasings, "answer": text,
                          "topic": record.topic, "audience": "", "is_public": True})
                answer_svc.answer_submit(actor=editor, answer=entry)
                answer_svc.answer_review(actor=reviewer, answer=entry, approve=True, comment="经审核，口径准确，同意使用。")
                created += 1
    return created, _flag_one_on_a_repealed_policy(organs=organs, users=users)


def _flag_one_on_a_repealed_policy(*, organs: dict[str, Organ], users: dict) -> int:
    """An entry written while its policy was in force; the policy has since been repealed (or revised)."""
    public = Record.objects.public().filter(organ__in=organs.values()).order_by("pk")
    old = public.filter(validity=Validity.REPEALED).first() or public.filter(validity=Validity.REVISED).first()
    if old is None:
        return 0
    member = (Membership.objects.filter(organ=old.organ, role=Role.EDITOR).select_related("user")
              .order_by("pk").first())
    organ, editor = (old.organ, member.user) if member else (organs.get("bd_office"), users.get("bd_editor"))
    if organ is None or editor is None:
        return 0
    question = f"《{old.title}》还能作为办事依据吗？"[:300]
    if Answer.objects.filter(organ=organ, question=question).exists():
        return 0
    entry = answer_svc.answer_create(actor=editor, organ=organ, bases=[(old, "")],
                                     data={"question": question, "answer": f"可以，按《{old.title}》办理。"})
    answer_svc.answer_submit(actor=editor, answer=entry)  # submitted before the repeal was recorded
    return answer_svc.answers_flag_for_records(record_ids=[old.pk])


def _send(organ: Organ, n: int, subject: str, body: str, *, kind=MessageKind.CONSULT, may_publish=True,
          record: Record | None = None) -> Message:
    name, phone = SENDERS[n % len(SENDERS)], sender_phone(organ, n)
    return message_svc.message_submit(
        organ=organ, kind=kind, subject=subject[:100], record=record, may_publish=may_publish, name=name, phone=phone,
        body=f"您好，我叫{name}，电话{phone}。{body}")


def _reply(message: Message, editor, reviewer, text: str, *, approve=True, publish=True, submit=True,
           answers=()) -> None:
    message_svc.message_reply_draft(actor=editor, message=message, body=text, answers=answers)
    if submit:
        message_svc.message_reply_submit(actor=editor, message=message)
        if approve:
            message_svc.message_reply_review(actor=reviewer, message=message, approve=True, publish=publish)


def _backdate(message: Message, days: int) -> None:
    """Sent ``days`` ago (the demo is loaded today; an overdue message needs an old date)."""
    Message.objects.filter(pk=message.pk).update(
        submitted_at=message.submitted_at - dt.timedelta(days=days),
        received_on=message.received_on - dt.timedelta(days=days))
    message.refresh_from_db()
    message.due_on = message_svc.message_deadline(message).date
    Message.objects.filter(pk=message.pk).update(due_on=message.due_on)


def load_messages(*, organs: dict[str, Organ], users: dict) -> tuple[int, int]:
    """(messages created, messages existing)."""
    created = existing = 0
    for i, (slug, editor_name, reviewer_name) in enumerate(ORGANS):
        organ, editor, reviewer = organs.get(slug), users.get(editor_name), users.get(reviewer_name)
        if organ is None or editor is None or reviewer is None:
            continue
        policies = _policies(organ)
        if not policies:
            continue
        p = policies[0]
        q = policies[-1]
        plan = [
            ("received", f"《{p.title}》适用于外地户籍人员吗？", "我是外地户籍，在本地工作三年，想了解这份文件是否适用于我。"),
            ("handling", f"咨询《{q.title}》的办理流程", "请问按照这份文件需要准备哪些材料，到哪里办理？"),
            ("submitted", f"《{p.title}》中的补贴标准是多少", "文件里提到的补贴标准具体是多少，如何申请？"),
            ("published", f"《{q.title}》何时施行", "想确认一下这份文件从哪天开始执行，之前提交的申请是否适用。"),
            ("private", f"关于《{p.title}》的个人情况咨询", "我的情况比较特殊，身份证号130602198801011234，请工作人员联系我。"),
            ("reopened", f"《{p.title}》执行中的问题", "窗口工作人员说的和文件不一致，请核实。"),
            ("rejected", "推广优惠活动", "本店新开业，欢迎光临。"),
            ("transfer", "小区供暖不热怎么办", "我家小区供暖温度不达标，请问应该找哪个部门？"),
            ("overdue", f"建议完善《{q.title}》的配套细则", "建议尽快出台配套的实施细则，方便群众办事。"),
            ("correction", f"纠错：{p.title}", "页面上的附件无法下载，请核实。"),
        ]
        for n, (state, subject, body) in enumerate(plan):
            subject = subject[:100]
            if Message.objects.filter(organ=organ, subject=subject).exists() or (
                    state == "transfer" and Message.objects.filter(subject=subject, transfers__from_organ=organ).exists()):
                existing += 1
                continue
            kind = {"overdue": MessageKind.SUGGEST, "correction": MessageKind.CORRECTION,
                    "rejected": MessageKind.OTHER}.get(state, MessageKind.CONSULT)
            m = _send(organ, i * 10 + n, subject, body, kind=kind, may_publish=state != "private",
                      record=p if state == "correction" else None)
            created += 1
            if state == "handling":
                message_svc.message_assign(actor=editor, message=m, handler=editor)
            elif state == "submitted":
                _reply(m, editor, reviewer, "您好：补贴标准按文件第三条执行，具体请携带身份证到服务窗口申请。", approve=False)
            elif state == "published" and (cited := Answer.objects.usable().filter(
                    organ=organ, basis_records=q, question__endswith="从什么时候开始施行？").first()):
                _backdate(m, 6)  # the handler answers from the 口径库 entry on the same policy
                _reply(m, editor, reviewer, f"您好：{cited.answer}此前已提交的申请按受理时的规定办理。感谢您的关注。",
                       answers=[cited])
                message_svc.message_rate(message=m, rating="satisfied")
            elif state in ("published", "private", "reopened"):
                _backdate(m, 6)
                _reply(m, editor, reviewer, f"您好：{q.title if state == 'published' else p.title}的施行日期和适用范围以文件正文为准，"
                                            f"如有疑问可拨打{organ.phone or '咨询电话'}。感谢您的关注。")
                if state == "published":
                    message_svc.message_rate(message=m, rating="satisfied")
                elif state == "reopened":
                    message_svc.message_rate(message=m, rating="dissatisfied", reason="答复没有回应窗口执行不一致的问题。")
            elif state == "rejected":
                message_svc.message_reject(actor=editor, message=m, reason="留言内容为商业广告，与政务无关。")
            elif state == "transfer":
                target = organ.parent or Organ.objects.active().exclude(pk=organ.pk).order_by("path").first()
                if target is not None:
                    message_svc.message_transfer(actor=editor, message=m, to_organ=target,
                                                 reason="供暖问题由属地政府及供热主管部门负责，已转交办理。")
            elif state == "overdue":
                _backdate(m, 20)
            elif state == "correction":
                _reply(m, editor, reviewer, "您好：经核实，附件链接已修复，感谢您的纠错。")
    return created, existing


def load(*, organs: dict[str, Organ], users: dict) -> str:
    """Both parts; a one-line Chinese summary for the demo command."""
    answers, flagged = load_answers(organs=organs, users=users)
    created, existing = load_messages(organs=organs, users=users)
    total = Answer.objects.filter(organ__in=organs.values()).count()
    return (f"口径库{total}条（新建{answers}条，{flagged}条因依据废止待复核）；"
            f"留言新建{created}条，已存在{existing}条")
