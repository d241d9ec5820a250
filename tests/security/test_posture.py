"""Finding 4 (login lockout, client address behind a proxy) and the posture: headers, no-store,
staff sessions, the admin path and two-factor sign-in."""

import importlib
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import clear_url_caches, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.middleware import LAST_SEEN_KEY
from gongkai.core.models import Role
from gongkai.core.throttle import client_ip

from ..factories import UserFactory, member


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(organ):
    return member(organ, Role.EDITOR, "guarded", password="Richtig-Passwort-1")


# -- login lockout ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/workspace/login/", "/admin/login/"])
def test_twenty_wrong_passwords_then_the_right_one_does_not_log_in(client, staff, url):
    statuses = [client.post(url, {"username": "guarded", "password": f"falsch-{i}"}).status_code for i in range(20)]
    assert 429 in statuses
    response = client.post(url, {"username": "guarded", "password": "Richtig-Passwort-1"})
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_admin_unlock_lets_the_user_in_again(client, staff):
    from axes.models import AccessAttempt

    for i in range(6):
        client.post("/workspace/login/", {"username": "guarded", "password": f"falsch-{i}"})
    assert AccessAttempt.objects.filter(username="guarded").exists()
    AccessAttempt.objects.filter(username="guarded").delete()  # what the admin's delete action does
    response = client.post("/workspace/login/", {"username": "guarded", "password": "Richtig-Passwort-1"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_locked_pair_does_not_lock_the_user_out_from_another_address(client, staff):
    for i in range(6):
        client.post("/workspace/login/", {"username": "guarded", "password": f"falsch-{i}"}, REMOTE_ADDR="203.0.113.9")
    response = client.post("/workspace/login/", {"username": "guarded", "password": "Richtig-Passwort-1"},
                           REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


# -- the client address -------------------------------------------------------------------------


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.GONGKAI_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_forwarded_for_is_honoured_only_from_a_trusted_proxy(settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.5", "198.51.100.7")) == "198.51.100.7"
    # A client cannot choose its address by sending the header itself through the proxy.
    assert client_ip(_request("10.0.0.5", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.5", "198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"


def test_login_lockout_counts_the_address_behind_the_proxy(client, staff, settings):
    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.5"]
    for i in range(6):
        client.post("/workspace/login/", {"username": "guarded", "password": f"x{i}"},
                    REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = client.post("/workspace/login/", {"username": "guarded", "password": "Richtig-Passwort-1"},
                         REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = client.post("/workspace/login/", {"username": "guarded", "password": "Richtig-Passwort-1"},
                        REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert (locked.status_code, other.status_code) == (429, 302)


# -- headers ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_carry_csp_permissions_and_referrer_policy(client):
    response = client.get("/track/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_application_and_staff_pages_are_not_stored(client, staff):
    assert client.get("/track/")["Cache-Control"] == "no-store"
    assert client.get("/apply/")["Cache-Control"] == "no-store"
    client.force_login(staff)
    assert client.get("/workspace/")["Cache-Control"] == "no-store"
    assert client.get("/workspace/applications/")["Cache-Control"] == "no-store"


def test_no_template_has_an_inline_script_or_event_handler():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "gongkai"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", text):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(root)}: javascript: URL")
    assert offenders == []


# -- sessions ------------------------------------------------------------------------------------


def test_staff_sessions_end_at_browser_close(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_a_staff_session_ends_after_the_idle_time(client, staff, settings):
    settings.GONGKAI_STAFF_IDLE_SECONDS = 3600
    client.force_login(staff)
    assert client.get("/workspace/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 3601
    session.save()
    response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("workspace:login"))
    assert "_auth_user_id" not in client.session


# -- the admin path ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_lives_at_the_configured_path(client):
    import gongkai.urls

    try:
        with override_settings(GONGKAI_ADMIN_PATH="office-console/"):
            importlib.reload(gongkai.urls)
            clear_url_caches()
            assert client.get("/office-console/login/").status_code == 200
            assert client.get("/admin/login/").status_code == 404
    finally:
        importlib.reload(gongkai.urls)
        clear_url_caches()


# -- two-factor sign-in ---------------------------------------------------------------------------


def _token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_staff_with_a_device_must_enter_a_code(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="手机", confirmed=True)
    client.force_login(staff)
    response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("workspace:otp_verify"))
    wrong = f"{(int(_token(device)) + 1) % 1000000:06d}"
    assert "验证码不正确" in client.post(reverse("workspace:otp_verify"), {"token": wrong}).content.decode()
    assert client.get("/workspace/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guesses after a wrong code
    response = client.post(reverse("workspace:otp_verify"), {"token": _token(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200


@pytest.mark.django_db
def test_platform_admins_must_enrol_when_2fa_is_required(client, settings):
    settings.GONGKAI_REQUIRE_2FA = True
    admin = UserFactory(username="platform", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("workspace:otp_setup")
    page = client.get(reverse("workspace:otp_setup"))
    assert page.status_code == 200 and "启用两步验证" in page.content.decode()
    device = TOTPDevice.objects.get(user=admin)
    response = client.post(reverse("workspace:otp_setup"), {"token": _token(device)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    settings.GONGKAI_REQUIRE_2FA = False
