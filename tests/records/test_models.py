import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.records import services
from gongkai.records.models import Attachment, Attribute, Record, Status, Validity

from ..factories import CatalogEntryFactory, CatalogFactory, RecordFactory

pytestmark = pytest.mark.django_db


def test_nonpublic_attribute_needs_reason_in_database(organ, genre):
    record = RecordFactory.build(organ=organ, genre=genre, attribute=Attribute.WITHHELD, attribute_reason="")
    with pytest.raises(ValidationError, match="必须写明理由"):
        record.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordFactory(organ=organ, genre=genre, attribute=Attribute.WITHHELD, attribute_reason="")


def test_withdrawn_needs_reason_in_database(organ, genre):
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordFactory(organ=organ, genre=genre, status=Status.WITHDRAWN, withdrawal_reason="")


def test_withheld_attachment_needs_reason_in_database(organ, genre):
    record = RecordFactory(organ=organ, genre=genre)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(record=record, name="a.pdf", file="x.pdf", withheld=True, withheld_reason="")


def test_audit_log_cannot_be_edited_or_deleted(editor, organ, genre):
    record = services.record_create(actor=editor, organ=organ, data={"title": "t", "genre": genre})
    event = AuditEvent.objects.for_object(record).get()
    event.note = "篡改"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(note="篡改")
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_audit_admin_is_read_only(admin_client, editor, organ, genre):
    record = services.record_create(actor=editor, organ=organ, data={"title": "t", "genre": genre})
    event = AuditEvent.objects.for_object(record).get()
    assert admin_client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    assert admin_client.post(f"/admin/core/auditevent/{event.pk}/change/", {"note": "x"}).status_code == 403
    assert admin_client.get("/admin/core/auditevent/add/").status_code == 403


def test_validity_expires_by_itself(organ, genre):
    today = timezone.localdate()
    expired = RecordFactory(organ=organ, genre=genre, published=True, valid_until=today - dt.timedelta(days=1))
    current = RecordFactory(organ=organ, genre=genre, published=True, valid_until=today)
    assert expired.effective_validity == Validity.EXPIRED
    assert expired.get_effective_validity_display() == "已失效"
    assert current.effective_validity == Validity.VALID
    assert list(Record.objects.in_force()) == [current]


def test_public_door_from_both_sides(organ, genre, other_organ):
    now = timezone.now()
    public = RecordFactory(organ=organ, genre=genre, published=True)
    hidden = [
        RecordFactory(organ=organ, genre=genre, status=Status.DRAFT),
        RecordFactory(organ=organ, genre=genre, status=Status.SUBMITTED),
        RecordFactory(organ=organ, genre=genre, status=Status.APPROVED),
        RecordFactory(organ=organ, genre=genre, status=Status.SCHEDULED, published_at=now + dt.timedelta(days=1)),
        RecordFactory(organ=organ, genre=genre, status=Status.PUBLISHED, published_at=now + dt.timedelta(days=1)),
        RecordFactory(organ=organ, genre=genre, status=Status.FILED, attribute=Attribute.ON_REQUEST, attribute_reason="r"),
        RecordFactory(organ=organ, genre=genre, published=True, attribute=Attribute.WITHHELD, attribute_reason="r"),
        RecordFactory(organ=organ, genre=genre, published=True, status=Status.WITHDRAWN, withdrawal_reason="r"),
        RecordFactory(organ=other_organ, genre=genre, published=True),
    ]
    other_organ.is_active = False
    other_organ.save()
    public_ids = set(Record.objects.public().values_list("pk", flat=True))
    assert public.pk in public_ids
    assert public_ids == {public.pk}
    assert set(Record.objects.not_public().values_list("pk", flat=True)) == {r.pk for r in hidden}


def test_attachment_limits(editor, organ, genre, settings):
    record = services.record_create(actor=editor, organ=organ, data={"title": "t", "genre": genre})
    with pytest.raises(services.RecordActionError, match="不允许上传"):
        services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("x.exe", b"MZ"))
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(services.RecordActionError, match="大小限制"):
        services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("x.txt", b"0123456789ab"))
    with pytest.raises(services.RecordActionError, match="空文件"):
        services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("x.txt", b""))
    assert record.attachments.count() == 0


def test_attachment_text_is_extracted(editor, organ, genre):
    record = services.record_create(actor=editor, organ=organ, data={"title": "t", "genre": genre})
    att = services.attachment_add(actor=editor, record=record, file=SimpleUploadedFile("说明.txt", "附件里的文字".encode("gb18030")))
    assert att.text == "附件里的文字"
    assert att.name == "说明.txt"


def test_catalog_copy(organ):
    standard = CatalogFactory(organ=None, is_standard=True, name="标准目录")
    parent = CatalogEntryFactory(catalog=standard, name="政策文件")
    CatalogEntryFactory(catalog=standard, parent=parent, name="行政规范性文件")
    copy = services.catalog_copy(source=standard, organ=organ)
    names = {(e.name, e.parent.name if e.parent else None) for e in copy.entries.all()}
    assert names == {("政策文件", None), ("行政规范性文件", "政策文件")}
    with pytest.raises(services.RecordActionError):
        services.catalog_copy(source=standard, organ=organ)


def test_body_is_sanitised(editor, organ, genre):
    record = services.record_create(actor=editor, organ=organ, data={
        "title": "t", "genre": genre, "body": '<p onclick="x()">文<a href="javascript:alert(1)">链</a></p><iframe src="x"></iframe>'})
    assert "onclick" not in record.body and "javascript:" not in record.body and "iframe" not in record.body
    assert "<p>文" in record.body


def test_interpretation_links_both_ways(editor, organ, genre, interpretation_genre):
    doc = services.record_create(actor=editor, organ=organ, data={"title": "办法", "genre": genre})
    interp = services.record_create(actor=editor, organ=organ, data={"title": "《办法》解读", "genre": interpretation_genre,
                                                                    "interprets": doc})
    assert list(doc.interpretations.all()) == [interp]
    lonely = services.record_create(actor=editor, organ=organ, data={"title": "无主解读", "genre": interpretation_genre})
    with pytest.raises(services.RecordActionError, match="解读"):
        services.record_submit(actor=editor, record=lonely)
