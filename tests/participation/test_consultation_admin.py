"""The Django admin only shows consultations and comments: changes go through the audited services."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.participation.models import Consultation
from gongkai.participation.services import consultations as svc

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


def test_admin_cannot_change_a_consultation_or_see_contact_data(client, organ):
    c = make_consultation(organ)
    comment = svc.comment_submit(consultation=c, body="建议延长期限。", name="李明", phone="13912345678")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "secret-pass-123")
    client.force_login(admin)
    change = reverse("admin:participation_consultation_change", args=[c.pk])
    assert client.get(change).status_code == 200  # viewing is allowed
    response = client.post(change, {"title": "改掉的标题", "purpose": "x"})
    assert response.status_code == 403 and Consultation.objects.get().title == c.title
    assert client.post(reverse("admin:participation_consultation_delete", args=[c.pk]),
                       {"post": "yes"}).status_code == 403
    body = client.get(reverse("admin:participation_comment_change", args=[comment.pk])).content.decode()
    assert comment.receipt_code in body and "13912345678" not in body and "李明" not in body
