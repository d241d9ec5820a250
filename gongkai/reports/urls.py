"""Each route has at most one path parameter (``<slug>`` = ``机关代码-年度``, e.g. ``11130600MA9999991X-2024``);
the rest are query parameters, so the portal's every-route probe stays small."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    # Workspace (公开办).
    path("workspace/reports/", views.index, name="index"),
    path("workspace/reports/<str:code>/monitor/", views.monitor_page, name="monitor"),  # ?indicator=…
    path("workspace/reports/<str:slug>/", views.edit, name="edit"),
    path("workspace/reports/<str:slug>/submit/", views.submit, name="submit"),
    path("workspace/reports/<str:slug>/allow-early/", views.allow_early, name="allow_early"),
    path("workspace/reports/<str:slug>/organs/", views.rollup, name="rollup"),
    path("workspace/reports/<str:slug>/cells/", views.cell, name="cell"),  # ?key=t3.r1.total
    path("workspace/reports/<str:slug>/download/", views.download, name="download"),  # ?format=pdf
    # Public.
    path("reports/<str:slug>/", views.public, name="public"),
    path("reports/<str:slug>/download/", views.public_file, name="public_file"),  # ?format=pdf
]
