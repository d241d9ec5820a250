"""Error pages that Django would otherwise answer in English: a bad request (400, also an unknown Host
header), an expired or missing CSRF token (403), and a method an address does not take (405).

All are pages in the site frame, in Chinese, with no English detail of the failure.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def _safe_host(request) -> str | None:
    try:
        return request.get_host()
    except Exception:  # DisallowedHost: the page must still render, without the host
        return None


def _same_site_referer(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    host = _safe_host(request)
    if referer and host and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
        return referer
    return ""


def error_400(request, exception=None):
    return render(request, "400.html", {}, status=400)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: usually a form left open too long, or cookies turned off."""
    return render(request, "csrf_failure.html", {"back": _same_site_referer(request)}, status=403)


def error_405(request):
    return render(request, "405.html", {"back": _same_site_referer(request)}, status=405)
