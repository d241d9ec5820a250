"""Writes to the 口径库: draft → submitted → reviewed (usable); flagged when its basis changes.

★ An entry resting on a record that is no longer in force (已修订, 已废止,
已失效, or withdrawn from the public) is flagged for review automatically and,
being no longer ``USABLE``, leaves the public pages and the staff suggestions
at once. Two paths lead here: :func:`answers_flag_for_records`, called when
``gongkai.records`` sends ``record_changed`` (after commit, see
``participation.apps``), and :func:`answers_flag_check`, the daily job that
also catches a 有效期 that ran out with no service call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.audit import audit_log, diff, snapshot
from gongkai.core.models import AuditEventType, Organ
from gongkai.core.permissions import Perm, can, require
from gongkai.records.models import Record
from gongkai.search.text import normalize

from ..errors import ParticipationActionError
from ..models import Answer, AnswerBasis, AnswerStatus
from ..models.answers import ANSWER_EDITABLE

AUDITED = ["question", "phrasings", "answer", "topic", "audience", "valid_from", "valid_until", "is_public",
           "status", "flag_reason"]
EDIT_FIELDS = ["question", "phrasings", "answer", "topic", "audience", "valid_from", "valid_until", "is_public"]

Basis = tuple[Record, str]


def answer_search_text(answer: Answer) -> str:
    """The normalised text /qa/ and the staff search match a query against (question, phrasings, answer)."""
    return normalize("\n".join([answer.question, answer.phrasings, answer.answer]))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in EDIT_FIELDS}
    for key in ("question", "phrasings", "answer", "audience"):
        if key in data:
            data[key] = (data[key] or "").strip()
    if "question" in data and not data["question"]:
        raise ParticipationActionError("问题不能为空。")
    if "answer" in data and not data["answer"]:
        raise ParticipationActionError("答复口径不能为空。")
    if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        raise ParticipationActionError("有效期截止日期不能早于开始日期。")
    return data


def basis_problem(record: Record) -> str | None:
    """Why ``record`` cannot serve as the basis of a usable answer (None when it can)."""
    if not Record.objects.public().filter(pk=record.pk).exists():
        return f"依据文件《{record.title}》未公开或已撤回"
    validity = record.effective_validity
    if validity != "valid":
        return f"依据文件《{record.title}》{record.get_effective_validity_display()}"
    return None


def _set_bases(answer: Answer, bases: Iterable[Basis]) -> None:
    answer.bases.all().delete()
    seen = set()
    for order, (record, article) in enumerate(bases):
        key = (record.pk, (article or "").strip())
        if key in seen:
            continue
        seen.add(key)
        AnswerBasis.objects.create(answer=answer, record=record, article=key[1], order=order)


def _bases_repr(answer: Answer) -> list[str]:
    return [f"{b.record.index_no}{b.article}" for b in answer.bases.select_related("record")]


@transaction.atomic
def answer_create(*, actor, organ: Organ, data: dict[str, Any], bases: Sequence[Basis] = (),
                  check_permission: bool = True) -> Answer:
    if check_permission:
        require(actor, Perm.ANSWER_DRAFT, organ)
    data = _clean(data)
    if not data.get("question") or not data.get("answer"):
        raise ParticipationActionError("问题和答复口径都必须填写。")
    answer = Answer(organ=organ, created_by=actor, last_edited_by=actor, **data)
    answer.search_text = answer_search_text(answer)
    answer.save()
    _set_bases(answer, bases)
    changes = diff({}, snapshot(answer, AUDITED))
    changes["bases"] = [[], _bases_repr(answer)]
    audit_log(actor=actor, event_type=AuditEventType.ANSWER_CHANGED, obj=answer, organ=organ, changes=changes,
              note="新建")
    return answer


def _lock(answer: Answer) -> Answer:
    return Answer.objects.select_for_update().get(pk=answer.pk)


@transaction.atomic
def answer_update(*, actor, answer: Answer, data: dict[str, Any], bases: Sequence[Basis] | None = None) -> Answer:
    answer = _lock(answer)
    require(actor, Perm.ANSWER_DRAFT, answer.organ)
    if answer.status not in ANSWER_EDITABLE:
        raise ParticipationActionError(
            f"“{answer.get_status_display()}”的口径不能直接修改；请先停用或等待审核结果。")
    before = snapshot(answer, AUDITED)
    before_bases = _bases_repr(answer)
    for key, value in _clean(data).items():
        setattr(answer, key, value)
    answer.last_edited_by = actor
    answer.search_text = answer_search_text(answer)
    answer.save()
    if bases is not None:
        _set_bases(answer, bases)
    changes = diff(before, snapshot(answer, AUDITED))
    after_bases = _bases_repr(answer)
    if after_bases != before_bases:
        changes["bases"] = [before_bases, after_bases]
    audit_log(actor=actor, event_type=AuditEventType.ANSWER_CHANGED, obj=answer, organ=answer.organ, changes=changes)
    return answer


def _transition(*, actor, answer: Answer, event: AuditEventType, note: str = "", **fields: Any) -> Answer:
    before = snapshot(answer, AUDITED)
    for key, value in fields.items():
        setattr(answer, key, value)
    answer.save()
    audit_log(actor=actor, event_type=event, obj=answer, organ=answer.organ,
              changes=diff(before, snapshot(answer, AUDITED)), note=note)
    return answer


@transaction.atomic
def answer_submit(*, actor, answer: Answer) -> Answer:
    answer = _lock(answer)
    require(actor, Perm.ANSWER_DRAFT, answer.organ)
    if answer.status not in ANSWER_EDITABLE:
        raise ParticipationActionError(f"“{answer.get_status_display()}”的口径不能提交审核。")
    return _transition(actor=actor, answer=answer, event=AuditEventType.ANSWER_CHANGED, note="提交审核",
                       status=AnswerStatus.SUBMITTED, last_edited_by=actor)


def answer_review_failure_reason(*, actor, answer: Answer) -> str | None:
    if not can(actor, Perm.ANSWER_REVIEW, answer.organ):
        return "您没有审核该机关口径的权限。"
    if answer.status != AnswerStatus.SUBMITTED:
        return f"只有待审核的口径可以审核，这条口径现在是“{answer.get_status_display()}”。"
    if actor.pk in {answer.created_by_id, answer.last_edited_by_id}:
        return "起草或修改这条口径的人不能审核它，审核须由他人进行。"
    return None


@transaction.atomic
def answer_review(*, actor, answer: Answer, approve: bool, comment: str = "") -> Answer:
    """审核: approve (the entry becomes usable) or return it with the changes needed."""
    answer = _lock(answer)
    reason = answer_review_failure_reason(actor=actor, answer=answer)
    if reason:
        raise ParticipationActionError(reason)
    comment = (comment or "").strip()
    if not approve:
        if not comment:
            raise ParticipationActionError("退回修改时请写明需要修改的内容。")
        return _transition(actor=actor, answer=answer, event=AuditEventType.ANSWER_REVIEWED, note=comment,
                           status=AnswerStatus.RETURNED, reviewed_by=actor, reviewed_at=timezone.now(),
                           review_comment=comment)
    problems = [p for b in answer.bases.select_related("record") if (p := basis_problem(b.record))]
    if problems:
        raise ParticipationActionError("不能审核通过：" + "；".join(problems) + "。请更新依据后重新提交。")
    return _transition(actor=actor, answer=answer, event=AuditEventType.ANSWER_REVIEWED, note=comment or "审核通过",
                       status=AnswerStatus.USABLE, flag_reason="", reviewed_by=actor, reviewed_at=timezone.now(),
                       review_comment=comment)


@transaction.atomic
def answer_retire(*, actor, answer: Answer, reason: str) -> Answer:
    answer = _lock(answer)
    if not (can(actor, Perm.ANSWER_DRAFT, answer.organ) or can(actor, Perm.ANSWER_REVIEW, answer.organ)):
        raise ParticipationActionError("您没有停用该机关口径的权限。")
    if not (reason or "").strip():
        raise ParticipationActionError("停用口径时请写明原因。")
    if answer.status == AnswerStatus.RETIRED:
        raise ParticipationActionError("这条口径已经停用。")
    return _transition(actor=actor, answer=answer, event=AuditEventType.ANSWER_CHANGED, note="停用：" + reason.strip(),
                       status=AnswerStatus.RETIRED)


@transaction.atomic
def answer_restore(*, actor, answer: Answer) -> Answer:
    """A retired entry goes back to draft, to be reviewed again before use."""
    answer = _lock(answer)
    require(actor, Perm.ANSWER_DRAFT, answer.organ)
    if answer.status != AnswerStatus.RETIRED:
        raise ParticipationActionError("只有已停用的口径可以恢复。")
    return _transition(actor=actor, answer=answer, event=AuditEventType.ANSWER_CHANGED, note="恢复为草稿",
                       status=AnswerStatus.DRAFT, last_edited_by=actor)


# -- automatic flagging ---------------------------------------------------------------------------

FLAGGABLE = (AnswerStatus.USABLE, AnswerStatus.SUBMITTED)


def _flag(answer_ids: Iterable[int]) -> int:
    flagged = 0
    for pk in sorted(set(answer_ids)):
        with transaction.atomic():
            answer = Answer.objects.select_for_update().filter(pk=pk, status__in=FLAGGABLE).first()
            if answer is None:
                continue
            problems = [p for b in answer.bases.select_related("record") if (p := basis_problem(b.record))]
            if not problems:
                continue
            _transition(actor=None, answer=answer, event=AuditEventType.ANSWER_FLAGGED, note="；".join(problems),
                        status=AnswerStatus.FLAGGED, flag_reason=("；".join(problems))[:300])
            flagged += 1
    return flagged


def answers_flag_for_records(*, record_ids: Iterable[int]) -> int:
    """Flag the usable or submitted entries resting on any of ``record_ids`` that are no longer in force."""
    ids = list(record_ids)
    if not ids:
        return 0
    candidates = (Answer.objects.filter(status__in=FLAGGABLE, bases__record_id__in=ids)
                  .values_list("pk", flat=True).distinct())
    return _flag(candidates)


def answers_flag_check() -> int:
    """Flag every usable or submitted entry whose basis is no longer in force (the daily sweep)."""
    not_in_force = Record.objects.exclude(Record.objects.in_force_q()) | Record.objects.not_public()
    candidates = (Answer.objects.filter(status__in=FLAGGABLE)
                  .filter(Q(bases__record__in=not_in_force.values("pk")))
                  .values_list("pk", flat=True).distinct())
    return _flag(candidates)
