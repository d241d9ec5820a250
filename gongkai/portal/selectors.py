"""Reads of the public portal. Every record starts from ``Record.objects.public()``, the one door."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import TruncYear
from django.utils import timezone

from gongkai.core.models import Organ
from gongkai.records.models import (
    Attachment,
    Catalog,
    CatalogEntry,
    GazetteIssue,
    GazetteItem,
    Record,
    Validity,
)

LIST_DEFER = ("body", "summary", "attribute_reason", "keywords")


def public_records():
    return Record.objects.public()


def listed(qs):
    """What a list row needs (title, 文号, dates, validity badge, organ), nothing more."""
    return qs.select_related("genre", "organ").defer(*LIST_DEFER)


def active_organs():
    return Organ.objects.active()


def public_organ(code: str) -> Organ | None:
    return active_organs().filter(code=code).first()


def organ_tree():
    """Top-level active organs with their active children (two queries)."""
    return active_organs().filter(parent=None).prefetch_related(
        Prefetch("children", queryset=active_organs().order_by("order", "path"), to_attr="active_children")
    ).order_by("order", "path")


# --- filters ---------------------------------------------------------------------

SORTS = {
    "-published": ("-published_at", "-id"),
    "published": ("published_at", "id"),
    "-written": ("-written_on", "-published_at", "-id"),
    "written": ("written_on", "published_at", "id"),
}


def validity_q(value: str, today: dt.date | None = None) -> Q:
    """Filter by validity as the public sees it (a passed 有效期 counts as 已失效)."""
    today = today or timezone.localdate()
    if value == "in_force" or value == Validity.VALID:
        return Record.objects.in_force_q(today)
    if value == Validity.EXPIRED:
        return Q(validity=Validity.EXPIRED) | Q(validity=Validity.VALID, valid_until__lt=today)
    if value in (Validity.REVISED, Validity.REPEALED):
        return Q(validity=value)
    return Q()


def _local_year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


@dataclass
class RecordFilter:
    organ: Organ | None = None
    issuer: Organ | None = None
    entry_ids: list[int] = field(default_factory=list)
    topic_code: str = ""
    genre_code: str = ""
    published_year: int | None = None
    written_year: int | None = None
    validity: str = ""
    policy_only: bool = False
    sort: str = "-published"
    record_ids: list[int] | None = None  # what a keyword search found (None: no keyword)

    def apply(self, qs):
        if self.record_ids is not None:
            qs = qs.filter(pk__in=self.record_ids)
        if self.organ is not None:
            qs = qs.filter(organ=self.organ)
        if self.issuer is not None:
            qs = qs.filter(issuers=self.issuer)
        if self.entry_ids:
            qs = qs.filter(pk__in=Record.catalog_entries.through.objects.filter(
                catalogentry_id__in=self.entry_ids).values("record_id"))
        if self.topic_code:
            qs = qs.filter(topic__code=self.topic_code)
        if self.genre_code:
            qs = qs.filter(genre__code=self.genre_code)
        if self.policy_only:
            qs = qs.filter(genre__is_policy=True)
        if self.published_year:
            start, end = _local_year_range(self.published_year)
            qs = qs.filter(published_at__gte=start, published_at__lt=end)
        if self.written_year:
            qs = qs.filter(written_on__gte=dt.date(self.written_year, 1, 1),
                           written_on__lt=dt.date(self.written_year + 1, 1, 1))
        if self.validity:
            qs = qs.filter(validity_q(self.validity))
        return qs.order_by(*SORTS.get(self.sort, SORTS["-published"]))

    def apply_without(self, **clear):
        """The public records this filter finds with some of its conditions cleared (facet counts)."""
        return replace(self, **clear).apply(public_records())


def filtered_records(flt: RecordFilter):
    return listed(flt.apply(public_records()))


def policy_facet_counts(flt: RecordFilter) -> dict[str, dict[str, int]]:
    """For each facet of the policy library, the documents per value with the other filters applied."""
    counts: dict[str, dict[str, int]] = {}

    def base(**clear):
        return flt.apply_without(**clear).order_by()

    counts["genre"] = {c: n for c, n in base(genre_code="").values_list("genre__code").annotate(n=Count("id"))}
    counts["topic"] = {c: n for c, n in base(topic_code="").values_list("topic__code").annotate(n=Count("id")) if c}
    counts["issuer"] = {c: n for c, n in base(issuer=None).values_list("issuers__code").annotate(n=Count("id")) if c}
    counts["year"] = {str(y.year): n for y, n in base(written_year=None).annotate(y=TruncYear("written_on"))
                      .values_list("y").annotate(n=Count("id")) if y}
    return counts


def with_public_successor(qs):
    """Annotate ``successor_public`` so a list can link 已修订/已废止 documents to their successors."""
    return qs.select_related("superseded_by").annotate(
        successor_public=Exists(public_records().filter(pk=OuterRef("superseded_by_id")))
    )


# --- catalog ---------------------------------------------------------------------


@dataclass
class TreeNode:
    entry: CatalogEntry
    children: list[TreeNode] = field(default_factory=list)
    count: int = 0

    @property
    def total(self) -> int:
        return self.count + sum(c.total for c in self.children)


def organ_catalog(organ: Organ) -> Catalog | None:
    return Catalog.objects.filter(organ=organ).first()


def catalog_tree(catalog: Catalog | None, *, with_counts: bool = False) -> list[TreeNode]:
    """The catalog's entries as a tree (one query; one more for the counts)."""
    if catalog is None:
        return []
    entries = list(CatalogEntry.objects.filter(catalog=catalog).order_by("order", "id"))
    nodes = {e.pk: TreeNode(e) for e in entries}
    roots = []
    for e in entries:
        (nodes[e.parent_id].children if e.parent_id in nodes else roots).append(nodes[e.pk])
    if with_counts and entries:
        through = Record.catalog_entries.through.objects
        counts = (
            through.filter(catalogentry_id__in=nodes, record__in=public_records())
            .values("catalogentry_id").annotate(n=Count("record_id"))
        )
        for row in counts:
            nodes[row["catalogentry_id"]].count = row["n"]
    return roots


def descendant_ids(roots: list[TreeNode], entry_id: int) -> list[int]:
    def find(nodes):
        for n in nodes:
            if n.entry.pk == entry_id:
                return n
            hit = find(n.children)
            if hit:
                return hit
        return None

    def collect(n):
        ids = [n.entry.pk]
        for c in n.children:
            ids += collect(c)
        return ids

    node = find(roots)
    return collect(node) if node else [entry_id]


def entry_by_code(organ: Organ, code: str) -> CatalogEntry | None:
    return CatalogEntry.objects.filter(catalog__organ=organ, code=code).first()


def records_in_entry_codes(organ: Organ, codes: list[str], genre_codes: list[str] = ()):
    q = Q(pk__in=Record.catalog_entries.through.objects.filter(
        catalogentry__catalog__organ=organ, catalogentry__code__in=codes).values("record_id"))
    if genre_codes:
        q |= Q(genre__code__in=genre_codes)
    return listed(public_records().filter(organ=organ).filter(q))


# --- record detail ------------------------------------------------------------------


def record_detail(pk: int) -> Record | None:
    return (
        public_records()
        .select_related("organ", "genre", "topic")
        .filter(pk=pk)
        .first()
    )


def record_related(record: Record) -> dict:
    """Everything the detail page shows beside the record itself, through the one door."""
    attachments = list(Attachment.objects.filter(record=record).only(
        "pk", "name", "size", "content_type", "withheld", "withheld_reason", "record_id"))
    linked_ids = [i for i in (record.interprets_id, record.superseded_by_id) if i]
    # The records it links to and those that link to it, in one query: each condition is an indexed
    # column, and both databases combine the three index look-ups (PostgreSQL's BitmapOr, SQLite's
    # multi-index OR) rather than scan the table; a record may fall under more than one of them.
    related = list(public_records().defer(*LIST_DEFER).select_related("genre")
                   .filter(Q(pk__in=linked_ids) | Q(interprets=record) | Q(superseded_by=record))
                   .order_by("-published_at", "-id"))
    links = {r.pk: r for r in related if r.pk in linked_ids}
    interpretations = [r for r in related if r.interprets_id == record.pk]
    supersedes = [r for r in related if r.superseded_by_id == record.pk]
    entries = list(CatalogEntry.objects.filter(records=record, catalog__organ=record.organ_id).only("pk", "name"))
    return {
        "attachments": [a for a in attachments if not a.withheld],
        "withheld_attachments": [a for a in attachments if a.withheld],
        "interprets": links.get(record.interprets_id),
        "superseded_by": links.get(record.superseded_by_id),
        "interpretations": interpretations,
        "supersedes": supersedes,
        "issuers": list(record.issuers.all()),
        "entries": entries,
    }


def withdrawn_notice(pk: int) -> Record | None:
    """A withdrawn record's notice: never its content, only title, index number, date and reason."""
    from gongkai.records.models import Attribute, Status

    return (
        Record.objects.filter(pk=pk, status=Status.WITHDRAWN, attribute=Attribute.PROACTIVE,
                              organ__is_active=True, published_at__isnull=False)
        .only("pk", "title", "index_no", "withdrawn_at", "withdrawal_reason", "organ_id")
        .first()
    )


def public_attachment(pk: int) -> Attachment | None:
    return Attachment.objects.filter(pk=pk, withheld=False, record__in=public_records()).first()


# --- gazette --------------------------------------------------------------------------


def public_issues():
    return GazetteIssue.objects.filter(is_published=True, gazette__organ__is_active=True).select_related(
        "gazette__organ")


def issue_items(issue: GazetteIssue) -> list[GazetteItem]:
    return list(
        GazetteItem.objects.filter(issue=issue, record__in=public_records())
        .select_related("record__genre").defer(*(f"record__{f}" for f in LIST_DEFER))
        .order_by("order", "id")
    )
