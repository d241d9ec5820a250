from django.contrib import admin

from .models import Catalog, CatalogEntry, Gazette, GazetteIssue, Genre, Topic


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_policy", "is_interpretation", "order"]
    list_editable = ["order"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order"]


class CatalogEntryInline(admin.TabularInline):
    model = CatalogEntry
    extra = 1


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    list_display = ["name", "organ", "is_standard"]
    inlines = [CatalogEntryInline]


@admin.register(Gazette)
class GazetteAdmin(admin.ModelAdmin):
    list_display = ["name", "organ"]


@admin.register(GazetteIssue)
class GazetteIssueAdmin(admin.ModelAdmin):
    list_display = ["gazette", "year", "number", "issued_on", "is_published"]
