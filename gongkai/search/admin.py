from django.contrib import admin

from gongkai.core.admin import ServiceAdmin
from gongkai.core.models import AuditEventType
from gongkai.core.services import reference_delete, reference_save

from .models import SearchTerm

SEARCH_TERM_FIELDS = ["word", "freq", "note", "is_active"]


@admin.register(SearchTerm)
class SearchTermAdmin(ServiceAdmin):
    """The user dictionary is plain reference data: the shared core writer logs each change."""

    list_display = ["word", "freq", "is_active", "note", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["word", "note"]
    service_fields = SEARCH_TERM_FIELDS

    def service_save(self, request, obj, data, change):
        return reference_save(actor=request.user, obj=obj, data=data, fields=SEARCH_TERM_FIELDS,
                              event_type=AuditEventType.SEARCH_TERM_CHANGED)

    def service_delete(self, request, obj):
        reference_delete(actor=request.user, obj=obj, fields=SEARCH_TERM_FIELDS,
                         event_type=AuditEventType.SEARCH_TERM_CHANGED)
