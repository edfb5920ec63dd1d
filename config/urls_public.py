"""URLs of the public schema: the platform landing page and the platform admin."""

from django.contrib import admin
from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("admin/", admin.site.urls),
]
