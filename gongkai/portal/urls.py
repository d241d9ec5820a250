from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("organ/<str:code>/", views.organ, name="organ"),
    path("catalog/<int:pk>/", views.catalog_entry, name="catalog_entry"),
    path("record/<int:pk>/", views.record, name="record"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
]
