"""Response headers and session rules of a system that holds personal data (docs/security.md).

- ``Permissions-Policy``: no camera, microphone, geolocation, payment, USB or FLoC-like APIs.
- ``Cache-Control: no-store`` on every staff page, every application page an applicant reaches
  with a code (receipt, tracking, letters, files), the admin and exports, and on any response to
  a signed-in user: nothing personal stays in a browser's or a proxy's cache.
- Staff sessions end when the browser closes (``SESSION_EXPIRE_AT_BROWSER_CLOSE``) and after
  ``GONGKAI_STAFF_IDLE_SECONDS`` without a request (8 hours by default).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
# Public paths that show what only one applicant may see (reached with a receipt or tracking code).
PRIVATE_PUBLIC_PREFIXES = (
    "/apply/", "/track/", "/consultations/receipt/", "/consultations/lookup/", "/meetings/receipt/",
    "/meetings/lookup/", "/messages/receipt/", "/messages/track/", "/messages/new/",
)
LAST_SEEN_KEY = "gongkai_last_seen"
TOUCH_EVERY = 60  # seconds: write the session at most once a minute for the idle clock


def admin_prefix() -> str:
    return "/" + settings.GONGKAI_ADMIN_PATH.strip("/") + "/"


def has_session(request) -> bool:
    """Whether the request carries a session cookie (checked first, so that anonymous public
    pages never touch the session, never get ``Vary: Cookie`` and stay cacheable)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def no_store_path(path: str) -> bool:
    return path.startswith(("/workspace/", admin_prefix(), *PRIVATE_PUBLIC_PREFIXES))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = has_session(request) and request.user.is_authenticated
        if signed_in and self._idle_too_long(request):
            logout(request)
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if signed_in or no_store_path(request.path):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response

    @staticmethod
    def _idle_too_long(request) -> bool:
        now = int(time.time())
        last = request.session.get(LAST_SEEN_KEY)
        if last is not None and now - int(last) > settings.GONGKAI_STAFF_IDLE_SECONDS:
            return True
        if last is None or now - int(last) >= TOUCH_EVERY:
            request.session[LAST_SEEN_KEY] = now
        return False


TWO_FACTOR_EXEMPT = ("workspace:otp_verify", "workspace:otp_setup", "workspace:logout", "workspace:login")


class SecondFactorMiddleware:
    """Staff who enrolled a TOTP device must enter a code before the workspace or the admin open;
    with ``GONGKAI_REQUIRE_2FA`` a platform admin (superuser) without one is sent to enrol first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_session(request) and self._guarded(request.path) and request.user.is_authenticated:
            from django_otp import user_has_device

            user = request.user
            if not user.is_verified():
                if user_has_device(user):
                    return redirect(f"{reverse('workspace:otp_verify')}?next={request.path}")
                if settings.GONGKAI_REQUIRE_2FA and user.is_superuser:
                    return redirect("workspace:otp_setup")
        return self.get_response(request)

    @staticmethod
    def _guarded(path: str) -> bool:
        if not path.startswith(("/workspace/", admin_prefix())):
            return False
        return path not in {reverse(name) for name in TWO_FACTOR_EXEMPT} and path != reverse("admin:logout")


class ActionGetMiddleware:
    """A GET on an action address that only takes POST (``…/1/submit/``, ``…/track/<code>/rate/``) — a bookmark,
    a reload after a form, a link typed by hand — goes back to the page the action belongs to (issue #23): the
    parent path, when it is an address of the site. Otherwise a Chinese 405 page in the site frame, never
    Django's blank answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD"):
            return response
        from django.urls import Resolver404, resolve

        from gongkai.core.views import error_405

        path = request.path_info
        parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
        if parent != path and parent != "/":
            try:
                resolve(parent)
            except Resolver404:
                pass
            else:
                return redirect(request.path[: len(request.path) - len(path)] + parent)
        page = error_405(request)
        page.headers["Allow"] = response.headers.get("Allow", "POST")
        return page
