"""Two-factor sign-in for staff (TOTP, django-otp): enrol a device, enter a code after login."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.redirects import safe_next


class TokenForm(forms.Form):
    token = forms.RegexField(label="动态验证码", regex=r"^\d{6}$", max_length=6,
                             error_messages={"invalid": "请输入验证器上显示的6位数字。"},
                             widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@login_required
def otp_verify(request):
    """After the password: the code from the staff member's authenticator app."""
    if not user_has_device(request.user):
        return redirect("workspace:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(safe_next(request, request.POST.get("next"), "/workspace/"))
        form.add_error("token", "验证码不正确或已过期，请重新输入。")
    return render(request, "workspace/otp_verify.html",
                  {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")},
                  status=400 if form.errors else 200)


@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code, confirm with one code."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect("workspace:otp_verify")
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
            user=request.user, name="验证器", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "已启用两步验证，以后登录时需要输入验证器上的动态验证码。")
            return redirect("workspace:home")
        form.add_error("token", "验证码不正确，请确认手机时间准确后重新输入。")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(request, "workspace/otp_setup.html", {
        "form": form, "qr": qr, "secret": base64.b32encode(device.bin_key).decode().rstrip("="), "issuer": settings.OTP_TOTP_ISSUER,
        "required": settings.GONGKAI_REQUIRE_2FA and request.user.is_superuser,
    }, status=400 if form.errors else 200)
