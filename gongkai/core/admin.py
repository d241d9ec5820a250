"""The platform admin's screens for organs, roles and the calendar.

No screen here writes a row itself: ``save_model``, ``delete_model``,
``delete_queryset`` and ``save_formset`` call the services of
:mod:`gongkai.core.services`, which write the audit row in the same transaction.
:class:`ServiceAdmin` is the pattern the other apps' admins reuse.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from . import services
from .calendar import calendar_next_year_notice
from .models import AuditEvent, CalendarOverride, CalendarYear, Membership, Organ


def form_data(form: forms.ModelForm, fields: list[str]) -> dict[str, Any]:
    """The cleaned values of the model fields the form offers (the changelist's form only some)."""
    return {name: value for name, value in form.cleaned_data.items() if name in fields}


def adopt(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's instance the row a service created, so inlines and redirects find it."""
    if obj is not saved:
        obj.__dict__.update(saved.__dict__)


class CalendarNoticeMixin:
    """From November, remind the platform admin to enter next year's holiday schedule."""

    def changelist_view(self, request, extra_context=None):
        notice = calendar_next_year_notice(today=timezone.localdate())
        if notice:
            self.message_user(request, notice, level=messages.WARNING)
        return super().changelist_view(request, extra_context)


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes go through ``service_save``/``service_delete`` (one service per row)."""

    service_fields: list[str] = []

    def service_save(self, request, obj, data: dict[str, Any], change: bool) -> models.Model:
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        adopt(obj, self.service_save(request, obj, form_data(form, self.service_fields), change))

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.service_delete(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class OrganForm(forms.ModelForm):
    class Meta:
        model = Organ
        fields = services.ORGAN_FIELDS

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        pk = self.instance.pk
        if parent is not None and pk is not None and (parent.pk == pk or f"/{pk}/" in parent.path):
            raise forms.ValidationError("上级机关不能是本机关或本机关的下级机关。")
        return parent


def _save_memberships(request, formset) -> None:
    """The role rows of an organ's page: a new row is a grant, a changed row a revoke and a new
    grant (the grant time is the new role's), a row marked for deletion a revoke."""
    formset.save(commit=False)
    for membership in formset.deleted_objects:
        services.membership_revoke(actor=request.user, membership=membership)
    for membership, _changed in formset.changed_objects:
        services.membership_revoke(actor=request.user, membership=Membership.objects.get(pk=membership.pk))
        adopt(membership, services.membership_grant(actor=request.user, user=membership.user,
                                                    organ=membership.organ, role=membership.role))
    for membership in formset.new_objects:
        adopt(membership, services.membership_grant(actor=request.user, user=membership.user,
                                                    organ=membership.organ, role=membership.role))


@admin.register(Organ)
class OrganAdmin(admin.ModelAdmin):
    """An organ is disabled (停用), never deleted: its records and history stay."""

    form = OrganForm
    list_display = ["name", "short_name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]
    actions = ["disable"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form_data(form, services.ORGAN_FIELDS)
        if change:
            services.organ_update(actor=request.user, organ=obj, data=data)
        else:
            adopt(obj, services.organ_create(actor=request.user, data=data))

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            _save_memberships(request, formset)
        else:  # pragma: no cover - OrganAdmin has no other inline
            raise NotImplementedError(formset.model)

    @admin.action(description="停用所选机关", permissions=["change"])
    def disable(self, request, queryset):
        organs = [o for o in queryset if o.is_active]
        for organ in organs:
            services.organ_disable(actor=request.user, organ=organ)
        self.message_user(request, f"已停用{len(organs)}个机关。", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["user", "organ", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organ__name"]
    autocomplete_fields = ["user", "organ"]
    service_fields = services.MEMBERSHIP_FIELDS

    def service_save(self, request, obj, data, change):
        if change:
            services.membership_revoke(actor=request.user, membership=Membership.objects.get(pk=obj.pk))
        return services.membership_grant(actor=request.user, user=data["user"], organ=data["organ"],
                                         role=data["role"])

    def service_delete(self, request, obj):
        services.membership_revoke(actor=request.user, membership=obj)


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
class CalendarOverrideAdmin(CalendarNoticeMixin, ServiceAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    service_fields = services.CALENDAR_OVERRIDE_FIELDS

    def service_save(self, request, obj, data, change):
        return services.calendar_override_save(actor=request.user, override=obj, data=data)

    def service_delete(self, request, obj):
        services.calendar_override_delete(actor=request.user, override=obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarNoticeMixin, ServiceAdmin):
    list_display = ["year", "note"]
    service_fields = services.CALENDAR_YEAR_FIELDS

    def service_save(self, request, obj, data, change):
        return services.calendar_year_save(actor=request.user, year=obj, data=data)

    def service_delete(self, request, obj):
        services.calendar_year_delete(actor=request.user, year=obj)


class AuditedUserAdmin(UserAdmin):
    """Accounts: saving and deleting go through :func:`services.user_save` / :func:`services.user_delete`
    (a platform-admin grant and the roles an account loses with it are in the audit log)."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and AuditEvent.objects.filter(actor=obj).exists():
            return False  # it acted: its rows in the log must keep naming it
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.user_save(actor=request.user, user=obj)

    def delete_model(self, request, obj):
        self._delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._delete(request, obj)

    def _delete(self, request, obj):
        if AuditEvent.objects.filter(actor=obj).exists():
            raise PermissionDenied(f"账号 {obj.get_username()} 有操作记录，不能删除；请改为停用（取消“有效”）。")
        services.user_delete(actor=request.user, user=obj)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
