from django.contrib.auth import views as auth_views
from django.urls import path

from . import audiences, two_factor, views

app_name = "workspace"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="workspace/login.html", redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", two_factor.otp_verify, name="otp_verify"),
    path("2fa/setup/", two_factor.otp_setup, name="otp_setup"),
    path("", views.home, name="home"),
    path("records/", views.record_list, name="records"),
    path("records/mine/", views.record_list, {"scope": "mine"}, name="records_mine"),
    path("records/review/", views.record_list, {"scope": "review"}, name="review_queue"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/redetermination/", views.redetermination, name="redetermination"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/audiences/", audiences.record_audiences, name="record_audiences"),
    path("records/<int:pk>/submit/", views.record_submit, name="record_submit"),
    path("records/<int:pk>/review/", views.record_review, name="record_review"),
    path("records/<int:pk>/publish/", views.record_publish, name="record_publish"),
    path("records/<int:pk>/withdraw/", views.record_withdraw, name="record_withdraw"),
    path("records/<int:pk>/validity/", views.record_validity, name="record_validity"),
    path("validity-changes/<int:pk>/", views.record_validity_decide, name="record_validity_decide"),
    path("records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("attachments/<int:pk>/withhold/", views.attachment_withhold, name="attachment_withhold"),
]
