from django.contrib import admin

from .models import AuditEvent, CalendarOverride, CalendarYear, Membership, Organ


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organ)
class OrganAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organ", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organ__name"]
    autocomplete_fields = ["user", "organ"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the log through the application."""

    list_display = ["created_at", "actor", "organ", "event_type", "object_repr"]
    list_filter = ["event_type"]
    search_fields = ["object_repr", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "note"]
