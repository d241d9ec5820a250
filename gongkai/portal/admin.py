from django.contrib import admin
from django.db import transaction

from gongkai.core.admin import ServiceAdmin
from gongkai.core.audit import audit_log, diff
from gongkai.core.models import AuditEventType
from gongkai.core.services import reference_delete, values

from .models import ColumnPage
from .services import column_page_save

COLUMN_PAGE_FIELDS = ["organ", "kind", "body"]


@admin.register(ColumnPage)
class ColumnPageAdmin(ServiceAdmin):
    list_display = ["organ", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["organ__name"]
    service_fields = COLUMN_PAGE_FIELDS

    def service_save(self, request, obj, data, change):
        # column_page_save (which sanitises the HTML) takes no actor yet, so the audit row is
        # written here, in the same transaction, against the row the service saved.
        with transaction.atomic():
            stored = ColumnPage.objects.filter(organ=data["organ"], kind=data["kind"]).first()
            before = values(stored, COLUMN_PAGE_FIELDS) if stored else {}
            saved = column_page_save(organ=data["organ"], kind=data["kind"], body=data["body"])
            changes = diff(before, values(saved, COLUMN_PAGE_FIELDS))
            if changes:
                audit_log(actor=request.user, event_type=AuditEventType.COLUMN_PAGE_CHANGED, obj=saved,
                          organ=saved.organ, changes=changes, note="修改" if stored else "新建")
        return saved

    def service_delete(self, request, obj):
        reference_delete(actor=request.user, obj=obj, fields=COLUMN_PAGE_FIELDS,
                         event_type=AuditEventType.COLUMN_PAGE_CHANGED, organ=obj.organ)
