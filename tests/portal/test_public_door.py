"""Nothing non-public reaches a public page or an attachment URL, whatever URL is tried."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from gongkai.records.models import Attachment, Attribute, Record, Status

from ..factories import OrganFactory, RecordFactory

pytestmark = pytest.mark.django_db


def _with_attachment(record, marker, withheld=False):
    att = Attachment(record=record, name=f"{marker}.txt", size=3, content_type="text/plain", withheld=withheld,
                     withheld_reason="含个人信息" if withheld else "")
    att.file.save(f"{marker}.txt", ContentFile(marker.encode()), save=False)
    att.save()
    return att


@pytest.fixture
def world(organ, genre):
    now = timezone.now()
    disabled = OrganFactory(name="已停用机关", is_active=False)
    states = {
        "DRAFT": dict(status=Status.DRAFT),
        "SUBMITTED": dict(status=Status.SUBMITTED),
        "APPROVED": dict(status=Status.APPROVED),
        "SCHEDULED": dict(status=Status.SCHEDULED, published_at=now + dt.timedelta(days=1)),
        "ONREQUEST": dict(status=Status.FILED, attribute=Attribute.ON_REQUEST, attribute_reason="r"),
        "WITHHELD": dict(status=Status.PUBLISHED, published_at=now, attribute=Attribute.WITHHELD, attribute_reason="r"),
        "WITHDRAWN": dict(status=Status.WITHDRAWN, published_at=now, withdrawal_reason="撤回说明"),
        "DISABLED": dict(status=Status.PUBLISHED, published_at=now, organ=disabled),
    }
    hidden = {}
    for name, fields in states.items():
        marker = f"MARKER{name}"
        fields = {"organ": organ, **fields}
        record = RecordFactory(genre=genre, title=f"标题{marker}", body=f"<p>正文{marker}</p>", keywords=marker, **fields)
        hidden[marker] = (record, _with_attachment(record, f"ATT{marker}"))
    public = RecordFactory(organ=organ, genre=genre, published=True, title="公开的信息", body="<p>公开正文</p>")
    public_att = _with_attachment(public, "PUBLICFILE")
    withheld_att = _with_attachment(public, "ATTMARKERPARTIAL", withheld=True)
    return {"hidden": hidden, "public": public, "public_att": public_att, "withheld_att": withheld_att,
            "disabled": disabled}


def _assert_clean(response, world):
    body = response.content.decode()
    for marker in world["hidden"]:
        assert marker not in body, (response.request["PATH_INFO"], marker)
    assert "ATTMARKERPARTIAL" not in body or "不予公开" in body


def test_listing_pages_show_only_public(client, world, organ):
    for url in [reverse("portal:home"), reverse("portal:organ", args=[organ.code])]:
        response = client.get(url)
        assert response.status_code == 200
        _assert_clean(response, world)
        assert "公开的信息" in response.content.decode()
    assert client.get(reverse("portal:organ", args=[world["disabled"].code])).status_code == 404


def test_every_record_id_is_public_or_refused(client, world):
    last = Record.objects.order_by("-pk").first().pk
    for pk in range(1, last + 3):
        response = client.get(reverse("portal:record", args=[pk]))
        record = Record.objects.filter(pk=pk).first()
        if record is not None and record.pk == world["public"].pk:
            assert response.status_code == 200
            continue
        assert response.status_code in (404, 410), pk
        _assert_clean(response, world)
        if response.status_code == 410:
            assert record.status == Status.WITHDRAWN and "撤回说明" in response.content.decode()


def test_every_attachment_id_is_public_or_404(client, world):
    last = Attachment.objects.order_by("-pk").first().pk
    for pk in range(1, last + 3):
        response = client.get(reverse("portal:attachment", args=[pk]))
        if pk == world["public_att"].pk:
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == b"PUBLICFILE"
        else:
            assert response.status_code == 404, pk


def test_scheduled_record_becomes_visible_only_when_due(client, world):
    record, _ = world["hidden"]["MARKERSCHEDULED"]
    assert client.get(record.get_absolute_url()).status_code == 404
    Record.objects.filter(pk=record.pk).update(status=Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(record.get_absolute_url()).status_code == 200


def test_media_files_are_not_served_directly(client, world):
    _, att = world["hidden"]["MARKERDRAFT"]
    assert client.get("/media/" + att.file.name).status_code == 404
    assert client.get("/_media-not-served/" + att.file.name).status_code == 404


def test_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
