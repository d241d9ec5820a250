"""Public participation URLs (included in gongkai/urls.py before the portal's catch-alls)."""

from django.urls import path

from .feeds import ConsultationFeed
from .views import public_consultations as consultations

app_name = "participation"

urlpatterns: list = [
    path("consultations/", consultations.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/comment/", consultations.comment_create, name="comment_create"),
    path("consultations/receipt/<str:code>/", consultations.comment_receipt, name="comment_receipt"),
    path("consultations/lookup/", consultations.comment_lookup, name="comment_lookup"),
    path("consultations/feed.xml", ConsultationFeed(), name="feed_consultations"),
]
