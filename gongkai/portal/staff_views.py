"""Workspace pages of the portal: the settings of the platform and of an organ's subsite."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.core.models import Organ
from gongkai.core.params import pk_param
from gongkai.core.permissions import Perm, can, organs_where, staff_required
from gongkai.records import gazette, reference, versions
from gongkai.records.models import (
    Catalog,
    CatalogEntry,
    Gazette,
    GazetteIssue,
    GazetteIssueStatus,
    GazetteItem,
    Record,
    VersionStatus,
)

from . import services
from .forms import (
    CatalogRulesForm,
    GazetteIssueForm,
    GazetteItemForm,
    RecordCatalogForm,
    SiteSettingsForm,
    VersionForm,
    entry_labels,
)
from .models import SiteSettings
from .site import site_for


@staff_required
def site_list(request):
    """The sites the person may configure: the platform (admins) and the organs they oversee."""
    organs = organs_where(request.user, Perm.ORGAN_OVERSEE).filter(is_active=True).order_by("path")
    configured = set(SiteSettings.objects.values_list("organ_id", flat=True))
    return render(request, "portal/staff/site_list.html", {
        "organs": organs, "configured": configured, "platform": request.user.is_superuser,
    })


@staff_required
def site_edit(request, code: str = ""):
    organ = None
    if code:
        organ = Organ.objects.filter(code=code).first()
        if organ is None:
            raise Http404("该机关不存在。")
    if not services.site_settings_may_edit(user=request.user, organ=organ):
        raise PermissionDenied("只有该机关的公开办或平台管理员可以修改网站设置。")
    row = SiteSettings.objects.filter(organ=organ).first()
    form = SiteSettingsForm(request.POST or None, request.FILES or None, platform=organ is None,
                            initial=SiteSettingsForm.initial_for(row))
    if request.method == "POST" and form.is_valid():
        try:
            services.site_settings_save(
                actor=request.user, organ=organ, data=form.settings_data(),
                emblem=form.cleaned_data.get("emblem") or None, clear_emblem=form.cleaned_data["clear_emblem"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "网站设置已保存，门户页面已更新。")
            host = SiteSettings.objects.filter(organ=organ).values_list("host", flat=True).first()
            if host:  # accepted at once (portal/hosts.py); it still has to point at the platform
                messages.info(request, f"独立域名 {host} 已生效：将该域名解析到本平台后即可对外公布。")
            return redirect(request.path)
    return render(request, "portal/staff/site_edit.html", {
        "form": form, "organ": organ, "row": row, "preview": site_for(organ),
    })


# --- 政府公报: compose, generate, review, publish ---------------------------------------------


def _gazettes_for(user):
    organs = organs_where(user, Perm.RECORD_DRAFT) | organs_where(user, Perm.RECORD_REVIEW)
    return Gazette.objects.filter(organ__in=organs).select_related("organ")


@staff_required
def gazette_list(request):
    gazettes = list(_gazettes_for(request.user))
    form = GazetteIssueForm(request.POST or None, gazettes=gazettes)
    if request.method == "POST" and form.is_valid():
        try:
            issue = gazette.gazette_issue_create(actor=request.user, **form.cleaned_data)
        except gazette.GazetteError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已新建公报期次，请收录文件。")
            return redirect("portal:staff_gazette_issue", pk=issue.pk)
    issues = GazetteIssue.objects.filter(gazette__in=gazettes).select_related("gazette").order_by("-year", "-number")
    return render(request, "portal/staff/gazette_list.html", {"form": form, "issues": issues[:100],
                                                             "gazettes": gazettes})


@staff_required
def gazette_issue(request, pk: int):
    issue = GazetteIssue.objects.select_related("gazette__organ", "submitted_by").filter(
        pk=pk, gazette__in=_gazettes_for(request.user)).first()
    if issue is None:
        raise Http404("该期公报不存在。")
    add_form = GazetteItemForm(request.POST if request.POST.get("action") == "add" else None, issue=issue)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add" and add_form.is_valid():
                gazette.gazette_item_add(actor=request.user, issue=issue, **add_form.cleaned_data)
                messages.success(request, "已收录。")
            elif action == "reorder":  # dragging (site script); the buttons below are the same service
                gazette.gazette_items_reorder(actor=request.user, issue=issue,
                                              item_ids=[i for i in request.POST.get("order", "").split(",") if i])
                messages.success(request, "已保存顺序。")
            elif action in ("remove", "up", "down"):
                item = get_object_or_404(GazetteItem, pk=pk_param(request.POST.get("item")) or 0, issue=issue)
                if action == "remove":
                    gazette.gazette_item_remove(actor=request.user, item=item)
                else:
                    gazette.gazette_item_move(actor=request.user, item=item, up=action == "up")
            elif action == "pdf":
                gazette.gazette_issue_build_pdf(actor=request.user, issue=issue)
                messages.success(request, "已生成印刷版PDF。")
            elif action == "upload" and request.FILES.get("pdf"):
                gazette.gazette_issue_upload_pdf(actor=request.user, issue=issue, upload=request.FILES["pdf"])
                messages.success(request, "已上传PDF。")
            elif action == "submit":
                gazette.gazette_issue_submit(actor=request.user, issue=issue)
                messages.success(request, "已送审，须由另一位审核人审核后发布。")
            elif action in ("approve", "return"):
                gazette.gazette_issue_review(actor=request.user, issue=issue, approve=action == "approve",
                                             comment=request.POST.get("comment", ""))
                messages.success(request, "已审核通过并发布。" if action == "approve" else "已退回修改。")
            if action != "add" or add_form.is_valid():
                return redirect("portal:staff_gazette_issue", pk=issue.pk)
        except gazette.GazetteError as exc:
            messages.error(request, str(exc))
            return redirect("portal:staff_gazette_issue", pk=issue.pk)
    return render(request, "portal/staff/gazette_issue.html", {
        "issue": issue, "contents": gazette.table_of_contents(issue), "add_form": add_form,
        "editable": issue.status == GazetteIssueStatus.DRAFT,
    })


# --- versions of a published record (更正、修订) ------------------------------------------------


@staff_required
def record_versions(request, pk: int):
    """Open, edit, submit and review a new version of a published or withdrawn record."""
    record = get_object_or_404(Record.objects.select_related("organ"), pk=pk)
    if not (can(request.user, Perm.RECORD_DRAFT, record.organ) or can(request.user, Perm.RECORD_REVIEW, record.organ)):
        raise PermissionDenied("您没有该机关信息的权限。")
    open_version = record.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED]).first()
    form = VersionForm(request.POST if request.POST.get("action") == "save" else None, instance=open_version)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                versions.record_version_open(actor=request.user, record=record, reason=request.POST.get("reason", ""))
                messages.success(request, "已新建版本，修改后送审；发布前公开页面仍显示现行版本。")
            elif action == "save" and open_version and form.is_valid():
                versions.record_version_update(actor=request.user, version=open_version, **form.cleaned_data)
                messages.success(request, "已保存。")
            elif action == "submit" and open_version:
                versions.record_version_submit(actor=request.user, version=open_version)
                messages.success(request, "已送审，须由未参与编辑的审核人审核。")
            elif action in ("approve", "return") and open_version:
                versions.record_version_review(actor=request.user, version=open_version, approve=action == "approve",
                                               comment=request.POST.get("comment", ""))
                messages.success(request, "新版本已发布。" if action == "approve" else "已退回修改。")
            if action != "save" or form.is_valid():
                return redirect("portal:staff_record_versions", pk=record.pk)
        except versions.VersionError as exc:
            messages.error(request, str(exc))
            return redirect("portal:staff_record_versions", pk=record.pk)
    return render(request, "portal/staff/record_versions.html", {
        "record": record, "open_version": open_version, "form": form,
        "history": record.versions.order_by("-number"),
    })


# --- 法定主动公开内容: filing rules of the catalog, and a record's entries ---------------------


def _catalogs_for(user):
    organs = organs_where(user, Perm.ORGAN_OVERSEE).filter(is_active=True)
    catalogs = Catalog.objects.filter(organ__in=organs)
    if user.is_superuser:
        catalogs = catalogs | Catalog.objects.filter(organ__isnull=True)
    return catalogs.select_related("organ").order_by("organ__path", "pk")


@staff_required
def catalog_list(request):
    """The catalogs whose filing rules the person may edit: the organs they oversee (公开办), and the
    standard catalogs for a platform admin."""
    return render(request, "portal/staff/catalog_list.html", {"catalogs": _catalogs_for(request.user)})


@staff_required
def catalog_edit(request, pk: int):
    catalog = get_object_or_404(Catalog.objects.select_related("organ"), pk=pk)
    if not reference.catalog_may_edit(user=request.user, catalog=catalog):
        raise PermissionDenied("只有该机关的公开办或平台管理员可以修改目录归档规则。")
    entries = list(catalog.entries.order_by("order", "id").prefetch_related("rule_genres", "rule_topics"))
    counts = {}
    if catalog.organ_id:
        through = Record.catalog_entries.through
        public = Record.objects.public().filter(catalog_entries__catalog=catalog)
        for entry_id in through.objects.filter(catalogentry__catalog=catalog, record__in=public).values_list(
                "catalogentry_id", flat=True):
            counts[entry_id] = counts.get(entry_id, 0) + 1
    labels, by_pk = entry_labels(entries), {e.pk: e for e in entries}
    rows = [{"entry": by_pk[pk], "label": label, "count": counts.get(pk, 0),
             "genres": [g.name for g in by_pk[pk].rule_genres.all()],
             "topics": [t.name for t in by_pk[pk].rule_topics.all()]} for pk, label in labels.items()]
    return render(request, "portal/staff/catalog_edit.html", {"catalog": catalog, "rows": rows})


@staff_required
def catalog_entry_rules(request, pk: int):
    entry = get_object_or_404(CatalogEntry.objects.select_related("catalog__organ", "parent"), pk=pk)
    if not reference.catalog_may_edit(user=request.user, catalog=entry.catalog):
        raise PermissionDenied("只有该机关的公开办或平台管理员可以修改目录归档规则。")
    form = CatalogRulesForm(request.POST or None, initial={
        "genres": list(entry.rule_genres.all()), "topics": list(entry.rule_topics.all()),
        "keywords": entry.rule_keywords})
    if request.method == "POST" and form.is_valid():
        try:
            filed = reference.catalog_entry_rules_save(
                actor=request.user, entry=entry, genres=form.cleaned_data["genres"],
                topics=form.cleaned_data["topics"], keywords=form.cleaned_data["keywords"])
        except reference.FilingError as exc:
            form.add_error("keywords", str(exc))
        else:
            messages.success(request, f"归档规则已保存，按新规则归档 {filed} 条已公开信息。" if filed
                             else "归档规则已保存。")
            return redirect("portal:staff_catalog", pk=entry.catalog_id)
    return render(request, "portal/staff/catalog_entry_rules.html", {"entry": entry, "form": form})


@staff_required
def record_catalog(request, pk: int):
    """The entries of the organ's catalog a record is filed under: an editor adds or removes them."""
    record = get_object_or_404(Record.objects.select_related("organ"), pk=pk)
    if not can(request.user, Perm.RECORD_DRAFT, record.organ):
        raise PermissionDenied("只有该机关的编辑可以调整信息的归档栏目。")
    form = RecordCatalogForm(request.POST or None, record=record,
                             initial={"entries": list(record.catalog_entries.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            reference.record_catalog_entries_set(actor=request.user, record=record,
                                                 entries=form.cleaned_data["entries"])
        except reference.FilingError as exc:
            form.add_error("entries", str(exc))
        else:
            messages.success(request, "归档栏目已保存，公开目录已更新。")
            return redirect("portal:staff_record_catalog", pk=record.pk)
    return render(request, "portal/staff/record_catalog.html", {"record": record, "form": form})
