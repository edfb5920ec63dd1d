"""URLs of a jobcentre (tenant schema)."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sso import entry as sso_entry

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
    # In front of allauth's own: the IdP's origin in form-action on the pages that go there.
    path("konto/oidc/<str:provider_id>/login/", sso_entry.oidc_login),
    path("konto/saml/<str:organization_slug>/login/", sso_entry.saml_login),
    path("konto/logout/", sso_entry.logout),
    path("konto/", include("allauth.urls")),
    # The jobcentre admin's single sign-on configuration (issue 25).
    path("sso/", include("sso.urls")),
    # The admin logs in through allauth (rate limits, two-factor), never its own form.
    path("admin/login/", secure_admin_login(admin.site.login)),
    path("admin/", admin.site.urls),
    # The language choice at the top of every page (POST, Django's set_language).
    path("sprog/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
