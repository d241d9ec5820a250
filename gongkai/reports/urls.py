from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    # Workspace (公开办).
    path("workspace/reports/", views.index, name="index"),
    path("workspace/reports/<str:code>/monitor/", views.monitor_page, name="monitor"),
    path("workspace/reports/<str:code>/monitor/<str:indicator>/", views.monitor_list, name="monitor_list"),
    path("workspace/reports/<str:code>/<int:year>/", views.edit, name="edit"),
    path("workspace/reports/<str:code>/<int:year>/submit/", views.submit, name="submit"),
    path("workspace/reports/<str:code>/<int:year>/organs/", views.rollup, name="rollup"),
    path("workspace/reports/<str:code>/<int:year>/cells/<str:key>/", views.cell, name="cell"),
    path("workspace/reports/<str:code>/<int:year>/report.<str:fmt>", views.download, name="download"),
    # Public.
    path("reports/<str:code>/<int:year>/", views.public, name="public"),
    path("reports/<str:code>/<int:year>/report.<str:fmt>", views.public_file, name="public_file"),
]
