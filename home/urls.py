from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("tom/", views.blank, name="blank"),
]
