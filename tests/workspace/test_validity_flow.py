"""已修订 / 已废止 of a published record through the workspace: asked by one person, decided by another,
public only once decided, with the repealing document linked on the public page (issue 22)."""

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.records.models import Record, Validity

from ..factories import member
from ..portal.world import build_site

pytestmark = pytest.mark.django_db


def test_a_revision_needs_a_second_person_and_links_the_new_document(client):
    site = build_site()
    editor = member(site.gov, Role.EDITOR, "vf-editor")
    reviewer = member(site.gov, Role.REVIEWER, "vf-reviewer")
    old = site.expired  # a published normative document, still shown as in force until decided
    Record.objects.filter(pk=old.pk).update(valid_until=None)
    client.force_login(editor)
    client.post(reverse("workspace:record_validity", args=[old.pk]), {
        "validity": Validity.REVISED, "superseded_by": site.new_policy.doc_no, "note": "已由2025年修订版替代"})
    old.refresh_from_db()
    assert old.validity == Validity.VALID and old.superseded_by is None  # not yet: a second person decides
    change = old.validity_changes.get()
    page = client.get(old.get_absolute_url()).content.decode()
    assert "已修订" not in page and site.new_policy.get_absolute_url() not in page
    response = client.post(reverse("workspace:record_validity_decide", args=[change.pk]), {"approve": "1"},
                           follow=True)
    assert 'class="msg-error"' in response.content.decode()  # the editor who asked cannot decide
    old.refresh_from_db()
    assert old.validity == Validity.VALID
    client.force_login(reviewer)
    client.post(reverse("workspace:record_validity_decide", args=[change.pk]), {"approve": "1"})
    old.refresh_from_db()
    assert old.validity == Validity.REVISED and old.superseded_by == site.new_policy
    client.logout()
    page = client.get(old.get_absolute_url()).content.decode()
    assert "已修订" in page and f'href="{site.new_policy.get_absolute_url()}"' in page
    event = AuditEvent.objects.for_object(old).filter(event_type=AuditEventType.RECORD_VALIDITY_CHANGED).get()
    assert event.actor == reviewer and event.changes["validity"] == ["valid", "revised"]
