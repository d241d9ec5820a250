from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    # Public.
    path("apply/", views.apply, name="apply"),
    path("apply/organ/<str:code>/", views.apply, name="apply_organ"),
    path("apply/receipt/<str:code>/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_detail, name="track_detail"),
    path("track/<str:code>/letters/<int:pk>/<str:fmt>/", views.track_letter, name="track_letter"),
    path("track/<str:code>/files/<int:pk>/", views.track_file, name="track_file"),
    path("track/<str:code>/thread/<int:pk>/", views.track_thread_file, name="track_thread_file"),
    path("track/<str:code>/act/<str:action>/", views.track_act, name="track_act"),
    # Workspace.
    path("workspace/applications/", views.queue, name="queue"),
    path("workspace/applications/export.csv", views.export_csv, name="export"),
    path("workspace/applications/new/", views.register, name="register"),
    path("workspace/applications/similar/", views.similar, name="similar"),
    path("workspace/applications/extensions/", views.extensions, name="extensions"),
    path("workspace/applications/extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("workspace/applications/appeals/<str:kind>/<int:pk>/", views.appeal_result, name="appeal_result"),
    path("workspace/applications/appeals/<str:kind>/<int:pk>/reopen/", views.appeal_reopen, name="appeal_reopen"),
    path("workspace/applications/letters/<int:pk>/<str:fmt>/", views.letter, name="letter"),
    path("workspace/applications/files/<int:pk>/", views.file, name="file"),
    path("workspace/applications/<int:pk>/", views.detail, name="detail"),
    path("workspace/applications/<int:pk>/convert/", views.convert, name="convert"),
    path("workspace/applications/<int:pk>/thread/", views.thread_reply, name="thread_reply"),
    path("workspace/applications/<int:pk>/thread/<int:mid>/accept/", views.thread_accept, name="thread_accept"),
    path("workspace/applications/<int:pk>/thread/<int:mid>/file/", views.thread_file, name="thread_file"),
    path("workspace/applications/<int:pk>/personal-data/", views.personal_data, name="personal_data"),
    path("workspace/applications/<int:pk>/<str:action>/", views.act, name="act"),
]
