"""A consultation's draft file is content-checked like public uploads (docs/adr/0012)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.core.files import CONTENT_MISMATCH
from gongkai.participation.models import Consultation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


def test_a_renamed_draft_is_refused_with_a_chinese_error(client, organ, editor, settings):
    client.force_login(editor)
    today = timezone.localdate()
    data = {"organ": organ.pk, "kind": "policy", "title": "关于《测试规定》公开征求意见的公告", "purpose": "理由",
            "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=30)).isoformat(),
            "accepts_online": "on", "draft_upload": SimpleUploadedFile("草案.docx", PDF)}
    response = client.post(reverse("participation_staff:consultation_create"), data)
    assert response.status_code == 400 and CONTENT_MISMATCH in response.content.decode()
    assert not Consultation.objects.exists()
    data["draft_upload"] = SimpleUploadedFile("草案.pdf", PDF)
    assert client.post(reverse("participation_staff:consultation_create"), data).status_code == 302
    assert Consultation.objects.get().draft_file.read() == PDF
