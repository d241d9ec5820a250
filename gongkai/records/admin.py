"""Reference data of the records (体裁, 主题分类, 公开目录, 政府公报): every write goes through
:mod:`gongkai.records.reference`, which logs it."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile

from gongkai.core.admin import ServiceAdmin, adopt
from gongkai.core.files import check_upload_content

from . import reference
from .models import Audience, Catalog, CatalogEntry, Gazette, GazetteIssue, Genre, Topic


@admin.register(Genre)
class GenreAdmin(ServiceAdmin):
    list_display = ["name", "code", "is_policy", "is_interpretation", "order"]
    list_editable = ["order"]
    service_fields = reference.GENRE_FIELDS

    def service_save(self, request, obj, data, change):
        return reference.genre_save(actor=request.user, genre=obj, data=data)

    def service_delete(self, request, obj):
        reference.genre_delete(actor=request.user, genre=obj)


@admin.register(Audience)
class AudienceAdmin(ServiceAdmin):
    list_display = ["name", "code", "group", "order"]
    list_filter = ["group"]
    service_fields = reference.AUDIENCE_FIELDS

    def service_save(self, request, obj, data, change):
        return reference.audience_save(actor=request.user, audience=obj, data=data)

    def service_delete(self, request, obj):
        reference.audience_delete(actor=request.user, audience=obj)


@admin.register(Topic)
class TopicAdmin(ServiceAdmin):
    list_display = ["name", "code", "parent", "order"]
    service_fields = reference.TOPIC_FIELDS

    def service_save(self, request, obj, data, change):
        return reference.topic_save(actor=request.user, topic=obj, data=data)

    def service_delete(self, request, obj):
        reference.topic_delete(actor=request.user, topic=obj)


class CatalogEntryInline(admin.TabularInline):
    model = CatalogEntry
    extra = 1
    exclude = ["rule_genres", "rule_topics"]  # the genre/topic rules come with the standard catalog (migration 0005)


@admin.register(Catalog)
class CatalogAdmin(ServiceAdmin):
    list_display = ["name", "organ", "is_standard"]
    inlines = [CatalogEntryInline]
    service_fields = reference.CATALOG_FIELDS

    def service_save(self, request, obj, data, change):
        return reference.catalog_save(actor=request.user, catalog=obj, data=data)

    def service_delete(self, request, obj):
        reference.catalog_delete(actor=request.user, catalog=obj)

    def save_formset(self, request, form, formset, change):
        """The entry rows: each new, changed or deleted entry through its service."""
        formset.save(commit=False)
        for entry in formset.deleted_objects:
            reference.catalog_entry_delete(actor=request.user, entry=entry)
        for entry in [e for e, _ in formset.changed_objects] + formset.new_objects:
            data = {f: getattr(entry, f) for f in reference.CATALOG_ENTRY_FIELDS}
            adopt(entry, reference.catalog_entry_save(actor=request.user, entry=entry, data=data))


@admin.register(Gazette)
class GazetteAdmin(ServiceAdmin):
    list_display = ["name", "organ"]
    service_fields = reference.GAZETTE_FIELDS

    def service_save(self, request, obj, data, change):
        return reference.gazette_save(actor=request.user, gazette=obj, data=data)

    def service_delete(self, request, obj):
        reference.gazette_delete(actor=request.user, gazette=obj)


class GazetteIssueForm(forms.ModelForm):
    class Meta:
        model = GazetteIssue
        fields = reference.GAZETTE_ISSUE_FIELDS

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if isinstance(upload, UploadedFile):  # a new file (not the one already stored)
            if not (upload.name or "").lower().endswith(".pdf"):
                raise forms.ValidationError("公报PDF须是 .pdf 文件。")
            check_upload_content(upload, "pdf")
        return upload


@admin.register(GazetteIssue)
class GazetteIssueAdmin(ServiceAdmin):
    form = GazetteIssueForm
    list_display = ["gazette", "year", "number", "issued_on", "is_published"]
    service_fields = reference.GAZETTE_ISSUE_FIELDS

    def service_save(self, request, obj, data, change):
        return reference.gazette_issue_save(actor=request.user, issue=obj, data=data)

    def service_delete(self, request, obj):
        reference.gazette_issue_delete(actor=request.user, issue=obj)
