"""URLs of a jobcentre (tenant schema)."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("home.urls")),
    path("kandidater/", include("candidates.urls")),
    path("centre/", include("candidates.centre_urls")),
    path("kontrakter/", include("contracts.urls")),
    path("mentor/", include("mentors.urls")),
    path("statistik/landsoversigt/", include("national.urls")),
    path("statistik/", include("reports.urls")),
    path("afregning/", include("billing.urls")),
    path("revision/", include("audit.urls")),
    path("api/", include("api.urls")),
    path("konto/", include("allauth.urls")),
    # The admin logs in through allauth (rate limits, two-factor), never its own form.
    path("admin/login/", secure_admin_login(admin.site.login)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
