"""订阅 and 精准推送: subscribe with double opt-in, manage by signed link, collect and send pushes.

* Anyone subscribes by e-mail to an organ (and its sub-organs), a genre, a topic, a saved search,
  one document, or to "what concerns me" (precise push by 适用对象). Nothing is sent until the
  link in the confirmation mail is followed (double opt-in).
* :func:`deliveries_collect` turns records that went public (and interpretations and validity
  changes of watched documents) into :class:`Delivery` rows, one per (subscription, record,
  event), and one per version number for each new version (更正、修订): the unique constraints make
  collecting any number of times create each once.
* :func:`deliveries_send` mails what is owed, one mail per subscriber (a digest for daily and
  weekly subscriptions), batched and throttled per mail server. A record is sent only if it
  still passes ``Record.objects.public()`` at send time; a withdrawn one is marked 未发送. A
  failure is retried on the next run, up to ``GONGKAI_PUSH_RETRIES`` attempts.
* Every mail carries a one-click unsubscribe link and ``List-Unsubscribe`` headers (RFC 8058);
  bounces and complaints disable the address (:func:`subscriber_disable`).

Subscribers are anonymous self-service, yet every change of a subscription is audited (no actor;
the row names the subscription by what it follows, never by the e-mail address): requested,
confirmed, changed (frequency, 适用对象, a bounce) and cancelled, each with its own type.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType, Organ
from gongkai.records.models import Audience, Genre, Record, RecordVersion, Topic, ValidityChange
from gongkai.search.query import parse
from gongkai.search.text import normalize

from ..errors import ParticipationActionError
from ..models import (
    Answer,
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    DisabledReason,
    Frequency,
    Subscriber,
    Subscription,
    SubscriptionKind,
)

SALT = "gongkai.subscriptions"
MAX_SUBSCRIPTIONS = 50  # per address: a typo'd or abused address cannot collect thousands


# --- signed links ----------------------------------------------------------------------


def make_token(action: str, pk: int) -> str:
    return signing.dumps([action, pk], salt=SALT, compress=True)


def read_token(token: str, action: str, *, max_age: int | None = None) -> int | None:
    try:
        got, pk = signing.loads(token, salt=SALT, max_age=max_age)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return int(pk) if got == action else None


def site_url(path: str) -> str:
    return settings.GONGKAI_SITE_URL.rstrip("/") + path


def manage_url(subscriber: Subscriber) -> str:
    return site_url(reverse("participation:subscriptions_manage", args=[make_token("manage", subscriber.pk)]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return site_url(reverse("participation:subscriptions_unsubscribe", args=[make_token("unsubscribe", subscriber.pk)]))


def confirm_url(subscription: Subscription) -> str:
    return site_url(reverse("participation:subscription_confirm", args=[make_token("confirm", subscription.pk)]))


# --- subscribing ----------------------------------------------------------------------------


def _audit(event_type: AuditEventType, subscription: Subscription, changes: dict | None = None,
           note: str = "") -> None:
    audit_log(actor=None, event_type=event_type, obj=subscription, organ=subscription.organ,
              object_repr=f"订阅#{subscription.pk} · {subscription.describe()}", changes=changes, note=note)


def _audit_subscriber(subscriber: Subscriber, changes: dict, note: str) -> None:
    audit_log(actor=None, event_type=AuditEventType.SUBSCRIPTION_CHANGED, obj=subscriber,
              object_repr=f"订阅人#{subscriber.pk}", changes=changes, note=note)


@transaction.atomic
def subscription_request(
    *,
    email: str,
    kind: SubscriptionKind | str,
    frequency: Frequency | str = Frequency.DAILY,
    organ: Organ | None = None,
    include_sub_organs: bool = False,
    genre: Genre | None = None,
    topic: Topic | None = None,
    query: str = "",
    record: Record | None = None,
    audiences: Iterable[Audience] = (),
) -> Subscription:
    """Record an unconfirmed subscription and mail the confirmation link (double opt-in)."""
    email = email.strip().lower()
    if kind == SubscriptionKind.RECORD and (record is None or not Record.objects.public().filter(pk=record.pk).exists()):
        raise ParticipationActionError("只能订阅已公开的文件。")
    if kind == SubscriptionKind.SEARCH and not parse(query).pieces:
        raise ParticipationActionError("请填写关键词。")
    audiences = list(audiences)
    if kind == SubscriptionKind.AUDIENCE and not audiences:
        raise ParticipationActionError("精准推送请至少选择一项“我是”，例如企业所属行业、规模或个人情况。")
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    if subscriber.disabled_reason == DisabledReason.COMPLAINT:
        raise ParticipationActionError("该邮箱曾将本平台的邮件标为垃圾邮件，已停止发送。如需恢复请联系网站。")
    if subscriber.subscriptions.filter(cancelled_at__isnull=True).count() >= MAX_SUBSCRIPTIONS:
        raise ParticipationActionError(f"一个邮箱最多订阅 {MAX_SUBSCRIPTIONS} 项，请先退订不需要的。")
    target = {"organ": organ if kind == SubscriptionKind.ORGAN else None,
              "genre": genre if kind == SubscriptionKind.GENRE else None,
              "topic": topic if kind == SubscriptionKind.TOPIC else None,
              "query": query.strip() if kind == SubscriptionKind.SEARCH else "",
              "record": record if kind == SubscriptionKind.RECORD else None}
    existing = subscriber.subscriptions.filter(kind=kind, cancelled_at__isnull=True, **target).first()
    subscription = existing or Subscription(subscriber=subscriber, kind=kind, **target)
    before = {"frequency": subscription.frequency, "include_sub_organs": subscription.include_sub_organs}
    subscription.include_sub_organs = bool(include_sub_organs and kind == SubscriptionKind.ORGAN)
    subscription.frequency = frequency
    subscription.full_clean(exclude=["subscriber"])
    subscription.save()
    after = {"frequency": subscription.frequency, "include_sub_organs": subscription.include_sub_organs}
    if existing is None:
        _audit(AuditEventType.SUBSCRIPTION_REQUESTED, subscription,
               {"kind": [None, subscription.kind], "frequency": [None, subscription.frequency]})
    elif before != after:
        _audit(AuditEventType.SUBSCRIPTION_CHANGED, subscription,
               {k: [before[k], after[k]] for k in after if before[k] != after[k]}, note="重新订阅时修改")
    if audiences:
        subscriber.audiences.add(*audiences)
    if subscription.confirmed_at is None:
        _mail_on_commit(subscriber, "participation/mail/subscription_confirm.txt", "请确认您的订阅",
                        {"subscription": subscription, "confirm_url": confirm_url(subscription)}, bulk=False)
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update(of=("self",)).select_related("subscriber").get(pk=subscription.pk)
    if subscription.cancelled_at is not None:
        raise ParticipationActionError("这项订阅已经退订；如需继续接收，请重新订阅。")
    subscriber = subscription.subscriber
    if subscriber.disabled_reason == DisabledReason.COMPLAINT:
        raise ParticipationActionError("该邮箱已停止接收本平台的邮件。")
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        _audit(AuditEventType.SUBSCRIPTION_CONFIRMED, subscription, {"confirmed": [False, True]})
    if subscriber.disabled_at is not None:  # confirming again proves the address works
        Subscriber.objects.filter(pk=subscriber.pk).update(disabled_at=None, disabled_reason="", bounces=0)
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription: Subscription) -> Subscription:
    if subscription.cancelled_at is None:
        subscription.cancelled_at = timezone.now()
        subscription.save(update_fields=["cancelled_at"])
        subscription.deliveries.filter(status=DeliveryStatus.PENDING).delete()
        _audit(AuditEventType.SUBSCRIPTION_CANCELLED, subscription, {"cancelled": [False, True]})
    return subscription


@transaction.atomic
def subscription_set_frequency(*, subscription: Subscription, frequency: Frequency | str) -> Subscription:
    before = subscription.frequency
    subscription.frequency = Frequency(frequency)
    subscription.save(update_fields=["frequency"])
    if before != subscription.frequency:
        _audit(AuditEventType.SUBSCRIPTION_CHANGED, subscription, {"frequency": [before, subscription.frequency]})
    return subscription


@transaction.atomic
def subscriber_set_audiences(*, subscriber: Subscriber, audiences: Iterable[Audience]) -> Subscriber:
    audiences = list(audiences)
    before = sorted(str(a) for a in subscriber.audiences.all())
    subscriber.audiences.set(audiences)
    after = sorted(str(a) for a in audiences)
    if before != after:
        _audit_subscriber(subscriber, {"audiences": [before, after]}, note="修改“我是”（适用对象）")
    return subscriber


@transaction.atomic
def subscriber_unsubscribe_all(*, subscriber: Subscriber) -> Subscriber:
    now = timezone.now()
    active = list(subscriber.subscriptions.filter(cancelled_at__isnull=True).select_related(
        "organ", "genre", "topic", "record"))
    subscriber.subscriptions.filter(pk__in=[s.pk for s in active]).update(cancelled_at=now)
    Delivery.objects.filter(subscription__subscriber=subscriber, status=DeliveryStatus.PENDING).delete()
    for subscription in active:
        _audit(AuditEventType.SUBSCRIPTION_CANCELLED, subscription, {"cancelled": [False, True]}, note="全部退订")
    return subscriber


@transaction.atomic
def subscriber_disable(*, email: str, reason: DisabledReason | str) -> Subscriber | None:
    """A bounce or a complaint (fed by ``gongkai subscriptions_bounce``): stop mailing this address."""
    subscriber = Subscriber.objects.select_for_update().filter(email=email.strip().lower()).first()
    if subscriber is None:
        return None
    subscriber.bounces += 1 if reason == DisabledReason.BOUNCE else 0
    subscriber.disabled_at = subscriber.disabled_at or timezone.now()
    subscriber.disabled_reason = DisabledReason(reason)
    subscriber.save(update_fields=["bounces", "disabled_at", "disabled_reason"])
    _audit_subscriber(subscriber, {"disabled_reason": [None, subscriber.disabled_reason]},
                      note=f"地址停用：{subscriber.get_disabled_reason_display()}")
    Delivery.objects.filter(subscription__subscriber=subscriber, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, error=f"地址已停用：{subscriber.get_disabled_reason_display()}")
    return subscriber


# --- matching ---------------------------------------------------------------------------------


def _haystack(record: Record) -> str:
    return normalize(" ".join((record.title, record.doc_no, record.summary, record.keywords, strip_tags(record.body))))


def _audience_ok(sub: Subscription, record_audiences: set[int], subscriber_audiences: set[int]) -> bool:
    """Precise push: a record tagged with 适用对象 goes to subscribers who said they are one of them;
    an untagged record concerns everyone; a subscriber who said nothing gets every record."""
    if sub.kind == SubscriptionKind.AUDIENCE:
        return bool(record_audiences & subscriber_audiences)
    if record_audiences and subscriber_audiences:
        return bool(record_audiences & subscriber_audiences)
    return True


def subscription_matches(sub: Subscription, record: Record, *, organ_ancestors: set[int], record_audiences: set[int],
                         subscriber_audiences: set[int], haystack: str | None = None) -> bool:
    """Does a newly public ``record`` belong to ``sub`` (kinds other than RECORD)?"""
    if sub.kind == SubscriptionKind.ORGAN:
        hit = sub.organ_id == record.organ_id or (sub.include_sub_organs and sub.organ_id in organ_ancestors)
    elif sub.kind == SubscriptionKind.GENRE:
        hit = sub.genre_id == record.genre_id
    elif sub.kind == SubscriptionKind.TOPIC:
        hit = sub.topic_id is not None and sub.topic_id == record.topic_id
    elif sub.kind == SubscriptionKind.SEARCH:
        text = haystack if haystack is not None else _haystack(record)
        pieces = parse(sub.query).pieces
        hit = bool(pieces) and all(p in text for p in pieces)
    elif sub.kind == SubscriptionKind.AUDIENCE:
        hit = True
    else:
        return False
    return hit and _audience_ok(sub, record_audiences, subscriber_audiences)


def active_subscriptions():
    return (Subscription.objects.filter(confirmed_at__isnull=False, cancelled_at__isnull=True,
                                        subscriber__disabled_at__isnull=True)
            .select_related("subscriber").prefetch_related("subscriber__audiences"))


def _lookback(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=int(getattr(settings, "GONGKAI_PUSH_LOOKBACK_DAYS", 3)))


def deliveries_collect(*, now: dt.datetime | None = None) -> int:
    """Create the deliveries owed for records that went public lately (idempotent). Returns rows created."""
    now = now or timezone.now()
    since = _lookback(now)
    subs = list(active_subscriptions())
    if not subs:
        return 0
    audiences_of = {s.subscriber_id: {a.pk for a in s.subscriber.audiences.all()} for s in subs}
    general = [s for s in subs if s.kind != SubscriptionKind.RECORD]
    watching: dict[int, list[Subscription]] = defaultdict(list)
    for s in subs:
        if s.kind == SubscriptionKind.RECORD:
            watching[s.record_id].append(s)
    rows: list[Delivery] = []
    fresh = (Record.objects.public(now).filter(published_at__gte=since).select_related("organ")
             .prefetch_related("audiences").order_by("published_at", "pk"))
    for record in fresh.iterator(chunk_size=200):
        ancestors = {int(p) for p in record.organ.path.strip("/").split("/") if p}
        tagged = {a.pk for a in record.audiences.all()}
        text = _haystack(record) if any(s.kind == SubscriptionKind.SEARCH for s in general) else ""
        for s in general:
            if s.confirmed_at <= record.published_at and subscription_matches(
                    s, record, organ_ancestors=ancestors, record_audiences=tagged,
                    subscriber_audiences=audiences_of[s.subscriber_id], haystack=text):
                rows.append(Delivery(subscription=s, record=record, event=DeliveryEvent.NEW))
        for s in watching.get(record.interprets_id, []) if record.interprets_id else []:
            if s.confirmed_at <= record.published_at:
                rows.append(Delivery(subscription=s, record=record, event=DeliveryEvent.INTERPRETED))
    # Each new version (更正、修订) of a public record published lately: once per version to whoever it would
    # reach as new, so a third version notifies again after the second.
    published_versions = (RecordVersion.objects.filter(number__gt=1, published_at__gte=since,
                                                       record__in=Record.objects.public(now))
                          .values_list("record_id", "number", "published_at"))
    versions_of: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for record_id, number, published_at in published_versions:
        versions_of[record_id].append((number, published_at))
    updated = (Record.objects.filter(pk__in=list(versions_of)).select_related("organ")
               .prefetch_related("audiences").order_by("pk"))
    for record in updated.iterator(chunk_size=200):
        ancestors = {int(p) for p in record.organ.path.strip("/").split("/") if p}
        tagged = {a.pk for a in record.audiences.all()}
        text = _haystack(record) if any(s.kind == SubscriptionKind.SEARCH for s in general) else ""
        reached = [s for s in [*general, *watching.get(record.pk, [])]
                   if s.kind == SubscriptionKind.RECORD or subscription_matches(
                       s, record, organ_ancestors=ancestors, record_audiences=tagged,
                       subscriber_audiences=audiences_of[s.subscriber_id], haystack=text)]
        for number, published_at in versions_of[record.pk]:
            rows.extend(Delivery(subscription=s, record=record, event=DeliveryEvent.UPDATED, version=number)
                        for s in reached if s.confirmed_at <= published_at)
    if watching:
        changes = ValidityChange.objects.filter(record_id__in=list(watching), approved=True, decided_at__gte=since)
        for change in changes:
            event = {"revised": DeliveryEvent.REVISED, "repealed": DeliveryEvent.REPEALED}.get(change.validity)
            for s in watching[change.record_id] if event else []:
                if s.confirmed_at <= change.decided_at:
                    rows.append(Delivery(subscription=s, record_id=change.record_id, event=event))
    if watching:
        # A watched document's 政策问答: an entry based on it that went public (approved) lately.
        answers = (Answer.objects.public().filter(bases__record_id__in=list(watching), reviewed_at__gte=since)
                   .values_list("pk", "bases__record_id", "reviewed_at").distinct())
        for answer_id, record_id, reviewed_at in answers:
            for s in watching.get(record_id, []):
                if s.confirmed_at <= reviewed_at:
                    rows.append(Delivery(subscription=s, record_id=record_id, event=DeliveryEvent.QA,
                                         answer_id=answer_id))
    before = Delivery.objects.count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Delivery.objects.count() - before


# --- sending ------------------------------------------------------------------------------------


@dataclass
class SendReport:
    mails: int = 0
    items: int = 0
    skipped: int = 0
    failed: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"发送 {self.mails} 封推送邮件（{self.items} 条信息），{self.skipped} 条因已不公开未发送，"
                f"{self.failed} 条发送失败，{self.deferred} 位订阅人因限速顺延")


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def deliveries_send(*, frequencies: Iterable[str], now: dt.datetime | None = None) -> SendReport:
    """Mail the pending deliveries of subscriptions with these frequencies, one mail per subscriber."""
    now = now or timezone.now()
    report = SendReport()
    batch = int(getattr(settings, "GONGKAI_PUSH_BATCH", 500))
    per_domain = int(getattr(settings, "GONGKAI_PUSH_PER_DOMAIN", 200))
    retries = int(getattr(settings, "GONGKAI_PUSH_RETRIES", 5))
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDING, subscription__frequency__in=list(frequencies),
                                      subscription__cancelled_at__isnull=True,
                                      subscription__subscriber__disabled_at__isnull=True)
    subscriber_ids = list(pending.order_by("subscription__subscriber_id").values_list(
        "subscription__subscriber_id", flat=True).distinct())
    per_server: dict[str, int] = defaultdict(int)
    connection = get_connection()
    for subscriber in Subscriber.objects.filter(pk__in=subscriber_ids[:batch]).order_by("pk"):
        domain = _domain(subscriber.email)
        if per_server[domain] >= per_domain:
            report.deferred += 1
            continue
        ids = list(pending.filter(subscription__subscriber=subscriber).values_list("pk", flat=True))
        claimed = [pk for pk in ids if Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING) == 1]
        if not claimed:
            continue
        items = list(Delivery.objects.filter(pk__in=claimed).select_related("record", "record__organ", "subscription",
                                                                            "answer")
                     .order_by("record__published_at", "pk"))
        public = set(Record.objects.public(now).filter(pk__in=[d.record_id for d in items]).values_list("pk", flat=True))
        answers = set(Answer.objects.public().filter(pk__in=[d.answer_id for d in items if d.answer_id])
                      .values_list("pk", flat=True))
        withdrawn = [d.pk for d in items if d.record_id not in public or (d.answer_id and d.answer_id not in answers)]
        if withdrawn:
            Delivery.objects.filter(pk__in=withdrawn).update(status=DeliveryStatus.SKIPPED)
            report.skipped += len(withdrawn)
        items = [d for d in items if d.pk not in withdrawn]
        if not items:
            continue
        # One line per record: a record matching several subscriptions is listed once.
        lines: dict[tuple[int, int | None], Delivery] = {}
        for d in items:
            lines.setdefault((d.record_id, d.answer_id), d)
        try:
            _send_digest(subscriber, list(lines.values()), connection=connection)
        except Exception as exc:  # noqa: BLE001 - a mail server's refusal is recorded and retried
            message = f"{type(exc).__name__}: {exc}"[:300]
            for d in items:
                d.attempts += 1
                d.error = message
                d.status = DeliveryStatus.FAILED if d.attempts >= retries else DeliveryStatus.PENDING
            Delivery.objects.bulk_update(items, ["attempts", "error", "status"])
            report.failed += sum(1 for d in items if d.status == DeliveryStatus.FAILED)
            report.errors.append(message)
            continue
        Delivery.objects.filter(pk__in=[d.pk for d in items]).update(status=DeliveryStatus.SENT, sent_at=timezone.now(),
                                                                    attempts=1)
        per_server[domain] += 1
        report.mails += 1
        report.items += len(lines)
    report.deferred += max(len(subscriber_ids) - batch, 0)
    return report


def _send_digest(subscriber: Subscriber, items: list[Delivery], *, connection) -> None:
    context = {"subscriber": subscriber,
               "items": [(d, site_url(d.answer.get_absolute_url() if d.answer_id else d.record.get_absolute_url()))
                         for d in items],
               "manage_url": manage_url(subscriber), "unsubscribe_url": unsubscribe_url(subscriber),
               "site_url": site_url("/")}
    subject = (f"【政务公开订阅】{items[0].record.title}" if len(items) == 1
               else f"【政务公开订阅】{len(items)} 条新信息")
    _mail(subscriber, "participation/mail/subscription_digest.txt", subject, context, connection=connection)


def _mail(subscriber: Subscriber, template: str, subject: str, context: dict, *, connection=None,
          bulk: bool = True) -> None:
    body = render_to_string(template, {**context, "subscriber": subscriber, "manage_url": manage_url(subscriber),
                                       "unsubscribe_url": unsubscribe_url(subscriber)})
    headers = {"List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    if bulk:
        headers["Precedence"] = "bulk"
        headers["Auto-Submitted"] = "auto-generated"
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email], headers=headers,
                           connection=connection).send()


def _mail_on_commit(subscriber: Subscriber, template: str, subject: str, context: dict, *, bulk: bool) -> None:
    transaction.on_commit(lambda: _mail(subscriber, template, subject, context, bulk=bulk))


# --- the jobs (gongkai/ops/jobs.py) ---------------------------------------------------------------


def push_immediate() -> str:
    created = deliveries_collect()
    return f"新增 {created} 条待推送；" + deliveries_send(frequencies=[Frequency.IMMEDIATE]).summary()


def push_daily() -> str:
    created = deliveries_collect()
    return f"新增 {created} 条待推送；" + deliveries_send(frequencies=[Frequency.DAILY]).summary()


def push_weekly() -> str:
    created = deliveries_collect()
    return f"新增 {created} 条待推送；" + deliveries_send(frequencies=[Frequency.WEEKLY]).summary()


# --- staff statistics --------------------------------------------------------------------------------


def subscription_counts() -> dict[str, list[tuple[str, int]]]:
    """Active subscriptions per organ, genre, topic and kind (counts only: no addresses)."""
    from django.db.models import Count

    active = Subscription.objects.filter(confirmed_at__isnull=False, cancelled_at__isnull=True,
                                         subscriber__disabled_at__isnull=True)

    def count(field_name: str) -> list[tuple[str, int]]:
        rows = active.exclude(**{f"{field_name}__isnull": True}).values(f"{field_name}__name").annotate(
            n=Count("pk")).order_by("-n")
        return [(r[f"{field_name}__name"], r["n"]) for r in rows]

    kinds = dict(SubscriptionKind.choices)
    return {
        "organ": count("organ"), "genre": count("genre"), "topic": count("topic"),
        "kind": [(kinds[r["kind"]], r["n"]) for r in active.values("kind").annotate(n=Count("pk")).order_by("-n")],
        "audience": [(r["name"], r["n"]) for r in Audience.objects.filter(
            subscribers__disabled_at__isnull=True, subscribers__subscriptions__in=active).values("name").annotate(
            n=Count("subscribers", distinct=True)).order_by("-n")],
    }


def delivery_stats() -> list[tuple[str, int]]:
    from django.db.models import Count

    labels = dict(DeliveryStatus.choices)
    rows = Delivery.objects.values("status").annotate(n=Count("pk")).order_by("status")
    return [(labels[r["status"]], r["n"]) for r in rows]


def subscribers_disabled() -> int:
    return Subscriber.objects.filter(~Q(disabled_reason="")).count()
