"""Reads of the 政务公开地图: public places only (published, organ active)."""

from __future__ import annotations

from django.db.models import Q

from ..geo import distance_m
from ..models import Place


def public_places(*, q: str = "", kind: str = "", organ_code: str = "", near: tuple[float, float] | None = None):
    qs = Place.objects.public().select_related("organ")
    if kind:
        qs = qs.filter(kind=kind)
    if organ_code:
        qs = qs.filter(organ__code=organ_code)
    for term in (q or "").split():
        qs = qs.filter(Q(name__icontains=term) | Q(address__icontains=term) | Q(services__icontains=term))
    places = list(qs)
    if near is not None:
        for p in places:
            p.distance = (distance_m(near[0], near[1], float(p.latitude), float(p.longitude))
                          if p.latitude is not None else None)
            p.distance_text = ("" if p.distance is None else f"{p.distance:.0f} 米" if p.distance < 1000
                               else f"{p.distance / 1000:.1f} 公里")
        places.sort(key=lambda p: (p.distance is None, p.distance or 0))
    return places


def public_place(pk: int) -> Place | None:
    return Place.objects.public().select_related("organ").filter(pk=pk).first()
