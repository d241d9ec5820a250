"""Migration participation 0010 numbers the 发布了新版本 notices sent before it with the record's latest
published version, so collecting again does not notify that version twice."""

import importlib

import pytest
from django.apps import apps

from gongkai.core.models import Role
from gongkai.participation.models import Delivery, DeliveryEvent, Frequency, SubscriptionKind
from gongkai.participation.services import subscriptions as subs
from gongkai.records import versions

from ..factories import member

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("gongkai.participation.migrations.0010_delivery_per_version")


def test_a_notice_sent_before_the_migration_counts_for_the_latest_version(site):
    record = site.new_policy
    editor, reviewer = member(site.gov, Role.EDITOR, "b-editor"), member(site.gov, Role.REVIEWER, "b-reviewer")
    follower = subs.subscription_confirm(subscription=subs.subscription_request(
        frequency=Frequency.DAILY, email="doc@example.org", kind=SubscriptionKind.RECORD, record=record))
    version = versions.record_version_open(actor=editor, record=record, reason="修订")
    versions.record_version_update(actor=editor, version=version, title="第二版", summary="", body="<p>第二版。</p>")
    versions.record_version_submit(actor=editor, version=version)
    versions.record_version_review(actor=reviewer, version=version, approve=True)
    Delivery.objects.all().delete()
    old = Delivery.objects.create(subscription=follower, record=record, event=DeliveryEvent.UPDATED)  # as before
    untouched = Delivery.objects.create(subscription=follower, record=record, event=DeliveryEvent.NEW)
    MIGRATION.number_past_updates(apps, None)
    old.refresh_from_db()
    untouched.refresh_from_db()
    assert (old.version, untouched.version) == (2, None)
    assert subs.deliveries_collect() == 0  # version 2 was already notified
