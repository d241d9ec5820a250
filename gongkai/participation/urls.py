"""Public participation URLs (included in gongkai/urls.py before the portal's catch-alls)."""

from django.urls import path

from .feeds import ConsultationFeed, MeetingFeed
from .views import public_consultations as consultations
from .views import public_meetings as meetings
from .views import public_messages, public_qa
from .views import public_places as places
from .views import public_subscriptions as subscriptions

app_name = "participation"

urlpatterns: list = [
    path("consultations/", consultations.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/comment/", consultations.comment_create, name="comment_create"),
    path("consultations/<int:pk>/draft/", consultations.consultation_draft, name="consultation_draft"),
    path("consultations/receipt/<str:code>/", consultations.comment_receipt, name="comment_receipt"),
    path("consultations/lookup/", consultations.comment_lookup, name="comment_lookup"),
    path("consultations/feed.xml", ConsultationFeed(), name="feed_consultations"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/apply/", meetings.meeting_apply, name="meeting_apply"),
    path("meetings/receipt/<str:code>/", meetings.registration_receipt, name="registration_receipt"),
    path("meetings/lookup/", meetings.registration_lookup, name="registration_lookup"),
    path("meetings/feed.xml", MeetingFeed(), name="feed_meetings"),
    path("decisions/", meetings.decision_catalogs, name="decision_catalogs"),
    path("decisions/<int:pk>/", meetings.decision_catalog, name="decision_catalog"),
    path("messages/", public_messages.message_list, name="messages"),
    path("messages/new/", public_messages.message_create, name="message_create"),
    path("messages/suggest.json", public_messages.message_suggest, name="message_suggest"),
    path("messages/stats/", public_messages.message_stats, name="message_stats"),
    path("messages/receipt/<str:code>/", public_messages.message_receipt, name="message_receipt"),
    path("messages/track/", public_messages.message_track, name="message_track"),
    path("messages/track/<str:code>/", public_messages.message_track_detail, name="message_track_detail"),
    path("messages/track/<str:code>/rate/", public_messages.message_rate, name="message_rate"),
    path("messages/<int:pk>/", public_messages.message_detail, name="message_detail"),
    path("qa/", public_qa.qa_list, name="qa"),
    path("qa/<int:pk>/", public_qa.qa_detail, name="qa_detail"),
    path("subscribe/", subscriptions.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", subscriptions.confirm, name="subscription_confirm"),
    path("subscribe/manage/<str:token>/", subscriptions.manage, name="subscriptions_manage"),
    path("subscribe/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="subscriptions_unsubscribe"),
    path("map/", places.place_map, name="map"),
    path("map/<int:pk>/", places.place_detail, name="place"),
    path("map/<int:pk>/qr.svg", places.place_qr, name="place_qr"),
    path("map/<int:pk>/correct/", places.place_correct, name="place_correct"),
]
