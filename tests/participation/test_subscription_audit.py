"""Subscriber self-service is audited with its own event types, and the log never holds the e-mail address."""

import pytest

from gongkai.core.models import AuditEvent, AuditEventType
from gongkai.participation.models import DisabledReason, Frequency, SubscriptionKind
from gongkai.participation.services import subscriptions as svc
from gongkai.records.models import Audience

pytestmark = pytest.mark.django_db

EMAIL = "zhao.min@example.org"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_every_self_service_change_has_its_own_audit_type(organ):
    sub = svc.subscription_request(email=EMAIL, kind=SubscriptionKind.ORGAN, organ=organ)
    svc.subscription_request(email=EMAIL, kind=SubscriptionKind.ORGAN, organ=organ)  # same again: no change
    svc.subscription_confirm(subscription=sub)
    svc.subscription_confirm(subscription=sub)  # a second click changes nothing
    svc.subscription_set_frequency(subscription=sub, frequency=Frequency.WEEKLY)
    svc.subscription_cancel(subscription=sub)
    types = list(AuditEvent.objects.for_object(sub).order_by("pk").values_list("event_type", flat=True))
    assert types == [AuditEventType.SUBSCRIPTION_REQUESTED, AuditEventType.SUBSCRIPTION_CONFIRMED,
                     AuditEventType.SUBSCRIPTION_CHANGED, AuditEventType.SUBSCRIPTION_CANCELLED]
    frequency = AuditEvent.objects.get(event_type=AuditEventType.SUBSCRIPTION_CHANGED)
    assert frequency.changes["frequency"] == [Frequency.DAILY, Frequency.WEEKLY]
    assert all(e.actor is None and e.organ == organ for e in AuditEvent.objects.for_object(sub))


def test_audiences_unsubscribe_all_and_bounces_are_audited_without_the_address(organ):
    audience = Audience.objects.first() or Audience.objects.create(name="小微企业", code="smb-test", group="size")
    one = svc.subscription_request(email=EMAIL, kind=SubscriptionKind.ORGAN, organ=organ)
    two = svc.subscription_request(email=EMAIL, kind=SubscriptionKind.SEARCH, query="停车")
    subscriber = one.subscriber
    svc.subscriber_set_audiences(subscriber=subscriber, audiences=[audience])
    svc.subscriber_unsubscribe_all(subscriber=subscriber)
    svc.subscriber_disable(email=EMAIL, reason=DisabledReason.BOUNCE)
    for sub in (one, two):
        assert AuditEvent.objects.for_object(sub).filter(event_type=AuditEventType.SUBSCRIPTION_CANCELLED,
                                                         note="全部退订").count() == 1
    notes = list(AuditEvent.objects.for_object(subscriber).order_by("pk").values_list("note", flat=True))
    assert notes[0] == "修改“我是”（适用对象）" and notes[1].startswith("地址停用")
    for event in AuditEvent.objects.all():
        assert EMAIL not in f"{event.object_repr} {event.changes} {event.note}"
