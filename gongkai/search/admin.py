from django.contrib import admin

from .models import SearchTerm


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    list_display = ["word", "freq", "is_active", "note", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["word", "note"]
