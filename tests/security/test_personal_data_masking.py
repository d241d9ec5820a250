"""Posture: applicants' ID and phone numbers are masked in the workspace; the full value is shown
only on an explicit, audited request."""

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent, AuditEventType, Role

from .. import factories
from ..factories import VALID_ID, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(organ):
    return member(organ, Role.HANDLER, "mask_handler")


def test_the_detail_page_masks_until_asked_and_the_asking_is_audited(client, organ, handler):
    app = factories.ApplicationFactory(organ=organ, phone="13812345678", received=True)
    client.force_login(handler)
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert VALID_ID not in page and "13812345678" not in page
    assert app.masked_id in page and app.masked_phone in page
    response = client.post(reverse("applications:personal_data", args=[app.pk]), {"reason": "电话联系补正"})
    assert response.status_code == 302
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert VALID_ID in page and "13812345678" in page
    event = AuditEvent.objects.get(event_type=AuditEventType.APPLICANT_DATA_VIEWED)
    assert event.actor == handler and event.note == "电话联系补正" and event.object_id == str(app.pk)


def test_revealing_is_a_post_and_for_handlers_only(client, organ, other_organ, handler):
    app = factories.ApplicationFactory(organ=organ, received=True)
    client.force_login(handler)
    response = client.get(reverse("applications:personal_data", args=[app.pk]))  # back to the application (#23)
    assert response.status_code == 302 and VALID_ID not in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.APPLICANT_DATA_VIEWED).exists()
    outsider = member(other_organ, Role.HANDLER, "mask_outsider")
    client.force_login(outsider)
    assert client.post(reverse("applications:personal_data", args=[app.pk])).status_code == 404
    assert not AuditEvent.objects.filter(event_type=AuditEventType.APPLICANT_DATA_VIEWED).exists()
