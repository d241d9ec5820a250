"""Staff participation URLs under /workspace/participation/ (included from gongkai/urls.py)."""

from django.urls import path

from .views import staff_answers, staff_messages, staff_places, staff_subscriptions
from .views import staff_consultations as consultations
from .views import staff_meetings as meetings

app_name = "participation_staff"

urlpatterns: list = [
    path("consultations/", consultations.dashboard, name="consultations"),
    path("consultations/new/", consultations.consultation_create, name="consultation_create"),
    path("consultations/export.xlsx", consultations.export_comments, name="consultations_export"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/edit/", consultations.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/submit/", consultations.consultation_submit, name="consultation_submit"),
    path("consultations/<int:pk>/review/", consultations.consultation_review, name="consultation_review"),
    path("consultations/<int:pk>/publish/", consultations.consultation_publish, name="consultation_publish"),
    path("consultations/<int:pk>/close/", consultations.consultation_close, name="consultation_close"),
    path("consultations/<int:pk>/withdraw/", consultations.consultation_withdraw, name="consultation_withdraw"),
    path("consultations/<int:pk>/export.xlsx", consultations.export_comments, name="consultation_export"),
    path("consultations/<int:pk>/comments/<int:cid>/moderate/", consultations.comment_moderate,
         name="comment_moderate"),
    path("consultations/<int:pk>/comments/<int:cid>/dispose/", consultations.comment_dispose, name="comment_dispose"),
    path("consultations/<int:pk>/comments/<int:cid>/attachment/", consultations.comment_attachment,
         name="comment_attachment"),
    path("consultations/<int:pk>/group/", consultations.comment_group, name="comment_group"),
    path("consultations/<int:pk>/feedback/", consultations.feedback_save, name="feedback_save"),
    path("consultations/<int:pk>/feedback/submit/", consultations.feedback_submit, name="feedback_submit"),
    path("consultations/<int:pk>/feedback/review/", consultations.feedback_review, name="feedback_review"),
    path("consultations/<int:pk>/final/", consultations.final_record, name="final_record"),
    path("messages/", staff_messages.inbox, name="inbox"),
    path("messages/<int:pk>/", staff_messages.detail, name="message"),
    path("messages/<int:pk>/attachment/", staff_messages.attachment, name="message_attachment"),
    path("messages/<int:pk>/<str:action>/", staff_messages.act, name="message_act"),
    path("answers/", staff_answers.answer_list, name="answers"),
    path("answers/new/", staff_answers.answer_create, name="answer_create"),
    path("answers/import/", staff_answers.answer_import, name="answer_import"),
    path("answers/export.xlsx", staff_answers.answer_export, name="answer_export"),
    path("answers/search.json", staff_answers.answer_search_json, name="answer_search"),
    path("answers/<int:pk>/", staff_answers.answer_detail, name="answer"),
    path("answers/<int:pk>/<str:action>/", staff_answers.answer_act, name="answer_act"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/submit/", meetings.meeting_submit, name="meeting_submit"),
    path("meetings/<int:pk>/review/", meetings.meeting_review, name="meeting_review"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/registrations/<int:rid>/", meetings.registration_decide, name="registration_decide"),
    path("concerns/", meetings.concern_list, name="concerns"),
    path("concerns/<int:pk>/respond/", meetings.concern_respond, name="concern_respond"),
    path("decisions/", meetings.catalog_list, name="catalogs"),
    path("decisions/<int:pk>/", meetings.catalog_detail, name="catalog"),
    path("decisions/<int:pk>/submit/", meetings.catalog_submit, name="catalog_submit"),
    path("decisions/<int:pk>/review/", meetings.catalog_review, name="catalog_review"),
    path("subscriptions/", staff_subscriptions.subscription_stats, name="subscriptions"),
    path("places/", staff_places.place_list, name="places"),
    path("places/new/", staff_places.place_edit, name="place_create"),
    path("places/<int:pk>/", staff_places.place_edit, name="place_edit"),
    path("places/<int:pk>/delete/", staff_places.place_delete, name="place_delete"),
]
