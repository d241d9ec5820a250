"""The page cache serves public pages fast and never, not for a second, a page that is no longer true."""

import os
import uuid

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.portal import cache, views
from gongkai.records import services
from gongkai.records.models import Record, Status

pytestmark = pytest.mark.django_db


def test_second_request_is_served_from_the_cache_with_validators(client, site):
    url = site.new_policy.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["ETag"].startswith('"')
    assert second["Cache-Control"] == "public, no-cache"
    assert "Last-Modified" in second and "Cookie" in second["Vary"]
    assert second["X-Frame-Options"] == "DENY"  # headers of the inner middlewares are kept


def test_conditional_get_answers_304(client, site):
    url = reverse("portal:policies")
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_withdrawal_through_the_service_is_seen_at_once(client, site, django_capture_on_commit_callbacks):
    from tests.factories import member

    reviewer = member(site.gov, Role.REVIEWER)
    url = site.new_policy.get_absolute_url()
    lists = [reverse("portal:home"), reverse("portal:policies"), site.gov.get_absolute_url(),
             reverse("portal:feed_rss"), "/sitemap-records.xml"]
    for u in [url, *lists]:
        client.get(u)
        assert client.get(u)["X-Page-Cache"] == "hit", u
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdraw(actor=reviewer, record=site.new_policy, reason="内容有误")
    response = client.get(url)
    assert response.status_code == 410 and "新规定正文" not in response.content.decode()
    for u in lists:
        response = client.get(u)
        assert response["X-Page-Cache"] == "miss", u
        assert site.new_policy.title not in response.content.decode(), u


@pytest.mark.parametrize("change", ["organ_disabled", "attachment_withheld", "status_saved", "entry_removed"])
def test_model_changes_drop_cached_pages(client, site, change):
    url = site.new_policy.get_absolute_url()
    entry_url = site.entries["policy_normative"].get_absolute_url()
    client.get(url), client.get(entry_url)
    if change == "organ_disabled":
        site.gov.is_active = False
        site.gov.save()
        assert client.get(url).status_code == 404
    elif change == "attachment_withheld":
        site.attachment.withheld, site.attachment.withheld_reason = True, "含个人信息"
        site.attachment.save()
        assert site.attachment.get_absolute_url() not in client.get(url).content.decode()
    elif change == "status_saved":
        site.new_policy.status = Status.DRAFT
        site.new_policy.save()
        assert client.get(url).status_code == 404
    else:
        site.new_policy.catalog_entries.remove(site.entries["policy_normative"])
        assert f'href="{site.new_policy.get_absolute_url()}"' not in client.get(entry_url).content.decode()


def test_a_bump_from_another_process_is_seen(client, site):
    url = site.new_policy.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    # Another worker bumps: it replaces the generation file but cannot clear our memory.
    path = cache.generation_file()
    tmp = path.with_name("other-process")
    tmp.write_text(uuid.uuid4().hex + "xx")
    os.replace(tmp, path)
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_page_rendered_during_a_withdrawal_is_not_kept(client, site, monkeypatch):
    """The generation is read before rendering: a page of the old state is never stored as current."""
    url = site.new_policy.get_absolute_url()
    original = views.selectors.record_detail

    def render_then_withdraw(pk):
        record = original(pk)
        Record.objects.filter(pk=pk).update(status=Status.WITHDRAWN, withdrawal_reason="并发撤回")
        cache.bump()  # what record_changed does when the withdrawal commits
        return record

    monkeypatch.setattr(views.selectors, "record_detail", render_then_withdraw)
    assert client.get(url).status_code == 200  # rendered from the old state
    monkeypatch.setattr(views.selectors, "record_detail", original)
    assert client.get(url).status_code == 410


def test_staff_with_a_session_never_get_a_stored_page(client, site, django_user_model):
    url = site.new_policy.get_absolute_url()
    client.get(url)
    user = django_user_model.objects.create_user("staff", password="x-secret-123")
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_a11y_choice_is_part_of_the_key(client, site):
    url = reverse("portal:home")
    client.get(url)
    client.cookies["gk_a11y"] = "text"
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and 'class="a11y-text"' in response.content.decode()


def test_downloads_and_errors_are_not_stored(client, site):
    client.get(site.attachment.get_absolute_url())
    assert "X-Page-Cache" not in client.get(site.attachment.get_absolute_url())
    client.get("/record/999999/")
    assert "X-Page-Cache" not in client.get("/record/999999/")


def test_cache_can_be_switched_off(client, site, settings):
    settings.GONGKAI_PAGE_CACHE = False
    url = reverse("portal:home")
    client.get(url)
    response = client.get(url)
    assert "X-Page-Cache" not in response and "ETag" in response


def test_one_commit_bump_per_transaction(site):
    from django.db import connection, transaction

    with transaction.atomic():
        for record in (site.new_policy, site.old_policy, site.expired):
            record.save()
        ours = [e for e in connection.run_on_commit if e[1].__qualname__.startswith("bump_now_and_on_commit")]
        assert len(ours) == 1  # the test's own outer transaction holds the first one
