"""URLs of a jobcentre (tenant schema)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("kandidater/", include("candidates.urls")),
    path("centre/", include("centers.urls")),
    path("kontrakter/", include("contracts.urls")),
    path("mentor/", include("mentors.urls")),
    path("statistik/", include("reports.urls")),
    path("afregning/", include("billing.urls")),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
