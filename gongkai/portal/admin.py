from django.contrib import admin

from .models import ColumnPage
from .services import column_page_save


@admin.register(ColumnPage)
class ColumnPageAdmin(admin.ModelAdmin):
    list_display = ["organ", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["organ__name"]

    def save_model(self, request, obj, form, change):
        saved = column_page_save(organ=obj.organ, kind=obj.kind, body=obj.body)
        obj.pk, obj.body = saved.pk, saved.body
