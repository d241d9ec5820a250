"""Workspace pages of the portal: the settings of the platform and of an organ's subsite."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.request import validate_host
from django.shortcuts import redirect, render

from gongkai.core.models import Organ
from gongkai.core.permissions import Perm, organs_where, staff_required

from . import services
from .forms import SiteSettingsForm
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
            if host and not validate_host(host, settings.ALLOWED_HOSTS):
                messages.warning(request, f"独立域名 {host} 尚未加入本平台的 GONGKAI_ALLOWED_HOSTS，"
                                          "请平台管理员加入并将域名解析到本平台后再对外公布。")
            return redirect(request.path)
    return render(request, "portal/staff/site_edit.html", {
        "form": form, "organ": organ, "row": row, "preview": site_for(organ),
    })
