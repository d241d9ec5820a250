"""Participation in the Django admin: read-mostly views for reference; staff work in the workspace."""

from django.contrib import admin

from . import models


@admin.register(models.Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "organ", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    readonly_fields = ["status", "published_at", "closed_at"]


@admin.register(models.Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["receipt_code", "consultation", "submitted_at", "moderation", "disposition"]
    list_filter = ["moderation", "disposition"]
    search_fields = ["receipt_code"]
