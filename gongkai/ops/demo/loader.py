"""Write the demo into the database, through the services, idempotently.

Organs are matched by name, accounts by username, catalogs by organ and
records by (organ, title): running the loader again changes nothing that is
already there and adds what is missing. Records go through the record services
(create, attach, submit, review, publish, withdraw, set validity), so reviews
and the audit log are real. Afterwards the dates of old records (created,
reviewed, published, withdrawn) are moved back to when the plan says they
happened; the audit log itself is append-only and keeps the time of loading.
"""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from gongkai.applications.models import Letter
from gongkai.core.models import Membership, Organ, Role
from gongkai.records import reference, services
from gongkai.records.models import (
    Catalog,
    CatalogEntry,
    Genre,
    Record,
    Review,
    ReviewDecision,
    Status,
    Topic,
)
from gongkai.records.text import text_to_html

from . import (
    applicants,
    apps_loader,
    generate,
    participation_consultations,
    participation_messages,
    participation_places,
    seeds,
)
from .generate import TZ, Item
from .organs import BY_SLUG, ORGANS, REGIONS, OrganSpec
from .vocabulary import person_name

DEMO_PASSWORD = "gongkai-demo"  # noqa: S105 - the published password of the demo accounts
DEFAULT_RECORDS = 360


class DemoError(Exception):
    """The demo cannot be loaded (e.g. the reference data migration has not run)."""


@dataclass(frozen=True)
class Account:
    username: str
    grants: tuple[tuple[str, str], ...]  # (Role, organ slug)
    superuser: bool = False


# The accounts printed at the end; each seed organ's editor/reviewer also act for its government.
MAIN_ACCOUNTS = [
    Account("admin", (), superuser=True),
    Account("bd_editor", ((Role.EDITOR, "bd_office"), (Role.EDITOR, "bd_gov"))),
    Account("bd_reviewer", ((Role.REVIEWER, "bd_office"), (Role.REVIEWER, "bd_gov"))),
    Account("bd_handler", ((Role.HANDLER, "bd_office"), (Role.HANDLER, "bd_gov"))),
    # The 公开办 sits in the 市政府办公室 and oversees the whole government, so its roles are held there.
    Account("bd_office", ((Role.OFFICE, "bd_gov"),)),
    Account("bd_head", ((Role.OFFICE_HEAD, "bd_gov"),)),
    Account("ga_editor", ((Role.EDITOR, "ga_office"), (Role.EDITOR, "ga_gov"))),
    Account("ga_reviewer", ((Role.REVIEWER, "ga_office"), (Role.REVIEWER, "ga_gov"))),
    Account("bj_editor", ((Role.EDITOR, "bj_office"), (Role.EDITOR, "bj_gov"))),
    Account("bj_reviewer", ((Role.REVIEWER, "bj_office"), (Role.REVIEWER, "bj_gov"))),
    Account("tj_editor", ((Role.EDITOR, "tj"),)),
    Account("tj_reviewer", ((Role.REVIEWER, "tj"),)),
    Account("tez_editor", ((Role.EDITOR, "tez_office"), (Role.EDITOR, "tez_gov"))),
    Account("tez_reviewer", ((Role.REVIEWER, "tez_office"), (Role.REVIEWER, "tez_gov"))),
]


def staff_accounts() -> list[Account]:
    """An editor and a reviewer for every other organ that publishes (e.g. bd_czj_editor)."""
    covered = {slug for a in MAIN_ACCOUNTS for _, slug in a.grants}
    accounts = []
    for spec in ORGANS:
        if spec.weight > 0 and spec.slug not in covered:
            accounts.append(Account(f"{spec.slug}_editor", ((Role.EDITOR, spec.slug),)))
            accounts.append(Account(f"{spec.slug}_reviewer", ((Role.REVIEWER, spec.slug),)))
    return accounts


@dataclass
class Summary:
    created: int = 0
    existing: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)
    filed_by_attribute: list[tuple[str, int]] = field(default_factory=list)
    organs: int = 0
    accounts: int = 0
    main_accounts: list[tuple[str, str, str]] = field(default_factory=list)  # 用户名, 角色, 机关
    seconds: float = 0.0
    # The other apps (apps_loader).
    applications_created: int = 0
    applications_existing: int = 0
    applications: dict = field(default_factory=dict)  # apps_loader.describe_applications
    plans_created: int = 0
    plans: int = 0
    progress_reports: int = 0
    report: str = ""
    other_seconds: float = 0.0  # of ``seconds``: applications, work plans and the report
    messages: str = ""  # participation_messages.load: the 口径库 and the message box
    consultations: str = ""  # participation_consultations.load: consultations, meetings, concerns
    places: str = ""  # participation_places.load: the map's places, 适用对象 tags on policies


class _Rollback(Exception):
    pass


def load_demo(*, records: int = DEFAULT_RECORDS, seed: int = generate.DEFAULT_SEED, dry_run: bool = False,
              now: dt.datetime | None = None, applications: int = applicants.DEFAULT_APPLICATIONS) -> Summary:
    """Load (or complete) the demo; with ``dry_run`` everything is rolled back and the summary says what would be."""
    started = time.monotonic()
    loader = _Loader(now=now or timezone.now())
    try:
        with transaction.atomic():
            summary = loader.run(records=records, seed=seed, applications=applications)
            if dry_run:
                raise _Rollback
    except _Rollback:
        for name in loader.files:
            default_storage.delete(name)
    summary.seconds = time.monotonic() - started
    return summary


class _Loader:
    def __init__(self, *, now: dt.datetime):
        self.now = now
        self.organs: dict[str, Organ] = {}
        self.users: dict[str, object] = {}
        self.actors: dict[str, tuple[object, object]] = {}  # organ slug -> (editor, reviewer)
        self.files: list[str] = []

    def run(self, *, records: int, seed: int, applications: int = applicants.DEFAULT_APPLICATIONS) -> Summary:
        self.genres = {g.code: g for g in Genre.objects.all()}
        self.topics = {t.code: t for t in Topic.objects.all()}
        standard = Catalog.objects.filter(is_standard=True, organ__isnull=True).order_by("id").first()
        if standard is None or "policy" not in self.genres or "zonghe" not in self.topics:
            raise DemoError("缺少参考数据（体裁、主题分类、标准目录），请先运行 gongkai migrate。")
        self._organs()
        self._catalogs(standard)
        accounts = self._accounts()
        items = seed_items() + generate.plan(records, seed=seed, now=self.now)
        created, existing = self._records(items)
        # Every standard entry that has records of its kind shows them (the catalog's filing rules).
        reference.records_file_bulk(actor=None, records=Record.objects.public().filter(organ__in=self.organs.values()))
        summary = Summary(created=created, existing=existing, organs=len(self.organs), accounts=len(accounts))
        demo = Record.objects.filter(organ__in=self.organs.values())
        counts = Counter(demo.values_list("status", flat=True))
        summary.by_status = [(label, counts.get(value, 0)) for value, label in Status.choices]
        filed = Counter(demo.filter(status=Status.FILED).values_list("attribute", flat=True))
        summary.filed_by_attribute = [(Record(attribute=a).get_attribute_display(), n) for a, n in sorted(filed.items())]
        summary.main_accounts = [self._describe(a) for a in MAIN_ACCOUNTS]
        self._other_apps(summary, applications=applications, seed=seed)
        return summary

    def _other_apps(self, summary: Summary, *, applications: int, seed: int) -> None:
        """Applications, work plans and the annual report, through those apps' services (apps_loader)."""
        started = time.monotonic()
        today = timezone.localdate(self.now)
        letters_before = set(Letter.objects.values_list("pk", flat=True))
        summary.applications_created, summary.applications_existing = apps_loader.load_applications(
            organs=self.organs, users=self.users, count=applications, seed=seed, today=today)
        summary.applications = apps_loader.describe_applications(
            [self.organs[slug] for slug, _ in applicants.ORGANS], today)
        summary.plans_created, summary.plans, summary.progress_reports = apps_loader.load_workplans(
            organs=self.organs, users=self.users, today=today)
        summary.report = apps_loader.load_report(organs=self.organs, users=self.users)
        # Consultations first: their published feedback records are among the policies the 口径库 reads.
        summary.consultations = participation_consultations.load(organs=self.organs, users=self.users, today=today)
        summary.messages = participation_messages.load(organs=self.organs, users=self.users)
        summary.places = participation_places.load(organs=self.organs)
        # The letters' Word files, so that a dry run can delete them with the rest.
        self.files += [name for pk, name in Letter.objects.values_list("pk", "docx") if pk not in letters_before and name]
        summary.other_seconds = time.monotonic() - started

    # --- organs, catalogs, accounts -----------------------------------------------

    def _organs(self) -> None:
        existing = {o.name: o for o in Organ.objects.filter(name__in=[s.name for s in ORGANS])}
        for order, spec in enumerate(ORGANS, start=1):
            values = {
                "short_name": spec.short_name, "code": spec.code, "kind": spec.kind,
                "parent": self.organs[spec.parent] if spec.parent else None, "order": order * 10,
                "aliases": list(spec.aliases), "address": spec.address,
                "postcode": _region(spec).postcode, "office_hours": _region(spec).office_hours, "phone": spec.phone,
            }
            organ = existing.get(spec.name)
            if organ is None:
                organ = Organ(name=spec.name, **values)
                organ.save()
            elif any(getattr(organ, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(organ, key, value)
                organ.save()
            self.organs[spec.slug] = organ

    def _catalogs(self, standard: Catalog) -> None:
        have = set(Catalog.objects.filter(organ__in=self.organs.values()).values_list("organ_id", flat=True))
        for organ in self.organs.values():
            if organ.pk not in have:
                services.catalog_copy(source=standard, organ=organ)
        self.entries = {
            (organ_id, code): pk
            for pk, code, organ_id in CatalogEntry.objects.filter(catalog__organ__in=self.organs.values())
            .values_list("pk", "code", "catalog__organ_id")
        }

    def _accounts(self) -> list[Account]:
        User = get_user_model()
        accounts = MAIN_ACCOUNTS + staff_accounts()
        password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
        existing = User.objects.in_bulk([a.username for a in accounts], field_name="username")
        for n, account in enumerate(accounts):
            user = existing.get(account.username)
            if user is None:
                user = User(username=account.username, first_name="平台管理员" if account.superuser else person_name(n),
                            email=f"{account.username}@example.org")
            user.password = password
            user.is_active = True
            user.is_staff = user.is_superuser = account.superuser
            user.save()
            self.users[account.username] = user
        have = set(Membership.objects.filter(user__in=self.users.values()).values_list("user_id", "organ_id", "role"))
        Membership.objects.bulk_create([
            Membership(user=self.users[a.username], organ=self.organs[slug], role=role)
            for a in accounts for role, slug in a.grants
            if (self.users[a.username].pk, self.organs[slug].pk, role) not in have
        ])
        for a in accounts:
            for role, slug in a.grants:
                editor, reviewer = self.actors.get(slug, (None, None))
                if role == Role.EDITOR and editor is None:
                    editor = self.users[a.username]
                if role == Role.REVIEWER and reviewer is None:
                    reviewer = self.users[a.username]
                self.actors[slug] = (editor, reviewer)
        return accounts

    def _describe(self, account: Account) -> tuple[str, str, str]:
        if account.superuser:
            return (account.username, "平台管理员", "全部机关")
        roles = list(dict.fromkeys(Role(role).label for role, _ in account.grants))
        organs = list(dict.fromkeys(self.organs[slug].name for _, slug in account.grants))
        return (account.username, "、".join(roles), "、".join(organs))

    # --- records ------------------------------------------------------------------

    def _records(self, items: list[Item]) -> tuple[int, int]:
        self.known = {
            (organ_id, title): pk
            for pk, organ_id, title in Record.objects.filter(organ__in=self.organs.values()).values_list("pk", "organ_id", "title")
        }
        order = sorted(range(len(items)), key=lambda i: (items[i].written_on, i))
        done: list[tuple[int, Item]] = []
        existing = 0
        for i in order:
            item = items[i]
            if self._key(item.key) in self.known:
                existing += 1
                continue
            record = self._create(item)
            self.known[self._key(item.key)] = record.pk
            done.append((record.pk, item))
        for pk, item in done:
            self._validity(pk, item)
        for pk, item in done:
            self._backdate(pk, item)
        ids = [pk for pk, _ in done]
        transaction.on_commit(lambda: services.record_changed.send(sender=Record, record_ids=ids))
        return len(done), existing

    def _key(self, key: tuple[str, str]) -> tuple[int, str]:
        return (self.organs[key[0]].pk, key[1])

    def _create(self, item: Item) -> Record:
        organ = self.organs[item.organ]
        editor, reviewer = self.actors[item.organ]
        data = {
            "title": item.title, "doc_no": item.doc_no, "summary": item.summary, "written_on": item.written_on,
            "topic": self.topics[item.topic], "genre": self.genres[item.genre], "attribute": item.attribute,
            "withholding_ground": item.withholding_ground, "attribute_reason": item.attribute_reason,
            "valid_from": item.valid_from, "valid_until": item.valid_until, "body": text_to_html(item.body),
            "keywords": item.keywords,
        }
        if item.interprets:
            data["interprets"] = Record.objects.get(pk=self.known[self._key(item.interprets)])
        entries = [self.entries[(organ.pk, code)] for code in item.catalog if (organ.pk, code) in self.entries]
        issuers = [self.organs[slug] for slug in item.issuers] or [organ]
        record = services.record_create(actor=editor, organ=organ, data=data, issuers=issuers, catalog_entries=entries)
        for attach in item.attachments:
            attachment = services.attachment_add(
                actor=editor, record=record, file=ContentFile(attach.text.encode(), name=attach.name), name=attach.name,
                withheld=bool(attach.withheld_reason), withheld_reason=attach.withheld_reason,
            )
            self.files.append(attachment.file.name)
        if item.state == generate.DRAFT:
            return record
        services.record_submit(actor=editor, record=record)
        if item.state == generate.SUBMITTED:
            return record
        if item.state == generate.RETURNED:
            services.record_review(actor=reviewer, record=record, decision=ReviewDecision.RETURNED,
                                   confidentiality_opinion="经审查，需修改后重新提交。",
                                   attribute_confirmed=item.attribute, comment=item.review_comment)
            return record
        publish = {generate.PUBLISHED: "now", generate.WITHDRAWN: "now", generate.SCHEDULED: "schedule"}.get(item.state, "later")
        services.record_review(actor=reviewer, record=record, decision=ReviewDecision.APPROVED,
                               confidentiality_opinion=item.opinion, attribute_confirmed=item.attribute,
                               publish=publish, publish_at=item.published_at if publish == "schedule" else None)
        if item.state == generate.WITHDRAWN:
            services.record_withdraw(actor=reviewer, record=record, reason=item.withdrawal_reason)
        return record

    def _validity(self, pk: int, item: Item) -> None:
        if not (item.superseded or item.expire_note):
            return
        editor, reviewer = self.actors[item.organ]
        record = Record.objects.get(pk=pk)
        if item.superseded:
            validity, new_key, note = item.superseded
            new_pk = self.known.get(self._key(new_key))
            if new_pk is None:
                return
            services.record_set_validity(actor=editor, record=record, validity=validity,
                                         superseded_by=Record.objects.get(pk=new_pk), note=note)
        else:
            services.record_set_validity(actor=editor, record=record, validity="expired", note=item.expire_note)
        pending = record.validity_changes.filter(decided_at__isnull=True).first()
        if pending is not None:  # a reviewed record's validity changes when a second person approves
            services.record_validity_change_decide(actor=reviewer, change=pending, approve=True)

    def _backdate(self, pk: int, item: Item) -> None:
        """Move the record's own dates back to when the plan says it happened (not the audit log)."""
        created = min(dt.datetime.combine(item.written_on, dt.time(8, 40), TZ), self.now)
        fields = {"created_at": created, "updated_at": created}
        if item.state in (generate.PUBLISHED, generate.WITHDRAWN):
            fields["published_at"] = fields["updated_at"] = item.published_at
            created = min(created, item.published_at - dt.timedelta(hours=2))
            fields["created_at"] = created
            Review.objects.filter(record_id=pk).update(reviewed_at=item.published_at - dt.timedelta(minutes=30))
        if item.state == generate.WITHDRAWN:
            fields["withdrawn_at"] = fields["updated_at"] = item.withdrawn_at
        if item.state in (generate.ON_REQUEST, generate.WITHHELD):
            reviewed = min(created + dt.timedelta(days=2, hours=1), self.now)
            fields["updated_at"] = reviewed
            Review.objects.filter(record_id=pk).update(reviewed_at=reviewed)
        Record.objects.filter(pk=pk).update(**fields)


def _region(spec: OrganSpec):
    return REGIONS[spec.region]


def seed_items() -> list[Item]:
    """The five seed documents as published records, with the metadata parsed from their text."""
    items = []
    for facts in seeds.SEEDS:
        parsed = seeds.load_seed(facts)
        spec = BY_SLUG[facts.organ]
        issuer = _issuer_slug(parsed.issuer, spec) or facts.organ
        written = parsed.written_on
        published = parsed.published_on or facts.published_on or written
        items.append(Item(
            organ=facts.organ, genre=facts.genre, topic=facts.topic, title=parsed.title, state=generate.PUBLISHED,
            written_on=written, body="\n".join(parsed.paragraphs), summary=seeds.summary_of(parsed.paragraphs),
            doc_no=parsed.doc_no, keywords=facts.keywords, issuers=(issuer,), catalog=facts.catalog,
            published_at=dt.datetime.combine(published, dt.time(10, 0), TZ),
            opinion="经审查，该文件不涉及国家秘密、工作秘密、商业秘密和个人隐私，文件注明主动公开，同意公开。",
        ))
    return items


def _issuer_slug(text: str, publisher: OrganSpec) -> str | None:
    """The organ a seed names as its issuer: by full name, else by a short name or alias in the same region."""
    for spec in ORGANS:
        if spec.name == text:
            return spec.slug
    for spec in ORGANS:
        if spec.region == publisher.region and text in (spec.short_name, *spec.aliases):
            return spec.slug
    return None


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A plain-text table that lines up with Chinese characters (two columns wide each)."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row):
        return "  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


