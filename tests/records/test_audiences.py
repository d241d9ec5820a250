"""适用对象: seeded reference rows, the audited tagging service and the workspace page."""

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.records import services
from gongkai.records.models import Audience
from tests.factories import RecordFactory

pytestmark = pytest.mark.django_db


def test_installation_starts_with_audiences_of_each_group():
    groups = set(Audience.objects.values_list("group", flat=True))
    assert groups == {"industry", "size", "person"}
    assert Audience.objects.filter(code="micro_enterprise", name="微型企业").exists()


def test_tagging_a_published_record_is_audited(organ, editor):
    record = RecordFactory(organ=organ, published=True)
    graduates = Audience.objects.get(code="graduates")
    services.record_set_audiences(actor=editor, record=record, audiences=[graduates])
    assert list(record.audiences.all()) == [graduates]
    event = AuditEvent.objects.filter(note="适用对象").get()
    assert event.changes["audiences"] == ["", "高校毕业生"]


def test_other_organs_editor_cannot_tag(organ, other_editor):
    from django.core.exceptions import PermissionDenied

    record = RecordFactory(organ=organ)
    with pytest.raises(PermissionDenied):
        services.record_set_audiences(actor=other_editor, record=record, audiences=[])


def test_workspace_page_tags_a_record(client, organ, editor):
    record = RecordFactory(organ=organ, published=True)
    client.force_login(editor)
    url = reverse("workspace:record_audiences", args=[record.pk])
    page = client.get(url)
    assert page.status_code == 200 and "高校毕业生" in page.content.decode()
    elderly = Audience.objects.get(code="elderly")
    response = client.post(url, {"audiences": [elderly.pk]})
    assert response.status_code == 302
    assert list(record.audiences.values_list("code", flat=True)) == ["elderly"]
