"""Participation in the Django admin: read-mostly views for reference; staff work in the workspace."""

from django.contrib import admin

from gongkai.core.admin import ServiceAdmin

from . import models
from .services import messages as message_services
from .services.messages import RULE_FIELDS


class ReadOnlyAdmin(admin.ModelAdmin):
    """An overview only: every change goes through the workspace's services, which audit it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "organ", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyAdmin):
    """The commenter's contact data is not listed here."""

    list_display = ["receipt_code", "consultation", "submitted_at", "moderation", "disposition"]
    list_filter = ["moderation", "disposition"]
    search_fields = ["receipt_code"]
    fields = ["receipt_code", "consultation", "submitted_at", "moderation", "disposition"]


@admin.register(models.ReplyDeadlineRule)
class ReplyDeadlineRuleAdmin(ServiceAdmin):
    """Reference data: how many working days an organ gives itself to answer a message (default 5).

    Writes go through the message services (audited; the open messages' deadlines follow at once)."""

    list_display = ["organ", "kind", "workdays"]
    list_filter = ["kind"]
    service_fields = RULE_FIELDS

    def service_save(self, request, obj, data, change):
        return message_services.reply_deadline_rule_save(actor=request.user, rule=obj, data=data)

    def service_delete(self, request, obj):
        message_services.reply_deadline_rule_delete(actor=request.user, rule=obj)


@admin.register(models.Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only overview; messages are handled in the workspace (the sender's data is not shown here)."""

    list_display = ["receipt_code", "organ", "kind", "status", "due_on", "submitted_at"]
    list_filter = ["status", "kind"]
    search_fields = ["receipt_code"]
    fields = ["receipt_code", "organ", "kind", "status", "due_on", "submitted_at", "replied_at", "is_published"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Answer)
class AnswerAdmin(admin.ModelAdmin):
    """Read-only overview; entries are written and reviewed in the workspace."""

    list_display = ["question", "organ", "status", "is_public", "updated_at"]
    list_filter = ["status", "is_public"]
    search_fields = ["question"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
