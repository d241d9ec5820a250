"""Tagging a record with its 适用对象 (any state: the tags decide who is told, not what is published)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.core.permissions import Perm, can, staff_required
from gongkai.records import selectors, services
from gongkai.records.models import Audience


class AudienceForm(forms.Form):
    audiences = forms.ModelMultipleChoiceField(
        label="适用对象", queryset=Audience.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="选择这份信息涉及的企业或群众；订阅了精准推送的对应人群会收到它。不涉及特定人群的不选。")


@staff_required
def record_audiences(request, pk: int):
    record = get_object_or_404(selectors.workspace_records(request.user).select_related("organ"), pk=pk)
    if not can(request.user, Perm.RECORD_DRAFT, record.organ):
        raise PermissionDenied("您没有修改该机关信息的权限。")
    form = AudienceForm(request.POST or None, initial={"audiences": record.audiences.all()})
    if request.method == "POST" and form.is_valid():
        services.record_set_audiences(actor=request.user, record=record, audiences=form.cleaned_data["audiences"])
        messages.success(request, "已保存适用对象。")
        return redirect("workspace:record", pk=record.pk)
    return render(request, "workspace/record_audiences.html", {"form": form, "record": record})
