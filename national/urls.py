"""The chef's comparison, in a jobcentre (/statistik/landsoversigt/)."""

from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.comparison, name="comparison"),
    path("eksport.<str:fmt>", views.comparison_export, name="comparison_export"),
]
