"""Staff: maintain the service places of the 政务公开地图 (the editors of the place's organ)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.core.permissions import Perm, can, organs_where, staff_required

from ..errors import ParticipationActionError
from ..forms.places import PlaceForm
from ..models import Place
from ..services import places as svc


@staff_required
def place_list(request):
    organs = organs_where(request.user, Perm.RECORD_DRAFT)
    places = Place.objects.filter(organ__in=organs).select_related("organ")
    return render(request, "participation/staff/place_list.html", {"places": places})


@staff_required
def place_edit(request, pk: int | None = None):
    organs = organs_where(request.user, Perm.RECORD_DRAFT)
    if not organs.exists():
        raise PermissionDenied("您没有维护任何机关服务场所的权限。")
    place = get_object_or_404(Place, pk=pk, organ__in=organs) if pk else None
    form = PlaceForm(request.POST or None, request.FILES or None, instance=place, organs=organs)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.place_save(actor=request.user, place=place, data={
                k: v for k, v in form.cleaned_data.items() if k in svc.PLACE_FIELDS})
        except ParticipationActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存：{saved.name}。")
            return redirect("participation_staff:places")
    return render(request, "participation/staff/place_form.html", {"form": form, "place": place})


@staff_required
def place_delete(request, pk: int):
    place = get_object_or_404(Place, pk=pk)
    if not can(request.user, Perm.RECORD_DRAFT, place.organ):
        raise PermissionDenied("您没有维护该机关服务场所的权限。")
    if request.method == "POST":
        svc.place_delete(actor=request.user, place=place)
        messages.success(request, f"已删除：{place.name}。")
        return redirect("participation_staff:places")
    return render(request, "participation/staff/place_delete.html", {"place": place})
