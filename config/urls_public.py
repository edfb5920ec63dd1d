"""URLs of the public schema: the platform landing page and the platform admin.

The platform admin signs in through allauth, as a jobcentre's users do: the account lock,
the per-address limit and two-factor login (required for platform staff) apply."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from home.views import accessibility
from tenants import views

urlpatterns = [
    path("", views.landing, name="landing"),
    # After signing in (settings.LOGIN_REDIRECT_URL): the platform's users are its operators.
    path("start/", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("tilgaengelighed/", accessibility, name="accessibility"),
    path("konto/", include("allauth.urls")),
    path("admin/login/", secure_admin_login(admin.site.login)),
    path("admin/", admin.site.urls),
]
