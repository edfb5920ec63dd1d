from django.urls import path

from . import views, workplace_views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("ny/", views.contract_create, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/rediger/", views.contract_edit, name="edit"),
    path("<int:pk>/godkendelse/", views.contract_approve, name="approve"),
    path("<int:pk>/opsig/", views.contract_terminate, name="terminate"),
    path("standardtekster/", views.contract_template_edit, name="template"),
    path("<int:pk>/tillaeg/ny/", views.amendment_create, name="amendment_create"),
    path("<int:pk>/version/<int:version>/underskriv/", views.chief_sign, name="chief_sign"),
    path(
        "<int:pk>/version/<int:version>/underskriftslink/",
        views.signing_link_send,
        name="signing_link_send",
    ),
    path("<int:pk>/version/<int:version>/pdf/", views.document_request, name="document_request"),
    path(
        "<int:pk>/dokumenter/<int:document_pk>/status/",
        views.document_status,
        name="document_status",
    ),
    path(
        "<int:pk>/dokumenter/<int:document_pk>/hent/",
        views.document_download,
        name="document_download",
    ),
    path("arbejdssteder/", workplace_views.workplace_list, name="workplaces"),
    path("arbejdssteder/ny/", workplace_views.workplace_create, name="workplace_create"),
    path("arbejdssteder/<int:pk>/", workplace_views.workplace_detail, name="workplace"),
    path(
        "arbejdssteder/<int:pk>/center/",
        workplace_views.workplace_centre_set,
        name="workplace_centre",
    ),
    path(
        "arbejdssteder/<int:pk>/<slug:kind>/",
        workplace_views.workplace_fact_record,
        name="workplace_fact",
    ),
    # The director's one-time link: no login, the token is the only key.
    path("underskriv/<str:token>/", views.director_sign, name="director_sign"),
    path(
        "underskriv/<str:token>/pdf/status/",
        views.director_document_status,
        name="director_document_status",
    ),
    path(
        "underskriv/<str:token>/pdf/<str:sha256>/",
        views.director_document,
        name="director_document",
    ),
]
