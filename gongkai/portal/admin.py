from django.contrib import admin

from gongkai.core.admin import ServiceAdmin
from gongkai.core.models import AuditEventType
from gongkai.core.services import reference_delete

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
        return column_page_save(actor=request.user, organ=data["organ"], kind=data["kind"], body=data["body"])

    def service_delete(self, request, obj):
        reference_delete(actor=request.user, obj=obj, fields=COLUMN_PAGE_FIELDS,
                         event_type=AuditEventType.COLUMN_PAGE_CHANGED, organ=obj.organ)
