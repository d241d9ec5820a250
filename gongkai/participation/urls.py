"""Public participation URLs (included in gongkai/urls.py before the portal's catch-alls)."""

from django.urls import path  # noqa: F401 - used as topics append their routes

app_name = "participation"

urlpatterns: list = []
