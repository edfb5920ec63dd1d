"""URLs of the public schema: the platform landing page, the platform admin and the
analyst's national overview (issue 30).

The platform admin signs in through allauth, as a jobcentre's users do: the account lock,
the per-address limit and two-factor login (required for platform staff) apply."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from home.views import accessibility
from national import views as national_views
from tenants import views

urlpatterns = [
    path("", views.landing, name="landing"),
    # After signing in (settings.LOGIN_REDIRECT_URL): the analyst's overview, the operators'
    # admin.
    path("start/", national_views.start, name="home"),
    path("landsoversigt/", include("national.urls_public")),
    path("tilgaengelighed/", accessibility, name="accessibility"),
    path("konto/", include("allauth.urls")),
    path("admin/login/", secure_admin_login(admin.site.login)),
    path("admin/", admin.site.urls),
    # The language choice at the top of every page (POST, Django's set_language).
    path("sprog/", include("django.conf.urls.i18n")),
]
