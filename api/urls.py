"""/api/: the integration API, version 1, and the admin's integration page."""

from functools import wraps

from django.urls import path
from django.views.decorators.http import conditional_page

from . import views
from .v1 import api, reads_flush


def _with_etags(urls):
    """Every GET of the API answers with an ETag and 304 to a matching If-None-Match; the
    reads of people it shows are logged only when the body goes out (not for a 304)."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = _reads_logged(conditional_page(pattern.callback))
    return patterns, app_name, namespace


def _reads_logged(view):
    @wraps(view)
    def logged(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        reads_flush(request, response)
        return response

    return logged


# No app namespace of its own: ninja reverses its document's URL as "api-v1:openapi-json".
urlpatterns = [
    path("v1/", _with_etags(api.urls)),
    path("integrationer/", views.integrations, name="api_integrations"),
    path("integrationer/noegle/", views.key_create, name="api_key_create"),
    path("integrationer/noegle/<int:pk>/tilbagekald/", views.key_revoke, name="api_key_revoke"),
    path("integrationer/faktura/", views.invoice_settings, name="api_invoice_settings"),
]
