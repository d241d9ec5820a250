"""Planning an import: read the metadata file, check every row, and work out what each row will do.

Nothing here writes. Rows are checked one by one (:mod:`.checking`), then
against each other (repeated rows), against the records already on the
platform (update, skip or create) and for their interpretation links, and put
in the order to write in.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongkai.core.models import Organ

from .. import docno
from ..models import EDITABLE_STATUSES, Attribute, Record, Status
from .checking import check_row
from .lookup import Lookup
from .reading import METADATA_NAMES, read_metadata
from .results import ImportPlan, Problem, RowPlan


def _find_existing(row: RowPlan) -> list[Record]:
    qs = Record.objects.filter(organ=row.organ)
    doc_no, title, written_on = row.data["doc_no"], row.data["title"], row.data["written_on"]
    if doc_no:
        found = list(qs.filter(doc_no=doc_no))
        if found:
            return found
        return list(qs.filter(title=title, written_on=written_on, doc_no=""))
    return list(qs.filter(title=title, written_on=written_on))


def _resolve_interprets(row: RowPlan, rows: list[RowPlan]) -> RowPlan | Record:
    ref = row.interprets_ref
    try:
        ref_doc_no = docno.normalize(ref)
    except docno.DocNoError:
        ref_doc_no = ""
    in_file = [r for r in rows if r is not row and ((ref_doc_no and r.data["doc_no"] == ref_doc_no) or r.data["title"] == ref)]
    if len(in_file) == 1:
        return in_file[0]
    if len(in_file) > 1:
        raise ValueError(f"“{ref}”对应本文件中的多行（{'、'.join(r.where.split()[-1] for r in in_file)}），请填写发文字号。")
    cond = Q(title=ref) | (Q(doc_no=ref_doc_no) if ref_doc_no else Q(pk__in=[]))
    found = list(Record.objects.filter(cond).select_related("organ"))
    if len(found) > 1:
        same_organ = [r for r in found if r.organ_id == row.organ.pk]
        found = same_organ if len(same_organ) == 1 else found
    if len(found) > 1:
        raise ValueError(f"“{ref}”对应多条已有信息（索引号{'、'.join(r.index_no for r in found)}），请填写发文字号。")
    if not found:
        raise ValueError(f"找不到“{ref}”：它既不是本文件中另一行的发文字号或标题，也不是平台上已有信息的发文字号或标题。")
    return found[0]


def _status_after(row: RowPlan) -> str:
    if row.action == "skip" and row.existing is not None:
        return row.existing.status
    if row.publish:
        return Status.PUBLISHED if row.data["attribute"] == Attribute.PROACTIVE else Status.FILED
    return row.existing.status if row.existing is not None else Status.DRAFT


def _check_interprets(row: RowPlan, target: RowPlan | Record) -> str | None:
    """Why ``row`` cannot link to ``target`` (the rules of services._check_links and publication), or None."""
    if isinstance(target, RowPlan):
        status, organ, attribute, at = _status_after(target), target.organ, target.data["attribute"], target.published_at
        if target.action == "skip" and target.existing is not None:
            at = target.existing.published_at
    else:
        status, organ, attribute, at = target.status, target.organ, target.attribute, target.published_at
    linkable = (Status.PUBLISHED, Status.APPROVED, Status.SCHEDULED, Status.FILED)
    if status not in linkable and organ.pk != row.organ.pk:
        return "解读的文件必须是已发布的信息或本机关的信息。"
    if row.publish and row.data["attribute"] == Attribute.PROACTIVE:
        public_then = (
            attribute == Attribute.PROACTIVE
            and status in (Status.PUBLISHED, Status.APPROVED, Status.SCHEDULED)
            and at is not None and row.published_at is not None and at <= row.published_at
        )
        if not public_then:
            return "它解读的文件在本条的发布日期尚未公开，政策解读不能先于文件发布。"
    return None


def _changes(row: RowPlan, record: Record) -> list[str]:
    changed = []
    for key, new in row.data.items():
        old = getattr(record, key)
        if (old.pk if hasattr(old, "pk") else old) != (new.pk if hasattr(new, "pk") else new):
            changed.append(str(Record._meta.get_field(key).verbose_name))
    if {o.pk for o in row.issuers} != set(record.issuers.values_list("pk", flat=True)):
        changed.append("发文机关")
    target = row.interprets
    target_pk = target.pk if isinstance(target, Record) else (target.existing.pk if target and target.existing else None)
    if (target is not None or record.interprets_id) and target_pk != record.interprets_id:
        changed.append("解读的文件")
    have = set(record.attachments.values_list("name", flat=True))
    if any(p.name not in have for p in row.attachments):
        changed.append("附件")
    return changed


def _order(rows: list[RowPlan]) -> tuple[list[RowPlan], list[RowPlan]]:
    """File order, except that a document comes before the rows interpreting it; also the rows in a cycle."""
    done: list[RowPlan] = []
    placed: set[int] = set()
    cycle: list[RowPlan] = []
    for row in rows:
        chain: list[RowPlan] = []
        current: RowPlan | None = row
        while current is not None and id(current) not in placed:
            if current in chain:
                cycle.extend(r for r in chain[chain.index(current):] if r not in cycle)
                break
            chain.append(current)
            current = current.interprets if isinstance(current.interprets, RowPlan) else None
        else:
            for item in reversed(chain):
                done.append(item)
                placed.add(id(item))
    return done, cycle


def import_plan(
    directory: str | os.PathLike[str],
    *,
    user,
    publish: bool = False,
    organ: Organ | None = None,
    metadata: str | os.PathLike[str] | None = None,
    attach_original: bool = False,
    now: dt.datetime | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> ImportPlan:
    """Read and check everything; write nothing. The plan lists problems, or what each row will do."""
    now = now or timezone.now()
    directory = Path(directory)
    progress = progress or (lambda items: items)
    if not directory.is_dir():
        plan = ImportPlan(source=str(directory), directory=directory, publish=publish)
        plan.problems.append(Problem(str(directory), "不是一个文件夹。"))
        return plan
    if metadata is not None:
        meta_path = Path(metadata) if Path(metadata).is_absolute() else directory / metadata
        candidates = [meta_path] if meta_path.is_file() else []
        if not candidates:
            plan = ImportPlan(source=str(metadata), directory=directory, publish=publish)
            plan.problems.append(Problem(str(metadata), "元数据文件不存在。"))
            return plan
    else:
        candidates = [directory / name for name in METADATA_NAMES if (directory / name).is_file()]
    if len(candidates) != 1:
        plan = ImportPlan(source=str(directory), directory=directory, publish=publish)
        message = ("文件夹里没有元数据文件 metadata.csv 或 metadata.json。" if not candidates
                   else "文件夹里同时有 metadata.csv 和 metadata.json，请用 --metadata 指定使用哪一个。")
        plan.problems.append(Problem(str(directory), message))
        return plan
    meta_path = candidates[0]
    plan = ImportPlan(source=meta_path.name, directory=directory, publish=publish)
    raw_rows, problems, unit = read_metadata(meta_path)
    plan.problems.extend(problems)
    if problems and not raw_rows:
        return plan

    lookup = Lookup()
    rows: list[RowPlan] = []
    for number, raw in progress(raw_rows):
        row, row_problems = check_row(
            number=number, where=f"{plan.source} 第{number}{unit}", row=raw, directory=directory, lookup=lookup,
            user=user, publish=publish, default_organ=organ, attach_original=attach_original, now=now,
        )
        plan.problems.extend(row_problems)
        if row is not None:
            rows.append(row)

    # Rows repeating each other inside the file.
    seen: dict[tuple[Any, ...], RowPlan] = {}
    for row in rows:
        keys = [(("file", row.path), "file", "与{}是同一个文件")]
        if row.data["doc_no"]:
            keys.append((("doc_no", row.organ.pk, row.data["doc_no"]), "doc_no", "与{}的发布机构和发文字号相同"))
        keys.append((("title", row.organ.pk, row.data["title"], row.data["written_on"]), "title", "与{}的发布机构、标题和成文日期相同"))
        for key, column, message in keys:
            if key in seen:
                plan.problems.append(Problem(row.where, message.format(seen[key].where.split()[-1]) + "，同一份文件只能有一行。", column))
                break
            seen[key] = row

    # Existing records: update, skip, or create.
    claimed: dict[int, RowPlan] = {}
    for row in rows:
        found = _find_existing(row)
        if len(found) > 1:
            numbers = "、".join(r.index_no for r in found)
            plan.problems.append(Problem(row.where, f"平台上已有多条信息与本行匹配（索引号{numbers}），无法确定更新哪一条。"))
            continue
        if not found:
            row.action, row.publish = "create", publish
            continue
        existing = found[0]
        if existing.pk in claimed:
            plan.problems.append(Problem(row.where, f"与{claimed[existing.pk].where.split()[-1]}匹配的是同一条已有信息（索引号{existing.index_no}）。"))
            continue
        claimed[existing.pk] = row
        row.existing = existing
        if existing.status in EDITABLE_STATUSES:
            row.action, row.publish = "update", publish
        else:
            row.action = "skip"
            row.skip_reason = f"已有信息{existing.index_no}处于“{existing.get_status_display()}”状态"

    # Interpretation links (need every row's outcome).
    for row in rows:
        if row.interprets_ref:
            try:
                row.interprets = _resolve_interprets(row, rows)
            except ValueError as exc:
                plan.problems.append(Problem(row.where, str(exc), "interprets"))
                continue
            if row.interprets is row.existing:
                plan.problems.append(Problem(row.where, "一份文件不能解读它自己。", "interprets"))
                continue
            if row.action != "skip":
                reason = _check_interprets(row, row.interprets)
                if reason:
                    plan.problems.append(Problem(row.where, reason, "interprets"))
        elif row.publish and row.data["genre"].is_interpretation and row.data["attribute"] == Attribute.PROACTIVE:
            plan.problems.append(Problem(row.where, "政策解读必须填写它所解读的文件（发文字号或标题）。", "interprets"))

    ordered, cycle = _order(rows)
    for row in cycle:
        plan.problems.append(Problem(row.where, "解读关系形成了循环。", "interprets"))

    for row in ordered:
        if row.existing is None:
            continue
        row.changes = _changes(row, row.existing)
        if row.action == "skip" and row.changes:
            row.notes.append(f"已有信息（索引号{row.existing.index_no}）处于“{row.existing.get_status_display()}”状态，"
                             f"导入不修改它（本行与它不同：{'、'.join(row.changes)}）")
            row.changes = []
        elif row.action == "update" and not row.changes and not row.publish:
            row.action = "skip"
            row.skip_reason = f"与已有信息{row.existing.index_no}相同"
    plan.rows = ordered  # the order to write in: documents before their interpretations
    for row in ordered:
        plan.notes.extend(Problem(row.where, note) for note in row.notes)
    if not publish and any(raw.get("published_at") for _, raw in raw_rows):
        plan.notes.append(Problem(plan.source, "未使用 --publish，“发布日期”列不生效，信息以草稿导入。"))
    return plan
