from django.contrib import admin

from .models import LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """An organ replaces a built-in letter with its own Word template (variables: docs/applications.md)."""

    list_display = ("organ", "kind", "updated_at")
    list_filter = ("kind",)
    search_fields = ("organ__name",)
