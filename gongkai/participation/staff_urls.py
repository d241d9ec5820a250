"""Staff participation URLs under /workspace/participation/ (included from gongkai/urls.py)."""

from django.urls import path  # noqa: F401 - used as topics append their routes

app_name = "participation_staff"

urlpatterns: list = []
