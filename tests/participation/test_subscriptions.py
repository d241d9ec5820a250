"""订阅 and 精准推送: double opt-in, unsubscribe, digests, idempotent sending, the one door at send time,
precise matching, bounces, throttling and retries."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from gongkai.participation.errors import ParticipationActionError
from gongkai.participation.models import (
    Delivery,
    DeliveryStatus,
    DisabledReason,
    Frequency,
    Subscription,
    SubscriptionKind,
)
from gongkai.participation.services import subscriptions as svc
from gongkai.records.models import Audience, Record, Status
from tests.factories import OrganFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GONGKAI_SITE_URL = "https://gk.example"


def _confirmed(**kwargs) -> Subscription:
    kwargs.setdefault("frequency", Frequency.DAILY)
    with_capture = svc.subscription_request(**kwargs)
    return svc.subscription_confirm(subscription=with_capture)


def _publish(organ, genre, **fields) -> Record:
    return RecordFactory(organ=organ, genre=genre, status=Status.PUBLISHED,
                         published_at=timezone.now() - dt.timedelta(minutes=5), **fields)


def test_double_opt_in_sends_nothing_before_confirmation(organ, genre, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sub = svc.subscription_request(email="A@Example.org", kind=SubscriptionKind.ORGAN, organ=organ,
                                       frequency=Frequency.IMMEDIATE)
    assert len(mail.outbox) == 1 and "确认" in mail.outbox[0].subject
    link = re.search(r"https://gk\.example(/subscribe/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert sub.subscriber.email == "a@example.org" and sub.confirmed_at is None
    Subscription.objects.filter(pk=sub.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    _publish(organ, genre)
    assert svc.deliveries_collect() == 0  # unconfirmed: nothing owed
    assert link.startswith("/subscribe/confirm/")


def test_confirm_link_then_immediate_push_with_unsubscribe_headers(client, organ, genre,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        svc.subscription_request(email="b@example.org", kind=SubscriptionKind.ORGAN, organ=organ,
                                 frequency=Frequency.IMMEDIATE)
    link = re.search(r"https://gk\.example(/subscribe/confirm/\S+/)", mail.outbox[0].body).group(1)
    assert "确认订阅" in client.get(link).content.decode()
    assert Subscription.objects.get().confirmed_at is None  # a GET (a mail scanner) confirms nothing
    response = client.post(link)
    assert response.status_code == 302 and "/subscribe/manage/" in response["Location"]
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    record = _publish(organ, genre, title="关于测试推送的通知")
    mail.outbox.clear()
    assert "发送 1 封" in svc.push_immediate()
    message = mail.outbox[0]
    assert record.title in message.subject and f"https://gk.example/record/{record.pk}/" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # RFC 8058 one-click: a POST without a CSRF token unsubscribes.
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(unsubscribe.replace("https://gk.example", ""),
                                                 {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Subscription.objects.get().cancelled_at is not None


def test_a_job_run_twice_sends_once(organ, genre):
    _confirmed(email="c@example.org", kind=SubscriptionKind.ORGAN, organ=organ, frequency=Frequency.DAILY)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    _publish(organ, genre)
    mail.outbox.clear()
    svc.push_daily()
    svc.push_daily()
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_record_withdrawn_before_the_digest_is_not_sent(organ, genre):
    _confirmed(email="d@example.org", kind=SubscriptionKind.ORGAN, organ=organ, frequency=Frequency.DAILY)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    kept = _publish(organ, genre, title="保留的信息")
    gone = _publish(organ, genre, title="撤回的信息")
    assert svc.deliveries_collect() == 2
    Record.objects.filter(pk=gone.pk).update(status=Status.WITHDRAWN, withdrawal_reason="内容有误")
    mail.outbox.clear()
    report = svc.deliveries_send(frequencies=[Frequency.DAILY])
    assert report.skipped == 1 and len(mail.outbox) == 1
    assert kept.title in mail.outbox[0].body and gone.title not in mail.outbox[0].body
    assert Delivery.objects.get(record=gone).status == DeliveryStatus.SKIPPED


def test_digest_lists_each_record_once_and_links_to_manage(organ, genre):
    subscriber_email = "e@example.org"
    _confirmed(email=subscriber_email, kind=SubscriptionKind.ORGAN, organ=organ, frequency=Frequency.WEEKLY)
    _confirmed(email=subscriber_email, kind=SubscriptionKind.GENRE, genre=genre, frequency=Frequency.WEEKLY)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    records = [_publish(organ, genre, title=f"第{i}份文件") for i in range(3)]
    mail.outbox.clear()
    svc.push_weekly()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "3 条新信息" in mail.outbox[0].subject
    for r in records:
        assert body.count(r.title) == 1
    assert "/subscribe/manage/" in body and "/subscribe/unsubscribe/" in body


def test_precise_push_goes_only_to_the_people_concerned(organ, genre):
    micro = Audience.objects.get(code="micro_enterprise")
    elderly = Audience.objects.get(code="elderly")
    _confirmed(email="boss@example.org", kind=SubscriptionKind.AUDIENCE, audiences=[micro])
    _confirmed(email="grandpa@example.org", kind=SubscriptionKind.AUDIENCE, audiences=[elderly])
    _confirmed(email="all@example.org", kind=SubscriptionKind.ORGAN, organ=organ)
    _confirmed(email="picky@example.org", kind=SubscriptionKind.ORGAN, organ=organ, audiences=[elderly])
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    for_micro = _publish(organ, genre, title="小微企业减税政策")
    for_micro.audiences.add(micro)
    untagged = _publish(organ, genre, title="一般通知")
    svc.deliveries_collect()
    got = {(d.subscription.subscriber.email, d.record_id) for d in Delivery.objects.select_related("subscription__subscriber")}
    assert got == {("boss@example.org", for_micro.pk), ("all@example.org", for_micro.pk),
                   ("all@example.org", untagged.pk), ("picky@example.org", untagged.pk)}


def test_saved_search_uses_every_piece_and_sub_organs_are_optional(organ, genre):
    child = OrganFactory(name="下级局", parent=organ)
    _confirmed(email="s@example.org", kind=SubscriptionKind.SEARCH, query="营商 环境")
    _confirmed(email="tree@example.org", kind=SubscriptionKind.ORGAN, organ=organ, include_sub_organs=True)
    _confirmed(email="flat@example.org", kind=SubscriptionKind.ORGAN, organ=organ)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    hit = _publish(child, genre, title="优化营商环境的若干措施")
    _publish(child, genre, title="营商主体登记办法")
    svc.deliveries_collect()
    emails = {d.subscription.subscriber.email for d in Delivery.objects.filter(record=hit)}
    assert emails == {"s@example.org", "tree@example.org"}
    assert not Delivery.objects.filter(subscription__subscriber__email="flat@example.org").exists()


def test_watching_a_document_reports_its_interpretation(organ, genre, interpretation_genre):
    doc = _publish(organ, genre, title="被关注的文件")
    _confirmed(email="w@example.org", kind=SubscriptionKind.RECORD, record=doc)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    interp = _publish(organ, interpretation_genre, title="关于被关注文件的解读", interprets=doc)
    svc.deliveries_collect()
    delivery = Delivery.objects.get()
    assert delivery.record == interp and delivery.event == "interpreted"


def test_cannot_watch_a_hidden_record(organ, genre):
    draft = RecordFactory(organ=organ, genre=genre)
    with pytest.raises(ParticipationActionError):
        svc.subscription_request(email="x@example.org", kind=SubscriptionKind.RECORD, record=draft)


def test_bounce_disables_the_address_and_a_complaint_blocks_resubscribing(organ, genre):
    _confirmed(email="bounce@example.org", kind=SubscriptionKind.ORGAN, organ=organ)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    _publish(organ, genre)
    svc.deliveries_collect()
    svc.subscriber_disable(email="bounce@example.org", reason=DisabledReason.BOUNCE)
    mail.outbox.clear()
    svc.push_daily()
    assert mail.outbox == [] and Delivery.objects.get().status == DeliveryStatus.FAILED
    svc.subscriber_disable(email="bounce@example.org", reason=DisabledReason.COMPLAINT)
    with pytest.raises(ParticipationActionError):
        svc.subscription_request(email="bounce@example.org", kind=SubscriptionKind.ORGAN, organ=organ)


def test_bounce_command(organ):
    from django.core.management import call_command

    _confirmed(email="cmd@example.org", kind=SubscriptionKind.ORGAN, organ=organ)
    call_command("subscriptions_bounce", "cmd@example.org", "--complaint")
    from gongkai.participation.models import Subscriber

    assert Subscriber.objects.get(email="cmd@example.org").disabled_reason == DisabledReason.COMPLAINT


def test_failed_sends_are_retried_then_given_up(organ, genre, settings, monkeypatch):
    settings.GONGKAI_PUSH_RETRIES = 2
    _confirmed(email="retry@example.org", kind=SubscriptionKind.ORGAN, organ=organ)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    _publish(organ, genre)
    svc.deliveries_collect()

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(svc, "_send_digest", refuse)
    svc.deliveries_send(frequencies=[Frequency.DAILY])
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    svc.deliveries_send(frequencies=[Frequency.DAILY])
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2 and "down" in delivery.error


def test_throttled_per_mail_server(organ, genre, settings):
    settings.GONGKAI_PUSH_PER_DOMAIN = 1
    for name in ("one", "two"):
        _confirmed(email=f"{name}@same.example", kind=SubscriptionKind.ORGAN, organ=organ)
    _confirmed(email="three@other.example", kind=SubscriptionKind.ORGAN, organ=organ)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    _publish(organ, genre)
    mail.outbox.clear()
    report = svc.push_daily()
    assert len(mail.outbox) == 2 and "1 位订阅人因限速顺延" in report
    svc.push_daily()
    assert len(mail.outbox) == 3


def test_manage_page_by_signed_link(client, organ):
    sub = _confirmed(email="m@example.org", kind=SubscriptionKind.ORGAN, organ=organ)
    token = svc.make_token("manage", sub.subscriber_id)
    page = client.get(f"/subscribe/manage/{token}/")
    assert page.status_code == 200 and "m@example.org" in page.content.decode()
    assert client.get(f"/subscribe/manage/{token}x/").status_code == 404
    assert client.get(f"/subscribe/manage/{svc.make_token('unsubscribe', sub.subscriber_id)}/").status_code == 404
    done = client.post(f"/subscribe/manage/{token}/", {"action": "frequency", "subscription": sub.pk,
                                                       "frequency": "weekly"}, follow=True)
    assert Subscription.objects.get().frequency == "weekly" and "已修改发送频率" in done.content.decode()
    client.post(f"/subscribe/manage/{token}/", {"action": "cancel", "subscription": sub.pk})
    assert Subscription.objects.get().cancelled_at is not None


def test_subscribe_form_from_a_policy_page(client, organ, genre, django_capture_on_commit_callbacks):
    record = _publish(organ, genre, title="某政策")
    page = client.get(f"/subscribe/?record={record.pk}").content.decode()
    assert "某政策" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/subscribe/", {"email": "p@example.org", "kind": "record", "record": record.pk,
                                               "frequency": "immediate"})
    assert response.status_code == 200 and "请查收确认邮件" in response.content.decode()
    assert Subscription.objects.get().record == record and len(mail.outbox) == 1
    bad = client.post("/subscribe/", {"email": "not-an-email", "kind": "organ", "frequency": "daily"})
    assert bad.status_code == 200 and "请选择机关" in bad.content.decode()


def test_staff_see_counts_and_only_admins_see_addresses(client, organ, editor):
    from django.contrib.auth import get_user_model

    _confirmed(email="secret@example.org", kind=SubscriptionKind.ORGAN, organ=organ)
    client.force_login(editor)
    body = client.get("/workspace/participation/subscriptions/").content.decode()
    assert organ.name in body and "secret@example.org" not in body
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    assert "secret@example.org" in client.get("/workspace/participation/subscriptions/").content.decode()


def test_record_page_offers_subscriptions(client, organ, genre, settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "portal-generation")
    record = _publish(organ, genre)
    body = client.get(record.get_absolute_url()).content.decode()
    assert f"/subscribe/?record={record.pk}" in body and f"/subscribe/?organ={organ.code}" in body


def test_watching_a_document_reports_a_new_public_qa_entry_once(organ, genre):
    from gongkai.participation.models import Answer, AnswerBasis, AnswerStatus

    doc = _publish(organ, genre, title="公积金贷款办法")
    _confirmed(email="qa@example.org", kind=SubscriptionKind.RECORD, record=doc, frequency=Frequency.IMMEDIATE)
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    entry = Answer.objects.create(organ=organ, question="公积金最多能贷多少？", answer="最高60万元。",
                                  status=AnswerStatus.USABLE, reviewed_at=timezone.now())
    AnswerBasis.objects.create(answer=entry, record=doc)
    hidden = Answer.objects.create(organ=organ, question="内部口径不公开", answer="x", is_public=False,
                                   status=AnswerStatus.USABLE, reviewed_at=timezone.now())
    AnswerBasis.objects.create(answer=hidden, record=doc)
    mail.outbox.clear()
    svc.push_immediate()
    svc.push_immediate()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "公积金最多能贷多少" in body and "政策问答有更新" in body and "内部口径不公开" not in body
    assert Delivery.objects.get().answer == entry
