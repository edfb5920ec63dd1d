"""The analyst's overview, on the platform (/landsoversigt/)."""

from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("eksport.<str:fmt>", views.overview_export, name="overview_export"),
]
