"""The public 政务公开地图: an accessible list (no JavaScript, no tile server needed), a Leaflet map served
from our own static files when an office configures tiles, a page and a QR code per place, corrections
into the message box (纠错)."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from gongkai.core.idempotency import SubmissionTokenError, submit_once
from gongkai.core.throttle import client_ip

from ..errors import ParticipationActionError
from ..forms.places import CORRECTION_THROTTLE, CorrectionForm, MapFilterForm
from ..models import PlaceKind
from ..selectors import places as sel
from ..services.places import place_correction
from .public_messages import _grant as grant_message


def map_settings() -> dict:
    """Tile server of the map (none by default: the list alone, no request leaves the site)."""
    return {"tiles": getattr(settings, "GONGKAI_MAP_TILE_URL", ""),
            "attribution": getattr(settings, "GONGKAI_MAP_TILE_ATTRIBUTION", ""),
            "crs": getattr(settings, "GONGKAI_MAP_CRS", "wgs84"),
            "center": getattr(settings, "GONGKAI_MAP_CENTER", "")}


def _allow_tiles(response: HttpResponse, tiles: str) -> HttpResponse:
    parts = urlsplit(tiles.replace("{s}", "a"))
    if parts.scheme and parts.netloc:
        origin = f"{parts.scheme}://{parts.netloc}"
        if "{s}" in tiles:
            origin = f"{parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}"
        response._csp_update = {"img-src": [origin]}
    return response


@require_safe
def place_map(request):
    form = MapFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    places = sel.public_places(q=data.get("q", ""), kind=data.get("kind", ""), organ_code=data.get("organ", ""),
                               near=form.near_point() if request.GET else None)
    config = map_settings()
    markers = [{"id": p.pk, "name": p.name, "kind": p.get_kind_display(), "address": p.address,
                "lat": float(p.latitude), "lng": float(p.longitude), "url": p.get_absolute_url()}
               for p in places if p.latitude is not None]
    response = render(request, "participation/public/place_map.html", {
        "form": form, "places": places, "markers": markers, "map": config, "kinds": PlaceKind.choices,
        "nav": "map"})
    return _allow_tiles(response, config["tiles"]) if config["tiles"] else response


@require_safe
def place_detail(request, pk: int):
    place = sel.public_place(pk)
    if place is None:
        raise Http404("该场所不存在或未公开。")
    return render(request, "participation/public/place_detail.html", {"place": place, "nav": "map"})


@require_safe
def place_qr(request, pk: int):
    place = sel.public_place(pk)
    if place is None:
        raise Http404
    qr = segno.make(request.build_absolute_uri(place.get_absolute_url()), error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=4, border=2, title=f"{place.name}（二维码）", encoding="utf-8")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def place_correct(request, pk: int):
    place = sel.public_place(pk)
    if place is None:
        raise Http404("该场所不存在或未公开。")
    ip = client_ip(request)
    if CORRECTION_THROTTLE.is_limited(ip):
        return render(request, "participation/public/limited.html", {}, status=429)
    challenge = None
    if CORRECTION_THROTTLE.needs_challenge(ip):
        challenge = CORRECTION_THROTTLE.challenge_for(request.POST.get("challenge_token", ""))
    form = CorrectionForm(request.POST or None, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            once = submit_once(token=form.submission_token, purpose="place-correction", create=lambda: place_correction(
                place=place, body=d["body"], name=d.get("name", ""), phone=d.get("phone", ""),
                email=d.get("email", ""), page_url=place.get_absolute_url(), ip=ip).receipt_code)
        except (ParticipationActionError, SubmissionTokenError) as exc:
            form.add_error(None, str(exc))
        else:
            if not once.repeated:
                CORRECTION_THROTTLE.hit(ip)
            grant_message(request, once.ref)  # the receipt page of the 纠错 message, as after any message
            return redirect("participation:message_receipt", code=once.ref)
    return render(request, "participation/public/place_correct.html", {"place": place, "form": form},
                  status=400 if form.errors else 200)
