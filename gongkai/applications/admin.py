"""The platform admin's screen for letter templates; every write goes through a service
(:mod:`gongkai.applications.services.letter_templates`), which writes the audit row."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from gongkai.core.admin import ServiceAdmin
from gongkai.core.models import AuditEventType
from gongkai.core.services import reference_delete, reference_save

from . import services
from .models import LetterTemplate, OrganLetterSettings


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["organ", "kind", "file"]

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        kind = data.get("kind")
        if isinstance(upload, UploadedFile) and kind:
            upload.seek(0)
            try:
                services.letter_template_check(kind=kind, name=upload.name or "", data=upload.read())
            except services.ApplicationActionError as exc:
                self.add_error("file", str(exc))
            upload.seek(0)
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ServiceAdmin):
    """An organ replaces a built-in letter with its own Word template (variables: docs/applications.md)."""

    form = LetterTemplateForm
    list_display = ("organ", "kind", "updated_at")
    list_filter = ("kind",)
    search_fields = ("organ__name",)
    service_fields = ["organ", "kind", "file"]

    def service_save(self, request, obj, data, change):
        upload = data.get("file")
        return services.letter_template_save(
            actor=request.user, organ=data["organ"], kind=data["kind"],
            upload=upload if isinstance(upload, UploadedFile) else None, template=obj if change else None)

    def service_delete(self, request, obj):
        services.letter_template_delete(actor=request.user, template=obj)


LETTER_SETTINGS_FIELDS = ["organ", "number_format", "reconsideration_body", "payee_name", "payee_bank",
                          "payee_account", "nontax_channel", "nontax_code"]


@admin.register(OrganLetterSettings)
class OrganLetterSettingsAdmin(ServiceAdmin):
    """Per organ: the letter number format, the reconsideration organ and the fee's payment details."""

    list_display = ("organ", "number_format", "reconsideration_body", "payee_name", "nontax_channel")
    search_fields = ("organ__name",)
    service_fields = LETTER_SETTINGS_FIELDS

    def service_save(self, request, obj, data, change):
        return reference_save(actor=request.user, obj=obj, data=data, fields=LETTER_SETTINGS_FIELDS,
                              event_type=AuditEventType.LETTER_TEMPLATE_CHANGED, organ=data.get("organ") or obj.organ,
                              note="告知书设置")

    def service_delete(self, request, obj):
        reference_delete(actor=request.user, obj=obj, fields=LETTER_SETTINGS_FIELDS,
                         event_type=AuditEventType.LETTER_TEMPLATE_CHANGED, organ=obj.organ, note="删除告知书设置")
